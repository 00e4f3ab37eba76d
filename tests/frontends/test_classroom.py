"""The GitHub Classroom template: its workflow simulated step by step in a lean Python environment.

The template (release/xor_sgd/) is copied to a temporary folder, a submission is put in as xor_sgd.ipynb,
and every `autograding-command-grader@v1` step runs its command the way that action does (execSync with a
shell, an environment of PATH, HOME and the action's few fixed variables, the step's timeout), in a
virtualenv that has only the template's requirements.txt installed. Each run gets a private TMPDIR, so a
report cached by another run can never make a test pass.
"""
import re
import shutil
import subprocess
import time

import nbformat
import pytest
import yaml

from autograder import assignments
from autograder.frontends.classroom import STEP_TIMEOUT_MINUTES, grader_files
from autograder.sandbox import Limits
from conftest import ROOT, corpus_file, make_venv, student_notebook

TEMPLATE = ROOT / "release" / "xor_sgd"
CHECK_POINTS = assignments.get("xor_sgd").points
MAX_SCORE = assignments.get("xor_sgd").max_score
WORKFLOW = yaml.safe_load((TEMPLATE / ".github" / "workflows" / "classroom.yml").read_text())
STEPS = WORKFLOW["jobs"]["run-autograding-tests"]["steps"]
GRADERS = [s for s in STEPS if s.get("uses") == "classroom-resources/autograding-command-grader@v1"]
# autograding-grading-reporter@v1, src/main.js: the check its error path applies to the `runners` input.
REPORTER_RUNNERS = re.compile(r"^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$")


@pytest.fixture(scope="module")
def lean_python(tmp_path_factory):
    """A virtualenv with only the template's requirements.txt: what `pip install -r requirements.txt` gives."""
    return make_venv(tmp_path_factory.mktemp("lean"), "-r", str(TEMPLATE / "requirements.txt"))


def copy_template(tmp_path, notebook_source):
    """A student's repository: the committed template, the grader the build vendors into it, a notebook."""
    repo = tmp_path / "repo"
    shutil.copytree(TEMPLATE, repo, ignore=shutil.ignore_patterns(".autograder"))
    for name, text in grader_files().items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    release_cells = ROOT / "autograder" / "assignments" / "xor_sgd" / "release_cells.json"
    shutil.copy(release_cells, repo / ".autograder" / "autograder" / "assignments" / "xor_sgd" / "release_cells.json")
    shutil.copy(notebook_source, repo / "xor_sgd.ipynb")
    fake = repo / "autograder"  # a student's own package in the repository must not be imported
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit(0)\n")
    return repo


def run_workflow(tmp_path, lean_python, repo, tmpdir=None):
    """Total points of the simulated workflow for one repository, each step's outcome, and the slowest step."""
    tmpdir = tmpdir or tmp_path / "tmp"
    tmpdir.mkdir(exist_ok=True)
    env = {"PATH": f"{lean_python.parent}:/usr/bin:/bin", "HOME": str(tmp_path), "FORCE_COLOR": "true",
           "DOTNET_CLI_HOME": "/tmp", "DOTNET_NOLOGO": "true", "TMPDIR": str(tmpdir)}
    total, outcomes, slowest = 0, {}, 0.0
    for step in GRADERS:
        settings = step["with"]
        started = time.monotonic()
        try:
            done = subprocess.run(settings["command"], shell=True, cwd=repo, env=env, capture_output=True, text=True,
                                  timeout=60 * settings["timeout"])
            passed = done.returncode == 0
        except subprocess.TimeoutExpired:
            passed = False
        slowest = max(slowest, time.monotonic() - started)
        outcomes[settings["test-name"]] = passed
        total += settings["max-score"] if passed else 0
    return total, outcomes, slowest


