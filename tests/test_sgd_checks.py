"""sgd_checks: the measured convergence the rule relies on, and verdicts on training logs built here."""
import sys

import numpy as np
import pytest

from autograder import network, sgd_checks
from autograder.sandbox.probe import pack
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from convergence import inits, train_many  # noqa: E402


def test_slide_order_at_lr_05_2000_epochs_solves_xor_on_about_98_percent_of_seeds(solution):
    """The instructor solution's own gradients, vectorised over 200 seeds (measured: 98.0%)."""
    theta = inits(range(200))
    params = {name: theta[:, k].copy() for k, name in enumerate(network.PARAM_NAMES)}
    for _ in range(2000):
        for x, y in zip(network.X_XOR, network.Y_XOR):
            grads = solution["gradients"](params, x, y)
            for name in network.PARAM_NAMES:
                params[name] -= 0.5 * grads[name]
    final = network.mse_batch(np.column_stack([params[n] for n in network.PARAM_NAMES]))
    share = np.mean(final < 0.01)
    assert 0.96 <= share <= 1.0, share
    assert np.mean(final < 1e-20) >= 0.95 * share  # runs fit exactly or stall


def test_every_rule_seed_converges_with_the_fixed_order():
    seeds = [run[2] for run in sgd_checks.plan_runs()]
    final = train_many(inits(seeds), sgd_checks.LR, sgd_checks.N_EPOCHS)
    assert np.all(final < sgd_checks.CONVERGED_BELOW), final


def observed_run(lr=0.3, n_epochs=50, seed=0, step=None, history="after", shuffle=False):
    """A training run as the sandbox reports it, simulated here with the grader's own gradients."""
    rng = np.random.default_rng(5)
    theta = np.array([network.init_params(seed)[n] for n in network.PARAM_NAMES])
    log, mse = [], []
    for _ in range(n_epochs):
        order = rng.permutation(4) if shuffle else range(4)
        errors = []
        for i in order:
            x, y = network.X_XOR[i], network.Y_XOR[i]
            grad = np.array(network.exact_gradient(list(theta), list(x), y))
            log.append([*theta, *x, y])
            errors.append(network.loss(list(theta), x, y))
            theta = (step or (lambda t, g: t - lr * g))(theta, grad)
        mse.append(float(network.mse_batch(theta[None])[0]) if history == "after" else float(np.mean(errors)))
    return {"lr": lr, "n_epochs": n_epochs, "seed": seed, "calls": len(log), "log": pack(np.array(log)),
            "params": theta.tolist(), "history": mse, "mse": float(network.mse_batch(theta[None])[0])}


def verdicts(*runs):
    checks = sgd_checks.evaluate({"train": {"runs": list(runs)}, "cells": {}, "failures": {}, "probe_errors": {}})
    return {c.name: c for c in checks}


@pytest.mark.parametrize("history", ["after", "running"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_correct_training_passes_updates_and_history(history, shuffle):
    result = verdicts(observed_run(history=history, shuffle=shuffle))
    assert result["sgd:updates"].score == 2 and result["sgd:history"].score == 2


def test_gradient_ascent_is_named():
    result = verdicts(observed_run(step=lambda t, g: t + 0.3 * g))
    assert result["sgd:updates"].score == 0 and "ascenso" in result["sgd:updates"].feedback


def test_ignored_lr_is_named():
    result = verdicts(observed_run(step=lambda t, g: t - 0.5 * g))
    assert "no usa lr" in result["sgd:updates"].feedback and "0.5" in result["sgd:updates"].feedback


def test_summed_history_is_named():
    run = observed_run()
    run["history"] = [4 * h for h in run["history"]]
    result = verdicts(run)
    assert result["sgd:history"].score == 0 and "promediarlos" in result["sgd:history"].feedback


def test_made_up_parameters_never_count_as_converged():
    run = observed_run(n_epochs=2000)
    assert verdicts(run)["sgd:converges"].score == 2
    other = observed_run(n_epochs=2000, seed=1)  # an XOR solution, but not where this training ended
    run["params"], run["mse"] = other["params"], other["mse"]
    assert run["mse"] < 0.01
    assert verdicts(run)["sgd:converges"].score == 0
