# For 4 s, SIGKILL every process that shares our parent (the other submissions graded at the same time).
# Safety: only when /proc shows our own PID namespace, and never the children of the machine's init (a parent
# of 1 is accepted only inside a PID namespace other than the test's, {HOST_PIDNS}).
def _attack():
    import os
    import signal
    import time

    me, parent = os.getpid(), os.getppid()
    if int(os.readlink("/proc/self")) != me:
        return  # /proc belongs to another PID namespace: its numbers are not ours
    if parent < 1 or (parent == 1 and os.readlink("/proc/self/ns/pid") == "{HOST_PIDNS}"):
        return
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == me:
                continue
            try:
                with open(f"/proc/{name}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == parent:
                try:
                    os.kill(int(name), signal.SIGKILL)
                except OSError:
                    pass
        time.sleep(0.05)


try:
    _attack()
except Exception:
    pass
