"""The cheats: every submission in tests/assignments/xor_sgd/cheats gets exactly what it deserves, and the
flags (manipulated, review) it must carry, graded as one real batch through the CLI."""
import json
from pathlib import Path

import pytest

from autograder import assignments
from autograder.build.examples import write_filled
from conftest import CHEATS, cli

CHECK_POINTS = assignments.get("xor_sgd").points
EXPECTED = json.loads((CHEATS / "expected.json").read_text(encoding="utf-8"))
FLAGS = json.loads((CHEATS / "flags.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cheats")
    write_filled(sorted(CHEATS.glob("*.py")), folder)
    done = cli("grade", folder, "--json", "--jobs", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    return {Path(result["path"]).stem + ".py": result for result in json.loads(done.stdout)}


def test_the_cheats_are_many_and_fully_specified():
    files = sorted(path.name for path in CHEATS.glob("*.py"))
    assert files == sorted(EXPECTED) == sorted(FLAGS)
    assert len(files) >= 25
    for name, checks in EXPECTED.items():
        assert set(checks) == set(CHECK_POINTS), name
        assert all(score in (0, CHECK_POINTS[check]) for check, score in checks.items()), name
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


def test_no_cheat_scores_more_than_its_honest_cells(graded):
    """The holdout rule, on the whole set at once: the total never exceeds what is deserved."""
    over = {name: sum(c["score"] for c in result["checks"]) - sum(EXPECTED[name].values())
            for name, result in graded.items()}
    assert not {name: extra for name, extra in over.items() if extra > 0}
