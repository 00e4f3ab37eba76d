"""The course's assignments, one package each: `autograder/assignments/<name>/`.

A package declares everything the engine needs about its exercise in `assignment.py` (`ASSIGNMENT`, an
`engine.assignment.Assignment`), and keeps what runs inside the sandbox in `child.py`, which imports
nothing of the grader's side: the zygote loads it before any submission exists, and student code can
reach everything it holds. This module imports nothing heavy.

Assignments kept outside the package (a course's own, or the engine tests' fake one) are registered by naming
their folders in AUTOGRADER_ASSIGNMENTS_PATH (os.pathsep-separated): each `<folder>/<name>/` that holds
`assignment.py` and `child.py` becomes `autograder.assignments.<name>`, known after the built-in NAMES.
"""
import os
from importlib import import_module

NAMES = ("xor_sgd", "mf_embeddings")
DEFAULT = "xor_sgd"  # the assignment of a notebook that does not say which it is (an older release)
PATH_VARIABLE = "AUTOGRADER_ASSIGNMENTS_PATH"  # folders of more assignments (see above)


def found_in(folders):
    """The assignment packages in folders (<name>/ with assignment.py and child.py), built-in names left out."""
    found = []
    for folder in folders:
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
            package = os.path.join(folder, name)
            if (name.isidentifier() and name not in NAMES and name not in found
                    and all(os.path.isfile(os.path.join(package, f)) for f in ("assignment.py", "child.py"))):
                found.append(name)
    return tuple(found)


# The variable is read from the grader's own environment, which the instructor sets; a submission never runs
# there (the zygote's environment is fixed, a child's is cleared), and the zygote imports these child modules
# before any submission exists, as it does the built-in ones. The folders come after the package's own: an
# extra assignment never shadows a built-in one. Absolute, so the zygote (another cwd) finds the same ones.
FOLDERS = tuple(os.path.abspath(folder) for folder in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if folder)
__path__.extend(FOLDERS)
EXTRA = found_in(FOLDERS)


def names():
    """Every assignment the registry knows: the built-in NAMES, then those found in AUTOGRADER_ASSIGNMENTS_PATH."""
    return NAMES + EXTRA


def get(name):
    """The Assignment called `name` (KeyError for an unknown one)."""
    if name not in names():
        raise KeyError(name)
    return import_module(f"{__name__}.{name}.assignment").ASSIGNMENT


def every():
    """Every assignment, in names() order."""
    return [get(name) for name in names()]
