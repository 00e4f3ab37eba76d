"""A busy machine never changes a verdict (sandbox/limits.py: time is the submission's own, never the machine's).

Corpus submissions chosen for the stages a slow machine stretches (long training, reshuffling loops that may
take several train runs, a diverging loop, a process that dies, notebooks cut for time) are graded through the
CLI while the machine is saturated: two other grading batches at once, CPU hogs on every core and a process
holding 2 GB of touched memory. Every verdict must be the corpus's expected one, which is the quiet run's
(tests/assignments/xor_sgd/test_corpus.py), and no notebook may meet an internal error or be accused.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.build.examples import write_filled
from conftest import CORPUS, ROOT, cli

EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
CHOSEN = ("right_solution.py", "right_shuffle_permutation.py", "right_random_shuffle.py", "fd_central_1e5.py",
          "wrong_slide_typo_W1_11.py", "sgd_gradient_ascent.py", "sgd_batch_gd.py", "sgd_history_sum.py",
          "plot_every_10th.py", "hostile_os_exit_in_train.py", "sgd_hardcoded.py", "hostile_fake_json.py")
HOG = "while True:\n    pass\n"
MEMORY = "import time\nblock = bytearray(2 << 30)\nfor i in range(0, len(block), 4096):\n    block[i] = 1\ntime.sleep(600)\n"


@pytest.fixture(scope="module")
def saturated(tmp_path_factory):
    """The chosen submissions graded while two batches, a hog per core and 2 GB of memory load the machine."""
    folder = tmp_path_factory.mktemp("load")
    write_filled([CORPUS / name for name in CHOSEN], folder)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    load = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(os.cpu_count() or 1)]
    load.append(subprocess.Popen([sys.executable, "-c", MEMORY]))
    load += [subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(folder), "--jobs", "2"], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        done = cli("grade", folder, "--json", "--jobs", "2", timeout=1500)
    finally:
        for process in load:
            process.kill()
            process.wait()
    assert done.returncode == 0, done.stderr[-2000:]
    return {Path(result["path"]).stem + ".py": result for result in json.loads(done.stdout)}


@pytest.mark.parametrize("name", CHOSEN)
def test_every_verdict_is_the_quiet_runs(saturated, name):
    result = saturated[name]
    got = {check["name"]: check["score"] for check in result["checks"]}
    assert got == EXPECTED[name], [(c["name"], c["feedback"][:150]) for c in result["checks"]
                                   if c["score"] != EXPECTED[name][c["name"]]]


def test_no_one_is_accused_and_the_grader_never_fails(saturated):
    for name, result in saturated.items():
        assert not result.get("internal_error"), (name, result.get("internal_error"))
        if not name.startswith("hostile_"):
            assert not result["manipulated"], (name, result["violations"])
