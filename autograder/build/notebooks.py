"""One assignment's notebooks from its single source: read it (with the assignment's build hook), write a
notebook or its paired script byte-stably, and execute the solution in a real kernel."""
import os
import sys
import tempfile
from pathlib import Path

from .. import assignments

ROOT = Path(__file__).resolve().parents[2]
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# jupytext writes its own version into the header; leaving it out keeps the files byte-stable across versions.
SCRIPT_METADATA_FILTER = "kernelspec,jupytext,-jupytext.text_representation.jupytext_version"
SOLUTION_TIMEOUT = 300


def single_source(name):
    """The single source of an assignment, relative to the course directory."""
    return Path("source") / f"{name}.py"


def read_single_source(course_dir, name):
    """The single source as a notebook with clean, fixed metadata and the build hook's values filled in."""
    import jupytext

    text = (Path(course_dir) / single_source(name)).read_text(encoding="utf-8")
    hook = assignments.get(name).fill_source
    notebook = jupytext.reads(hook(text) if hook else text, fmt="py:percent")
    notebook.metadata = metadata(name)
    for index, cell in enumerate(notebook.cells):  # nbformat draws random ids; fixed ones keep builds byte-stable
        cell.id = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell-{index:02d}"
    return notebook


def metadata(name):
    """A generated notebook's metadata: the kernel, and the assignment it belongs to (the CLI reads it)."""
    return {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}, "autograder": {"assignment": name}}


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


def tool_env():
    """Environment for nbgrader and the kernel: the kit importable, this Python's bin/ on PATH (for alembic)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("MPLBACKEND", None)  # Agg would silently drop the plot from the executed solution
    return env


def execute_solution(notebook, name):
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
    notebook.metadata = metadata(name)
    return notebook


def comparable(relative_path, text):
    """File content as compared by --check and by the build's rewrite: an executed solution's PNG bytes are
    left out (they depend on the CPU, matplotlib and freetype of the machine that builds); its cells, text
    outputs and the presence of the plot still count."""
    if not relative_path.endswith(".ipynb") or not relative_path.startswith("solutions"):
        return text
    import nbformat

    notebook = nbformat.reads(text, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                output["data"]["image/png"] = "<png>"
    return nbformat.writes(notebook)
