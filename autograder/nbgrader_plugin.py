"""nbgrader preprocessors that connect a real nbgrader course to the kit.

- `PairWithScript` (generate_assignment): marks the release notebook as paired with its jupytext
  percent script, so nbgrader's own output is exactly the committed release.
- `ResilientExecute` (autograde): nbgrader's Execute, except that a kernel killed by the student's code
  (`os._exit`, a crash) ends that notebook's execution instead of failing the student's whole autograde:
  the outputs so far are kept and the points still come from TrustedGrades, as from the CLI.
- `TrustedGrades` (autograde, right after Execute): grades the notebook with the kit's grading core in a
  separate, clean process and writes each test cell's outcome as its output: the checks' feedback on
  stdout, then the points as a plain float, which nbgrader reads as partial credit. The student's cells
  ran in the kernel before the test cells, so nothing computed in that kernel can be trusted: what the
  kernel printed in the test cells is replaced, and a student who patched numpy or the grader there
  gains nothing. Nothing is written to stderr, so a warning can never zero a cell.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Integer

from .grading import TEST_CELLS

PAIRING = {"formats": "ipynb,py:percent"}
KIT_ROOT = Path(__file__).resolve().parent.parent


class PairWithScript(NbGraderPreprocessor):
    """Add jupytext pairing metadata to the student's notebook."""

    def preprocess(self, nb, resources):
        nb.metadata["jupytext"] = dict(PAIRING)
        return nb, resources


class ResilientExecute(Execute):
    """Execute that survives a dead kernel."""

    def preprocess(self, nb, resources=None, km=None):
        try:
            return super().preprocess(nb, resources, km)
        except Exception as error:  # DeadKernelError and the like: this notebook's code killed its kernel
            self.log.warning("the kernel of %s died (%s); grading what ran", (resources or {}).get("unique_key"),
                             type(error).__name__)
            return nb, resources


def grade_notebook(nb, timeout):
    """The kit's JSON report for a notebook, from `python -m autograder grade --json` in a clean process.

    It runs in an empty temporary folder, so a student's own `autograder/` folder beside the notebook
    is never on its import path."""
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / "submission.ipynb"
        nbformat.write(nb, str(path))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(KIT_ROOT), os.environ.get("PYTHONPATH", "")]))
        done = subprocess.run([sys.executable, "-m", "autograder", "grade", "--json", "--jobs", "1", str(path)],
                              cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout)
    return json.loads(done.stdout)


def cell_outputs(checks):
    """A test cell's outputs: one feedback line per check on stdout, then the points as a plain float."""
    lines = [f"{'✓' if c['score'] == c['max_score'] else '✗'} {c['name']} ({c['score']:g}/{c['max_score']:g}): "
             f"{c['feedback']}" for c in checks]
    points = float(sum(c["score"] for c in checks))
    return [new_output("stream", name="stdout", text="\n".join(lines) + "\n"),
            new_output("execute_result", data={"text/plain": repr(points)}, execution_count=None)]


class TrustedGrades(NbGraderPreprocessor):
    """Replace the test cells' outputs with the grading core's verdicts."""

    timeout = Integer(600, help="Seconds the grading core may take for one notebook.").tag(config=True)

    def preprocess(self, nb, resources):
        try:
            report = grade_notebook(nb, self.timeout)
            checks = {check["name"]: check for check in report["checks"]}
        except Exception as error:  # the grader never aborts the course run: this notebook gets 0
            self.log.error("autograder failed on %s: %s", resources.get("unique_key"), error)
            checks = {}
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "code" and grade_id in TEST_CELLS:
                names = TEST_CELLS[grade_id]
                graded = [checks.get(name) or {"name": name, "score": 0.0, "max_score": 0.0,
                                                "feedback": "el autograder no pudo evaluar este notebook"}
                          for name in names]
                cell.outputs = cell_outputs(graded)
        return nb, resources
