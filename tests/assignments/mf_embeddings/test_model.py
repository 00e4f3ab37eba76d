"""assignments/mf_embeddings/model.py: the trusted loss's derivatives against a closed form written out here and
against finite differences; the precision points separate a derivation from a difference; the build hook."""
import ast
from pathlib import Path

import numpy as np
import pytest

from autograder.assignments.mf_embeddings import gradients, interview, model, selfcheck
from autograder.assignments.mf_embeddings.given import R, init_embeddings, loss
from conftest import ROOT, run_cells

POINTS = interview.plan_points("abcdef0123456789")


def closed_form(U, I, ratings):
    """−2·E·I and −2·Eᵀ·U with E the error on the observed ratings, written independently of model.py."""
    E = np.where(ratings != 0, ratings - U @ I.T, 0.0)
    return -2 * E @ I, -2 * E.T @ U


def central_difference(U, I, ratings, h=1e-6):
    """(dU, dI) by central differences of the given loss."""
    result = []
    for which in (0, 1):
        matrices = [U.copy(), I.copy()]
        d = np.zeros_like(matrices[which])
        for index in np.ndindex(d.shape):
            old = matrices[which][index]
            matrices[which][index] = old + h
            up = loss(*matrices, ratings)
            matrices[which][index] = old - h
            down = loss(*matrices, ratings)
            matrices[which][index] = old
            d[index] = (up - down) / (2 * h)
        result.append(d)
    return result


@pytest.fixture(scope="module")
def solution():
    return run_cells(ROOT / "solutions" / "mf_embeddings.ipynb", {"given_data", "gradients", "train"})


@pytest.mark.parametrize("index", range(len(POINTS)))
def test_exact_gradient_is_the_closed_form(index):
    U, I, ratings = (np.array(a) for a in POINTS[index])
    for got, expected in zip(model.exact_gradient(U, I, ratings), closed_form(U, I, ratings)):
        assert np.allclose(got, expected, rtol=1e-13, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_exact_gradient_agrees_with_finite_differences(seed):
    U, I = init_embeddings(seed)
    for got, approx in zip(model.exact_gradient(U, I, R), central_difference(U, I, R)):
        assert np.allclose(got, approx, rtol=1e-6, atol=1e-6)
        assert not np.array_equal(got, approx)  # the two are computed differently


def test_fraction_gradient_is_the_float_one_without_round_off():
    for U, I, ratings in POINTS:
        exact = model.exact_gradient_fraction(np.array(U), np.array(I), np.array(ratings))
        floats = model.exact_gradient(np.array(U), np.array(I), np.array(ratings))
        for a, b in zip(exact, floats):
            assert np.all(model.rel_error(a.astype(float), b) < 1e-13)  # float sums round; Fractions do not


def test_precision_points_separate_a_derivation_from_a_difference(solution):
    """The solution's derivatives meet PRECISION at every precision point; the best central difference of L
    misses it at each, by orders of magnitude."""
    precise = [p for p, flag in zip(POINTS, interview.is_precision(POINTS)) if flag]
    assert len(precise) == interview.VISIBLE_PRECISION + interview.HIDDEN_PRECISION
    for U, I, ratings in precise:
        U, I, ratings = np.array(U), np.array(I), np.array(ratings)
        exact = model.exact_gradient(U, I, ratings)
        derived = solution["gradients"](U.copy(), I.copy(), ratings.copy())
        assert all(np.all(model.rel_error(e, d) < gradients.PRECISION / 100) for e, d in zip(exact, derived))
        best = min(max(np.max(model.rel_error(e, d)) for e, d in zip(exact, central_difference(U, I, ratings, h)))
                   for h in (1e-4, 1e-2, 1.0, 1e2, 1e4))
        assert best > gradients.PRECISION * 100


def test_every_usual_mistake_fails_the_correctness_test_at_the_visible_points():
    visible = POINTS[:interview.VISIBLE_POINTS]
    expected = gradients.expected_gradients(visible)
    for part in gradients.POINTS:
        for code, values in gradients.candidate_mistakes(part, visible, expected):
            with np.errstate(all="ignore"):
                assert np.nanmax(model.rel_error(expected[part], values)) > 0.1, (part, code)


def test_the_build_stops_when_the_single_source_gives_other_points():
    text = (ROOT / "source" / "mf_embeddings.py").read_text(encoding="utf-8")
    assert "SELF_CHECK_POINTS = [" in selfcheck.fill(text)
    changed = text.replace('"grade_id": "test_plot", "locked": true, "points": 3', '"grade_id": "test_plot", "locked": true, "points": 4')
    assert changed != text
    with pytest.raises(RuntimeError, match="points"):
        selfcheck.fill(changed)


def test_the_child_imports_nothing_of_the_graders_side():
    tree = ast.parse(Path(ROOT / "autograder" / "assignments" / "mf_embeddings" / "child.py").read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"sandbox.child", "given"}
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import) and any(a.name not in ("random", "numpy")
                                                                              for a in n.names)]
