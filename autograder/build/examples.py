"""Example submissions kept as answers only: the cells a student changed, each under its nbgrader
grade_id. `fill` puts them into the current release notebook, so the examples (and the test corpus)
never go stale when the single source changes.

An answers file is a jupytext percent script whose cells say where they go:

    # %% nbgrader={"grade_id": "answer"}                         replaces the release cell `answer`
    # %% after="answer"                                           a cell the student added after `answer`
    # %% nbgrader={"grade_id": "given"} rename="mine"             replaces a locked cell and renames its grade_id
"""
from pathlib import Path

from .. import assignments

ROOT = Path(__file__).resolve().parents[2]


def release_of(name=assignments.DEFAULT):
    """The committed release notebook of an assignment."""
    return ROOT / "release" / name / f"{name}.ipynb"


RELEASE = release_of()


def fill(answers_path, release_path=None):
    """The release notebook with every cell of the answers file put in place of the cell with its grade_id
    (or, with `after`, added after that cell)."""
    import copy

    import jupytext
    import nbformat

    notebook = nbformat.read(str(release_path or RELEASE), as_version=4)
    by_id = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in notebook.cells}
    added = {}  # grade_id -> cells added after it, in file order
    for answer in jupytext.read(str(answers_path), fmt="py:percent").cells:
        after = answer.metadata.get("after")
        if after is not None:
            if after not in by_id:
                raise ValueError(f"{answers_path}: a cell added after an unknown grade_id ({after!r})")
            cell = nbformat.v4.new_code_cell(answer.source)
            cell["id"] = f"added-{sum(map(len, added.values())) + 1}"  # stable, unlike nbformat's random ids
            added.setdefault(after, []).append(cell)
            continue
        grade_id = answer.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in by_id:
            raise ValueError(f"{answers_path}: a cell without a grade_id of the release ({grade_id!r})")
        by_id[grade_id].source = answer.source
        if answer.metadata.get("rename"):
            by_id[grade_id].metadata = copy.deepcopy(by_id[grade_id].metadata)
            by_id[grade_id].metadata["nbgrader"]["grade_id"] = answer.metadata["rename"]
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        cells.extend(added.get(cell.metadata.get("nbgrader", {}).get("grade_id"), []))
    notebook.cells = cells
    return notebook


def write_filled(answer_paths, folder, release_path=None):
    """Each answers file filled into the release and written as FOLDER/<name>.ipynb; the paths written."""
    import nbformat

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path in answer_paths:
        target = folder / f"{Path(path).stem}.ipynb"
        nbformat.write(fill(path, release_path), str(target))
        written.append(target)
    return written
