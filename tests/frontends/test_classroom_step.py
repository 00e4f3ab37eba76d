"""frontends/classroom_step.py: the student repository's workflow, its steps run here as the runner runs them.

The repository is the committed release plus the grader the build vendors into it (build.template) and a
notebook. The workflow is read from the release; each of its steps runs in order: `actions/checkout` is the
copy itself, `actions/setup-python` a fresh virtualenv put first on PATH (nothing else installed), every `run:`
step in bash (the runner's default shell, `bash -e {0}`) with the variables GitHub gives a step, and
`actions/upload-artifact` is checked to find what it uploads. What a push shows is then read where GitHub
shows it: the job summary file, the workflow commands in the log (annotations), and the job's status.
"""
import shutil
import subprocess

import nbformat
import pytest
import yaml

from autograder import assignments
from autograder.build import template
from conftest import ROOT, student_notebook

NAME = "xor_sgd"
RELEASE = ROOT / "release" / NAME
WORKFLOW = yaml.safe_load((RELEASE / template.WORKFLOW).read_text())


@pytest.fixture(scope="module")
def setup_python(tmp_path_factory):
    """What actions/setup-python gives the job: a Python with pip and nothing else."""
    venv = tmp_path_factory.mktemp("hostedtoolcache")
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    return venv / "bin"


def repository(tmp_path, notebook, name=None, assignment=NAME):
    """A student's repository as the template makes it, with the vendored grader and their notebook."""
    repo, name = tmp_path / "repo", name or f"{assignment}.ipynb"
    shutil.copytree(ROOT / "release" / assignment, repo, ignore=shutil.ignore_patterns(".autograder", f"{assignment}.*"))
    for relative, text in template.grader_files(assignment).items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(text, encoding="utf-8")
    if notebook is not None:
        nbformat.write(notebook, str(repo / name))
    fake = repo / "autograder"  # a student's own package at the root must never be imported by the step
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit(0)\n")
    return repo


def run_job(repo, setup_python):
    """Every step of the repository's job, in order; (job succeeded, the job summary, the log, uploaded paths)."""
    job, = yaml.safe_load((repo / template.WORKFLOW).read_text())["jobs"].values()
    summary, log, uploaded, failed = repo.parent / "step_summary.md", [], [], False
    env = {"PATH": f"{setup_python}:/usr/bin:/bin", "HOME": str(repo.parent), "CI": "true", "LANG": "C.UTF-8",
           "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo), "GITHUB_STEP_SUMMARY": str(summary),
           "RUNNER_TEMP": str(repo.parent)}
    for step in job["steps"]:
        condition = step.get("if", "success()")
        if failed and "always()" not in condition:
            continue
        uses = step.get("uses", "")
        if uses.startswith("actions/upload-artifact@"):
            path = repo / step["with"]["path"]
            uploaded += sorted(p.relative_to(repo).as_posix() for p in path.rglob("*")) if path.exists() else []
        elif "run" in step:
            done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True,
                                  text=True, timeout=600)
            log.append(done.stdout + done.stderr)
            failed = failed or done.returncode != 0
        else:
            assert uses.startswith(("actions/checkout@", "actions/setup-python@")), uses
    text = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return not failed, text, "\n".join(log), uploaded


def test_the_workflow_is_one_job_on_every_push_with_no_service():
    assert "push" in WORKFLOW[True] or "push" in WORKFLOW.get("on", {})  # PyYAML reads `on:` as True
    assert len(WORKFLOW["jobs"]) == 1
    text = (RELEASE / template.WORKFLOW).read_text()
    assert "classroom-resources" not in text and "education/" not in text and "autograding" not in text


def test_a_full_mark_push_is_green_with_its_table_in_the_summary(tmp_path, setup_python):
    repo = repository(tmp_path, student_notebook("right_solution.py"))
    ok, summary, log, uploaded = run_job(repo, setup_python)
    assert ok, log[-3000:]
    assert summary.startswith("### 18/18 puntos") and summary.count("| ✅ |") == len(assignments.get(NAME).checks)
    assert "::notice title=Puntaje::18/18 puntos" in log
    assert uploaded == ["devolucion/curvas.png"] and (repo / "devolucion" / "curvas.png").read_bytes().startswith(b"\x89PNG")


def test_a_push_below_full_marks_is_red_and_says_what_failed(tmp_path, setup_python):
    repo = repository(tmp_path, student_notebook("wrong_sign_W2_12.py"))
    ok, summary, log, _ = run_job(repo, setup_python)
    assert not ok
    assert summary.startswith("### 17/18 puntos") and "| ❌ | `gradient:W2_12` | 0/1 |" in summary
    assert "el signo está invertido" in summary
    assert "::error title=Puntaje::17/18 puntos" in log


def test_a_renamed_notebook_is_graded_with_a_note(tmp_path, setup_python):
    repo = repository(tmp_path, student_notebook("right_solution.py"), name=f"Copia de {NAME}.ipynb")
    ok, summary, log, _ = run_job(repo, setup_python)
    assert ok, log[-3000:]
    assert f"se corrigió el único notebook del repositorio, Copia de {NAME}.ipynb" in summary


def test_a_missing_notebook_says_so_in_the_summary_and_the_annotation(tmp_path, setup_python):
    repo = repository(tmp_path, None)
    ok, summary, log, _ = run_job(repo, setup_python)
    assert not ok
    assert summary.startswith("### 0/18 puntos") and f"No se encontró {NAME}.ipynb" in summary
    assert f"::error title=Autocorrección::No se encontró {NAME}.ipynb" in log


@pytest.mark.parametrize("assignment", assignments.NAMES)
def test_every_assignment_is_green_for_its_solution_and_zero_for_its_release(tmp_path, setup_python, assignment):
    spec = assignments.get(assignment)
    for label, path, points in (("solution", ROOT / "solutions" / f"{assignment}.ipynb", spec.max_score),
                                ("release", ROOT / "release" / assignment / f"{assignment}.ipynb", 0)):
        repo = repository(tmp_path / label, nbformat.read(str(path), 4), assignment=assignment)
        ok, summary, log, uploaded = run_job(repo, setup_python)
        assert ok == (points == spec.max_score), log[-3000:]
        assert summary.startswith(f"### {points:g}/{spec.max_score:g} puntos"), summary[:200]
        assert f"title=Puntaje::{points:g}/{spec.max_score:g} puntos" in log
