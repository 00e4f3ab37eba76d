"""reports/moodle.py: a CSV Moodle imports, checked against Moodle's importer rules (tests/moodle_importer.py),
and the CLI's `grade --moodle` for a class of five, whose grades must be the CLI's own."""
import json
import shutil

import nbformat

from autograder.reports import moodle
from conftest import ROOT, cli, student_notebook
from moodle_importer import moodle_rules

TITLE = "XOR con una red 2-2-1 y SGD"
FEEDBACK = f"Retroalimentación: {TITLE}"


def test_numbers_are_what_moodle_parses():
    assert moodle.number(17.0, 18) == "17" and moodle.number(12.5, 18) == "12.5"
    assert moodle.number(1 / 3, 18) == "0.33333" and moodle.number(None, 18) == "-"
    assert moodle.number(-0.0, 18) == "0" and moodle.number(19, 18) == "18"


def test_no_cell_starts_like_a_formula_or_spans_lines():
    assert moodle.one_line("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert moodle.one_line("a\nb\r\tc\x1b[2J") == "a b c [2J"
    assert "\\" not in moodle.one_line('fin\\"')


def test_a_hostile_roster_and_feedback_still_import():
    grades = {"ana": moodle.Grade(18.0, 18, moodle.summary(18.0, 18, [("derivadas", 9, 9)])),
              "-bob": moodle.Grade(None, 18, "=cmd|' /C calc'!A0\n\\\"")}
    roster = {"ana": {"email": "ana@fi.uba.ar"}, "-bob": {"email": "bob@fi.uba.ar"}, "carla": {"email": "c@fi.uba.ar"}}
    rows = moodle_rules(moodle.table([(TITLE, grades)], roster), {TITLE: 18})
    assert [r["email"] for r in rows] == ["ana@fi.uba.ar", "bob@fi.uba.ar", "c@fi.uba.ar"]
    assert [r[TITLE] for r in rows] == ["18", "-", "-"]
    assert rows[2][FEEDBACK] == "Sin entrega."


def test_without_every_email_the_identifier_is_the_username_only():
    grades = {"ana": moodle.Grade(3.0, 18, "3/18 puntos.")}
    rows = moodle_rules(moodle.table([(TITLE, grades)], {"ana": {"email": ""}}), {TITLE: 18})
    assert list(rows[0]) == ["usuario", TITLE, FEEDBACK]


def test_a_class_of_five_gets_the_clis_scores(tmp_path):
    """Five students in nbgrader's layout and a roster of six: one row each, the sixth without a grade."""
    answers = {"ana": "right_solution.py", "bruno": "wrong_sign_W2_12.py", "carla": "sgd_gradient_ascent.py",
               "dario": "plot_none.py", "eva": None}
    for student, name in answers.items():
        target = tmp_path / "submitted" / student / "xor_sgd" / "xor_sgd.ipynb"
        target.parent.mkdir(parents=True)
        if name:
            nbformat.write(student_notebook(name), str(target))
        else:
            shutil.copy(ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb", target)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\n" + "".join(
        f"{s},{s.title()},Alumno,{s}@fi.uba.ar\n" for s in [*answers, "fede"]), encoding="utf-8")
    done = cli("grade", tmp_path / "submitted", "--json", "--jobs", "2", "--moodle", tmp_path / "moodle.csv",
               "--roster", roster)
    assert done.returncode == 0, done.stderr[-2000:]
    scores = {result["id"]: result["score"] for result in json.loads(done.stdout)}
    rows = moodle_rules((tmp_path / "moodle.csv").read_text(encoding="utf-8-sig"), {TITLE: 18})
    assert [r["usuario"] for r in rows] == [*answers, "fede"]
    for row in rows[:5]:
        assert float(row[TITLE]) == scores[row["usuario"]] and row["email"] == f"{row['usuario']}@fi.uba.ar"
        assert row[FEEDBACK].startswith(f"{scores[row['usuario']]:g}/18 puntos: derivadas ")
    assert rows[5][TITLE] == "-" and rows[5][FEEDBACK] == "Sin entrega."
    assert [float(rows[i][TITLE]) for i in (0, 1, 4)] == [18, 17, 0]


def test_a_bad_roster_stops_before_grading(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("nombre,correo\nana,a@x\n", encoding="utf-8")
    done = cli("grade", ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb", "--moodle", tmp_path / "m.csv",
               "--roster", roster)
    assert done.returncode == 2 and "roster" in done.stderr and not (tmp_path / "m.csv").exists()
