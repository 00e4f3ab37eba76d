"""The corpus: every submission in tests/assignments/xor_sgd/corpus gets the expected verdict on every check.

Each tests/assignments/xor_sgd/corpus/NAME.py holds the cells one submission changed (answers only), which are filled
into the current release; tests/assignments/xor_sgd/corpus/expected.json holds, per file, the expected score of all 13
checks. The whole corpus is graded once, as a real batch (`python -m autograder grade FOLDER --json --jobs 2`).
"""
import json
from pathlib import Path

import pytest

from autograder import assignments
from autograder.build.examples import write_filled
from conftest import CORPUS, cli

CHECK_POINTS = assignments.get("xor_sgd").points
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
CASES = [(name, check) for name in sorted(EXPECTED) for check in CHECK_POINTS]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write_filled(sorted(CORPUS.glob("*.py")), folder)
    done = cli("grade", folder, "--json", "--jobs", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    return {Path(result["path"]).stem + ".py": dict({c["name"]: c for c in result["checks"]}, _result=result)
            for result in json.loads(done.stdout)}


def test_corpus_is_large_and_fully_specified():
    files = sorted(p.name for p in CORPUS.glob("*.py"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 30
    for prefix in ("right_", "wrong_", "sgd_", "plot_", "hostile_"):
        assert sum(name.startswith(prefix) for name in files) >= 5, prefix
    for name, checks in EXPECTED.items():
        assert set(checks) == set(CHECK_POINTS), name
        assert all(score in (0, CHECK_POINTS[check]) for check, score in checks.items()), name


def test_no_honest_submission_is_accused_or_hits_a_grader_error(graded):
    """Only hostile notebooks may be marked as manipulated or sent to review; no notebook meets an internal
    error of the grader (that would be the grader's bug, reported as such)."""
    for name, checks in graded.items():
        result = checks["_result"]
        assert not result.get("internal_error"), (name, result.get("internal_error"))
        if not name.startswith("hostile_"):
            assert not result["manipulated"] and not result["review"], (name, result["violations"], result["review"])
            assert not any(c["diagnosis"] in ("manipulated", "needs_review", "internal_error")
                           for n, c in checks.items() if n != "_result"), name


@pytest.mark.parametrize("name, check", CASES, ids=[f"{n}::{c}" for n, c in CASES])
def test_verdict(graded, name, check):
    result = graded[name][check]
    assert result["score"] == EXPECTED[name][check], result["feedback"]
    assert result["max_score"] == CHECK_POINTS[check]
    assert result["feedback"]


def test_failures_say_why_in_spanish(graded):
    for name, checks in graded.items():
        for key, check in checks.items():
            if key == "_result":
                continue
            if check["score"] == 0:
                assert len(check["feedback"]) > 20 and not check["feedback"].startswith("Traceback"), (name, check)


def test_passed_sgd_checks_say_they_used_the_graders_derivatives(graded):
    """A student with wrong derivatives can pass sgd:converges while their own plot stays flat: the passed
    check says why, a failed one does not (its own reason is the story), and a right submission reads no note."""
    noted = 0
    for name, checks in graded.items():
        wrong = [n for n, c in checks.items() if n.startswith("gradient:") and c["score"] < c["max_score"]
                 and c["diagnosis"] not in ("needs_review", "manipulated")]
        converges = checks["sgd:converges"]
        expected = bool(wrong) and converges["score"] == converges["max_score"]
        assert ("derivadas correctas" in converges["feedback"]) == expected, (name, converges["feedback"])
        if expected and len(wrong) == 1:
            assert f"∂L/∂{wrong[0].split(':')[1]}" in converges["feedback"], name
        noted += expected
    assert noted >= 10


def test_a_flat_own_curve_is_explained_under_the_plot(graded):
    """One flipped sign: the plot check passes (the curve is drawn) and says the curve is flat because of it."""
    plot = graded["wrong_sign_W2_12.py"]["plot:mse_curve"]
    assert plot["score"] == plot["max_score"]
    assert "∂L/∂W2_12 está mal" in plot["feedback"]
    for name, checks in graded.items():
        if name.startswith("right_"):
            assert "está mal" not in checks["plot:mse_curve"]["feedback"], name
