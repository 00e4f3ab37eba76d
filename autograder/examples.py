"""Example submissions kept as answers only: the cells a student changed, each under its nbgrader
grade_id. `fill` puts them into the current release notebook, so the examples (and the test corpus)
never go stale when the single source changes."""
from pathlib import Path

RELEASE = Path(__file__).resolve().parent.parent / "release" / "xor_sgd" / "xor_sgd.ipynb"


def fill(answers_path, release_path=RELEASE):
    """The release notebook with every cell of the answers file put in place of the cell with its grade_id."""
    import jupytext
    import nbformat

    notebook = nbformat.read(str(release_path), as_version=4)
    by_id = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in notebook.cells}
    for answer in jupytext.read(str(answers_path), fmt="py:percent").cells:
        grade_id = answer.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in by_id:
            raise ValueError(f"{answers_path}: a cell without a grade_id of the release ({grade_id!r})")
        by_id[grade_id].source = answer.source
    return notebook


def write_filled(answer_paths, folder):
    """Each answers file filled into the release and written as FOLDER/<name>.ipynb; the paths written."""
    import nbformat

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path in answer_paths:
        target = folder / f"{Path(path).stem}.ipynb"
        nbformat.write(fill(path), str(target))
        written.append(target)
    return written
