"""build: one source generates everything, byte-stable, with nothing of the solution in the release."""
import json
import shutil

import pytest

from autograder import assignments, build
from autograder.build.course import release_cells_path
from autograder.build.notebooks import single_source
from autograder.assignments.xor_sgd import selfcheck
from conftest import ROOT, cli

SOLUTION_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "-2 * (y - y_hat)", "params[name] -= lr * grads[name]",
                    "HIDDEN TESTS", "puntos aleatorios ocultos y reemplaza", "ax.set_yscale(\"log\")")


def copy_release_cells(course):
    """The release cells every assignment ships in the package: generated files too."""
    for name in assignments.NAMES:
        (course / release_cells_path(name)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / release_cells_path(name), course / release_cells_path(name))


@pytest.fixture(scope="module")
def edited_course(tmp_path_factory):
    """A copy of the course in which one generated file was edited by hand and one was deleted."""
    course = tmp_path_factory.mktemp("course")
    for folder in ("source", "release", "solutions"):
        shutil.copytree(ROOT / folder, course / folder)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    copy_release_cells(course)
    script = course / "release" / "xor_sgd" / "xor_sgd.py"
    script.write_text(script.read_text().replace("None  # TU CÓDIGO AQUÍ", "42  # TU CÓDIGO AQUÍ", 1))
    (course / "solutions" / "xor_sgd.py").unlink()
    (course / "release" / "xor_sgd" / "notes.txt").write_text("not generated")
    return course


def test_committed_files_are_what_the_build_generates():
    """`build --check` rebuilds from the single source and compares byte for byte: a second build is identical."""
    done = cli("build", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "clean" in done.stdout


def simd_levels_of_this_cpu():
    """numpy's run-time SIMD targets that this CPU has (numpy picks the highest; numpy 1.x keeps them in np.core)."""
    import numpy

    umath = (getattr(numpy, "_core", None) or numpy.core)._multiarray_umath
    return [feature for feature in umath.__cpu_dispatch__ if umath.__cpu_features__.get(feature)]


def test_the_build_is_the_same_at_another_simd_level():
    """Another CPU picks other SIMD code paths in numpy (exp and friends): digits at the floating-point floor
    change. Nothing the build commits may depend on them, so the build here, with every SIMD level above
    the baseline switched off, must still match the committed files."""
    levels = simd_levels_of_this_cpu()
    if not levels:
        pytest.skip("numpy has no SIMD level above its baseline on this CPU")
    done = cli("build", "--check", env={"NPY_DISABLE_CPU_FEATURES": " ".join(levels)})
    assert done.returncode == 0 and "clean" in done.stdout, done.stdout + done.stderr


def test_check_names_every_stale_or_hand_edited_file(edited_course):
    # The committed files are a fresh build (test above), so they stand in for one here.
    problems = build.compare(ROOT, edited_course)
    named = {problem.split(":")[0] for problem in problems}
    assert named == {"release/xor_sgd/xor_sgd.py", "solutions/xor_sgd.py", "release/xor_sgd/notes.txt"}


def test_release_contains_no_solution_and_no_hidden_tests():
    release = ROOT / "release"  # the grader the build vendors into it is the kit's public code, not the release's
    files = [path for path in release.rglob("*") if path.is_file() and ".autograder" not in path.parts]
    assert any(path.name == "xor_sgd.ipynb" for path in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for marker in SOLUTION_MARKERS:
            assert marker not in text, f"{marker!r} leaked into {path.relative_to(ROOT)}"
    assert not (ROOT / "source" / "xor_sgd" / "xor_sgd.py").read_text().count("BEGIN SOLUTION")


def test_release_is_paired_and_has_a_stub_per_derivative():
    notebook = json.loads((ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb").read_text())
    assert notebook["metadata"]["jupytext"] == {"formats": "ipynb,py:percent"}
    gradients = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "gradients")
    assert "".join(gradients["source"]).count("None  # TU CÓDIGO AQUÍ") == 9
    locked = [c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("locked")]
    assert {c["metadata"]["nbgrader"]["grade_id"] for c in locked} >= {"given_network", "test_gradients", "test_sgd"}


def test_solution_is_executed_with_its_plot_and_reaches_the_floor():
    notebook = json.loads((ROOT / "solutions" / "xor_sgd.ipynb").read_text())
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert not any(o["output_type"] == "error" for o in outputs)
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert "MSE del mejor modelo lineal = 0.250" in text and "W1 = 0.000   W2 = 0.000   b = 0.500" in text
    # The floor's digits differ from CPU to CPU (numpy picks SIMD paths at run time): printed as a bound.
    assert "✓ mse_history tiene 2000 epochs y termina en < 1e-12" in text
    assert "MSE final < 1e-12" in text


def test_single_source_is_the_only_hand_written_notebook():
    generated = set(build.generated_files(ROOT))
    notebooks = {str(p.relative_to(ROOT)) for folder in ("source", "release", "solutions", "autograder")
                 for p in (ROOT / folder).rglob("*.ipynb")}
    assert notebooks <= generated
    for name in assignments.NAMES:
        assert (ROOT / single_source(name)).read_text().startswith("# ---")


def release_cell(grade_id):
    notebook = json.loads((ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb").read_text())
    return "".join(next(c for c in notebook["cells"]
                        if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)["source"])


def test_release_self_check_holds_values_not_an_answer_machine():
    """The visible points and their exact derivatives are literals; nothing in the cell can compute a gradient."""
    import ast

    source = release_cell("given_self_checks")
    assert selfcheck.self_check_source() in source
    names = {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Attribute)}
    assert not names & {"forward", "sigmoid", "exp", "numerical_gradient", "gradient_checks", "network"}
    assert selfcheck.MARKER not in source


def test_build_refuses_a_single_source_without_the_marker():
    with pytest.raises(RuntimeError, match="SELF_CHECK_POINTS"):
        selfcheck.fill(selfcheck.fill((ROOT / "source" / "xor_sgd.py").read_text()))  # the marker was replaced


def test_check_catches_a_hand_edited_expected_value(tmp_path):
    for folder in ("source", "release", "solutions"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    copy_release_cells(tmp_path)
    notebook = tmp_path / "release" / "xor_sgd" / "xor_sgd.ipynb"
    text = notebook.read_text()
    literal = selfcheck.self_check_source().splitlines()[2].split(",")[2].strip()  # a digit string
    notebook.write_text(text.replace(literal, literal[:-5] + "9" + literal[-4:], 1))
    assert [p.split(":")[0] for p in build.compare(ROOT, tmp_path)] == ["release/xor_sgd/xor_sgd.ipynb"]
