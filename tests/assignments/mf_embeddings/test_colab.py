"""Colab and plain Jupyter: the mf_embeddings release runs in a kernel that has only numpy, matplotlib and
ipykernel (no kit installed), and its visible self-checks name the wrong derivative there."""
import os
import subprocess

import nbclient
import nbformat
import pytest

from autograder.build.examples import fill, release_of
from conftest import ROOT, make_venv

CORPUS = ROOT / "tests" / "assignments" / "mf_embeddings" / "corpus"


@pytest.fixture(scope="module")
def minimal_kernel(tmp_path_factory):
    """A kernelspec 'minimal' backed by a virtualenv with numpy, matplotlib and ipykernel only."""
    folder = tmp_path_factory.mktemp("minimal")
    python = make_venv(folder / "venv", "numpy", "matplotlib", "ipykernel")
    subprocess.run([str(python), "-m", "ipykernel", "install", "--prefix", str(folder / "jupyter"), "--name",
                    "minimal"], check=True, capture_output=True)
    done = subprocess.run([str(python), "-c", "import autograder"], capture_output=True, cwd=folder)
    assert done.returncode != 0  # the kit is not importable there
    return folder / "jupyter" / "share" / "jupyter"


def execute(notebook, minimal_kernel, tmp_path):
    """Run a notebook top to bottom in the minimal kernel, errors kept as outputs; all output text."""
    env = dict(os.environ, JUPYTER_PATH=str(minimal_kernel))
    env.pop("MPLBACKEND", None)
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        nbclient.NotebookClient(notebook, kernel_name="minimal", timeout=300, allow_errors=True,
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    return outputs, "".join(o.get("text", "") for o in outputs)


def student(name):
    return fill(CORPUS / name, release_of("mf_embeddings"))


def errors(outputs):
    return [o["ename"] for o in outputs if o["output_type"] == "error"]


def test_filled_notebook_runs_clean_with_its_plot(minimal_kernel, tmp_path):
    outputs, text = execute(student("right_loops.py"), minimal_kernel, tmp_path)
    assert errors(outputs) == []
    assert text.count("✓ ∂L/∂") == 2 and "✓ train ajusta R" in text and "✓ loss_history" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)


def test_self_checks_name_the_wrong_derivative(minimal_kernel, tmp_path):
    outputs, text = execute(student("wrong_item_row_of_U.py"), minimal_kernel, tmp_path)
    assert "✓ ∂L/∂U" in text and "✗ ∂L/∂I" in text
    # train runs on the student's own dI there, so its self-check and the plot's cannot fit R either
    assert errors(outputs) == ["AssertionError"] * 3 and "no ajusta R" in text


def test_self_checks_flag_a_finite_difference(minimal_kernel, tmp_path):
    outputs, text = execute(student("wrong_fd_central.py"), minimal_kernel, tmp_path)
    assert text.count("✗ ∂L/∂") == 2 and "aproximación numérica" in text
    assert errors(outputs) == ["AssertionError"]


def test_blank_release_runs_top_to_bottom(minimal_kernel, tmp_path):
    notebook = nbformat.read(ROOT / "release" / "mf_embeddings" / "mf_embeddings.ipynb", as_version=4)
    outputs, text = execute(notebook, minimal_kernel, tmp_path)
    assert errors(outputs) == ["AssertionError"] * 3  # only the three self-check cells complain
    assert "sin completar" in text and "Todavía no hay embeddings entrenados" in text
