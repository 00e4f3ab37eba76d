"""frontends/classroom50.py: the Classroom 50 bundle, run the way Classroom 50's runner runs it.

The bundle is what `build` writes to classroom50/autograders/<a>/ (here: build.template.bundle_files, into a
temporary folder laid out as the runner extracts it). The student's checkout is the committed release plus a
notebook. The runner's step is `python3 $RUNNER_TEMP/classroom50-runtime/<a>/autograder.py` in the checkout,
with its environment (classroom50/README.md), and the interpreter of the assignment's runtime: a fresh
virtualenv of that Python with nothing installed, so the bundle's own installation of its pinned
requirements runs too (once: the first case installs, the others find them). result.json is checked against
the schema and the runner's rules, and its points against the CLI's for the same notebook.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import nbformat
import pytest

from autograder import assignments
from autograder.build import template
from conftest import ROOT, cli, student_notebook

NAME = "xor_sgd"
SPEC = assignments.get(NAME)
SCHEMA = json.loads((Path(__file__).parent / "classroom50" / "result-v1.schema.json").read_text())
TAG = "submit/2026-11-28T10-00-00Z-abc1234"
REPO = f"https://github.com/fiuba-dl/dl-2026-{NAME}-ana"


def runtime_python():
    """The bundle's runtime Python (template.PYTHON) if this machine has it; else this one (the kit runs on
    3.10-3.13, and CI's machines have pyenv's 3.12)."""
    candidates = sorted(str(p) for p in Path("/root/.pyenv/versions").glob(f"{template.PYTHON}.*/bin/python3"))
    candidates += [shutil.which(f"python{template.PYTHON}")]
    works = (c for c in candidates if c and subprocess.run([c, "-c", ""], capture_output=True).returncode == 0)
    return next(works, sys.executable)


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    """The runner's side: the extracted bundle and an interpreter with nothing but pip."""
    runtime = tmp_path_factory.mktemp("runner-temp") / "classroom50-runtime"
    for name in assignments.NAMES:  # each assignment's bundle, extracted where the runner puts it
        for relative, text in template.bundle_files(name).items():
            if relative.startswith(f"autograders/{name}/"):
                path = runtime / relative.removeprefix("autograders/")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    venv = tmp_path_factory.mktemp("python")
    subprocess.run([runtime_python(), "-m", "venv", str(venv)], check=True)
    return runtime, venv / "bin" / "python3"


def checkout(tmp_path, notebook=None, name=None, text=None, assignment=NAME):
    """A student's checkout: the committed release, and their notebook under `name` (or raw text)."""
    repo, name = tmp_path / "checkout", name or f"{assignment}.ipynb"
    shutil.copytree(ROOT / "release" / assignment, repo, ignore=shutil.ignore_patterns(".autograder", f"{assignment}.*"))
    if notebook is not None:
        nbformat.write(notebook, str(repo / name))
    if text is not None:
        (repo / name).write_text(text, encoding="utf-8")
    fake = repo / "autograder"  # a package of the student's own, which the bundle must never import
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit(0)\n")
    return repo


def run_bundle(runner, repo, assignment=NAME):
    """Run autograder.py as the runner does; (exit status, result.json, release-body.md, output)."""
    runtime, python = runner
    sha = "abc1234" + "0" * 33
    env = {"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": str(repo.parent), "LANG": "C.UTF-8",
           "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "ana", "GITHUB_REPOSITORY": REPO[19:],
           "GITHUB_SHA": sha, "GITHUB_WORKSPACE": str(repo), "RUNNER_TEMP": str(runtime.parent),
           "GITHUB_STEP_SUMMARY": str(repo.parent / "summary.md"), "GITHUB_OUTPUT": str(repo.parent / "output"),
           "PAGES_BASE_URL": "https://fiuba-dl.github.io/classroom50", "CLASSROOM": "dl-2026", "ASSIGNMENT": assignment,
           "SUBMISSION_TAG": TAG, "MODE": "individual", "ASSIGNMENT_TYPE": "individual", "USERNAME": "ana",
           "OWNER": "ana", "COMMIT_URL": f"{REPO}/commit/{sha}", "RELEASE_URL": f"{REPO}/releases/tag/submit%2F2026",
           "REVIEW_URL": f"{REPO}/compare/base...{sha}", "CLASSROOM50_BUNDLE_DIR": str(runtime / assignment)}
    done = subprocess.run([str(python), str(runtime / assignment / "autograder.py")], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)
    result = json.loads((repo / "result.json").read_text()) if (repo / "result.json").exists() else None
    body = (repo / "release-body.md").read_text() if (repo / "release-body.md").exists() else ""
    return done.returncode, result, body, done.stdout + done.stderr


def runner_rules(result, spec=SPEC):
    """What Classroom 50's runner checks in code besides the schema (classroom50/README.md)."""
    assert result["classroom"] == "dl-2026" and result["assignment"] == spec.name
    for row in [result] + result["tests"]:
        for key in ("score", "max-score"):
            assert type(row[key]) is int, (key, row[key])
        assert row["score"] <= row["max-score"]
    assert result["score"] == sum(t["score"] for t in result["tests"])
    assert result["max-score"] == sum(t["max-score"] for t in result["tests"]) == int(spec.max_score)


