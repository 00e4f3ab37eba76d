"""engine/grading.py through the real command line, on a tiny fake assignment defined beside these tests
(fake_assignments/doubler, registered with AUTOGRADER_ASSIGNMENTS_PATH): the engine is tested without XOR."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

from conftest import ROOT

FAKES = Path(__file__).resolve().parent / "fake_assignments"
RIGHT = "def double(x):\n    return 2 * x\n"


def run(*args, fakes=True):
    """`python -m autograder ...` in a subprocess, with the fake assignments registered (or, fakes=False, not)."""
    env = {key: value for key, value in os.environ.items() if key != "AUTOGRADER_ASSIGNMENTS_PATH"}
    env.update(PYTHONPATH=str(ROOT), **({"AUTOGRADER_ASSIGNMENTS_PATH": str(FAKES)} if fakes else {}))
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def notebook(folder, source, name="entrega"):
    """A notebook as a release has it: the answer cell `double` and its test cell, with nbgrader's metadata."""
    def cell(text, grade_id, **nbgrader):
        return nbformat.v4.new_code_cell(text, metadata={"nbgrader": {"grade_id": grade_id, "schema_version": 3,
                                                                      "cell_type": "code", **nbgrader}})

    book = nbformat.v4.new_notebook(metadata={"autograder": {"assignment": "doubler"}})
    book.cells = [nbformat.v4.new_markdown_cell("Escribí `double(x)`, que devuelve 2·x."),
                  cell(source, "double", solution=True, grade=False, locked=False),
                  cell("assert double(3) == 6\n", "test_double", solution=False, grade=True, points=2, locked=True)]
    path = Path(folder) / f"{name}.ipynb"
    nbformat.write(book, path)
    return path


def graded(path):
    """The JSON report of one notebook graded as doubler (the command must succeed)."""
    done = run("grade", "--json", "--assignment", "doubler", path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_right_double_gets_both_points(tmp_path):
    report = graded(notebook(tmp_path, RIGHT))
    assert report["assignment"] == "doubler" and not report["manipulated"]
    assert (report["score"], report["max_score"]) == (2.0, 2.0)
    assert [(c["name"], c["score"], c["diagnosis"]) for c in report["checks"]] == [("double:values", 2.0, None)]


def test_x_plus_2_gets_zero_with_its_diagnosis(tmp_path):
    report = graded(notebook(tmp_path, "def double(x):\n    return x + 2\n"))
    (check,) = report["checks"]
    assert report["score"] == 0 and check["diagnosis"] == "adds_instead"
    assert "suma 2 en lugar de multiplicar por 2" in check["feedback"]


def test_a_value_that_only_claims_to_be_right_is_judged_by_its_number(tmp_path):
    """The child sends numbers and the grader compares them: an answer whose == always says yes earns nothing."""
    liar = "class Yes(float):\n    def __eq__(self, other):\n        return True\n\ndef double(x):\n    return Yes(0)\n"
    (check,) = graded(notebook(tmp_path, liar))["checks"]
    assert check["score"] == 0 and check["diagnosis"] == "wrong_values" and "dio 0.0" in check["feedback"]


def test_a_cell_that_raises_gets_zero_with_the_reason(tmp_path):
    report = graded(notebook(tmp_path, "1 / 0\n" + RIGHT))
    (check,) = report["checks"]
    assert report["score"] == 0 and not report["manipulated"]
    assert "la celda 'double' falló: ZeroDivisionError: division by zero" in check["feedback"]


def test_an_unsolicited_message_on_the_channel_marks_the_notebook_manipulated(tmp_path):
    """A right double, but its cell writes on the child's channel (fd 3) a line nobody asked for."""
    forger = "import os\nos.write(3, b'{\"kind\": \"done\"}\\n')\n" + RIGHT
    report = graded(notebook(tmp_path, forger))
    assert report["manipulated"] and report["violations"] and report["score"] == 0
    assert [c["diagnosis"] for c in report["checks"]] == ["manipulated"]


def test_a_batch_csv_names_the_assignment_of_each_row(tmp_path):
    paths = [notebook(tmp_path, RIGHT, "ana"), notebook(tmp_path, "def double(x):\n    return x + 2\n", "beto")]
    done = run("grade", "--csv", tmp_path / "notas.csv", "--assignment", "doubler", "--jobs", "2", *paths)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "notas.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["assignment"], row["score"], row["double:values"]) for row in rows] == [("doubler", "2", "2"),
                                                                                         ("doubler", "0", "0")]


def test_without_the_variable_doubler_is_refused_in_one_clear_line(tmp_path):
    """Asked for by name, the command refuses before grading; named by the notebook, that file gets an error."""
    path = notebook(tmp_path, RIGHT)
    done = run("grade", "--json", "--assignment", "doubler", path, fakes=False)
    assert done.returncode == 2 and done.stdout == ""
    assert "asignación desconocida 'doubler'" in done.stderr and "AUTOGRADER_ASSIGNMENTS_PATH" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = run("grade", "--json", path, fakes=False)
    assert done.returncode == 2 and "asignación desconocida «doubler»" in done.stderr
    assert json.loads(done.stdout)["error"]
