"""Reading a submission: a notebook (.ipynb) or a jupytext percent script (.py) becomes a list of code cells."""
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, replace

SUFFIXES = (".ipynb", ".py")
SKIPPED_DIRS = {"__pycache__", "node_modules"}  # and every hidden folder (.git, .autograder, ...)
MAX_BYTES = 20_000_000  # a submission larger than this is not a notebook a student wrote
MAX_HEADER = 20_000  # characters of a jupytext YAML header (a real one has a few hundred)
HEADER_MARK = re.compile(r"---\s*")  # jupytext's `# ---` lines, uncommented


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


def yaml_header(text):
    """The YAML between the first two `# ---` lines of a script's leading comments ('' when there is none)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    marks = [index for index, line in enumerate(lines) if HEADER_MARK.fullmatch(line)]
    return "\n".join(lines[marks[0] + 1:marks[1]]) if len(marks) >= 2 else ""


def refuse_yaml_aliases(text):
    """Raise SubmissionError when a script's YAML header is huge or uses aliases: jupytext parses it with
    PyYAML, and nested aliases ("billion laughs") make a few hundred bytes expand to gigabytes."""
    import yaml

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise SubmissionError("la cabecera YAML usa alias (*nombre), que una entrega no necesita")
            return super().compose_node(parent, index)

    header = yaml_header(text)
    if len(header) > MAX_HEADER:
        raise SubmissionError(f"la cabecera YAML es demasiado grande ({len(header)} caracteres)")
    if header:
        yaml.load(header, Loader=NoAliases)  # noqa: S506 (a SafeLoader without aliases)


def read_percent_script(text):
    """A jupytext percent-format script as a notebook (its YAML header checked first, before jupytext sees it)."""
    refuse_yaml_aliases(text)
    import jupytext

    return jupytext.reads(text, fmt="py:percent")


def through_symlink(path):
    """Where a relative path really leads when a symlinked folder below the current one takes it elsewhere
    (as `grade submitted/*/…` expands through a student's symlink), else None."""
    if os.path.isabs(path):
        return None
    real = os.path.realpath(path)
    return real if real != os.path.normpath(os.path.join(os.path.realpath(os.getcwd()), path)) else None


def read_text(path):
    """A regular file's text: never through a symlink, never blocking on a FIFO, never more than MAX_BYTES."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise SubmissionError("no es un archivo común")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise SubmissionError(f"archivo demasiado grande (más de {MAX_BYTES} bytes)")
    return data.decode("utf-8")


def load(path):
    """Read a .ipynb or jupytext .py file, or raise SubmissionError with a one-line reason. A symlink is
    refused, not followed: it could be a classmate's notebook or the solution."""
    path = str(path)
    if os.path.islink(path):
        raise SubmissionError(f"{path}: es un enlace simbólico: no se corrige (podría ser el notebook de otro "
                              "alumno o la solución); hay que entregar el archivo mismo")
    if not path.endswith(SUFFIXES):
        raise SubmissionError(f"{path}: no es un notebook (.ipynb) ni un script jupytext (.py)")
    real = through_symlink(path)
    if real:
        raise SubmissionError(f"{path}: su ruta pasa por un enlace simbólico a otra carpeta ({real}): no se corrige")
    try:
        text = read_text(path)
        notebook = read_ipynb(text) if path.endswith(".ipynb") else read_percent_script(text)
        return from_notebook(notebook, path)
    except SubmissionError as error:
        raise SubmissionError(f"{path}: {error}") from None
    except Exception as error:  # any parser failure (deep nesting, huge numbers, bad UTF-8...) is one row
        reason = str(error).splitlines()[0] if str(error).strip() else type(error).__name__
        raise SubmissionError(f"{path}: no se pudo leer el notebook ({reason[:200]})") from None


def discover(paths):
    """Expand directories into the submissions under them, sorted by path; files are kept as given, and a path
    given twice is graded once. Symlinked folders are not followed; a symlinked file is kept, so that load()
    refuses it in its own row.

    In a directory, a .py paired with a .ipynb of the same name is skipped: the notebook is graded.
    """
    found, seen = [], set()
    for path in paths:
        path = str(path)
        if not os.path.isdir(path):
            inside = [path]
        else:
            inside = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
                notebooks = {name[:-6] for name in files if name.endswith(".ipynb")}
                for name in files:
                    paired = name.endswith(".py") and name[:-3] in notebooks  # the .ipynb is graded instead
                    if name.endswith(SUFFIXES) and not paired:
                        inside.append(os.path.join(root, name))
            inside.sort()
        for file in inside:
            key = os.path.normpath(os.path.abspath(file))
            if key not in seen:
                seen.add(key)
                found.append(file)
    return found
