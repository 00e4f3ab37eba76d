"""assignments/xor_sgd/sgd.py and training.py: the measured convergence the rule relies on, and verdicts on
training runs logged here exactly as the grader's server logs them (θ asked, sample, gradient given)."""
import sys

import numpy as np
import pytest

from autograder.assignments.xor_sgd import interview, sgd, training
from autograder.assignments.xor_sgd import model as network
from autograder.engine.assignment import Evidence
from autograder.sandbox.questions import Answer
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
    seeds = [run[2] for run in interview.plan_runs()]
    final = train_many(inits(seeds), interview.LR, interview.N_EPOCHS)
    assert np.all(final < interview.CONVERGED_BELOW), final


def run_of(theta_log, samples, returned, history, lr=0.3, seed=0):
    """A run as the interview keeps it: the server's log (with its exact gradients) and train's answer."""
    theta_log, samples = np.array(theta_log, dtype=float).reshape(-1, 9), np.array(samples, dtype=float).reshape(-1, 3)
    grad = np.array([network.exact_gradient(t, s[:2], s[2]) for t, s in zip(theta_log, samples)]).reshape(-1, 9)
    data = {"params": list(returned), "history": np.asarray(history, dtype=float)}
    run = {"lr": lr, "n_epochs": len(history) if len(theta_log) != 4 * len(history) else len(theta_log) // 4,
           "seed": seed, "answer": Answer(data=data), "theta": theta_log, "samples": samples, "grad": grad}
    run["n_epochs"] = max(1, len(theta_log) // 4)
    run["mse"] = interview.converged(run)
    return run


def train_like(lr=0.3, n_epochs=50, seed=0, step=None, history="after", shuffle=False, start=None):
    """A loop simulated here with the grader's gradients; step(θ, g) -> new θ (SGD by default)."""
    rng = np.random.default_rng(5)
    theta = np.array([network.init_params(seed)[n] for n in network.PARAM_NAMES]) if start is None else start
    log, samples, mse = [], [], []
    for _ in range(n_epochs):
        order = rng.permutation(4) if shuffle else range(4)
        errors = []
        for i in order:
            x, y = network.X_XOR[i], network.Y_XOR[i]
            grad = np.array(network.exact_gradient(list(theta), list(x), y))
            log.append(theta.copy())
            samples.append([*x, y])
            errors.append(network.loss(list(theta), x, y))
            theta = (step or (lambda t, g: t - lr * g))(theta, grad)
        mse.append(float(network.mse_batch(theta[None])[0]) if history == "after" else float(np.mean(errors)))
    return run_of(log, samples, theta, mse, lr, seed)


def verdicts(*runs):
    checks = sgd.judge(Evidence(answers={"runs": list(runs)}), lambda answer, grade_id: "no respondió")
    return {c.name: c for c in checks}


@pytest.mark.parametrize("history", ["after", "running"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_correct_training_passes_updates_and_history(history, shuffle):
    result = verdicts(train_like(history=history, shuffle=shuffle))
    assert result["sgd:updates"].score == 2 and result["sgd:history"].score == 2


def test_gradient_ascent_is_named():
    result = verdicts(train_like(step=lambda t, g: t + 0.3 * g))
    assert result["sgd:updates"].score == 0 and "ascenso" in result["sgd:updates"].feedback


def test_ignored_lr_is_named():
    result = verdicts(train_like(step=lambda t, g: t - 0.5 * g))
    assert "no usa lr" in result["sgd:updates"].feedback and "0.5" in result["sgd:updates"].feedback


def test_summed_history_is_named():
    run = train_like()
    run["answer"] = Answer(data=dict(run["answer"].data, history=4 * run["answer"].data["history"]))
    result = verdicts(run)
    assert result["sgd:history"].score == 0 and "promediarlos" in result["sgd:history"].feedback


def test_converged_is_the_graders_own_mse_of_a_real_training():
    run = train_like(n_epochs=2000)
    assert run["mse"] is not None and run["mse"] < interview.CONVERGED_BELOW
    assert verdicts(run)["sgd:converges"].score == 2


def test_made_up_parameters_never_count_as_converged():
    """An XOR solution that is not where this training ended: the last step is not along the last gradient."""
    run = train_like(n_epochs=2000)
    other = train_like(n_epochs=2000, seed=1)
    run = run_of(run["theta"], run["samples"], other["answer"].data["params"], run["answer"].data["history"])
    assert run["mse"] is None
    assert verdicts(run)["sgd:converges"].score == 0


def test_a_hard_coded_solution_with_calls_that_never_move_is_not_a_training():
    """train calls gradients 4·n times at a solution it brought, and returns it: history and converges fail."""
    solution = train_like(n_epochs=2000)["answer"].data["params"]
    samples = [[*network.X_XOR[i % 4], network.Y_XOR[i % 4]] for i in range(400)]
    history = [float(network.mse_batch(np.array([solution]))[0])] * 100
    run = run_of([solution] * 400, samples, solution, history)
    result = verdicts(run)
    assert [result[n].score for n in sgd.POINTS] == [0, 0, 0], [result[n].feedback for n in sgd.POINTS]


def test_a_jump_after_a_real_start_is_not_a_training():
    """Steps along the gradients for a while, then a jump to a solution: not explained by the gradients."""
    start = train_like(n_epochs=20)
    solution = np.array(train_like(n_epochs=2000, seed=1)["answer"].data["params"])
    theta = np.vstack([start["theta"], np.tile(solution, (4, 1))])
    samples = np.vstack([start["samples"], start["samples"][:4]])
    assert training.explain(theta, np.array([network.exact_gradient(t, s[:2], s[2]) for t, s in zip(theta, samples)]),
                            samples, solution)


@pytest.mark.parametrize("step, window", [
    (lambda t, g: t - 0.3 * g, 1),  # SGD
    (lambda t, g: t + 0.3 * g, 1),  # gradient ascent: a training, whose mistake is sgd:updates'
    (lambda t, g: t - 0.05 * g, 1),  # another learning rate
    (lambda t, g: t - 0.3 * np.r_[np.zeros(6), g[6:]], 1),  # only the output layer
])
def test_loops_that_train_wrongly_are_still_trainings(step, window):
    run = train_like(step=step, n_epochs=30)
    assert training.explain(run["theta"], run["grad"], run["samples"], np.array(run["answer"].data["params"])) == ""


def test_batch_descent_is_a_training():
    theta = np.array([network.init_params(0)[n] for n in network.PARAM_NAMES])
    log, samples = [], []
    for _ in range(30):
        total = np.zeros(9)
        for x, y in zip(network.X_XOR, network.Y_XOR):
            log.append(theta.copy())
            samples.append([*x, y])
            total += network.exact_gradient(list(theta), list(x), y)
        theta = theta - 0.3 * total / 4
    run = run_of(log, samples, theta, [0.1] * 30)
    assert training.explain(run["theta"], run["grad"], run["samples"], theta) == ""


def test_a_start_outside_the_initialisation_is_not_a_training():
    run = train_like(n_epochs=5, start=np.full(9, 3.0))
    assert "U(0, 1)" in training.explain(run["theta"], run["grad"], run["samples"])


def test_calls_with_other_samples_are_not_a_training():
    run = train_like(n_epochs=5)
    samples = run["samples"].copy()
    samples[3] = [0.5, 0.5, 0.0]
    assert "XOR" in training.explain(run["theta"], run["grad"], samples)


def test_momentum_is_not_a_training_of_this_exercise():
    """A step that mixes gradients of earlier samples is not one step along the gradients just got."""
    velocity = np.zeros(9)

    def momentum(theta, grad):
        nonlocal velocity
        velocity = 0.9 * velocity + grad
        return theta - 0.3 * velocity

    run = train_like(step=momentum, n_epochs=10)
    assert training.explain(run["theta"], run["grad"], run["samples"], np.array(run["answer"].data["params"]))
