"""frontends/nbgrader.py: the whole course cycle with the real nbgrader CLI and a real sqlite gradebook.

On a temporary copy of the course: generate_assignment, db student import, autograde, generate_feedback,
export. The exported scores must equal `python -m autograder grade` for every submission; the notebooks
run in the kit's sandbox only (a Jupyter kernel that leaves a canary file when started never starts).
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
from autograder.build.examples import fill
from conftest import CORPUS, ROOT, PageVisit, cli

SUBMISSIONS = {  # student id -> corpus file (None: the blank release)
    "right": "right_solution.py",
    "onewrong": "wrong_slide_typo_W1_11.py",
    "sgdbroken": "sgd_gradient_ascent.py",
    "noplot": "plot_none.py",
    "endless": "hostile_endless_plot.py",
    "blank": None,
    "patchnumpy": "hostile_patch_numpy.py",
    "fakejson": "hostile_fake_json.py",
    "kernelkill": "hostile_os_exit_train_cell.py",  # os._exit ends the run: only this notebook's cells after it
    "warnings": "right_solution.py",  # + a RuntimeWarning on stderr in every call of gradients (below)
    "editedlocked": "right_solution.py",  # + an edit to a locked cell, which nbgrader must still report
}
WARNING_LINE = "    np.float64(1.0) / 0.0  # RuntimeWarning: divide by zero, on stderr\n"


def nbgrader(course, *args, timeout=900, log_level="WARN"):
    env = dict(tool_env(), JUPYTER_PATH=str(course / "jupyter"))  # where the canary kernel is
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--log-level={log_level}"], cwd=course, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (course / f"{args[0]}.log").write_text(done.stderr)
    return done


def canary_kernel(course):
    """A kernelspec named python3 that only leaves a file behind: if anything starts a kernel, we know."""
    spec = course / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", f"open({str(course / 'KERNEL_STARTED')!r}, 'w')"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "canary", "language": "python"}))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A graded course: every step of the nbgrader cycle has run on it."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source" / "xor_sgd", course / "source" / "xor_sgd")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    canary_kernel(course)
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
            if student == "editedlocked":
                cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "given_network")
                cell.source += "\nprint('edited')\n"
            nbformat.write(notebook, str(target))
    started = time.monotonic()
    nbgrader(course, "autograde", "xor_sgd", log_level="INFO")  # INFO: which student each warning is about
    course.joinpath("autograde_seconds").write_text(str(time.monotonic() - started))
    nbgrader(course, "generate_feedback", "xor_sgd")
    nbgrader(course, "export", "--exporter=nbgrader.plugins.CsvExportPlugin")  # nbgrader's own grades.csv
    nbgrader(course, "export")  # the course's exporter: moodle.csv
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
    assert scores["right"] == scores["warnings"] == scores["editedlocked"] == 18
    assert scores["onewrong"] == 17  # nine derivatives, nine independent points
    assert scores["blank"] == scores["patchnumpy"] == 0
    assert scores["sgdbroken"] < 18 and scores["noplot"] == 15 and scores["endless"] == 15
    assert scores["fakejson"] < 18
    assert scores["kernelkill"] == 9  # the nine derivatives: the train cell killed the kernel


def test_no_kernel_runs_student_code(course):
    # The sandbox is the only place student code runs; the canary kernel proves nbgrader started none.
    assert not (course / "KERNEL_STARTED").exists()
    start_a_kernel = ("import nbclient, nbformat\n"
                      "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
                      "nbclient.NotebookClient(nb, kernel_name='python3', startup_timeout=20).execute()\n")
    env = dict(tool_env(), JUPYTER_PATH=str(course / "jupyter"))
    subprocess.run([sys.executable, "-c", start_a_kernel], env=env, capture_output=True, timeout=120)
    assert (course / "KERNEL_STARTED").exists()  # the canary works: starting that kernel leaves the file
    (course / "KERNEL_STARTED").unlink()


def test_the_sandbox_run_supplies_each_cells_outputs(course):
    notebook = nbformat.read(course / "autograded" / "right" / "xor_sgd" / "xor_sgd.ipynb", as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in notebook.cells if c.cell_type == "code"}
    linear = "".join(o.get("text", "") for o in cells["given_linear_model"].outputs)
    assert "MSE del mejor modelo lineal = 0.250" in linear
    (plot,) = [o for o in cells["plot_mse"].outputs if o.output_type == "display_data"]
    assert plot.data["image/png"] and plot.metadata["image/png"]["alt"].startswith("Figura")
    killed = nbformat.read(course / "autograded" / "kernelkill" / "xor_sgd" / "xor_sgd.ipynb", as_version=4)
    assert any(o.output_type == "stream" for c in killed.cells if c.cell_type == "code" for o in c.outputs)


def warnings_by_student(log):
    """nbgrader's warnings, grouped by the student whose notebook was being sanitized."""
    found, student = {}, None
    for line in log.splitlines():
        if "Sanitizing" in line and "/submitted/" in line:
            student = line.split("/submitted/")[1].split("/")[0]
        elif "WARNING" in line:
            found.setdefault(student, []).append(line)
    return found


def test_an_endless_notebook_costs_bounded_time(course):
    # One notebook ignores interrupts: it costs its cell limit once, and the others are graded.
    assert float(course.joinpath("autograde_seconds").read_text()) < 150


