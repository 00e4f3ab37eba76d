"""The course directory's generated files, for every assignment, from its single source:

    source/<a>.py                   the single source (jupytext percent + nbgrader metadata): edit this
      -> source/<a>/<a>.ipynb       nbgrader's source notebook, and the template files nbgrader copies
      -> release/<a>/               nbgrader generate_assignment: student notebook, paired .py, template files
      -> solutions/<a>.ipynb        the instructor solution, executed, with its plot (+ paired .py)
      -> autograder/assignments/<a>/release_cells.json   the release's cells, shipped with the grader
    and, never committed: release/<a>/.autograder/ (the grader the template carries) and
    classroom50/ (the Classroom 50 bundles).

`compare` lists every committed file that differs from a fresh build in a scratch course directory.
"""
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import assignments
from . import template
from .notebooks import (ROOT, comparable, execute_solution, notebook_text, read_single_source, script_text,
                        single_source, tool_env)


def release_cells_path(name):
    """Where the release's cells are shipped inside the package, relative to the course directory."""
    return Path("autograder") / "assignments" / name / "release_cells.json"


def run_generate_assignment(course_dir, name):
    """nbgrader's own generate_assignment in course_dir (it also registers the assignment in the gradebook)."""
    command = [sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force", "--log-level=WARN"]
    done = subprocess.run(command, cwd=course_dir, env=tool_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{done.stdout}\n{done.stderr}")


def release_cells_text(release):
    """The release's code cells, as the grader restores locked ones: shipped inside the package."""
    import nbformat

    from ..engine.submission import from_notebook, release_cells

    cells = release_cells(from_notebook(nbformat.read(release, as_version=4)))
    return json.dumps(cells, ensure_ascii=False, indent=1) + "\n"


def generate_one(course_dir, name):
    """Build every generated file of one assignment inside course_dir."""
    notebook = read_single_source(course_dir, name)
    source_dir = course_dir / "source" / name
    if source_dir.exists():
        shutil.rmtree(source_dir)
    source_dir.mkdir(parents=True)
    write(source_dir / f"{name}.ipynb", notebook_text(notebook))
    for relative, text in template.template_files(name).items():
        write(source_dir / relative, text)
    # nbgrader copies every file of source/<a>/ into the release: the student's paired script is put there
    # too, made from nbgrader's own release notebook, so a plain `nbgrader generate_assignment` reproduces
    # the committed release exactly.
    run_generate_assignment(course_dir, name)
    release = course_dir / "release" / name / f"{name}.ipynb"
    import nbformat

    student_script = script_text(nbformat.read(release, as_version=4))
    write(source_dir / f"{name}.py", student_script)
    write(release.with_suffix(".py"), student_script)
    cells = release_cells_text(release)  # known only now
    write(course_dir / release_cells_path(name), cells)
    # The grader the template carries and the Classroom 50 bundle: generated, never committed.
    shipped = {f"autograder/assignments/{name}/release_cells.json": cells}
    for relative, text in template.grader_files(name).items():
        write(release.parent / relative, shipped.get(relative.removeprefix(".autograder/"), text))
    for relative, text in template.bundle_files(name).items():
        write(course_dir / "classroom50" / relative, shipped.get(relative.split("/", 2)[-1], text))
    solved = execute_solution(read_single_source(course_dir, name), name)
    keep_unless_changed(course_dir / "solutions" / f"{name}.ipynb", notebook_text(solved))
    write(course_dir / "solutions" / f"{name}.py", script_text(solved))


def generate(course_dir):
    """Build every assignment's generated files inside course_dir; return their relative paths."""
    course_dir = Path(course_dir)
    for name in assignments.NAMES:
        generate_one(course_dir, name)
    return generated_files(course_dir)


def keep_unless_changed(path, text):
    """Write an executed notebook only when more than its plot's PNG bytes changed (see `comparable`): a
    build must not dirty a clone for them."""
    relative = str(path.relative_to(path.parents[1]))
    if path.exists() and comparable(relative, path.read_text(encoding="utf-8")) == comparable(relative, text):
        return
    write(path, text)


def write(path, text):
    """Write text with Unix newlines, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def generated_files(course_dir):
    """Relative paths of every committed generated file (the vendored grader and bundles are not committed)."""
    course_dir = Path(course_dir)
    folders = [Path(top) / name for name in assignments.NAMES for top in ("source", "release")] + [Path("solutions")]
    files = [str(path.relative_to(course_dir)) for folder in folders for path in (course_dir / folder).rglob("*")
             if path.is_file() and "__pycache__" not in path.parts and ".autograder" not in path.parts]
    shipped = [str(release_cells_path(name)) for name in assignments.NAMES
               if (course_dir / release_cells_path(name)).exists()]
    return sorted(files + shipped)


def compare(fresh_dir, course_dir):
    """Every generated file of course_dir that differs from the fresh build in fresh_dir, with why."""
    fresh_dir, course_dir = Path(fresh_dir), Path(course_dir)
    fresh = generated_files(fresh_dir)
    problems = []
    for relative in fresh:
        current = course_dir / relative
        if not current.exists():
            problems.append(f"{relative}: missing (run `python -m autograder build`)")
            continue
        new_text = (fresh_dir / relative).read_text(encoding="utf-8")
        old_text = current.read_text(encoding="utf-8", errors="replace")
        if comparable(relative, old_text) != comparable(relative, new_text):
            problems.append(f"{relative}: stale or edited by hand (edit source/<assignment>.py and rebuild)")
    for relative in generated_files(course_dir):
        if relative not in fresh:
            problems.append(f"{relative}: not generated by the build (remove it, or add it to the build)")
    return problems


@contextlib.contextmanager
def scratch_build(course_dir=ROOT):
    """A fresh build of course_dir's single sources in a temporary course directory (deleted afterwards):
    what `build --check` compares and what the demo grades, without touching the committed files."""
    course_dir = Path(course_dir)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "source").mkdir()
        for name in assignments.NAMES:
            shutil.copy(course_dir / single_source(name), scratch / single_source(name))
        shutil.copy(course_dir / "nbgrader_config.py", scratch / "nbgrader_config.py")
        generate(scratch)
        yield scratch


def stale_files(course_dir=ROOT):
    """Build into a temporary course directory and list every file that differs from course_dir."""
    with scratch_build(course_dir) as scratch:
        return compare(scratch, course_dir)


def in_repository(course_dir=ROOT):
    """Whether the kit runs from its repository (the build needs source/ and nbgrader_config.py)."""
    course_dir = Path(course_dir)
    return (course_dir / "nbgrader_config.py").exists() and all(
        (course_dir / single_source(name)).exists() for name in assignments.NAMES)
