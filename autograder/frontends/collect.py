"""`python -m autograder collect SOURCE... --out DIR`: the instructor's copy of each student's notebook.

A SOURCE is a repository URL (cloned, shallow) or a local clone (from `gh repo list ORG`, ghclass, or the
repositories Classroom 50's `gh teacher download` clones). Each student's notebook is copied into nbgrader's
layout, DIR/<id>/<assignment>/<assignment>.ipynb, ready for `nbgrader autograde` or `python -m autograder
grade DIR`, which is the grade of record: students can edit the grader and the workflow in their own
repositories, so whatever those reported there is not trusted here.

- The id is the repository's (or folder's) name after `<assignment>-` (GitHub Classroom names repositories
  `<assignment>-<user>`, Classroom 50 `<classroom>-<assignment>-<user>`; `_` and `-` count alike), else the
  whole name.
- A symlink is never followed: a notebook that is one is refused, not copied as its target.
- Without `<assignment>.ipynb`, a repository's only notebook is collected, with a note.
- The repository's grader (.autograder/) and workflows (.github/workflows/) are compared with what the kit's
  release gives students; every edited, added or deleted file is listed.

What was found is kept beside the notebook in collect.json, so that `grade` shows it later: the CSV's
`modified_files` column, and "repositorio modificado" in the cohort report and the student's page.
"""
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from .. import assignments
from ..build import template
from .repository import NoNotebook, find_notebook

RECORD = "collect.json"
WATCHED = (".autograder", ".github/workflows")  # what a student could edit to fake their own CI's verdict


def repository_id(name, assignment):
    """The student of a repository named `name`: what follows `<assignment>-` (see the module docstring)."""
    name = name[:-4] if name.endswith(".git") else name
    pattern = re.escape(assignment).replace("_", "[_-]").replace("\\-", "[_-]")
    found = list(re.finditer(pattern + "[_-]", name, re.IGNORECASE))
    student = name[found[-1].end():] if found else name
    return re.sub(r"[^A-Za-z0-9._-]", "_", student).strip(".") or "_"


def expected_files(assignment):
    """What the kit's release puts in the watched folders, relative path -> bytes."""
    files = {path: text for path, text in template.template_files(assignment).items() if path.startswith(WATCHED)}
    files.update(template.grader_files(assignment))
    release_cells = Path(assignments.__file__).parent / assignment / "release_cells.json"
    if release_cells.exists():
        files[f".autograder/autograder/assignments/{assignment}/release_cells.json"] = release_cells.read_text()
    return {path: text.encode("utf-8") for path, text in files.items()}


def watched_files(folder):
    """The files under the watched folders of a repository, relative path -> bytes (symlinks as their link)."""
    found = {}
    for watched in WATCHED:
        top = Path(folder) / watched
        if top.is_symlink():
            found[watched] = b"<symlink>"
            continue
        for root, dirs, files in os.walk(top, followlinks=False):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                path = Path(root) / name
                relative = path.relative_to(folder).as_posix()
                found[relative] = b"<symlink>" if path.is_symlink() else path.read_bytes()
    return found


def modified_files(folder, assignment):
    """Every watched file that differs from the release: edited, added or deleted (sorted paths)."""
    expected, present = expected_files(assignment), watched_files(folder)
    return sorted(path for path in set(expected) | set(present) if expected.get(path) != present.get(path))


def read_no_follow(path):
    """A file's bytes, refusing a symlink (O_NOFOLLOW: no race between a check and the open)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()


def local_copy(source, scratch):
    """A folder with the repository: a local clone as it is, or a shallow clone of a URL into scratch."""
    if os.path.isdir(source):
        return Path(source), Path(os.path.abspath(source)).name
    name = source.rstrip("/").split("/")[-1]
    target = Path(scratch) / f"{len(os.listdir(scratch))}-{name}"
    done = subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--", source, str(target)],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise OSError(f"no se pudo clonar: {done.stderr.strip()[:200]}")
    return target, name


def collect_one(source, out, assignment, scratch, taken):
    """Collect one repository; return its row (id, notebook or '', note, modified files, error)."""
    try:
        folder, name = local_copy(source, scratch)
    except (OSError, subprocess.SubprocessError) as error:
        return {"source": source, "id": "", "error": str(error)}
    student = repository_id(name, assignment)
    if student in taken:
        return {"source": source, "id": student, "error": f"el id {student} ya es de {taken[student]}"}
    taken[student] = source
    record = {"source": source, "id": student, "notebook": "", "note": "",
              "modified_files": modified_files(folder, assignment)}
    target = Path(out) / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    try:
        notebook, record["note"] = find_notebook(folder, assignment)
        (target / f"{assignment}.ipynb").write_bytes(read_no_follow(notebook))
        record["notebook"] = notebook.relative_to(folder).as_posix()
    except (NoNotebook, OSError) as problem:
        record["error"] = str(problem) if isinstance(problem, NoNotebook) else f"no se pudo leer el notebook: {problem}"
    (target / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return record


def collect(sources, out, assignment=assignments.DEFAULT):
    """Collect every source into out; return the rows, in order."""
    taken = {}
    with tempfile.TemporaryDirectory(prefix="autograder-collect-") as scratch:
        return [collect_one(source, out, assignment, scratch, taken) for source in sources]
