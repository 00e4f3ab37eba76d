"""The GitHub Classroom template: its workflow simulated step by step in a lean Python environment.

The template (release/xor_sgd/) is copied to a temporary folder, a submission is put in as xor_sgd.ipynb,
and every `autograding-command-grader` step runs its setup and command with only PATH and HOME, as the
action does, in a virtualenv that has only the template's requirements.txt installed.
"""
import shutil
import subprocess

import pytest
import yaml

from autograder.grading import CHECK_POINTS, MAX_SCORE
from conftest import ROOT, corpus_file, make_venv

TEMPLATE = ROOT / "release" / "xor_sgd"
WORKFLOW = yaml.safe_load((TEMPLATE / ".github" / "workflows" / "classroom.yml").read_text())
STEPS = WORKFLOW["jobs"]["run-autograding-tests"]["steps"]
GRADERS = [s for s in STEPS if s.get("uses") == "classroom-resources/autograding-command-grader@v1"]


@pytest.fixture(scope="module")
def lean_python(tmp_path_factory):
    """A virtualenv with only the template's requirements.txt: what `pip install -r requirements.txt` gives."""
    return make_venv(tmp_path_factory.mktemp("lean"), "-r", str(TEMPLATE / "requirements.txt"))


def run_workflow(tmp_path, lean_python, notebook_source):
    """Total points of the simulated workflow for one submission, and each step's outcome."""
    repo = tmp_path / "repo"
    shutil.copytree(TEMPLATE, repo)
    shutil.copy(notebook_source, repo / "xor_sgd.ipynb")
    fake = repo / "autograder"  # a student's own package in the repository must not be imported
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit(0)\n")
    env = {"PATH": f"{lean_python.parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
    total, outcomes = 0, {}
    for step in GRADERS:
        settings = step["with"]
        for command in (settings.get("setup-command"), settings["command"]):
            if not command:
                continue
            done = subprocess.run(command, shell=True, cwd=repo, env=env, capture_output=True, text=True,
                                  timeout=60 * settings["timeout"])
        passed = done.returncode == 0
        outcomes[settings["test-name"]] = passed
        total += settings["max-score"] if passed else 0
    return total, outcomes


def test_workflow_has_setup_python_and_one_step_per_check_with_the_nbgrader_total():
    uses = [s.get("uses", "") for s in STEPS]
    assert uses.index("actions/setup-python@v5") < uses.index(GRADERS[0]["uses"])
    assert [s["with"]["test-name"] for s in GRADERS] == list(CHECK_POINTS)
    assert all(isinstance(s["with"]["max-score"], int) for s in GRADERS)
    assert sum(s["with"]["max-score"] for s in GRADERS) == MAX_SCORE
    reporter = STEPS[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in GRADERS]
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in GRADERS}


def test_template_is_lean_and_holds_no_solution():
    lines = (TEMPLATE / "requirements.txt").read_text().splitlines()
    packages = [line.split(">=")[0] for line in lines if line.strip() and not line.startswith("#")]
    assert packages == ["numpy", "matplotlib"]
    assert "visibles y editables" in (TEMPLATE / "README.md").read_text()


def test_solution_gets_full_marks(tmp_path, lean_python):
    total, outcomes = run_workflow(tmp_path, lean_python, ROOT / "solutions" / "xor_sgd.ipynb")
    assert total == MAX_SCORE, outcomes


def test_blank_release_gets_zero(tmp_path, lean_python):
    total, outcomes = run_workflow(tmp_path, lean_python, TEMPLATE / "xor_sgd.ipynb")
    assert total == 0, outcomes


def test_one_wrong_derivative_costs_its_point(tmp_path, lean_python):
    total, outcomes = run_workflow(tmp_path, lean_python, corpus_file("wrong_slide_typo_W1_11.py"))
    assert total == MAX_SCORE - CHECK_POINTS["gradient:W1_11"]
    assert [name for name, ok in outcomes.items() if not ok] == ["gradient:W1_11"]
