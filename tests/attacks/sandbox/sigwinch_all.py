# kill(-1, SIGWINCH): a signal to every process the sandbox may signal. SIGWINCH is ignored by default, so this
# is a safe stand-in for kill(-1, SIGKILL); a canary outside the grader counts deliveries.
def _attack():
    import os
    import signal

    os.kill(-1, signal.SIGWINCH)


try:
    _attack()
except Exception:
    pass
