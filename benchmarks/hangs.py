"""What a hung submission costs: its limit once, on every front end.

    python benchmarks/hangs.py

Times, through the CLI, a right notebook whose `train` loops forever when called, and a right notebook with
12 extra cells that each ignore their alarm (SIGALRM); then grades the second one through the student
workflow's job, run as the runner runs it with the job's timeout, and prints its points and time.
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from front_ends import ROOT, classroom_job, fill, lean_python, run  # noqa: E402

ENDLESS_TRAIN = "def train(X, y, lr, n_epochs, seed=0):\n    while True:\n        pass\n"
STUBBORN_CELL = "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n"


def right_notebook():
    return fill(ROOT / "tests" / "assignments" / "xor_sgd" / "corpus" / "right_solution.py")


def with_endless_train():
    """A right notebook whose train never returns once called (defining it is instant)."""
    notebook = right_notebook()
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "train")
    cell.source = ENDLESS_TRAIN
    return notebook


def with_stubborn_cells(count=12):
    """A right notebook followed by `count` cells that ignore their alarm and loop forever."""
    notebook = right_notebook()
    notebook.cells += [nbformat.v4.new_code_cell(STUBBORN_CELL) for _ in range(count)]
    return notebook


def cli_grade(path):
    """(seconds, score) of `python -m autograder grade --json PATH`."""
    started = time.monotonic()
    done = run([sys.executable, "-m", "autograder", "grade", "--json", str(path)], ROOT)
    return time.monotonic() - started, json.loads(done.stdout)["score"]


def main():
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        endless, stubborn = scratch / "endless_train.ipynb", scratch / "stubborn_cells.ipynb"
        nbformat.write(with_endless_train(), str(endless))
        nbformat.write(with_stubborn_cells(), str(stubborn))
        print("CLI, train loops forever when called: %.1f s, %g/18 points" % cli_grade(endless))
        print("CLI, 12 cells that ignore their alarm: %.1f s, %g/18 points" % cli_grade(stubborn))
        python = lean_python(scratch)
        points, seconds = classroom_job(stubborn, python, scratch)
        print("student workflow, 12 cells that ignore their alarm: %s, job %.1f s (its limit: 15 minutes)" % (
            "cancelled" if points is None else f"{points:g}/18 points", seconds))


if __name__ == "__main__":
    main()
