"""sandbox/runner.py: the protocol, time limits, re-runs and forged messages; a hostile submission never costs
another student's grade."""
import json
import shutil
import time

import pytest

from autograder import assignments
from autograder.engine.grading import grade, grade_many
from autograder.engine.submission import Cell, Submission, load
from autograder.sandbox import Limits
from conftest import ROOT, cli, corpus_file

RIGHT = corpus_file("right_solution.py")
MAX_SCORE = assignments.get("xor_sgd").max_score
SLEEPS = "import time\ntime.sleep(10 ** 6)\n"  # no CPU: only the grader's watch of its effective time ends it
IGNORES_ALARMS = ("import signal\nfor name in ('SIGALRM', 'SIGPROF', 'SIGVTALRM', 'SIGXCPU'):\n"
                  "    signal.signal(getattr(signal, name), signal.SIG_IGN)\nwhile True:\n    pass\n")


def replace_cell(path, grade_id, source):
    """A submission equal to path but with the cell grade_id replaced by source."""
    submission = load(str(path))
    cells = tuple(Cell(source if c.grade_id == grade_id else c.source, c.grade_id, c.locked) for c in submission.cells)
    return Submission(f"{path}:{grade_id}", cells)


def with_cells(path, extra):
    """A submission equal to path plus extra cells (source, grade_id) at the end."""
    submission = load(str(path))
    return Submission(f"{path}:extra", submission.cells + tuple(Cell(source, "") for source in extra))


def scores(result):
    return {check.name: check.score for check in result.checks}


def timed_grade(submission, limits):
    """The result, and the submission's own seconds as the grader counts them (effective time: what a busy
    machine makes the wall clock lose is not the submission's)."""
    result = dict(grade_many([submission], 1, True, limits))[0]
    return result, result.evidence.seconds["total"]


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


FORGED = [b'{"k": "start", "stage": [1]}', b'{"k": "cell", "stage": {"a": 1}}', b'{"k": "ready"}',
          b'{"k": "answer", "q": 1, "data": {"results": []}}', b'{"k": "ended", "q": 3, "how": "exit"}',
          b'{"kind": "done"}', b"S" + bytes(96).hex().encode(), b"[" * 200000, b"\xff\xfe not json", b"{}"]


@pytest.mark.parametrize("line", FORGED, ids=[f"forged{i}" for i in range(len(FORGED))])
def test_a_message_nobody_asked_for_marks_the_submission_and_never_the_grader(line):
    """Any line the protocol did not ask for: the forger is marked manipulated with every check at 0 and a
    reason; its neighbour, graded beside it, keeps 18."""
    payload = repr(line + b"\n")
    forger = replace_cell(RIGHT, "plot_mse", f"import os\nos.write(3, {payload})\n" + load(str(RIGHT)).cell_source("plot_mse"))
    results = dict(grade_many([forger, str(RIGHT)], jobs=2))
    assert results[0].manipulated and results[0].violations
    assert all(check.score == 0 and check.diagnosis == "manipulated" and check.feedback for check in results[0].checks)
    assert results[1].score == MAX_SCORE and not results[1].manipulated


def test_an_endless_loop_that_ignores_its_alarm_costs_one_timeout():
    """It spins with every timer signal ignored: the grader kills it at its limit plus grace, once. Its signal
    handlers send the notebook to review: the evidence from inside its process is withheld."""
    limits = Limits(cell=2.0, question=5.0, hang=2.0, after_hang=1.0, grace=1.0)
    result, elapsed = timed_grade(with_cells(RIGHT, [IGNORES_ALARMS]), limits)
    assert {c.name for c in result.checks if c.score == 0} <= {c.name for c in result.checks
                                                                if c.diagnosis == "needs_review"}
    assert scores(result)["sgd:converges"] == 2 and result.review
    assert elapsed < 2.0 + 1.0 + 10  # one stage timeout, plus one re-run of the notebook


def test_a_cell_that_sleeps_is_cut_by_the_graders_watch():
    limits = Limits(cell=2.0, question=5.0, hang=2.0, after_hang=1.0, grace=1.0)
    result, elapsed = timed_grade(with_cells(RIGHT, [SLEEPS]), limits)
    assert result.score == MAX_SCORE and list(result.evidence.failures.values()) == ["timeout"]
    assert elapsed < 2.0 + 1.0 + 10


