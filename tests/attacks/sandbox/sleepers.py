# 150 forked sleepers, each in its own process group (out of reach of a kill of the submission's group),
# named {PNAME}: each lives until the process that ran the cell is gone, then 30 s more (at most 150 s).
def _attack():
    import ctypes
    import os
    import time

    prctl, spawner = ctypes.CDLL(None).prctl, os.getpid()
    for _ in range(150):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid:
            continue
        try:
            os.setpgid(0, 0)
            prctl(15, b"{PNAME}", 0, 0, 0)
            os.closerange(0, 65536)
            started = time.monotonic()
            while time.monotonic() - started < 120:
                try:
                    os.kill(spawner, 0)
                except ProcessLookupError:
                    break
                except OSError:
                    pass
                time.sleep(1)
            time.sleep(30)
        finally:
            os._exit(0)


try:
    _attack()
except Exception:
    pass
