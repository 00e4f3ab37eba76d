"""The sandbox: where student code runs, and the only place it runs, on every front end.

    limits.py       how long and how much a submission may take
    runner.py       the grader's side: the zygote, the scheduler, the time limits
    zygote.py       the clean process that forks one supervised child per submission
    confinement.py  the kernel's locks on that child: Landlock, seccomp, namespaces, rlimits
    probe.py        what runs inside: the cells, their outputs, the calls the grader observes

This file imports nothing heavy: front ends read `Limits` from here without loading numpy.
"""
from .limits import Limits

__all__ = ["Limits"]
