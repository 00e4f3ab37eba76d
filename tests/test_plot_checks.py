"""plot_checks: verdicts on recorded figures (the corpus runs real matplotlib figures end to end)."""
import numpy as np

from autograder import plot_checks


def observation(history, lines, xlabel="Epoch", ylabel="MSE", yscale="log"):
    axes = {"xlabel": xlabel, "ylabel": ylabel, "title": "t", "yscale": yscale, "collections": 0,
            "lines": [{"x": list(range(len(y))), "y": list(y), "linestyle": style} for y, style in lines or []]}
    return {"plot": {"figures": [{"axes": [axes], "suptitle": ""}] if lines is not None else [],
                     "history": history, "history_type": "list"}, "cells": {}, "failures": {}, "probe_errors": {}}


def verdict(obs):
    return plot_checks.evaluate(obs)[0]


HISTORY = list(np.geomspace(0.3, 1e-30, 50))


def test_the_curve_passes_on_any_scale():
    assert verdict(observation(HISTORY, [(HISTORY, "-")])).score == 3
    assert verdict(observation(HISTORY, [(HISTORY, "-")], yscale="linear")).score == 3


def test_log_of_the_curve_passes_with_advice():
    check = verdict(observation(HISTORY, [(np.log10(HISTORY), "-")]))
    assert check.score == 3 and "set_yscale" in check.feedback


def test_missing_labels_are_advised_not_penalised():
    check = verdict(observation(HISTORY, [(HISTORY, "-")], xlabel="", ylabel=""))
    assert check.score == 3 and "Poné nombre" in check.feedback


def test_failures():
    assert verdict(observation(HISTORY, None)).score == 0  # no figure
    assert "solo con marcadores" in verdict(observation(HISTORY, [(HISTORY, "None")])).feedback
    assert "10 de los 50" in verdict(observation(HISTORY, [(HISTORY[::5], "-")])).feedback
    assert "un solo punto" in verdict(observation(HISTORY[:1], [(HISTORY[:1], "-")])).feedback
    assert verdict(observation(HISTORY, [([1, 2, 3], "-")])).score == 0  # something else