def test_a_train_that_hangs_when_called_costs_its_limit_once():
    # The train cell is fine; calling train hangs: the plot cell (which calls train) waits out its limit, and
    # the train question gets only what is left of the hang budget, not a limit of its own.
    hang = "def train(X, y, lr, n_epochs, seed=0):\n    while True:\n        pass\n"
    limits = Limits(cell=6.0, question=6.0, hang=6.0, after_hang=1.0, grace=1.0)
    result, elapsed = timed_grade(replace_cell(RIGHT, "train", hang), limits)
    assert elapsed < 6.0 + 1.0 + 1.0 + 6  # the budget once, one short stage, start-up
    assert scores(result)["gradient:W1_11"] == 1 and scores(result)["sgd:updates"] == 0


def test_many_hanging_cells_cost_the_budget_once_and_keep_the_other_points():
    limits = Limits(cell=3.0, question=5.0, hang=3.0, after_hang=0.5, grace=1.0, total=60.0)
    result, elapsed = timed_grade(with_cells(RIGHT, [SLEEPS] * 6), limits)
    assert result.score == MAX_SCORE
    assert elapsed < 3.0 + 1.0 + 6 * (0.5 + 2.0)  # the budget and grace once; then each hang costs little
    failures = sorted(result.evidence.failures.values())
    assert len(failures) == 6 and set(failures) <= {"timeout", "left_out"} and "timeout" in failures


def test_a_submission_never_takes_more_than_its_total():
    limits = Limits(cell=3.0, question=3.0, hang=3.0, after_hang=2.0, grace=1.0, total=8.0)
    result, elapsed = timed_grade(with_cells(RIGHT, [SLEEPS] * 10), limits)
    assert elapsed < 8.0 + 3
    assert result.score == MAX_SCORE  # the graded cells all come before the hung ones


def test_a_student_autograder_folder_beside_the_notebook_is_never_imported(tmp_path):
    folder = tmp_path / "alumno"
    folder.mkdir()
    shutil.copy(corpus_file("wrong_slide_typo_W1_11.py"), folder / "xor_sgd.ipynb")
    fake = folder / "autograder"
    fake.mkdir()
    (fake / "__init__.py").write_text("print('FAKE'); raise SystemExit(0)\n")
    (fake / "engine").mkdir()
    (fake / "engine" / "__init__.py").write_text("raise SystemExit(0)\n")
    done = cli("grade", "--json", folder / "xor_sgd.ipynb")
    report = json.loads(done.stdout)
    assert report["score"] == MAX_SCORE - 1


def test_patching_the_grader_inside_the_notebook_earns_nothing():
    patch = ("import autograder.assignments.xor_sgd.gradients as g, numpy as np\n"
             "g.THRESHOLD = 1e300\nnp.allclose = lambda *a, **k: True\n")
    submission = replace_cell(ROOT / "release" / "xor_sgd" / "xor_sgd.py", "given_data",
                              load(str(ROOT / "release" / "xor_sgd" / "xor_sgd.py")).cell_source("given_data") + patch)
    assert grade(submission).score == 0


def test_the_grader_modules_cannot_be_imported_inside_the_sandbox():
    # The grader's exact reference must not be a function a student's gradients can call.
    probe = ("try:\n    import autograder.assignments.xor_sgd.model\n    print('IMPORTED')\nexcept Exception as error:\n"
             "    print(type(error).__name__)\n")
    result = grade(with_cells(RIGHT, [probe]), outputs=True)
    last = max(result.evidence.cells)
    text = "".join(item.get("text", "") for item in result.evidence.cells[last]["outputs"])
    assert "IMPORTED" not in text and "Error" in text


def test_the_sandboxs_own_start_up_is_never_a_students_timeout():
    """The cause of the false accusations on a busy machine (issue 16): the old runner gave the child's start-up
    the limit of a cell, in wall-clock seconds; a start-up slower than that was recorded as a failure of stage
    None, whose explanation then raised ValueError, which the judge reported as "¿se modificó el mecanismo de
    corrección?" on every check. A cell limit far below any start-up reproduces it deterministically: no student
    code runs before the first cell, so nothing of it may be blamed on the notebook."""
    cells = (Cell("x = 1", "given_data"), Cell("def gradients(params, x, y):\n    return None", "gradients"))
    limits = Limits(cell=0.001, question=0.001, hang=0.001, after_hang=0.001, grace=0.0)
    result = dict(grade_many([Submission("<tiny>", cells)], 1, True, limits))[0]
    assert not result.internal_error and not result.manipulated
    assert "None" not in result.evidence.failures
    for check in result.checks:
        assert check.diagnosis not in ("manipulated", "internal_error"), check.feedback
        assert "mecanismo de corrección" not in check.feedback, check.feedback
