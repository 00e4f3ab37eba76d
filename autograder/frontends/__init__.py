"""Thin front ends over the one grading logic: the command line, nbgrader, the student repository's workflow,
Classroom 50, and the instructor's collection of repositories."""
