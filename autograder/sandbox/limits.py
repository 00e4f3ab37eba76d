"""Time, size and process limits of the sandbox (a light module: front ends read it without importing numpy).

Time limits count the submission's own time, never the machine's: CPU time for a cell or a question (the
child's CPU clock: a busy machine slows the wall clock, not this), and for the grader's watch "effective"
time, the wall clock minus the time the submission's process waited for a CPU (the kernel's schedstat).
A submission that sleeps or blocks spends effective time; one that waits behind other processes does not.
Only `wall` is plain wall-clock time: the grader's own last resort, whose end is reported as the grader's
failure (an overloaded machine), never as the student's.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The limits one submission runs under."""

    cell: float = 30.0  # CPU seconds for one notebook cell
    question: float = 20.0  # CPU seconds for one question (one call of the student's functions at all points, one training run, ...)
    hang: float = 30.0  # seconds a submission may lose to hung stages, all together: a hang costs its limit once
    after_hang: float = 5.0  # seconds each later stage still gets once the hang budget is spent
    total: float = 120.0  # effective seconds for everything of one submission, re-runs included
    grace: float = 3.0  # extra seconds before the grader kills a child that ignores its (first) alarm
    wall: float = 900.0  # wall-clock seconds after which the grader gives up on a submission (its own failure)
    attempts: int = 4  # runs of one submission, beyond one per cell: a re-run leaves out a stage that hung or died
    memory: int = 4 << 30  # address space of a sandboxed process, bytes
    file_size: int = 64 << 20  # largest file a sandboxed process may write, bytes
    open_files: int = 256  # file descriptors of a sandboxed process
    processes: int = 64  # processes (and threads) of one submission at once, where the kernel can bound them
    report: int = 64 << 20  # most bytes a submission may send the grader in one run
    line: int = 24 << 20  # most bytes of one message (the plot's answer, with its trace, is the largest: < 17 MB)

    def stage_seconds(self, is_question, hang_left, finished_before=False):
        """How long one stage may run, given what is left of the hang budget. A question keeps its whole limit:
        the questions are the grade, the assignment fixes how many there are, and a short limit would let a
        slow or busy machine (a training run is thousands of round trips to the grader) cost earned points.
        So does a cell that finished in an earlier run of the same submission: a re-run must not cost them."""
        if is_question:
            return self.question
        return self.cell if finished_before else min(self.cell, max(self.after_hang, hang_left))
