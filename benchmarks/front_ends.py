"""The three front ends side by side: nbgrader (real CLI and gradebook), the CLI, and the Classroom workflow.

    python benchmarks/front_ends.py [CORPUS_NAME ...]

Grades the same submissions (corpus answers filled into the release) through each front end and
prints one row per submission with the three totals. The student workflow runs as the tests run it: the
`run:` steps of release/xor_sgd/.github/workflows/autocorreccion.yml in bash, in a virtualenv that has only
the template's requirements.txt; its points are those of the `Puntaje` annotation.
"""
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from autograder.build.examples import fill  # noqa: E402
from autograder.build import template, tool_env  # noqa: E402

DEFAULT = ("right_solution.py", "right_shuffle_permutation.py", "wrong_slide_typo_W1_11.py", "wrong_all_signs.py",
           "sgd_gradient_ascent.py", "sgd_history_sum.py", "plot_none.py", "hostile_patch_numpy.py",
           "hostile_fake_json.py", "hostile_endless_plot.py")


def run(command, cwd, environment=None):
    return subprocess.run(command, cwd=cwd, env=environment or tool_env(), capture_output=True, text=True)


def nbgrader_scores(course, submissions):
    """Scores exported by nbgrader after the whole cycle on a fresh course copy."""
    shutil.copytree(ROOT / "source" / "xor_sgd", course / "source" / "xor_sgd")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    run([*nbgrader, "generate_assignment", "xor_sgd", "--force"], course)
    for student, notebook in submissions.items():
        target = course / "submitted" / student / "xor_sgd" / "xor_sgd.ipynb"
        target.parent.mkdir(parents=True)
        shutil.copy(notebook, target)
    run([*nbgrader, "autograde", "xor_sgd"], course)
    run([*nbgrader, "export", "--exporter=nbgrader.plugins.CsvExportPlugin"], course)
    return {row["student_id"]: float(row["score"]) for row in csv.DictReader((course / "grades.csv").open())}


def cli_score(notebook):
    done = run([sys.executable, "-m", "autograder", "grade", "--json", str(notebook)], ROOT)
    return json.loads(done.stdout)["score"]


def classroom_job(notebook, python, scratch):
    """Run the student workflow's job as the runner would (its `run:` steps in bash, with the job's timeout);
    return (points from its `Puntaje` annotation, or None when the job was cancelled, and the seconds)."""
    repo = scratch / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(ROOT / "release" / "xor_sgd", repo, ignore=shutil.ignore_patterns(".autograder"))
    for relative, text in template.grader_files("xor_sgd").items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(text, encoding="utf-8")
    shutil.copy(notebook, repo / "xor_sgd.ipynb")
    workflow = yaml.safe_load((repo / template.WORKFLOW).read_text())
    job, = workflow["jobs"].values()
    env = {"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": str(scratch), "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(scratch / "summary.md"), "LANG": "C.UTF-8"}
    started, log = time.monotonic(), ""
    for step in job["steps"]:
        if "run" not in step or "pip install" in step["run"]:  # the lean venv already has the requirements
            continue
        left = 60 * job["timeout-minutes"] - (time.monotonic() - started)
        try:
            done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True,
                                  text=True, timeout=left)
        except subprocess.TimeoutExpired:  # GitHub would cancel the job: no points shown
            return None, time.monotonic() - started
        log += done.stdout
    found = re.search(r"title=Puntaje::([0-9.]+)/", log)
    return (float(found.group(1)) if found else 0.0), time.monotonic() - started


def classroom_score(notebook, python, scratch):
    """Points the student workflow shows for one notebook."""
    return classroom_job(notebook, python, scratch)[0]


def lean_python(scratch):
    """A virtualenv with only the template's requirements.txt, as a Classroom job has."""
    lean = scratch / "lean"
    venv.create(lean, with_pip=True)
    python = lean / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", "-r", str(ROOT / "release" / "xor_sgd" / "requirements.txt")],
        scratch)
    return python


def main():
    names = sys.argv[1:] or DEFAULT
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        submissions = {}
        for name in names:
            submissions[Path(name).stem] = scratch / "notebooks" / f"{Path(name).stem}.ipynb"
            submissions[Path(name).stem].parent.mkdir(exist_ok=True)
            nbformat.write(fill(ROOT / "tests" / "assignments" / "xor_sgd" / "corpus" / name), str(submissions[Path(name).stem]))
        python = lean_python(scratch)
        nbgrader = nbgrader_scores(scratch / "course", submissions)
        print(f"{'submission':<30} {'nbgrader':>9} {'CLI':>6} {'Classroom':>10}")
        for student, notebook in submissions.items():
            print(f"{student:<30} {nbgrader.get(student, float('nan')):>9g} {cli_score(notebook):>6g} "
                  f"{classroom_score(notebook, python, scratch):>10g}")


if __name__ == "__main__":
    main()
