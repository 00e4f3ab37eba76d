"""submission: notebooks and jupytext scripts become the same cells; bad files are refused in one line."""
import json
import os
import shutil

import pytest

from autograder.engine.submission import SubmissionError, discover, load
from conftest import ROOT


def test_notebook_and_paired_script_give_the_same_cells():
    notebook = load(str(ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb"))
    script = load(str(ROOT / "release" / "xor_sgd" / "xor_sgd.py"))
    assert [c.grade_id for c in notebook.cells] == [c.grade_id for c in script.cells]
    assert [c.source for c in notebook.cells] == [c.source for c in script.cells]
    assert notebook.fingerprint() == script.fingerprint()


@pytest.mark.parametrize("content", ["", "{", "[1, 2]", '{"cells": 5}', "\x00\x01binary"])
def test_unreadable_notebooks_raise_one_line(tmp_path, content):
    path = tmp_path / "roto.ipynb"
    path.write_text(content)
    with pytest.raises(SubmissionError) as error:
        load(str(path))
    assert "\n" not in str(error.value) and "roto.ipynb" in str(error.value)


def test_odd_cells_are_skipped_not_trusted(tmp_path):
    path = tmp_path / "raro.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "cells": [7, {"cell_type": "code", "source": ["a = 1\n"],
                                                                "metadata": {"nbgrader": "x"}}]}))
    submission = load(str(path))
    assert [(c.source, c.grade_id) for c in submission.cells] == [("a = 1\n", "")]


