"""The cheats: every submission in tests/assignments/mf_embeddings/cheats gets exactly what it deserves, and the
flags it must carry, graded as one real batch through the CLI."""
import json
from pathlib import Path

import pytest

from autograder import assignments
from autograder.build.examples import release_of, write_filled
from conftest import ROOT, cli

NAME = "mf_embeddings"
CHEATS = ROOT / "tests" / "assignments" / NAME / "cheats"
CHECK_POINTS = assignments.get(NAME).points
EXPECTED = json.loads((CHEATS / "expected.json").read_text(encoding="utf-8"))
FLAGS = json.loads((CHEATS / "flags.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cheats")
    write_filled(sorted(CHEATS.glob("*.py")), folder, release_of(NAME))
    done = cli("grade", folder, "--json", "--jobs", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    return {Path(result["path"]).stem + ".py": result for result in json.loads(done.stdout)}


def test_the_cheats_are_fully_specified():
    files = sorted(path.name for path in CHEATS.glob("*.py"))
    assert files == sorted(EXPECTED) == sorted(FLAGS)
    assert len(files) >= 10
    for name, checks in EXPECTED.items():
        assert set(checks) == set(CHECK_POINTS), name
        assert sum(checks.values()) < sum(CHECK_POINTS.values()), name  # a cheat never deserves full marks
    readme = (CHEATS / "README.md").read_text(encoding="utf-8")
    assert all(f"`{Path(name).stem}`" in readme for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_cheat_gets_what_it_deserves(graded, name):
    result = graded[name]
    got = {check["name"]: check["score"] for check in result["checks"]}
    assert got == EXPECTED[name], [(c["name"], c["diagnosis"], c["feedback"][:120]) for c in result["checks"]
                                   if c["score"] != EXPECTED[name][c["name"]]]
    flags = (["manipulated"] if result["manipulated"] else []) + (["review"] if result["review"] else [])
    assert flags == FLAGS[name], (result["violations"], result["review"])


def test_derivatives_not_derived_lose_both_derivative_checks(graded):
    for name, result in graded.items():
        if name.startswith("grad_"):
            assert all(c["score"] == 0 for c in result["checks"] if c["name"].startswith("gradient:")), name
