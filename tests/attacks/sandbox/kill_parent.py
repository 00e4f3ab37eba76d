# SIGKILL the parent process (the grader in the CLI, nbgrader under nbgrader): the other rows must still be written.
# (A parent of 1 is the init of this PID namespace, which the kernel protects from a SIGKILL sent from inside it.)
def _attack():
    import os
    import signal

    parent = os.getppid()
    if parent > 0:  # 0: no parent in this namespace (os.kill(0) would be our own process group)
        os.kill(parent, signal.SIGKILL)


try:
    _attack()
except Exception:
    pass
