"""`python -m autograder build [--check]`: every generated file of every assignment, from its single source.

    course.py     the course directory: source/<a>.py -> source/<a>/, release/<a>/, solutions/<a>.ipynb
    notebooks.py  one notebook from its single source: read, write byte-stably, execute the solution
    template.py   what students' repositories and Classroom 50 get: workflow, vendored grader, bundle
    examples.py   example submissions kept as answers only, filled into the current release

`--check` builds into a temporary course directory and compares: it exits 1 and names every file that
is stale, missing, or was edited by hand. The build runs from the kit's repository only.
"""
import sys

from .course import ROOT, compare, generate, generated_files, in_repository, scratch_build, stale_files  # noqa: F401
from .notebooks import tool_env  # noqa: F401

NOT_A_REPOSITORY = ("error: `build` needs the kit's repository (source/, release/, nbgrader_config.py), and this "
                    "autograder is an installed package, which carries only the grader. Clone the kit's repository "
                    "and run `python -m autograder build` there.")


def main(check=False, course_dir=ROOT):
    """Build (or with check=True, verify) the generated files; return an exit status."""
    if not in_repository(course_dir):
        print(NOT_A_REPOSITORY, file=sys.stderr)
        return 2
    if check:
        problems = stale_files(course_dir)
        for problem in problems:
            print(problem)
        print("build --check:", "clean" if not problems else f"{len(problems)} file(s) out of date")
        return 1 if problems else 0
    for relative in generate(course_dir):
        print(f"generated {relative}")
    return 0
