"""sandbox.runner: time limits, re-runs and forged messages; a hostile submission never costs another student's grade."""
import json
import shutil
import time

import pytest

from autograder.grading import MAX_SCORE, grade, grade_many
from autograder.sandbox import Limits
from autograder.submission import Cell, Submission, load
from conftest import ROOT, cli, corpus_file

RIGHT = corpus_file("right_solution.py")
IGNORES_ALARMS = "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n"


def replace_cell(path, grade_id, source):
    """A submission equal to path but with the cell grade_id replaced by source."""
    submission = load(str(path))
    cells = tuple(Cell(source if c.grade_id == grade_id else c.source, c.grade_id) for c in submission.cells)
    return Submission(f"{path}:{grade_id}", cells)


def with_cells(path, extra):
    """A submission equal to path plus extra cells (source, grade_id) at the end."""
    submission = load(str(path))
    return Submission(f"{path}:extra", submission.cells + tuple(Cell(source, "") for source in extra))


def scores(result):
    return {check.name: check.score for check in result.checks}


def timed_grade(submission, limits):
    started = time.monotonic()
    result = dict(grade_many([submission], 1, True, limits))[0]
    return result, time.monotonic() - started


def test_a_hostile_neighbour_does_not_change_anyone_elses_grade():
    alone = scores(grade(str(RIGHT)))
    hostile = [replace_cell(RIGHT, "train", "import os\nos.killpg(0, 9)\n"),
               replace_cell(RIGHT, "gradients", "import sys\nsys.stdout.write('x' * 10**8)\n"),
               replace_cell(RIGHT, "plot_mse", "import os\nfor fd in range(3, 50):\n"
                                               "    try: os.write(fd, b'{\"kind\": \"done\"}\\n')\n"
                                               "    except OSError: pass\n")]
    results = dict(grade_many([str(RIGHT), *hostile, str(RIGHT)], jobs=2))
    assert scores(results[0]) == alone == scores(results[4])
    assert sum(alone.values()) == MAX_SCORE


FORGED = [{"kind": "start", "stage": [1]}, {"kind": "cell", "stage": {"a": 1}}, {"kind": "train", "runs": "x"},
          {"kind": "gradients", "results": [{"values": "x"}] * 16}, {"kind": "plot", "figures": 7, "history": "h"},
          {"kind": "probe_error", "error": {"x": 1}}, {"kind": "cell", "stage": 0, "error": "x", "outputs": 5},
          {"kind": "train", "runs": [{"lr": "a", "log": "!!", "calls": "x", "params": [1, 2]}]}]


@pytest.mark.parametrize("message", FORGED, ids=[f"forged{i}" for i in range(len(FORGED))])
def test_forged_messages_fail_their_own_checks_and_never_the_grader(message):
    line = json.dumps(message).replace("'", "\\'")
    forger = replace_cell(RIGHT, "plot_mse", f"import os\nos.write(3, b'{line}\\n')\n" + load(str(RIGHT)).cell_source("plot_mse"))
    results = dict(grade_many([forger, str(RIGHT)], jobs=2))
    assert len(results[0].checks) == 13 and all(check.feedback for check in results[0].checks)
    assert results[1].score == MAX_SCORE


def test_an_endless_loop_that_ignores_its_alarm_costs_one_timeout():
    limits = Limits(cell=2.0, probe=5.0, hang=2.0, after_hang=1.0, grace=1.0)
    result, elapsed = timed_grade(replace_cell(RIGHT, "given_predictions", IGNORES_ALARMS), limits)
    assert result.score == MAX_SCORE  # the hung cell came after everything graded
    assert elapsed < 2.0 + 1.0 + 10  # one stage timeout, plus one re-run of the notebook


def test_a_train_that_hangs_when_called_costs_its_limit_once():
    # The train cell is fine; calling train hangs: the train probe waits out its limit, and the plot cell
    # (which calls train too) gets only what is left of the hang budget, not a limit of its own.
    hang = "def train(X, y, lr, n_epochs, seed=0):\n    while True:\n        pass\n"
    limits = Limits(cell=6.0, probe=6.0, hang=6.0, after_hang=1.0, grace=1.0)
    result, elapsed = timed_grade(replace_cell(RIGHT, "train", hang), limits)
    assert elapsed < 6.0 + 1.0 + 1.0 + 6  # the budget once, one short stage, start-up
    assert scores(result)["gradient:W1_11"] == 1 and scores(result)["sgd:updates"] == 0


def test_many_hanging_cells_cost_the_budget_once_and_keep_the_other_points():
    limits = Limits(cell=3.0, probe=5.0, hang=3.0, after_hang=0.5, grace=1.0, total=60.0)
    result, elapsed = timed_grade(with_cells(RIGHT, [IGNORES_ALARMS] * 6), limits)
    assert result.score == MAX_SCORE
    assert elapsed < 3.0 + 1.0 + 6 * (0.5 + 2.0)  # the budget and grace once; then each hang costs little
    assert sorted(result.observation["failures"].values()) == ["timeout"] * 6


def test_a_submission_never_takes_more_than_its_total():
    limits = Limits(cell=3.0, probe=3.0, hang=3.0, after_hang=2.0, grace=1.0, total=8.0)
    result, elapsed = timed_grade(with_cells(RIGHT, [IGNORES_ALARMS] * 10), limits)
    assert elapsed < 8.0 + 3
    assert result.score == MAX_SCORE  # the graded cells all come before the hung ones


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
    assert report["score"] == MAX_SCORE - 1


def test_patching_the_grader_inside_the_notebook_earns_nothing():
    patch = ("import autograder.gradient_checks as g, autograder.sgd_checks as s, numpy as np\n"
             "g.THRESHOLD = 1e300\nnp.allclose = lambda *a, **k: True\n")
    submission = replace_cell(ROOT / "release" / "xor_sgd" / "xor_sgd.py", "given_data",
                              load(str(ROOT / "release" / "xor_sgd" / "xor_sgd.py")).cell_source("given_data") + patch)
    assert grade(submission).score == 0


def test_the_grader_modules_cannot_be_imported_inside_the_sandbox():
    # The grader's exact reference must not be a function a student's gradients can call.
    probe = ("try:\n    import autograder.network\n    print('IMPORTED')\nexcept Exception as error:\n"
             "    print(type(error).__name__)\n")
    result = grade(with_cells(RIGHT, [probe]), outputs=True)
    last = max(result.observation["cells"])
    text = "".join(item.get("text", "") for item in result.observation["cells"][last]["outputs"])
    assert "IMPORTED" not in text and "Error" in text
