"""Time, size and process limits of the sandbox (a light module: front ends read it without importing numpy)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The limits one submission runs under."""

    cell: float = 30.0  # seconds for one notebook cell
    probe: float = 20.0  # seconds for all the calls of one probe (gradients, train, plot)
    hang: float = 30.0  # seconds a submission may lose to hung stages, all together: a hang costs its limit once
    after_hang: float = 5.0  # seconds each later stage still gets once the hang budget is spent
    total: float = 120.0  # seconds for everything of one submission, re-runs included
    grace: float = 3.0  # extra seconds before the grader kills a child that ignores its (first) alarm
    memory: int = 4 << 30  # address space of a sandboxed process, bytes
    file_size: int = 64 << 20  # largest file a sandboxed process may write, bytes
    open_files: int = 256  # file descriptors of a sandboxed process
    processes: int = 64  # processes (and threads) of one submission at once, where the kernel can bound them
    report: int = 64 << 20  # most bytes a submission may report to the grader

    def stage_seconds(self, is_probe, hang_left, finished_before=False):
        """How long one stage may run, given what is left of the hang budget. A stage that finished in an
        earlier run of the same submission keeps its whole limit: a re-run must not cost earned points."""
        limit = self.probe if is_probe else self.cell
        return limit if finished_before else min(limit, max(self.after_hang, hang_left))
