"""`python -m autograder build [--check]`: every generated file, from the single source source/xor_sgd.py.

    source/xor_sgd.py                  the single source (jupytext percent + nbgrader metadata): edit this
      -> source/xor_sgd/xor_sgd.ipynb  nbgrader's source notebook
      -> release/xor_sgd/              nbgrader generate_assignment: student notebook, paired .py, template files
      -> solutions/xor_sgd.ipynb       the instructor solution, executed, with its MSE plot (+ paired .py)

`--check` builds into a temporary course directory and compares: it exits 1 and names every file that
is stale, missing, or was edited by hand.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "xor_sgd"
SINGLE_SOURCE = Path("source") / f"{ASSIGNMENT}.py"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
RELEASE_CELLS = Path("autograder") / "assignments" / ASSIGNMENT / "release_cells.json"
GENERATED_DIRS = (Path("source") / ASSIGNMENT, Path("release") / ASSIGNMENT, Path("solutions"))
# jupytext writes its own version into the header; leaving it out keeps the files byte-stable across versions.
SCRIPT_METADATA_FILTER = "kernelspec,jupytext,-jupytext.text_representation.jupytext_version"
SOLUTION_TIMEOUT = 300


def read_single_source(course_dir):
    """The single source as a notebook with clean, fixed metadata and the self-check's expected values."""
    import jupytext

    from .assignments.xor_sgd import selfcheck

    text = (Path(course_dir) / SINGLE_SOURCE).read_text(encoding="utf-8")
    notebook = jupytext.reads(selfcheck.fill(text), fmt="py:percent")
    notebook.metadata = metadata()
    for index, cell in enumerate(notebook.cells):  # nbformat draws random ids; fixed ones keep builds byte-stable
        cell.id = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell-{index:02d}"
    return notebook


def metadata():
    """A generated notebook's metadata: the kernel, and the assignment it belongs to (the CLI reads it)."""
    return {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"},
            "autograder": {"assignment": ASSIGNMENT}}


def notebook_text(notebook):
    """nbformat's own serialisation (sorted keys), with a final newline."""
    import nbformat

    return nbformat.writes(notebook) + "\n"


def script_text(notebook):
    """The jupytext percent script paired with a notebook."""
    import jupytext

    notebook = jupytext.reads(notebook_text(notebook), fmt="ipynb")
    notebook.metadata.setdefault("jupytext", {})["notebook_metadata_filter"] = SCRIPT_METADATA_FILTER
    notebook.metadata["jupytext"].pop("formats", None)
    return jupytext.writes(notebook, fmt="py:percent")


def template_files():
    """Files of the Classroom template (student README, requirements, workflow, vendored grader)."""
    from .frontends.classroom import template_files as classroom_files

    return classroom_files()


def tool_env():
    """Environment for nbgrader and the kernel: the kit importable, this Python's bin/ on PATH (for alembic)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("MPLBACKEND", None)  # Agg would silently drop the plot from the executed solution
    return env


def run_generate_assignment(course_dir):
    """nbgrader's own generate_assignment in course_dir (it also registers the assignment in the gradebook)."""
    command = [sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--force", "--log-level=WARN"]
    done = subprocess.run(command, cwd=course_dir, env=tool_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{done.stdout}\n{done.stderr}")


def execute_solution(notebook, course_dir):
    """Run the solution top to bottom in a real kernel, with the inline backend so the plot is kept."""
    import nbclient
    from traitlets.config import Config

    old_env = dict(os.environ)
    os.environ.clear()
    os.environ.update(tool_env())
    try:
        with tempfile.TemporaryDirectory() as workdir:
            # coalesce_streams: the kernel may split one print into two stream messages, depending on timing.
            # IPC sockets in the private folder: no TCP port, and none of ipykernel 7's plain-TCP warning.
            ipc = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(workdir, "kernel")}})
            client = nbclient.NotebookClient(notebook, config=ipc, kernel_name="python3", timeout=SOLUTION_TIMEOUT,
                                             record_timing=False, coalesce_streams=True,
                                             resources={"metadata": {"path": workdir}})
            client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old_env)
    notebook.metadata = metadata()
    return notebook


