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
- The repository's grader (.autograder/), workflows (.github/workflows/) and requirements.txt (which the
  workflow installs) are compared with what the kit's release gives students; every edited, added or deleted
  file is listed, a symlink as itself.

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
from ..reports.text import printable
from .repository import NoNotebook, find_notebook

RECORD = "collect.json"
# What a student could edit to fake their own CI's verdict: the grader, the workflows, and the requirements the
# workflow installs (a package of theirs would run before the grader).
WATCHED = (".autograder", ".github/workflows", "requirements.txt")
MAX_WATCHED = 10_000_000  # bytes: a larger file is no file of the release, and is not read


def repository_id(name, assignment):
    """The student of a repository named `name`: what follows `<assignment>-` (see the module docstring)."""
    name = name[:-4] if name.endswith(".git") else name
    pattern = re.escape(assignment).replace("_", "[_-]").replace("\\-", "[_-]")
    found = list(re.finditer(pattern + "[_-]", name, re.IGNORECASE))
    student = name[found[-1].end():] if found else name
    return re.sub(r"[^A-Za-z0-9._-]", "_", student).strip(".") or "_"


def expected_files(assignment):
    """What the kit's release puts in the watched paths, relative path -> bytes."""
    files = {path: text for path, text in template.template_files(assignment).items() if path.startswith(WATCHED)}
    files.update(template.grader_files(assignment))
    release_cells = Path(assignments.__file__).parent / assignment / "release_cells.json"
    if release_cells.exists():
        files[f".autograder/autograder/assignments/{assignment}/release_cells.json"] = release_cells.read_text()
    return {path: text.encode("utf-8") for path, text in files.items()}


def linked_part(folder, watched):
    """The first of a watched path and its parent folders that is a symlink (relative), or None."""
    parts = Path(watched).parts
    for count in range(1, len(parts) + 1):
        if (Path(folder).joinpath(*parts[:count])).is_symlink():
            return "/".join(parts[:count])
    return None


def content(path):
    """A watched file as compared: its bytes, or a marker for a symlink or a file too large to be the release's."""
    if path.is_symlink():
        return b"<symlink>"
    if path.stat().st_size > MAX_WATCHED:
        return b"<too large>"
    return read_no_follow(path)


def watched_files(folder):
    """The files under the watched paths of a repository, relative path -> bytes. A symlink (a file, a folder
    or a watched path's parent) is its own entry, never followed; compiled caches count (Python runs them)."""
    found = {}
    for watched in WATCHED:
        link = linked_part(folder, watched)
        if link:
            found[link] = b"<symlink>"
            continue
        top = Path(folder) / watched
        if top.is_file():
            found[watched] = content(top)
        for root, dirs, files in os.walk(top, followlinks=False):  # a folder that is a symlink is not entered
            for name in files + [name for name in dirs if (Path(root) / name).is_symlink()]:
                path = Path(root) / name
                found[path.relative_to(folder).as_posix()] = content(path)
    return found


def tracked_files(folder):
    """The paths git tracks in a clone (None when it is not one): what the student pushed. Files the
    instructor's own runs leave in a local clone (a __pycache__, a feedback folder) are not the student's."""
    if not (Path(folder) / ".git").exists():
        return None
    done = subprocess.run(["git", "-C", str(folder), "ls-files", "-z"], capture_output=True, timeout=60)
    return set(os.fsdecode(path) for path in done.stdout.split(b"\0") if path) if done.returncode == 0 else None


def modified_files(folder, assignment):
    """Every watched file that differs from the release: edited, added or deleted (sorted paths)."""
    expected, present = expected_files(assignment), watched_files(folder)
    tracked = tracked_files(folder)
    if tracked is not None:
        present = {path: data for path, data in present.items() if path in tracked}
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
    # File names are the student's text: written out (reports.text.printable) before anything shows them.
    record = {"source": source, "id": student, "notebook": "", "note": "",
              "modified_files": [printable(path) for path in modified_files(folder, assignment)]}
    target = Path(out) / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    try:
        notebook, note = find_notebook(folder, assignment)
        (target / f"{assignment}.ipynb").write_bytes(read_no_follow(notebook))
        record["notebook"], record["note"] = printable(notebook.relative_to(folder).as_posix()), printable(note)
    except (NoNotebook, OSError) as problem:
        record["error"] = str(problem) if isinstance(problem, NoNotebook) else f"no se pudo leer el notebook: {problem}"
        (target / f"{assignment}.ipynb").unlink(missing_ok=True)  # a former run's copy is not this repository's
    # ASCII JSON: a file name's undecodable bytes (lone surrogates) are written as \udcXX, never a crash.
    (target / RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    return record


def collect(sources, out, assignment=assignments.DEFAULT):
    """Collect every source into out; return the rows, in order."""
    taken = {}
    with tempfile.TemporaryDirectory(prefix="autograder-collect-") as scratch:
        return [collect_one(source, out, assignment, scratch, taken) for source in sources]
