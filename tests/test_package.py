"""The kit as a user installs it: a wheel built from the repository, installed in a fresh virtualenv, run
from a folder outside the repository (nothing of the checkout is importable there)."""
import json
import subprocess
import sys
import zipfile

import pytest

from autograder import assignments
from conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of a fresh venv with the wheel installed, the wheel, a folder outside the repository)."""
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, timeout=600, cwd=wheels)
    wheel, = wheels.glob("*.whl")
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=900)
    return python, wheel, tmp_path_factory.mktemp("elsewhere")


def test_the_wheel_carries_every_subpackage_and_data_file(installed):
    _, wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("engine", "sandbox", "frontends", "reports", "build", "assignments"):
        assert f"autograder/{package}/__init__.py" in names, package
    for name in assignments.NAMES:
        assert f"autograder/assignments/{name}/release_cells.json" in names
        assert f"autograder/assignments/{name}/template/README.md" in names
    assert any(n.startswith("autograder/reports/templates/feedback_es/") for n in names)
    assert "autograder/frontends/requirements.txt" in names


@pytest.mark.parametrize("name", assignments.NAMES)
def test_the_installed_package_grades_the_solution_and_the_release(installed, name):
    python, _, elsewhere = installed
    for notebook, expected in ((ROOT / "solutions" / f"{name}.ipynb", assignments.get(name).max_score),
                               (ROOT / "release" / name / f"{name}.ipynb", 0)):
        done = subprocess.run([str(python), "-m", "autograder", "grade", str(notebook), "--json"], cwd=elsewhere,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads(done.stdout)
        assert result["score"] == expected and result["assignment"] == name, result


def test_build_says_it_needs_the_repository(installed):
    python, _, elsewhere = installed
    done = subprocess.run([str(python), "-m", "autograder", "build"], cwd=elsewhere, capture_output=True, text=True)
    assert done.returncode == 2 and "needs the kit's repository" in done.stderr
    assert "Traceback" not in done.stderr
