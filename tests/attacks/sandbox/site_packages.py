# Write into the Python installation: a .pth file in numpy's site-packages (here a harmless comment; a real
# one could hold an `import` line that runs in every later Python process, the grader's included).
def _attack():
    import os

    import numpy

    folder = os.path.dirname(os.path.dirname(os.path.abspath(numpy.__file__)))
    with open(os.path.join(folder, "xor-{MARKER}.pth"), "w") as handle:
        handle.write("# {MARKER}\n")


try:
    _attack()
except Exception:
    pass