def test_untouched_test_cells_raise_no_warning_but_edits_still_do(course):
    found = warnings_by_student((course / "autograde.log").read_text())
    assert set(found) == {"editedlocked", "fakejson"}, found  # the two who edited locked cells, and only them
    assert all("given_network" in line for line in found["editedlocked"])
    assert all("checksum" in line for line in found["fakejson"])  # it edited every locked cell, test cells too
    assert any("test_gradients" in line for line in found["fakejson"])
    assert "WARNING" not in (course / "generate_feedback.log").read_text()


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


def test_the_feedback_page_in_a_browser(course, browser):
    # What the student opens: in Spanish, self-contained, every feedback line readable at 1280 px.
    visit = PageVisit(browser, (course / "feedback" / "onewrong" / "xor_sgd" / "xor_sgd.html").as_uri())
    assert visit.requests == [] and visit.errors == []
    images = visit.images()
    assert len(images) >= 2 and all(width > 100 and alt for alt, width in images)  # their plot and the curves
    assert visit.overflow() <= 0
    hidden = visit.page.evaluate("[...document.querySelectorAll('.output_area pre')]"
                                 ".filter(p => p.scrollWidth > p.clientWidth + 1).length")
    assert hidden == 0  # no output line is cut off behind a horizontal scroll
    text = visit.page.inner_text("body")
    assert "Celda de prueba" in text and "Student's answer" not in text and "Grade cell" not in text
    assert "error de la diapositiva" in text and "derivadas del autograder" in text
    assert visit.page.evaluate("document.querySelectorAll('math').length") > 20 and "$$" not in text


def test_the_class_is_graded_once_as_nbgrader_sanitizes_it(course):
    # SandboxedGrading grades the class at its first notebook, predicting nbgrader's sanitizing: for every
    # student the prediction is exactly the code nbgrader stored, so no notebook is graded twice.
    from autograder.engine.submission import load, release_cells, restore_locked
    from autograder.frontends.nbgrader import answer_cells

    locked = release_cells(load(str(course / "release" / "xor_sgd" / "xor_sgd.ipynb")))
    for student in SUBMISSIONS:
        stored = load(str(course / "autograded" / student / "xor_sgd" / "xor_sgd.ipynb"))
        predicted, _ = restore_locked(load(str(course / "submitted" / student / "xor_sgd" / "xor_sgd.ipynb")), locked)
        assert answer_cells(predicted) == answer_cells(stored), student


def test_the_moodle_export_is_the_gradebook_in_moodles_terms(course):
    """nbgrader export (the kit's plugin) writes what Moodle imports, with the gradebook's scores and emails."""
    from moodle_importer import moodle_rules

    text = (course / "moodle.csv").read_text(encoding="utf-8-sig")
    rows = moodle_rules(text, grade_columns={"XOR con una red 2-2-1 y SGD": 18.0})
    gradebook = exported(course)
    assert [row["usuario"] for row in rows] == sorted(SUBMISSIONS)  # the gradebook's students, by id
    for row in rows:
        assert row["email"] == f"{row['usuario']}@fi.uba.ar"
        assert float(row["XOR con una red 2-2-1 y SGD"]) == float(gradebook[row["usuario"]]["score"])
    right = next(row for row in rows if row["usuario"] == "onewrong")
    assert right["Retroalimentación: XOR con una red 2-2-1 y SGD"] == "17/18 puntos: derivadas 8/9 · SGD 6/6 · gráfico 3/3."


@pytest.fixture(scope="module")
def every_assignment_course(tmp_path_factory):
    """A course with every assignment: each one's solution and blank release handed in, autograded, exported."""
    from autograder import assignments

    course = tmp_path_factory.mktemp("every_assignment")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    canary_kernel(course)
    roster = course / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nsol,Sol,Alumna,sol@fi.uba.ar\nblank,Blanca,Alumna,blank@fi.uba.ar\n")
    nbgrader(course, "db", "student", "import", str(roster))
    for name in assignments.NAMES:
        shutil.copytree(ROOT / "source" / name, course / "source" / name)
        nbgrader(course, "generate_assignment", name, "--force")
        for student, notebook in (("sol", ROOT / "solutions" / f"{name}.ipynb"),
                                  ("blank", course / "release" / name / f"{name}.ipynb")):
            target = course / "submitted" / student / name / f"{name}.ipynb"
            target.parent.mkdir(parents=True)
            shutil.copy(notebook, target)
        nbgrader(course, "autograde", name)
    nbgrader(course, "export", "--exporter=nbgrader.plugins.CsvExportPlugin")
    nbgrader(course, "export")
    return course


def test_every_assignment_gets_full_marks_for_its_solution_and_zero_for_its_release(every_assignment_course):
    from autograder import assignments

    rows = list(csv.DictReader((every_assignment_course / "grades.csv").open()))
    scores = {(row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"])) for row in rows}
    for spec in assignments.every():
        assert scores[(spec.name, "sol")] == (spec.max_score, spec.max_score), spec.name
        assert scores[(spec.name, "blank")] == (0.0, spec.max_score), spec.name


def test_the_moodle_export_has_one_grade_column_per_assignment(every_assignment_course):
    from autograder import assignments
    from moodle_importer import moodle_rules

    text = (every_assignment_course / "moodle.csv").read_text(encoding="utf-8-sig")
    specs = assignments.every()
    rows = moodle_rules(text, grade_columns={spec.title: spec.max_score for spec in specs})
    by_student = {row["usuario"]: row for row in rows}
    for spec in specs:
        assert float(by_student["sol"][spec.title]) == spec.max_score
        assert float(by_student["blank"][spec.title]) == 0.0
