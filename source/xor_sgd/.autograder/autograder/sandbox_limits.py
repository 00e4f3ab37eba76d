"""Time and size limits of the sandbox (a light module: front ends read them without importing matplotlib)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Time and size limits for one submission."""

    cell: float = 30.0  # seconds for one notebook cell
    probe: float = 20.0  # seconds for all the calls of one probe (gradients, train, plot)
    grace: float = 3.0  # extra seconds before the grader kills a child that ignores its alarm
    memory: int = 4 << 30  # address space of a child, bytes
    file_size: int = 64 << 20  # largest file a child may write, bytes
    report: int = 64 << 20  # most bytes a child may report


