"""The command line: grade (table, JSON, CSV, batches), check, exit statuses, determinism."""
import csv
import json
import shutil

from autograder import assignments

CHECK_POINTS = assignments.get("xor_sgd").points
MAX_SCORE = assignments.get("xor_sgd").max_score
from conftest import ROOT, cli, corpus_file

SOLUTION = ROOT / "solutions" / "xor_sgd.ipynb"
BLANK = ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb"


def grade_json(path, *extra):
    done = cli("grade", "--json", path, *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_solution_gets_full_marks_and_blank_release_zero():
    solution, blank = grade_json(SOLUTION), grade_json(BLANK)
    assert solution["score"] == solution["max_score"] == MAX_SCORE == 18
    assert blank["score"] == 0 and blank["max_score"] == 18
    assert [c["name"] for c in solution["checks"]] == list(CHECK_POINTS)
    for report in (solution, blank):
        assert set(report) == {"assignment", "score", "max_score", "checks", "manipulated", "violations", "review",
                               "restored"}
        assert report["assignment"] == "xor_sgd" and not report["manipulated"] and report["review"] == []
        for check in report["checks"]:
            assert set(check) == {"name", "score", "max_score", "feedback", "diagnosis"}
            assert isinstance(check["score"], float) and isinstance(check["feedback"], str)


def test_json_stdout_is_only_the_object_even_when_the_submission_prints():
    done = cli("grade", "--json", corpus_file("hostile_fake_json.py"))
    report = json.loads(done.stdout)  # raises if anything else reached stdout
    assert report["score"] < MAX_SCORE


def test_table_is_in_spanish_with_a_row_per_check():
    done = cli("grade", corpus_file("wrong_slide_typo_W1_11.py"))
    assert done.returncode == 0
    for name in CHECK_POINTS:
        assert name in done.stdout
    assert "Total: 17/18 puntos" in done.stdout
    assert "error de la diapositiva" in done.stdout


def test_unreadable_paths_get_one_line_and_status_2(tmp_path):
    broken = tmp_path / "roto.ipynb"
    broken.write_text("{ not json")
    for path in (broken, tmp_path / "missing.ipynb", tmp_path / "notes.txt"):
        if path.name == "notes.txt":
            path.write_text("hola")
        done = cli("grade", path)
        assert done.returncode == 2
        assert len(done.stderr.strip().splitlines()) == 1 and str(path.name) in done.stderr
        assert done.stdout == ""


def test_batch_csv_has_a_row_per_submission_including_broken_ones(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("right_solution.py", "wrong_slide_typo_W1_11.py", "hostile_sys_exit_gradients.py"):
        shutil.copy(corpus_file(name), batch / name.replace(".py", ".ipynb"))
    (batch / "roto.ipynb").write_text("[]]")
    done = cli("grade", batch, "--csv", tmp_path / "grades.csv", "--jobs", "2")
    assert done.returncode == 2  # one unreadable file, the rest graded
    rows = list(csv.DictReader((tmp_path / "grades.csv").open()))
    assert [row["path"].rsplit("/", 1)[-1] for row in rows] == sorted(p.name for p in batch.iterdir())
    by_name = {row["path"].rsplit("/", 1)[-1]: row for row in rows}
    assert by_name["right_solution.ipynb"]["score"] == "18"
    assert by_name["wrong_slide_typo_W1_11.ipynb"]["gradient:W1_11"] == "0"
    assert by_name["roto.ipynb"]["score"] == "0" and by_name["roto.ipynb"]["error"]


def test_grading_is_deterministic():
    first = grade_json(corpus_file("right_shuffle_permutation.py"))
    second = grade_json(corpus_file("right_shuffle_permutation.py"))
    assert first == second


def test_check_uses_visible_points_only_and_is_friendly():
    done = cli("check", corpus_file("wrong_slide_typo_W1_11.py"))
    assert done.returncode == 0
    assert "gradient:W1_11" in done.stdout and "puntos aleatorios ocultos" in done.stdout
    assert "params al azar" not in done.stdout or "init_params" in done.stdout


def test_a_paired_script_beside_its_notebook_is_graded_once(tmp_path):
    shutil.copytree(ROOT / "release" / "xor_sgd", tmp_path / "alumno")
    done = cli("grade", "--json", tmp_path)
    assert isinstance(json.loads(done.stdout), dict)  # one submission: the .ipynb, not also its .py


def test_a_batch_that_mixes_assignments_grades_each_file_as_its_own(tmp_path):
    """Each notebook is graded as the assignment its metadata names: solutions and releases of every
    assignment in one batch, one CSV."""
    paths = [ROOT / "solutions" / f"{name}.ipynb" for name in assignments.NAMES]
    paths += [ROOT / "release" / name / f"{name}.ipynb" for name in assignments.NAMES]
    cli("grade", *paths, "--csv", tmp_path / "grades.csv", "--jobs", "2")
    rows = {row["path"]: row for row in csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8"))}
    for path in paths:
        row = rows[str(path)]
        name = path.stem
        spec = assignments.get(name)
        assert row["assignment"] == name and float(row["max_score"]) == spec.max_score
        assert float(row["score"]) == (spec.max_score if "solutions" in path.parts else 0.0), row
        for check in spec.checks:  # its own checks are filled in, another assignment's are left empty
            assert row[check.name] != ""
        others = [c.name for other in assignments.every() if other.name != name for c in other.checks]
        assert all(row[column] == "" for column in others)
