"""frontends/collect.py: `collect` copies each student's notebook from their repository into nbgrader's layout
and lists what they edited of its grader; a later `grade` shows that in the CSV, the cohort report and the
student's page.

Each student repository is a real git repository made as the template makes it (the committed release, the
grader the build vendors into .autograder/, a notebook), tampered with as a student could. `collect` and
`grade` run once for the whole class, as the instructor runs them, in subprocesses.
"""
import csv
import json
import os
import re
import shutil
import subprocess

import pytest

from autograder.build import template
from autograder.frontends.collect import repository_id
from autograder.reports.text import printable
from conftest import ROOT, cli

NAME = "xor_sgd"
RELEASE = ROOT / "release" / NAME
BLANK = (RELEASE / f"{NAME}.ipynb").read_bytes()
SOLUTION = (ROOT / "solutions" / f"{NAME}.ipynb").read_bytes()
STEP = ".autograder/grade.py"
MODULE = ".autograder/autograder/engine/verdict.py"
DELETED = ".autograder/autograder/reports/moodle.py"
CACHE = ".autograder/autograder/engine/__pycache__/verdict.cpython-312.pyc"  # Python would run it, not verdict.py
HOSTILE = ".autograder/<img src=x onerror=alert(1)>.py"  # a file name is the student's text too
UNDECODABLE = os.fsdecode(b".autograder/\xff\x1b[2J.py")  # bytes no UTF-8 decodes, and an escape sequence
GIT = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "alumno",
       "GIT_AUTHOR_EMAIL": "alumno@example.org", "GIT_COMMITTER_NAME": "alumno",
       "GIT_COMMITTER_EMAIL": "alumno@example.org"}


def git(*args, cwd):
    """Run git in cwd, isolated from the machine's configuration."""
    subprocess.run(["git", *map(str, args)], cwd=cwd, env=dict(os.environ, **GIT), check=True, capture_output=True)


def repository(parent, name, notebook=BLANK, notebook_name=f"{NAME}.ipynb", tamper=None):
    """A student's repository as the template makes it, with their notebook, tampered with, committed."""
    repo = parent / name
    shutil.copytree(RELEASE, repo, ignore=shutil.ignore_patterns(".autograder", f"{NAME}.*"))
    for relative, text in template.grader_files(NAME).items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text(text, encoding="utf-8")
    if notebook is not None:
        (repo / notebook_name).write_bytes(notebook)
    if tamper:
        tamper(repo)
    git("init", "--quiet", "--initial-branch", "main", cwd=repo)
    git("add", "--all", "--force", cwd=repo)  # what a student commits on purpose, ignored or not
    git("commit", "--quiet", "--message", "entrega", cwd=repo)
    return repo


def exit_zero(repo):
    """(a) The step the workflow runs passes whatever the notebook is."""
    (repo / STEP).write_text("import sys\nsys.exit(0)\n")


def runs_true(repo):
    """(b) Every `run:` of the workflow is `true`."""
    workflow = repo / template.WORKFLOW
    text, count = re.subn(r"^(\s*run:\s*).*$", r"\1true", workflow.read_text(), flags=re.MULTILINE)
    assert count >= 2
    workflow.write_text(text)


def edited_grader(repo):
    """(c) A grader module edited (every failed check passes), one deleted, a compiled one and two with hostile
    names added."""
    module = repo / MODULE
    module.write_text(module.read_text() + "\nfailed = lambda name, points, *a, **k: passed(name, points)\n")
    (repo / DELETED).unlink()
    (repo / CACHE).parent.mkdir()
    (repo / CACHE).write_bytes(b"\xcb\r\r\n" + bytes(12))
    (repo / HOSTILE).write_text("")
    (repo / UNDECODABLE).write_text("")


def outside_links(repo):
    """The notebook and .github as symlinks to the solution and an identical copy beside the repository."""
    (repo / f"{NAME}.ipynb").symlink_to(f"../solutions/{NAME}.ipynb")
    shutil.move(repo / ".github", repo.parent / "copia-github")
    (repo / ".github").symlink_to("../copia-github")


