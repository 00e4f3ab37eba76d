"""The corpus: every submission in tests/assignments/mf_embeddings/corpus gets the expected verdict on every check.

Each corpus/NAME.py holds the cells one submission changed (answers only), filled into the current release;
corpus/expected.json holds, per file, the expected score of all 6 checks. The whole corpus is graded once, as
a real batch (`python -m autograder grade FOLDER --json --jobs 2`).
"""
import json
from pathlib import Path

import pytest

from autograder import assignments
from autograder.build.examples import release_of, write_filled
from conftest import ROOT, cli

NAME = "mf_embeddings"
CORPUS = ROOT / "tests" / "assignments" / NAME / "corpus"
CHECK_POINTS = assignments.get(NAME).points
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
CASES = [(name, check) for name in sorted(EXPECTED) for check in CHECK_POINTS]
# The mistakes the exercise must recognise by name, and a file of the corpus that makes each.
NAMED = {"wrong_with_missing.py": ("gradient:dU", "with_missing"), "wrong_factor_2.py": ("gradient:dI", "missing_factor_2"),
         "wrong_sign.py": ("gradient:dU", "sign_flipped"), "wrong_item_row_of_U.py": ("gradient:dI", "item_row_of_U"),
         "gd_u_before_di.py": ("gd:updates", "u_before_di"), "wrong_fd_central.py": ("gradient:dU", "finite_difference")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write_filled(sorted(CORPUS.glob("*.py")), folder, release_of(NAME))
    done = cli("grade", folder, "--json", "--jobs", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    return {Path(result["path"]).stem + ".py": dict({c["name"]: c for c in result["checks"]}, _result=result)
            for result in json.loads(done.stdout)}


def test_corpus_is_large_and_fully_specified():
    files = sorted(p.name for p in CORPUS.glob("*.py"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 40
    for prefix in ("right_", "wrong_", "gd_", "plot_"):
        assert sum(name.startswith(prefix) for name in files) >= 5, prefix
    for name, checks in EXPECTED.items():
        assert set(checks) == set(CHECK_POINTS), name
        assert all(score in (0, CHECK_POINTS[check]) for check, score in checks.items()), name
    assert all(sum(EXPECTED[name].values()) == sum(CHECK_POINTS.values()) for name in files if name.startswith("right_"))


def test_every_submission_is_graded_as_this_assignment_without_flags(graded):
    for name, checks in graded.items():
        result = checks["_result"]
        assert result["assignment"] == NAME and not result.get("internal_error"), name
        assert not result["manipulated"] and not result["review"], (name, result["violations"], result["review"])


@pytest.mark.parametrize("name, check", CASES, ids=[f"{n}::{c}" for n, c in CASES])
def test_verdict(graded, name, check):
    result = graded[name][check]
    assert result["score"] == EXPECTED[name][check], result["feedback"]
    assert result["max_score"] == CHECK_POINTS[check]
    assert result["feedback"]


@pytest.mark.parametrize("name", sorted(NAMED))
def test_the_usual_mistakes_are_named(graded, name):
    check, code = NAMED[name]
    assert graded[name][check]["diagnosis"] == code, graded[name][check]["feedback"]


def test_failures_say_why_in_spanish(graded):
    for name, checks in graded.items():
        for key, check in checks.items():
            if key != "_result" and check["score"] == 0:
                assert len(check["feedback"]) > 20 and not check["feedback"].startswith("Traceback"), (name, check)


def test_a_wrong_derivative_costs_only_its_own_check(graded):
    """The grader runs train with its own derivatives: a wrong dU or dI leaves the descent checks whole, and
    the passed gd:converges says so."""
    noted = 0
    for name, checks in graded.items():
        wrong = [n for n, c in checks.items() if n.startswith("gradient:") and c["score"] < c["max_score"]]
        if name.startswith("wrong_") and wrong:
            assert all(checks[n]["score"] == checks[n]["max_score"] for n in ("gd:updates", "gd:history", "gd:converges"))
            assert "derivadas correctas" in checks["gd:converges"]["feedback"], name
            noted += 1
    assert noted >= 10
