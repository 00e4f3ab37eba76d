"""build/template.py: the workflows a student repository and the kit's own CI run, and what they carry.

Every action any workflow uses must run on Node 24: GitHub's runners made it the default in June 2026 and
remove Node 20 in September 2026. NODE24 is what each action's action.yml declares (`runs: using:`) at the
tag the kit pins, read from the actions' repositories (actions/checkout v6.1.0 d23441a4, setup-python v6.3.0
ece7cb06, upload-artifact v6.0.0 b7c566a7, download-artifact v7.0.0 37930b1c). The classroom-resources
autograding actions declare node20 at their only tag (v1), so the kit does not use them.
"""
import re

from autograder import assignments
from autograder.build import template
from conftest import ROOT

NODE24 = {"actions/checkout@v6", "actions/setup-python@v6", "actions/upload-artifact@v6",
          "actions/download-artifact@v7"}


def used_actions(text):
    """Every `uses:` of a workflow's text."""
    return re.findall(r"^\s*-?\s*uses:\s*([^\s#]+)", text, re.MULTILINE)


def workflows():
    """Every workflow the kit has: its own CI, and each assignment's template (as released and as generated)."""
    found = {path.relative_to(ROOT).as_posix(): path.read_text() for path in (ROOT / ".github" / "workflows").glob("*.yml")}
    for name in assignments.NAMES:
        found[f"release/{name}/{template.WORKFLOW}"] = (ROOT / "release" / name / template.WORKFLOW).read_text()
        found[f"template of {name}"] = template.workflow_text(name)
    return found


def test_every_action_of_every_workflow_runs_on_node24():
    seen = set()
    for where, text in workflows().items():
        for action in used_actions(text):
            assert action in NODE24, f"{where}: {action} is not a Node 24 release the kit pins"
            seen.add(action)
    assert {template.uses(action) for action in template.ACTIONS} <= NODE24
    assert {"actions/checkout@v6", "actions/setup-python@v6", "actions/upload-artifact@v6"} <= seen


def test_the_template_names_no_retired_service():
    for name in assignments.NAMES:
        text = template.workflow_text(name)
        assert "classroom-resources" not in text and "education/autograding" not in text
        assert "python .autograder/grade.py" in text and "timeout-minutes" in text


def test_the_vendored_grader_has_no_build_code_and_no_nbgrader():
    files = template.grader_files(assignments.DEFAULT)
    assert ".autograder/grade.py" in files
    shipped = [path for path in files if path.startswith(".autograder/autograder/")]
    assert not any("/build/" in path or path.endswith("frontends/nbgrader.py") for path in shipped)
    assert any(path.endswith("frontends/classroom_step.py") for path in shipped)
    for path in shipped:  # the student's Python has numpy and matplotlib only
        assert not re.search(r"^(from|import) (nbgrader|nbconvert|jupytext|build)\b", files[path], re.MULTILINE), path


def test_the_student_readme_says_what_a_push_shows_and_the_points_of_every_check():
    for name in assignments.NAMES:
        spec = assignments.get(name)
        readme = (ROOT / "release" / name / "README.md").read_text(encoding="utf-8")
        assert "{tabla_de_puntos}" not in readme
        for where in ("Actions", "Annotations", "Artifacts", "devolucion", "Puntaje", template.WORKFLOW):
            assert where in readme, f"{name}: the README does not say where to find {where}"
        rows = dict(re.findall(r"^\| `([^`]+)` \| ([0-9.]+) \|$", readme, re.MULTILINE))
        assert rows == {check.name: f"{check.points:g}" for check in spec.checks}
        assert f"| **total** | **{spec.max_score:g}** |" in readme
        assert "classroom-resources" not in readme and "classroom.yml" not in readme