def absolute_link(repo):
    """The notebook as a symlink to an absolute path outside the repository."""
    (repo / f"{NAME}.ipynb").symlink_to(repo.parent / "solutions" / f"{NAME}.ipynb")


MODIFIED = {  # student -> the files `collect` must list
    "ana": [STEP],
    "beto": [template.WORKFLOW],
    "carla": [printable(path) for path in sorted([MODULE, DELETED, CACHE, HOSTILE, UNDECODABLE])],  # written out
    "dora": [],
    "gus": [],
    "hana": [],
}
SCORES = {"ana": 0, "beto": 0, "carla": 0, "dora": 18, "gus": 18, "hana": 18}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One class: its repositories collected in one `collect`, the collected notebooks graded in one `grade`."""
    base = tmp_path_factory.mktemp("clase")
    repos = base / "repos"
    (repos / "solutions").mkdir(parents=True)
    (repos / "solutions" / f"{NAME}.ipynb").write_bytes(SOLUTION)  # what a followed symlink would copy
    sources = [
        repository(repos, f"cs101-{NAME}-ana", tamper=exit_zero),
        repository(repos, f"cs101-{NAME}-beto", tamper=runs_true),
        repository(repos, f"{NAME}-carla", tamper=edited_grader),
        repository(repos, f"{NAME}-dora", notebook=SOLUTION),
        repository(repos, f"{NAME}-eli", notebook=None, tamper=outside_links),
        repository(repos, f"{NAME}-fabi", notebook=None, tamper=absolute_link),
        repository(repos, f"{NAME}-gus", notebook=SOLUTION, notebook_name=f"Copia de {NAME}.ipynb"),
    ]
    hana = repository(base, f"{NAME}-hana", notebook=SOLUTION)
    git("clone", "--quiet", "--bare", hana, repos / f"{NAME}-hana.git", cwd=base)
    shutil.rmtree(hana)
    sources.append(f"file://{repos / f'{NAME}-hana.git'}")
    (base / "otra").mkdir()
    sources.append(repository(base / "otra", f"{NAME}-dora"))  # a second repository with dora's id
    out = base / "submitted"
    stale = out / "eli" / NAME / f"{NAME}.ipynb"  # a former run's copy: eli's repository has no notebook now
    stale.parent.mkdir(parents=True)
    stale.write_bytes(BLANK)
    collected = cli("collect", *sources, "--out", out)
    report = base / "informe"
    graded = cli("grade", out, "--json", "--csv", base / "notas.csv", "--report", report, "--jobs", "2")
    assert graded.returncode == 0, graded.stderr
    return {"base": base, "out": out, "collect": collected, "report": report,
            "json": {row["id"]: row for row in json.loads(graded.stdout)},
            "csv": {row["id"]: row for row in csv.DictReader((base / "notas.csv").open(encoding="utf-8"))},
            "cohort": json.loads((report / "cohort.json").read_text(encoding="utf-8"))}


def record(run, student):
    """What `collect` kept beside a student's notebook."""
    return json.loads((run["out"] / student / NAME / "collect.json").read_text(encoding="utf-8"))


def page(run, student):
    """A student's page of the cohort report."""
    return (run["report"] / "students" / f"{student}.html").read_text(encoding="utf-8")


def test_the_tampered_step_is_the_one_the_workflow_runs():
    assert f"run: python {STEP}" in template.workflow_text(NAME)
    assert (RELEASE / template.WORKFLOW).read_text() == template.workflow_text(NAME)


@pytest.mark.parametrize("name, student", [
    (f"cs101-{NAME}-ana", "ana"), (f"{NAME}-ana", "ana"), ("xor-sgd-Ana.git", "Ana"),
    (f"{NAME}_ana-perez", "ana-perez"), (f"cs101-{NAME}-{NAME}-beto", "beto"), ("ana", "ana"),
    (f"{NAME}-../../x", "_.._x"), (f"{NAME}-..", "_"),
])
def test_the_id_is_what_follows_the_assignment_in_the_name(name, student):
    assert repository_id(name, NAME) == student