def cli_points(path):
    """check name -> points, from `python -m autograder grade PATH --json` (the instructor's CLI)."""
    done = cli("grade", path, "--json")
    return {check["name"]: check["score"] for check in json.loads(done.stdout)["checks"]}


def graded(runner, tmp_path, answers=None, **kwargs):
    """Run the bundle on a checkout holding `answers` filled into the release (None: as released)."""
    notebook = student_notebook(answers) if answers else nbformat.read(str(ROOT / "release" / NAME / f"{NAME}.ipynb"), 4)
    repo = checkout(tmp_path, notebook if "text" not in kwargs else None, **kwargs)
    status, result, body, output = run_bundle(runner, repo)
    assert status == 0, output[-3000:]
    jsonschema.validate(result, SCHEMA)
    runner_rules(result)
    return repo, result, body


@pytest.mark.parametrize("answers, total", [("right_solution.py", 18), (None, 0), ("wrong_sign_W2_12.py", 17)])
def test_the_bundle_grades_like_the_cli(runner, tmp_path, answers, total):
    repo, result, body = graded(runner, tmp_path, answers)
    assert result["score"] == total
    assert {t["test-name"]: t["score"] for t in result["tests"]} == cli_points(repo / f"{NAME}.ipynb")
    assert [t["test-name"] for t in result["tests"]] == list(SPEC.points)
    for test in result["tests"]:
        assert test["message"] and test["passed"] == (test["score"] == test["max-score"])
    assert f"### {total}/18 puntos" in body
    assert ("| ✅ |" in body) == (total > 0) and ("| ❌ |" in body) == (total < 18)
    assert (repo / "curvas.png").exists() == (total > 0)  # a blank notebook has no curve to draw
    assert not total or (repo / "curvas.png").read_bytes().startswith(b"\x89PNG")
    assert result["submission"] == TAG and result["release"].endswith("submit%2F2026")


def test_a_wrong_derivative_names_its_diagnosis(runner, tmp_path):
    _, result, _ = graded(runner, tmp_path, "wrong_sign_W2_12.py")
    wrong = [t for t in result["tests"] if not t["passed"]]
    assert [t["test-name"] for t in wrong] == ["gradient:W2_12"] and wrong[0]["diagnosis"] == "sign_flipped"


def test_a_renamed_notebook_is_graded_with_a_note(runner, tmp_path):
    _, result, body = graded(runner, tmp_path, "right_solution.py", name=f"Copia de {NAME}.ipynb")
    assert result["score"] == 18
    assert f"No se encontró {NAME}.ipynb; se corrigió el único notebook del repositorio, Copia de {NAME}.ipynb" in body


def test_a_broken_notebook_gets_zero_with_the_reason(runner, tmp_path):
    _, result, body = graded(runner, tmp_path, text='{"cells": [')
    assert result["score"] == 0 and len(result["tests"]) == len(SPEC.checks)
    assert all("no se pudo leer" in t["message"].lower() for t in result["tests"]), result["tests"][0]["message"]
    assert "JSON" in body or "no se pudo leer" in body.lower()


def test_a_missing_notebook_gets_zero_with_the_reason(runner, tmp_path):
    repo = checkout(tmp_path)
    status, result, body, output = run_bundle(runner, repo)
    assert status == 0, output[-3000:]
    jsonschema.validate(result, SCHEMA)
    assert result["score"] == 0 and f"No se encontró {NAME}.ipynb" in result["tests"][0]["message"]
    assert f"No se encontró {NAME}.ipynb" in body


def test_the_bundle_is_small_and_has_no_symlink():
    """Classroom 50 refuses a bundle over 10 MB (compressed) and extracts it with tarfile's data filter."""
    files = template.bundle_files(NAME)
    size = sum(len(text.encode()) for path, text in files.items() if path.startswith(f"autograders/{NAME}/"))
    assert size < 2_000_000
    entry = json.loads(files[f"{NAME}.assignment.json"])
    assert entry["runtime"] == json.loads(files[f"{NAME}.runtime.json"])
    assert set(entry["runtime"]) <= {"runs-on", "container", "python", "node", "java", "go", "rust", "apt"}
    assert entry["release_assets"] == ["curvas.png"]
    assert any(line.startswith("numpy==") for line in files[f"autograders/{NAME}/requirements.txt"].splitlines())
    assert os.sep not in NAME


@pytest.mark.parametrize("assignment", assignments.NAMES)
def test_every_assignments_bundle_gives_its_solution_full_marks_and_its_release_zero(runner, tmp_path, assignment):
    spec = assignments.get(assignment)
    for label, path, points in (("solution", ROOT / "solutions" / f"{assignment}.ipynb", spec.max_score),
                                ("release", ROOT / "release" / assignment / f"{assignment}.ipynb", 0)):
        repo = checkout(tmp_path / label, nbformat.read(str(path), 4), assignment=assignment)
        status, result, body, output = run_bundle(runner, repo, assignment)
        assert status == 0, output[-3000:]
        jsonschema.validate(result, SCHEMA)
        runner_rules(result, spec)
        assert result["score"] == points, (label, result["tests"])
        assert [t["test-name"] for t in result["tests"]] == [check.name for check in spec.checks]
        assert f"{points:g}/{spec.max_score:g}" in body
