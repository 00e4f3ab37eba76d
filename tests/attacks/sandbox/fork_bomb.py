# A bounded fork bomb: up to 2000 forks (for at most 10 s) of sleepers named {PNAME}, each living until the
# process that ran the cell is gone, then 20 s more (at most 120 s). Reports in the own feedback how many
# forks succeeded when they were 256 or more.
def _attack():
    import ctypes
    import os
    import time

    prctl, spawner, count = ctypes.CDLL(None).prctl, os.getpid(), 0
    deadline = time.monotonic() + 10  # well inside the 30 s a cell may take, even on a loaded machine
    while count < 2000 and time.monotonic() < deadline:
        try:
            pid = os.fork()
        except OSError:
            break
        if pid:
            count += 1
            continue
        try:
            prctl(15, b"{PNAME}", 0, 0, 0)
            os.closerange(0, 65536)
            started = time.monotonic()
            while time.monotonic() - started < 100:
                try:
                    os.kill(spawner, 0)
                except ProcessLookupError:
                    break
                except OSError:
                    pass
                time.sleep(1)
            time.sleep(20)
        finally:
            os._exit(0)
    return count


_forks = 0
try:
    _forks = _attack()
except Exception:
    pass
if _forks >= 256:
    raise RuntimeError(f"FORKBOMB {_forks} forks succeeded")
