# A setsid double-forked daemon: it waits until the process that ran the cell is gone, then 8 s more, then
# writes files (in /tmp, the course, HOME). Named {PNAME}; it lives at most 3 minutes.
def _attack():
    import ctypes
    import os
    import time

    prctl, spawner = ctypes.CDLL(None).prctl, os.getpid()
    first = os.fork()
    if first:
        os.waitpid(first, 0)
        return
    try:
        os.setsid()
        if os.fork() == 0:
            prctl(15, b"{PNAME}", 0, 0, 0)
            os.closerange(0, 65536)
            started = time.monotonic()
            while time.monotonic() - started < 170:
                try:
                    os.kill(spawner, 0)
                except ProcessLookupError:
                    break
                except OSError:
                    pass
                time.sleep(0.5)
            time.sleep(8)
            for path in ("/tmp/xor-{MARKER}", "{COURSE}/pwned-{MARKER}", "{HOME}/pwned-{MARKER}"):
                try:
                    with open(path, "w") as handle:
                        handle.write("daemon {MARKER}\n")
                except OSError:
                    pass
    finally:
        os._exit(0)


try:
    _attack()
except Exception:
    pass
