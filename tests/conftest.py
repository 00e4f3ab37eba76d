"""Shared fixtures: the repository root, and the instructor solution's functions loaded from its notebook."""
import json
import os
import sys
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def run_cells(path, grade_ids=None):
    """Execute the code cells of a notebook (all, or only those with the given grade_ids) in a fresh namespace."""
    matplotlib.use("Agg")
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    namespace = {"__name__": "__main__"}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if grade_ids is None or grade_id in grade_ids:
            exec(compile("".join(cell["source"]), f"<{grade_id or 'cell'}>", "exec"), namespace)
    return namespace


@pytest.fixture(scope="session")
def solution():
    """The namespace of the instructor solution's given code and its gradients/train cells."""
    return run_cells(ROOT / "solutions" / "xor_sgd.ipynb",
                     {"given_data", "given_network", "gradients", "train"})


def cli(*args, cwd=ROOT, timeout=600, env=None):
    """Run `python -m autograder ...` as a real subprocess (env: extra variables); return the CompletedProcess."""
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def make_venv(folder, *requirements):
    """A fresh virtualenv with only the given pip requirements; returns its python."""
    import subprocess
    import venv

    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements], check=True, timeout=900)
    return python


_FILLED = {}


def corpus_file(name):
    """A corpus submission (answers only, tests/corpus/NAME) filled into the current release: an .ipynb path."""
    import tempfile

    from autograder.examples import write_filled

    if name not in _FILLED:
        folder = Path(tempfile.mkdtemp(prefix="corpus-"))
        _FILLED[name] = write_filled([CORPUS / name], folder)[0]
    return _FILLED[name]


def student_notebook(name):
    """The current release notebook with a corpus submission's answers in place."""
    from autograder.examples import fill

    return fill(CORPUS / name)
