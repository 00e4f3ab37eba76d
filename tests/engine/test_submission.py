"""submission: notebooks and jupytext scripts become the same cells; bad files are refused in one line."""
import json

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