def test_discover_skips_hidden_folders_and_paired_scripts(tmp_path):
    for name in ("b/xor_sgd.ipynb", "b/xor_sgd.py", "a/solo.py", ".autograder/x.py", "c/notas.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert [p.split(str(tmp_path))[1] for p in discover([tmp_path])] == ["/a/solo.py", "/b/xor_sgd.ipynb"]


def test_locked_cells_are_graded_as_released():
    # nbgrader puts a student's edited locked cells back before grading; every front end does the same.
    from dataclasses import replace

    from autograder.engine.submission import release_cells, restore_locked

    release = load(str(ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb"))
    cells = release_cells(release)
    assert {g for g, _, locked in cells if locked} == {"given_data", "given_linear_model", "given_network",
                                                       "given_self_checks", "given_predictions"}
    edited = replace(release, cells=tuple(replace(c, source="forward = None\n") if c.grade_id == "given_network" else c
                                          for c in release.cells))
    restored, changed = restore_locked(edited, cells)
    assert changed == ["given_network"] and restored == release
    assert restore_locked(release, cells) == (release, [])
    assert edited.fingerprint() != release.fingerprint() == restored.fingerprint()


def test_a_deleted_or_renamed_locked_cell_is_put_back_where_the_release_has_it():
    from dataclasses import replace

    from autograder.engine.submission import release_cells, restore_locked

    release = load(str(ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb"))
    cells = release_cells(release)
    renamed = replace(release, cells=tuple(replace(c, grade_id="mine", source="forward = None\n", locked=True)
                                           if c.grade_id == "given_network" else c for c in release.cells))
    restored, changed = restore_locked(renamed, cells)
    assert changed == ["given_network"]
    ids = [c.grade_id for c in restored.cells]
    assert ids.index("given_network") + 1 == ids.index("mine") and ids.index("given_network") < ids.index("gradients")
    # the renamed cell still runs (students may add cells), but it is not locked: metadata cannot claim it
    assert [c.locked for c in restored.cells if c.grade_id == "mine"] == [False]
    deleted = replace(release, cells=tuple(c for c in release.cells if c.grade_id != "given_data"))
    assert restore_locked(deleted, cells)[0].cells == release.cells


def test_a_symlink_is_refused_not_read_as_its_target(tmp_path):
    shutil.copy(ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb", tmp_path / "ana.ipynb")
    (tmp_path / "copia.ipynb").symlink_to(ROOT / "solutions" / "xor_sgd.ipynb")
    (tmp_path / "de_ana.ipynb").symlink_to(tmp_path / "ana.ipynb")
    (tmp_path / "rota.ipynb").symlink_to(tmp_path / "no_existe.ipynb")
    for name in ("copia.ipynb", "de_ana.ipynb", "rota.ipynb"):
        with pytest.raises(SubmissionError, match="es un enlace simbólico: no se corrige") as error:
            load(str(tmp_path / name))
        assert "\n" not in str(error.value)
    assert load(str(tmp_path / "ana.ipynb")).cells


def test_discover_keeps_symlinked_files_for_their_row_but_never_enters_symlinked_folders(tmp_path):
    (tmp_path / "afuera").mkdir()
    (tmp_path / "afuera" / "intrusa.ipynb").write_text("{}")
    (tmp_path / "lote" / "ana").mkdir(parents=True)
    (tmp_path / "lote" / "ana" / "ana.ipynb").write_text("{}")
    (tmp_path / "lote" / "beto").symlink_to(tmp_path / "afuera", target_is_directory=True)
    (tmp_path / "lote" / "carla.ipynb").symlink_to(tmp_path / "lote" / "ana" / "ana.ipynb")
    found = discover([tmp_path / "lote"])
    assert [p.split(str(tmp_path / "lote"))[1] for p in found] == ["/ana/ana.ipynb", "/carla.ipynb"]


def test_a_relative_path_through_a_symlinked_folder_is_refused(tmp_path, monkeypatch):
    # `grade submitted/*/xor_sgd/xor_sgd.ipynb`: the shell's glob enters a student's folder that is a symlink
    (tmp_path / "submitted" / "ana" / "xor_sgd").mkdir(parents=True)
    shutil.copy(ROOT / "release" / "xor_sgd" / "xor_sgd.ipynb", tmp_path / "submitted" / "ana" / "xor_sgd")
    (tmp_path / "submitted" / "beto").symlink_to(tmp_path / "submitted" / "ana", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    assert load("submitted/ana/xor_sgd/xor_sgd.ipynb").cells
    with pytest.raises(SubmissionError, match="enlace simbólico"):
        load("submitted/beto/xor_sgd/xor_sgd.ipynb")
    assert load(str(tmp_path / "submitted" / "ana" / "xor_sgd" / "xor_sgd.ipynb")).cells


def test_a_path_given_twice_is_graded_once(tmp_path):
    (tmp_path / "ana.ipynb").write_text("{}")
    assert discover([tmp_path, tmp_path / "ana.ipynb", str(tmp_path) + "/./ana.ipynb"]) == [str(tmp_path / "ana.ipynb")]


BILLION_LAUGHS = "# ---\n# jupyter:\n#   a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n" + "".join(
    f"#   {name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefg", "bcdefgh")
) + "# ---\n\n# %%\nx = 1\n"


@pytest.mark.parametrize("header", [
    BILLION_LAUGHS,  # in the notebook's metadata
    BILLION_LAUGHS.replace("# jupyter:\n#   ", "# ").replace("#   ", "# "),  # at the root of the header
    "# ---\n# a: &a {b: 1}\n# c:\n#   <<: *a\n# ---\n\n# %%\nx = 1\n",  # a merge key is an alias too
])
def test_yaml_aliases_in_a_jupytext_header_are_refused_before_jupytext_reads_them(tmp_path, header):
    import time

    path = tmp_path / "risas.py"
    path.write_text(header)
    started = time.perf_counter()
    with pytest.raises(SubmissionError, match="alias"):
        load(str(path))
    assert time.perf_counter() - started < 2


def test_a_header_without_aliases_is_still_read(tmp_path):
    path = tmp_path / "normal.py"
    path.write_text("# ---\n# jupyter:\n#   kernelspec:\n#     name: python3\n#     display_name: Python 3\n# ---\n\n"
                    "# %%\nx = 1\n")
    assert [cell.source for cell in load(str(path)).cells] == ["x = 1"]
    path.write_text("# ---\n# a: [" + "1, " * 20_000 + "1]\n# ---\n\n# %%\nx = 1\n")
    with pytest.raises(SubmissionError, match="demasiado grande"):
        load(str(path))


@pytest.mark.parametrize("content", [
    b"[" * 100_000 + b"]" * 100_000,  # deep nesting
    b'{"nbformat": 4, "cells": [], "n": ' + b"9" * 100_000 + b"}",  # a huge number
    b'{"nbformat": 4, "cells": [\xff]}', b"\xef\xbb\xbf\x00" * 10,  # bad UTF-8
    b'{"nbformat": 3, "worksheets": [' + b"[" * 5000 + b"]" * 5000 + b"]}",  # deep nesting for nbformat's converter
])
def test_parser_failures_are_one_line_never_a_crash(tmp_path, content):
    path = tmp_path / "bomba.ipynb"
    path.write_bytes(content)
    try:
        submission = load(str(path))
    except SubmissionError as error:
        assert "\n" not in str(error) and "bomba.ipynb" in str(error)
    else:  # a Python without a digit limit reads the huge number: a notebook without cells
        assert submission.cells == ()


def test_a_fifo_or_a_folder_named_like_a_notebook_is_refused_without_blocking(tmp_path):
    import subprocess
    import sys

    os.mkfifo(tmp_path / "tuberia.ipynb")
    (tmp_path / "carpeta.ipynb").mkdir()
    code = ("import sys\nfrom autograder.engine.submission import SubmissionError, load\n"
            "for path in sys.argv[1:]:\n    try:\n        load(path)\n    except SubmissionError as error:\n"
            "        print(error)\n")
    paths = [str(tmp_path / "tuberia.ipynb"), str(tmp_path / "carpeta.ipynb")]
    done = subprocess.run([sys.executable, "-c", code, *paths], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and "no es un archivo común" in lines[0] and "carpeta.ipynb" in lines[1], done
