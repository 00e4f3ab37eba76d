"""reports/cohort.py: the class report of one grading run. Its figures are checked against the CSV of the same run,
and its pages are opened in a real browser (headless Chromium): images decode, nothing reaches the network,
no console errors, no horizontal scroll at 1280 px, and the numbers on the page are cohort.json's."""
import csv
import json
import re
from pathlib import Path

import nbformat
import pytest

from autograder import assignments
from autograder.build.examples import fill
from autograder.reports.ids import page_name, student_id
from conftest import CORPUS, ROOT, PageVisit, cli

CHECK_POINTS = assignments.get("xor_sgd").points

CLASS = {  # student -> corpus answers (None: the blank release)
    "ana": "right_solution.py", "beto": "right_solution.py", "carla": "wrong_slide_typo_W1_11.py",
    "dario": "wrong_slide_typo_W1_11.py", "eva": "fd_central_1e5.py", "fede": "sgd_gradient_ascent.py",
    "gabi": "plot_none.py", "hugo": None, "hugo2": None, "juan": "wrong_sign_W2_12.py",
    "lia": "sgd_history_sum.py",
}
KEYS = {"assignment", "title", "submissions", "graded", "ungradable", "max_score", "scores", "checks", "mistakes",
        "identical", "mean", "median", "diagnoses", "manipulated", "modified", "review", "internal_errors"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One grading run of a small class in nbgrader's layout: --json, --csv and --report together."""
    course = tmp_path_factory.mktemp("course")
    for student, answers in CLASS.items():
        target = course / "submitted" / student / "xor_sgd" / "xor_sgd.ipynb"
        target.parent.mkdir(parents=True)
        notebook = nbformat.read(ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb", as_version=4) if answers is None \
            else fill(CORPUS / answers)
        if student == "beto":  # the same code as ana's, with other comments and formatting
            cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "train")
            cell.source = "# mi versión\n" + cell.source.replace("    mse_history = []", "    mse_history = [ ]  # vacía")
        nbformat.write(notebook, str(target))
    broken = course / "submitted" / "ines" / "xor_sgd" / "xor_sgd.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text("{ esto no es un notebook")
    report = course / "informe"
    done = cli("grade", course / "submitted", "--json", "--csv", course / "grades.csv", "--report", report,
               "--jobs", "2")
    assert done.returncode == 2, done.stderr  # one unreadable notebook, the rest graded
    reports = {student_id(r["path"]): r for r in json.loads(done.stdout)}
    rows = {student_id(r["path"]): r for r in csv.DictReader((course / "grades.csv").open(encoding="utf-8"))}
    figures = json.loads((report / "cohort.json").read_text(encoding="utf-8"))
    return {"report": report, "figures": figures, "rows": rows, "json": reports}


def test_ids_come_from_nbgrader_folders_or_the_file_name():
    assert student_id("/c/submitted/ana/xor_sgd/xor_sgd.ipynb") == "ana"
    assert student_id("/c/autograded/ana/xor_sgd/xor_sgd.ipynb") == "ana"
    assert student_id("/entregas/ana_perez.ipynb") == "ana_perez"
    assert page_name("../../etc passwd").startswith("_.._etc_passwd~") and "/" not in page_name("../../etc passwd")


def test_cohort_json_has_the_documented_figures(run):
    figures = run["figures"]
    assert set(figures) == KEYS
    assert figures["submissions"] == len(CLASS) + 1 and figures["graded"] == len(CLASS)
    assert [item["id"] for item in figures["ungradable"]] == ["ines"] and figures["ungradable"][0]["error"]
    assert figures["max_score"] == 18.0 and set(figures["checks"]) == set(CHECK_POINTS)
    assert figures["assignment"] == "xor_sgd" and not figures["manipulated"] and not figures["internal_errors"]
    for mistake in figures["mistakes"]:
        assert set(mistake) == {"check", "diagnosis", "count", "students"}
        assert mistake["count"] == len(mistake["students"]) and mistake["check"] in CHECK_POINTS


def test_the_figures_are_those_of_the_csv_of_the_same_run(run):
    figures, rows = run["figures"], run["rows"]
    graded = {student: row for student, row in rows.items() if not row["error"]}
    assert figures["scores"] == {student: float(row["score"]) for student, row in graded.items()}
    for name, counts in figures["checks"].items():
        passed = sum(float(row[name]) == CHECK_POINTS[name] for row in graded.values())
        assert counts == {"passed": passed, "failed": len(graded) - passed}, name
    scores = sorted(float(row["score"]) for row in graded.values())
    assert figures["mean"] == round(sum(scores) / len(scores), 2)


def test_mistakes_are_the_diagnoses_of_the_failed_checks_ranked(run):
    expected = {}
    for student, report in run["json"].items():
        for check in report["checks"] if not report.get("error") else []:
            if check["score"] < check["max_score"] and check["diagnosis"]:
                expected.setdefault((check["name"], check["diagnosis"]), []).append(student)
    found = {(m["check"], m["diagnosis"]): m["students"] for m in run["figures"]["mistakes"]}
    assert found == {key: sorted(students) for key, students in expected.items()}
    counts = [m["count"] for m in run["figures"]["mistakes"]]
    assert counts == sorted(counts, reverse=True)
    by_code = {d["diagnosis"]: d for d in run["figures"]["diagnoses"]}
    for code, entry in by_code.items():  # per diagnosis: the distinct students of its per-check entries
        students = {s for (_, c), found in expected.items() if c == code for s in found}
        assert entry["students"] == sorted(students) and entry["count"] == len(students)
    assert by_code["finite_difference"]["count"] == 1 and len(by_code["finite_difference"]["checks"]) == 9
    assert found[("gradient:W1_11", "slide_typo")] == ["carla", "dario"]
    assert found[("gradient:W2_12", "finite_difference")] == ["eva"]
    assert found[("sgd:updates", "gradient_ascent")] == ["fede"]


def test_identical_answers_are_found_through_formatting_but_untouched_releases_are_not(run):
    groups = run["figures"]["identical"]
    assert ["ana", "beto"] in groups and ["carla", "dario"] in groups
    assert not any("hugo" in group for group in groups)  # two blank notebooks are not "identical answers"


def test_the_class_page_in_a_browser(run, browser):
    visit = PageVisit(browser, (run["report"] / "index.html").as_uri())
    figures = run["figures"]
    assert visit.requests == [] and visit.errors == []
    images = visit.images()
    assert len(images) == 3 and all(width > 100 and alt for alt, width in images)
    assert visit.overflow() <= 0
    field = lambda name: visit.texts(f"#resumen [data-field={name}]")[0]  # noqa: E731
    assert int(field("submissions")) == figures["submissions"] and int(field("graded")) == figures["graded"]
    assert float(field("mean")) == figures["mean"] and float(field("median")) == figures["median"]
    for name, counts in figures["checks"].items():
        row = visit.texts(f'#checks tr[data-check="{name}"] td')
        assert (int(row[1]), int(row[2])) == (counts["passed"], counts["failed"]), name
    assert [int(t) for t in visit.texts("#mistakes [data-field=count]")] == [d["count"] for d in figures["diagnoses"]]
    shares = [round(100 * d["count"] / figures["graded"]) for d in figures["diagnoses"]]
    assert [int(t.rstrip("%")) for t in visit.texts("#mistakes [data-field=share]")] == shares
    scores = dict(zip(visit.texts("#students td:first-child"), visit.texts("#students [data-field=score]")))
    assert {s: float(v) for s, v in scores.items() if v != "–"} == figures["scores"] and scores["ines"] == "–"
    for link in visit.page.eval_on_selector_all("#students a", "links => links.map(a => a.href)"):
        assert Path(link.replace("file://", "")).exists(), link


@pytest.mark.parametrize("width", [720, 1024, 1280])
def test_check_names_stay_whole_in_the_mistakes_table(run, browser, width):
    """'plot:mse_curve' must not read as 'plot:mse_curv' / 'e' when the students' column is long."""
    visit = PageVisit(browser, (run["report"] / "index.html").as_uri(), width=width)
    assert visit.words_split_across_lines("#mistakes td.checks") == [] and visit.overflow() <= 0


def test_a_student_page_in_a_browser(run, browser):
    visit = PageVisit(browser, (run["report"] / "students" / page_name("carla")).as_uri())
    assert visit.requests == [] and visit.errors == [] and visit.overflow() <= 0
    (picture,) = visit.images()
    assert picture[1] > 100 and "MSE" in picture[0]
    (row,) = [visit.texts('#derivatives tr[data-check="gradient:W1_11"] td')]
    feedback = next(c["feedback"] for c in run["json"]["carla"]["checks"] if c["name"] == "gradient:W1_11")
    expected, obtained = re.search(r"esperado (\S+), obtenido (\S+)\.", feedback).groups()
    assert float(row[2]) == float(expected) and float(row[3]) == float(obtained)
    assert "slide_typo" in row[4]
    points = visit.texts("#checks [data-field=points]")
    assert len(points) == len(CHECK_POINTS)
