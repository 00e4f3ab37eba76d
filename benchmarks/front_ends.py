"""The three front ends side by side: nbgrader (real CLI and gradebook), the CLI, and the Classroom workflow.

    python benchmarks/front_ends.py [CORPUS_NAME ...]

Grades the same submissions (corpus answers filled into the release) through each front end and
prints one row per submission with the three totals. The Classroom workflow is simulated as the tests do:
each step of release/xor_sgd/.github/workflows/classroom.yml runs with only PATH and HOME, in a
virtualenv that has only the template's requirements.txt.
"""
import csv
import json
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
from autograder.build import tool_env  # noqa: E402

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
    run([*nbgrader, "export"], course)
    return {row["student_id"]: float(row["score"]) for row in csv.DictReader((course / "grades.csv").open())}


def cli_score(notebook):
    done = run([sys.executable, "-m", "autograder", "grade", "--json", str(notebook)], ROOT)
    return json.loads(done.stdout)["score"]


def classroom_steps(notebook, python, scratch):
    """Run each grading step of the Classroom workflow, with its own timeout; yield (max_score, passed, seconds)."""
    repo = scratch / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(ROOT / "release" / "xor_sgd", repo)
    shutil.copy(notebook, repo / "xor_sgd.ipynb")
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    tmpdir = scratch / "tmp"  # private: a report cached by an earlier submission's run must not stand in
    shutil.rmtree(tmpdir, ignore_errors=True)
    tmpdir.mkdir()
    for step in workflow["jobs"]["run-autograding-tests"]["steps"]:
        if step.get("uses") != "classroom-resources/autograding-command-grader@v1":
            continue
        started = time.monotonic()
        try:
            done = subprocess.run(step["with"]["command"], shell=True, cwd=repo, capture_output=True,
                                  timeout=60 * step["with"]["timeout"],
                                  env={"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": str(scratch),
                                       "TMPDIR": str(tmpdir)})
            passed = done.returncode == 0
        except subprocess.TimeoutExpired:  # GitHub would cancel the step: no points
            passed = None
        yield step["with"]["max-score"], passed, time.monotonic() - started


def classroom_score(notebook, python, scratch):
    """Points the Classroom workflow gives: the sum of the max-score of the steps that exit 0."""
    return sum(points for points, passed, _ in classroom_steps(notebook, python, scratch) if passed)


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
