"""The Classroom 50 autograder: what the bundle's autograder.py runs in the student's checkout.

Classroom 50 (foundation50/classroom50, wiki/Advanced-Autograding.md) fetches the teacher's bundle
CLASSROOM/autograders/ASSIGNMENT/ fresh on every run and executes its autograder.py with the student's
checkout as the working directory. It must write ./result.json (schema classroom50/result/v1: integer
score and max-score, one test per check) and may write ./release-body.md (the Markdown of the submission's
release). Exit 0 when grading ran, whatever the grade: a non-zero exit is an infrastructure error, and the
runner then publishes nothing. A missing, renamed or broken notebook is a graded result, with its reason.
"""
import json
import os
import sys
import time
from pathlib import Path

from .repository import NoNotebook, find_notebook, markdown

SCHEMA = "classroom50/result/v1"
CHART = "curvas.png"  # a release asset when the assignment lists it in release_assets


def identity():
    """The fields Classroom 50 checks against the run, from its environment (the runner stamps the rest)."""
    env = os.environ
    commit = env.get("COMMIT_URL", "")
    return {
        "schema": SCHEMA,
        "classroom": env.get("CLASSROOM", ""),
        "assignment": env.get("ASSIGNMENT", ""),
        "assignment_type": env.get("ASSIGNMENT_TYPE", "individual"),
        "owner": env.get("OWNER") or env.get("USERNAME") or env.get("GITHUB_ACTOR", ""),
        "submission": env.get("SUBMISSION_TAG", ""),
        "commit": commit,
        "release": env.get("RELEASE_URL", ""),
        "review": env.get("REVIEW_URL") or commit,
        "datetime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def tests(checks, message=None):
    """One test per check, integer points (the runner refuses floats), with the Spanish feedback and its code."""
    return [{"test-name": check.name, "passed": check.score == check.max_score, "score": int(round(check.score)),
             "max-score": int(round(check.max_score)), "message": message or check.feedback,
             "diagnosis": check.diagnosis} for check in checks]


def chart_link(result, spec):
    """Write the curves as ./curvas.png; the Markdown that shows it from the release (or '' without one)."""
    png = spec.chart(*result.curves()) if spec.chart else None
    if not png:
        return ""
    Path(CHART).write_bytes(png)
    release = os.environ.get("RELEASE_URL", "")
    if "/releases/tag/" not in release:
        return ""
    url = release.replace("/releases/tag/", "/releases/download/") + "/" + CHART
    return (f"![Tus curvas: {spec.texts.get('curves_title', 'entrenamiento')}]({url})\n\n(Si la imagen no se ve, está entre los archivos de esta "
            f"entrega: {CHART}.)")


def main(assignment, folder="."):
    """Grade the checkout's notebook and write result.json and release-body.md; 0 when grading ran."""
    from .. import assignments
    from ..engine.grading import all_failed, grade

    spec = assignments.get(assignment)
    os.chdir(folder)
    try:
        notebook, note = find_notebook(".", assignment)
    except NoNotebook as missing:
        checks = all_failed(spec, str(missing), "not_evaluated")
        body = f"### 0/{spec.max_score:g} puntos\n\n{missing}\n"
    else:
        result = grade(str(notebook), assignment=assignment)
        if result.internal_error:  # the grader's own failure: no grade rather than a wrong one
            print(f"error interno del autograder: {result.internal_error}", file=sys.stderr)
            return 1
        checks = result.checks
        body = markdown(result, note, chart_link(result, spec))
    report = dict(identity(), score=int(round(sum(c.score for c in checks))),
                  **{"max-score": int(round(spec.max_score)), "tests": tests(checks)})
    Path("result.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    Path("release-body.md").write_text(body, encoding="utf-8")
    print(f"{report['score']}/{report['max-score']} puntos")
    return 0