def test_workflow_has_setup_python_and_one_step_per_check_with_the_nbgrader_total():
    uses = [s.get("uses", "") for s in STEPS]
    assert uses.index("actions/setup-python@v5") < uses.index(GRADERS[0]["uses"])
    assert [s["with"]["test-name"] for s in GRADERS] == list(CHECK_POINTS)
    assert all(isinstance(s["with"]["max-score"], int) for s in GRADERS)
    assert sum(s["with"]["max-score"] for s in GRADERS) == MAX_SCORE
    reporter = STEPS[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in GRADERS]
    assert REPORTER_RUNNERS.match(reporter["with"]["runners"])  # ids the reporter itself accepts
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in GRADERS}


def test_grading_always_ends_well_within_a_steps_timeout():
    # The first step grades for all of them; a submission may take at most Limits.total, plus start-up.
    assert all(step["with"]["timeout"] == STEP_TIMEOUT_MINUTES for step in GRADERS)
    assert Limits().total + 60 < 60 * STEP_TIMEOUT_MINUTES
    assert all(step["with"]["command"].startswith("exec ") for step in GRADERS)  # a timeout reaches the grader


def test_template_is_lean_and_holds_no_solution():
    lines = (TEMPLATE / "requirements.txt").read_text().splitlines()
    packages = [line.split(">=")[0] for line in lines if line.strip() and not line.startswith("#")]
    assert packages == ["numpy", "matplotlib"]
    assert "visibles y editables" in (TEMPLATE / "README.md").read_text()


def test_solution_gets_full_marks(tmp_path, lean_python):
    total, outcomes, _ = run_workflow(tmp_path, lean_python, copy_template(tmp_path, ROOT / "solutions" / "xor_sgd.ipynb"))
    assert total == MAX_SCORE, outcomes


def test_blank_release_gets_zero(tmp_path, lean_python):
    total, outcomes, _ = run_workflow(tmp_path, lean_python, copy_template(tmp_path, TEMPLATE / "xor_sgd.ipynb"))
    assert total == 0, outcomes


def test_one_wrong_derivative_costs_its_point(tmp_path, lean_python):
    repo = copy_template(tmp_path, corpus_file("wrong_slide_typo_W1_11.py"))
    total, outcomes, _ = run_workflow(tmp_path, lean_python, repo)
    assert total == MAX_SCORE - CHECK_POINTS["gradient:W1_11"]
    assert [name for name, ok in outcomes.items() if not ok] == ["gradient:W1_11"]


def test_a_cached_report_is_never_reused_by_another_grader(tmp_path, lean_python):
    shared = tmp_path / "shared-tmp"  # a runner that keeps /tmp between jobs
    first = copy_template(tmp_path / "a", ROOT / "solutions" / "xor_sgd.ipynb")
    assert run_workflow(tmp_path / "a", lean_python, first, shared)[0] == MAX_SCORE
    broken = copy_template(tmp_path / "b", ROOT / "solutions" / "xor_sgd.ipynb")
    grading = broken / ".autograder" / "autograder" / "engine" / "grading.py"
    grading.write_text(grading.read_text() + "\n\ndef grade(item, hidden=True, outputs=False, assignment=None):\n"
                                              "    raise RuntimeError('this grader is broken')\n")
    total, outcomes, _ = run_workflow(tmp_path / "b", lean_python, broken, shared)
    assert total == 0, outcomes  # the same notebook, but another grader: graded again (and failing)


def test_a_notebook_that_hangs_in_many_cells_keeps_its_points_and_no_step_times_out(tmp_path, lean_python):
    notebook = student_notebook("right_solution.py")
    stubborn = "import time\ntime.sleep(10 ** 6)\n"  # no CPU: only the grader's watch ends it
    for _ in range(3):
        notebook.cells.append(nbformat.v4.new_code_cell(stubborn))
    path = tmp_path / "hangs.ipynb"
    nbformat.write(notebook, str(path))
    total, outcomes, slowest = run_workflow(tmp_path, lean_python, copy_template(tmp_path, path))
    assert total == MAX_SCORE, outcomes
    assert slowest < Limits().hang + Limits().grace + 3 * (Limits().after_hang + 5) + 15
