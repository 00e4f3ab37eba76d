"""The sandbox: a broken or hostile submission is contained and never costs another student's grade."""
import json
import shutil
import time

from autograder.grading import grade, grade_many
from autograder.sandbox import Limits
from autograder.submission import Cell, Submission, load
from conftest import ROOT, cli, corpus_file

RIGHT = corpus_file("right_solution.py")


def replace_cell(path, grade_id, source):
    """A submission equal to path but with the cell grade_id replaced by source."""
    submission = load(str(path))
    cells = tuple(Cell(source if c.grade_id == grade_id else c.source, c.grade_id) for c in submission.cells)
    return Submission(f"{path}:{grade_id}", cells)


def scores(result):
    return {check.name: check.score for check in result.checks}


def test_a_hostile_neighbour_does_not_change_anyone_elses_grade():
    alone = scores(grade(str(RIGHT)))
    hostile = [replace_cell(RIGHT, "train", "import os\nos.killpg(0, 9)\n"),
               replace_cell(RIGHT, "gradients", "import sys\nsys.stdout.write('x' * 10**8)\n"),
               replace_cell(RIGHT, "plot_mse", "import os\nfor fd in range(3, 50):\n"
                                               "    try: os.write(fd, b'{\"kind\": \"done\"}\\n')\n"
                                               "    except OSError: pass\n")]
    results = dict(grade_many([str(RIGHT), *hostile, str(RIGHT)], jobs=2))
    assert scores(results[0]) == alone == scores(results[4])
    assert sum(alone.values()) == 18


def test_an_endless_loop_that_swallows_interrupts_costs_one_timeout():
    stubborn = "while True:\n    try:\n        pass\n    except BaseException:\n        pass\n"
    submission = replace_cell(RIGHT, "given_predictions", stubborn)
    limits = Limits(cell=2.0, probe=5.0, grace=1.0)
    started = time.monotonic()
    result = dict(grade_many([submission], 1, True, limits))[0]
    elapsed = time.monotonic() - started
    assert sum(scores(result).values()) == 18  # the hung cell came after everything graded
    assert elapsed < 2.0 + 1.0 + 15  # one stage timeout, plus one re-run of the notebook


def test_a_student_autograder_folder_beside_the_notebook_is_never_imported(tmp_path):
    folder = tmp_path / "alumno"
    folder.mkdir()
    shutil.copy(corpus_file("wrong_slide_typo_W1_11.py"), folder / "xor_sgd.ipynb")
    fake = folder / "autograder"
    fake.mkdir()
    (fake / "__init__.py").write_text("print('FAKE'); raise SystemExit(0)\n")
    (fake / "gradient_checks.py").write_text("THRESHOLD = 1e9\n")
    done = cli("grade", "--json", folder / "xor_sgd.ipynb")
    report = json.loads(done.stdout)
    assert report["score"] == 17


def test_patching_the_grader_inside_the_notebook_earns_nothing():
    patch = ("import autograder.gradient_checks as g, autograder.sgd_checks as s, numpy as np\n"
             "g.THRESHOLD = 1e300\nnp.allclose = lambda *a, **k: True\n")
    submission = replace_cell(ROOT / "release" / "xor_sgd" / "xor_sgd.py", "given_data",
                              load(str(ROOT / "release" / "xor_sgd" / "xor_sgd.py")).cell_source("given_data") + patch)
    assert grade(submission).score == 0