def test_every_repository_is_collected_into_nbgrader_layout_or_refused(run):
    done = run["collect"]
    assert done.returncode == 2, done.stderr  # eli, fabi and the second dora are refused; the rest collected
    assert "\x1b" not in done.stdout and "\\x1b[2J" in done.stdout  # a file name's escape is written out
    lines = done.stdout.splitlines()  # one per source, in order: ana beto carla dora eli fabi gus hana dora
    assert [line.split()[0] for line in lines] == ["ana", "beto", "carla", "dora", "eli", "fabi", "gus", "hana", "dora"]
    assert f"repositorio modificado: {STEP}" in lines[0] and lines[3].rstrip().endswith("ok")
    assert "error: el id dora ya es de" in lines[8] and "error" not in lines[7]
    for student in SCORES:
        assert (run["out"] / student / NAME / f"{NAME}.ipynb").is_file(), student
    assert sorted(path.name for path in run["out"].iterdir()) == sorted([*SCORES, "eli", "fabi"])


def test_a_notebook_that_is_a_symlink_is_refused_never_copied_as_its_target(run):
    for student in ("eli", "fabi"):
        assert not (run["out"] / student / NAME / f"{NAME}.ipynb").exists(), student  # the stale copy is gone too
        assert "enlace simbólico" in record(run, student)["error"] and record(run, student)["notebook"] == ""
    copies = [path for path in run["out"].rglob("*.ipynb") if path.read_bytes() == SOLUTION]
    assert sorted(path.parts[-3] for path in copies) == ["dora", "gus", "hana"]
    # eli's .github is a symlink to an identical copy: not followed, so it and the workflow it hid are listed
    assert record(run, "eli")["modified_files"] == [".github", template.WORKFLOW]


def test_a_renamed_notebook_is_collected_with_a_note(run):
    found = record(run, "gus")
    assert found["notebook"] == f"Copia de {NAME}.ipynb" and found["modified_files"] == []
    assert f"se corrigió el único notebook del repositorio, Copia de {NAME}.ipynb" in found["note"]
    assert run["json"]["gus"]["collect_note"] == found["note"] and run["json"]["gus"]["score"] == 18
    assert "Copia de" in page(run, "gus") and 'id="modified"' not in page(run, "gus")


def test_a_file_url_is_cloned(run):
    found = record(run, "hana")
    assert found["source"].startswith("file://") and found["notebook"] == f"{NAME}.ipynb"
    assert run["json"]["hana"]["score"] == 18


def test_every_edited_added_or_deleted_grader_file_is_flagged_and_graded_here(run):
    for student, files in MODIFIED.items():
        assert record(run, student)["modified_files"] == files, student
        assert run["json"][student]["modified_files"] == files, student
        assert run["json"][student]["score"] == SCORES[student], student
        row = run["csv"][student]
        assert row["score"] == str(SCORES[student]) and row["max_score"] == "18"
        assert row["modified_files"] == ";".join(printable(path) for path in files), student
    assert "\\udcff\\x1b[2J.py" in run["csv"]["carla"]["modified_files"]


def test_the_cohort_report_says_which_repositories_were_modified(run):
    assert [item["id"] for item in run["cohort"]["modified"]] == ["ana", "beto", "carla"]
    index = (run["report"] / "index.html").read_text(encoding="utf-8")
    section = index.split('<div class="alert" id="modified">')[1].split("</div>")[0]
    assert "Repositorio modificado" in section and f"<code>{STEP}</code>" in section
    assert f"<code>{template.WORKFLOW}</code>" in section and "dora" not in section
    for student in ("ana", "beto", "carla"):
        row = index.split(f'<tr data-student="{student}">')[1].split("</tr>")[0]
        assert "repositorio modificado" in row, student
    row = index.split('<tr data-student="dora">')[1].split("</tr>")[0]
    assert "repositorio modificado" not in row


def test_the_students_page_lists_the_modified_files_escaped(run):
    for student, files in MODIFIED.items():
        text = page(run, student)
        assert ("Repositorio modificado" in text) == bool(files), student
    carla = page(run, "carla")
    assert f"<code>{MODULE}</code>" in carla and f"<code>{DELETED}</code>" in carla
    assert "&lt;img src=x onerror=alert(1)&gt;.py" in carla and "<img src=x" not in carla
    assert "\x1b" not in carla
