"""The course's assignments, one package each: `autograder/assignments/<name>/`.

A package declares everything the engine needs about its exercise in `assignment.py` (`ASSIGNMENT`, an
`engine.assignment.Assignment`), and keeps what runs inside the sandbox in `child.py`, which imports
nothing of the grader's side: the zygote loads it before any submission exists, and student code can
reach everything it holds. This module imports nothing heavy.
"""
from importlib import import_module

NAMES = ("xor_sgd", "mf_embeddings")
DEFAULT = "xor_sgd"  # the assignment of a notebook that does not say which it is (an older release)


def get(name):
    """The Assignment called `name` (KeyError for an unknown one)."""
    if name not in NAMES:
        raise KeyError(name)
    return import_module(f"{__name__}.{name}.assignment").ASSIGNMENT


def every():
    """Every assignment, in NAMES order."""
    return [get(name) for name in NAMES]
