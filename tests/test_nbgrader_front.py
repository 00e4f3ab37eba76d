"""The nbgrader front end: the whole course cycle with the real nbgrader CLI and a real sqlite gradebook.

On a temporary copy of the course: generate_assignment, db student import, autograde, generate_feedback,
export. The exported scores must equal `python -m autograder grade` for every submission.
"""
import csv
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.build import tool_env
from autograder.examples import fill
from conftest import CORPUS, ROOT, cli

SUBMISSIONS = {  # student id -> corpus file (None: the blank release)
    "right": "right_solution.py",
    "onewrong": "wrong_slide_typo_W1_11.py",
    "sgdbroken": "sgd_gradient_ascent.py",
    "noplot": "plot_none.py",
    "endless": "hostile_endless_plot.py",
    "blank": None,
    "patchnumpy": "hostile_patch_numpy.py",
    "fakejson": "hostile_fake_json.py",
    "kernelkill": "hostile_os_exit_train_cell.py",  # os._exit kills the kernel: only this notebook stops
    "warnings": "right_solution.py",  # + a RuntimeWarning on stderr in every call of gradients (below)
}
WARNING_LINE = "    np.float64(1.0) / 0.0  # RuntimeWarning: divide by zero, on stderr\n"


def nbgrader(course, *args, timeout=900):
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"], cwd=course, env=tool_env(),
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A graded course: every step of the nbgrader cycle has run on it."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source" / "xor_sgd", course / "source" / "xor_sgd")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    nbgrader(course, "generate_assignment", "xor_sgd", "--force")
    roster = course / "roster.csv"
    roster.write_text("id,first_name,last_name,email\n" +
                      "".join(f"{s},{s},Alumno,{s}@fi.uba.ar\n" for s in SUBMISSIONS))
    nbgrader(course, "db", "student", "import", str(roster))
    for student, name in SUBMISSIONS.items():
        target = course / "submitted" / student / "xor_sgd" / "xor_sgd.ipynb"
        target.parent.mkdir(parents=True)
        if name is None:
            shutil.copy(course / "release" / "xor_sgd" / "xor_sgd.ipynb", target)
        else:
            notebook = fill(CORPUS / name)
            if student == "warnings":
                cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gradients")
                cell.source = cell.source.replace("    x1, x2 = x[0], x[1]\n", "    x1, x2 = x[0], x[1]\n" + WARNING_LINE)
                assert WARNING_LINE in cell.source
            nbformat.write(notebook, str(target))
    started = time.monotonic()
    nbgrader(course, "autograde", "xor_sgd")
    course.joinpath("autograde_seconds").write_text(str(time.monotonic() - started))
    nbgrader(course, "generate_feedback", "xor_sgd")
    nbgrader(course, "export")
    return course


def exported(course):
    return {row["student_id"]: row for row in csv.DictReader((course / "grades.csv").open())}


def test_gradebook_scores_equal_the_cli_on_every_submission(course):
    rows = exported(course)
    assert set(rows) == set(SUBMISSIONS)
    done = cli("grade", "--json", "--jobs", "2", course / "submitted")
    reports = {Path(r["path"]).parts[-3]: r for r in json.loads(done.stdout)}
    for student in SUBMISSIONS:
        assert float(rows[student]["score"]) == reports[student]["score"], student
        assert float(rows[student]["max_score"]) == reports[student]["max_score"] == 18.0


def test_expected_totals(course):
    scores = {s: float(r["score"]) for s, r in exported(course).items()}
    assert scores["right"] == scores["warnings"] == 18
    assert scores["onewrong"] == 17  # nine derivatives, nine independent points
    assert scores["blank"] == scores["patchnumpy"] == 0
    assert scores["sgdbroken"] < 18 and scores["noplot"] == 15 and scores["endless"] == 15
    assert scores["fakejson"] < 18
    assert scores["kernelkill"] == 9  # the nine derivatives: the train cell killed the kernel


def test_endless_kernel_costs_bounded_time(course):
    # One submission's kernel ignores interrupts: it costs its cell timeout, and the others are graded.
    assert float(course.joinpath("autograde_seconds").read_text()) < 400


def test_feedback_shows_messages_and_plot_but_no_hidden_tests(course):
    html = (course / "feedback" / "onewrong" / "xor_sgd" / "xor_sgd.html").read_text()
    assert "gradient:W1_11" in html and "error de la diapositiva" in html
    assert "data:image/png;base64" in html
    for hidden in ("BEGIN HIDDEN TESTS", "reemplaza la salida de esta celda"):
        assert hidden not in html
    blank = (course / "feedback" / "blank" / "xor_sgd" / "xor_sgd.html").read_text()
    assert "sin completar" in blank


def test_a_warning_on_stderr_does_not_zero_a_test_cell(course):
    # gradients is first called by the self-check in the test cell: its RuntimeWarning goes to that
    # cell's stderr, which alone would make nbgrader give the cell 0.
    notebook = json.loads((course / "autograded" / "warnings" / "xor_sgd" / "xor_sgd.ipynb").read_text())
    gradients = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "gradients")
    assert WARNING_LINE in "".join(gradients["source"])
    assert float(exported(course)["warnings"]["score"]) == 18


def test_test_cells_report_partial_credit_as_plain_floats(course):
    notebook = json.loads((course / "autograded" / "onewrong" / "xor_sgd" / "xor_sgd.ipynb").read_text())
    cell = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "test_gradients")
    results = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
    assert "".join(results[0]["data"]["text/plain"]) == "8.0"
    assert not any(o.get("name") == "stderr" or o["output_type"] == "error" for o in cell["outputs"])
