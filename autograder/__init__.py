"""Auto-graded exercise kit for a deep-learning course: one grading engine, assignments as packages."""

__version__ = "1.0.0"
