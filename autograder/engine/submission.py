"""Reading a submission: a notebook (.ipynb) or a jupytext percent script (.py) becomes a list of code cells."""
import hashlib
import json
import os
from dataclasses import dataclass, replace

SUFFIXES = (".ipynb", ".py")
SKIPPED_DIRS = {"__pycache__", "node_modules"}  # and every hidden folder (.git, .autograder, ...)
MAX_BYTES = 20_000_000  # a submission larger than this is not a notebook a student wrote


class SubmissionError(Exception):
    """The file is not a readable notebook; the message is one line, in Spanish."""


@dataclass(frozen=True)
class Cell:
    """One code cell: its source, the nbgrader grade_id it carries (if any), and whether nbgrader locks it."""

    source: str
    grade_id: str = ""
    locked: bool = False


@dataclass(frozen=True)
class Submission:
    """The code cells of one notebook, in order, where they came from, and the assignment in its metadata."""

    path: str
    cells: tuple
    assignment: str = ""

    def cell_source(self, grade_id):
        """The source of the cell with this grade_id, or '' when the notebook has none."""
        return next((cell.source for cell in self.cells if cell.grade_id == grade_id), "")

    def fingerprint(self):
        """A stable hash of the code, used to seed this submission's hidden test points. The test cells are
        left out: nbgrader puts their hidden tests back, and the sandbox never runs them."""
        digest = hashlib.sha256()
        for cell in self.cells:
            if not cell.grade_id.startswith("test_"):
                digest.update(cell.source.encode("utf-8", "replace") + b"\0")
        return digest.hexdigest()


def from_notebook(notebook, path="<notebook>"):
    """A Submission from a notebook (nbformat node or plain JSON dict); odd cells are skipped, not trusted."""
    cells = []
    for cell in notebook.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(map(str, source)) if isinstance(source, list) else str(source)
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        nbgrader = metadata.get("nbgrader") if isinstance(metadata.get("nbgrader"), dict) else {}
        cells.append(Cell(source, str(nbgrader.get("grade_id", "")), nbgrader.get("locked") is True))
    metadata = notebook.get("metadata") if isinstance(notebook.get("metadata"), dict) else {}
    kit = metadata.get("autograder") if isinstance(metadata.get("autograder"), dict) else {}
    assignment = kit.get("assignment") if isinstance(kit.get("assignment"), str) else ""
    return Submission(str(path), tuple(cells), assignment[:100])


def release_cells(submission):
    """The release's code cells that run (not the test cells, which the sandbox skips), in order:
    [(grade_id, source, locked)]."""
    return [(cell.grade_id, cell.source, cell.locked) for cell in submission.cells
            if cell.grade_id and not cell.grade_id.startswith("test_")]


def restore_locked(submission, release):
    """The submission graded as nbgrader grades it: every locked cell of the release, as released. A changed
    locked cell is put back; a missing one (deleted, or renamed to escape the restore) is put back where the
    release has it. Returns the submission and the grade_ids put back."""
    order = [grade_id for grade_id, _, _ in release]
    locked = {grade_id: source for grade_id, source, is_locked in release if is_locked}
    present = {cell.grade_id for cell in submission.cells}
    restored = [cell.grade_id for cell in submission.cells if cell.grade_id in locked
                and cell.source != locked[cell.grade_id]]
    # A cell is locked because the release says so, never because the notebook's metadata claims it.
    cells = [replace(cell, source=locked[cell.grade_id], locked=True) if cell.grade_id in locked
             else cell if cell.grade_id.startswith("test_") else replace(cell, locked=False)
             for cell in submission.cells]
    for grade_id in order:
        if grade_id in locked and grade_id not in present:
            before = set(order[:order.index(grade_id)])
            at = max((i + 1 for i, cell in enumerate(cells) if cell.grade_id in before), default=0)
            cells.insert(at, Cell(locked[grade_id], grade_id, True))
            restored.append(grade_id)
    if not release:  # no release to compare with: the notebook as it is
        return submission, []
    return replace(submission, cells=tuple(cells)), restored


def read_ipynb(text):
    """A v4 notebook as plain JSON; older versions go through nbformat's converter.

    `import nbformat` costs ~3 s here (its JSON-schema format checkers), more than grading a notebook,
    so the common v4 case reads the JSON directly and nbformat is imported only when needed.
    """
    notebook = json.loads(text)
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells", []), list):
        raise ValueError("no tiene la estructura de un notebook")
    if notebook.get("nbformat") != 4:
        import nbformat

        notebook = nbformat.reads(text, as_version=4)
    return notebook


def read_percent_script(text):
    """A jupytext percent-format script as a notebook."""
    import jupytext

    return jupytext.reads(text, fmt="py:percent")


def load(path):
    """Read a .ipynb or jupytext .py file, or raise SubmissionError with a one-line reason."""
    path = str(path)
    if not path.endswith(SUFFIXES):
        raise SubmissionError(f"{path}: no es un notebook (.ipynb) ni un script jupytext (.py)")
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise SubmissionError(f"{path}: archivo demasiado grande ({size} bytes)")
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        notebook = read_ipynb(text) if path.endswith(".ipynb") else read_percent_script(text)
    except SubmissionError:
        raise
    except Exception as error:  # any parser failure is the same verdict: unreadable
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SubmissionError(f"{path}: no se pudo leer el notebook ({reason[:200]})") from None
    return from_notebook(notebook, path)


def discover(paths):
    """Expand directories into the submissions under them, sorted by path; files are kept as given.

    In a directory, a .py paired with a .ipynb of the same name is skipped: the notebook is graded.
    """
    found = []
    for path in paths:
        path = str(path)
        if not os.path.isdir(path):
            found.append(path)
            continue
        inside = []
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
            notebooks = {name[:-6] for name in files if name.endswith(".ipynb")}
            for name in files:
                paired = name.endswith(".py") and name[:-3] in notebooks  # the .ipynb is graded instead
                if name.endswith(SUFFIXES) and not paired:
                    inside.append(os.path.join(root, name))
        found.extend(sorted(inside))
    return found