def release_cells_text(release):
    """The release's code cells, as the grader restores locked ones: shipped inside the package."""
    import nbformat

    from .engine.submission import from_notebook, release_cells

    cells = release_cells(from_notebook(nbformat.read(release, as_version=4)))
    return json.dumps(cells, ensure_ascii=False, indent=1) + "\n"


def generate(course_dir):
    """Build every generated file inside course_dir; return their relative paths."""
    course_dir = Path(course_dir)
    notebook = read_single_source(course_dir)
    source_dir = course_dir / "source" / ASSIGNMENT
    if source_dir.exists():
        shutil.rmtree(source_dir)
    source_dir.mkdir(parents=True)
    write(source_dir / f"{ASSIGNMENT}.ipynb", notebook_text(notebook))
    for name, text in template_files().items():
        write(source_dir / name, text)
    # nbgrader copies every file of source/<assignment>/ into the release: the student's paired script is
    # put there too, made from nbgrader's own release notebook, so a plain `nbgrader generate_assignment`
    # reproduces the committed release exactly.
    run_generate_assignment(course_dir)
    release = course_dir / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    import nbformat

    student_script = script_text(nbformat.read(release, as_version=4))
    write(source_dir / f"{ASSIGNMENT}.py", student_script)
    write(release.with_suffix(".py"), student_script)
    write(course_dir / RELEASE_CELLS, release_cells_text(release))  # known only now
    from .frontends.classroom import grader_files

    for name, text in grader_files().items():  # the template's grader: generated, never committed
        write(release.parent / name, text)
    write(release.parent / ".autograder" / RELEASE_CELLS, release_cells_text(release))
    solutions = course_dir / "solutions"
    solutions.mkdir(exist_ok=True)
    solved = execute_solution(read_single_source(course_dir), course_dir)
    write(solutions / f"{ASSIGNMENT}.ipynb", notebook_text(solved))
    write(solutions / f"{ASSIGNMENT}.py", script_text(solved))
    return generated_files(course_dir)


def write(path, text):
    """Write text with Unix newlines, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def generated_files(course_dir):
    """Relative paths of every generated file: the generated folders, and the release cells in the package."""
    course_dir = Path(course_dir)
    files = [str(path.relative_to(course_dir)) for folder in GENERATED_DIRS
             for path in (course_dir / folder).rglob("*")
             if path.is_file() and "__pycache__" not in path.parts and ".autograder" not in path.parts]
    return sorted(files + ([str(RELEASE_CELLS)] if (course_dir / RELEASE_CELLS).exists() else []))


def comparable(relative_path, text):
    """File content as compared by --check: the solution's PNG bytes are left out, since they depend on
    the installed matplotlib and fonts; its cells, text outputs and the presence of the plot still count."""
    if not relative_path.endswith(".ipynb") or not relative_path.startswith("solutions"):
        return text
    import nbformat

    notebook = nbformat.reads(text, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                output["data"]["image/png"] = "<png>"
    return nbformat.writes(notebook)


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
            problems.append(f"{relative}: stale or edited by hand (edit {SINGLE_SOURCE} and rebuild)")
    for relative in generated_files(course_dir):
        if relative not in fresh:
            problems.append(f"{relative}: not generated by the build (remove it, or add it to the build)")
    return problems


def stale_files(course_dir=ROOT):
    """Build into a temporary course directory and list every file that differs from course_dir."""
    course_dir = Path(course_dir)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "source").mkdir()
        shutil.copy(course_dir / SINGLE_SOURCE, scratch / SINGLE_SOURCE)
        shutil.copy(course_dir / "nbgrader_config.py", scratch / "nbgrader_config.py")
        generate(scratch)
        return compare(scratch, course_dir)


def main(check=False, course_dir=ROOT):
    """Build (or with check=True, verify) the generated files; return an exit status."""
    if check:
        problems = stale_files(course_dir)
        for problem in problems:
            print(problem)
        print("build --check:", "clean" if not problems else f"{len(problems)} file(s) out of date")
        return 1 if problems else 0
    for relative in generate(course_dir):
        print(f"generated {relative}")
    return 0
