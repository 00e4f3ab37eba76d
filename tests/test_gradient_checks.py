"""gradient_checks: the pass threshold's margins, the hidden points, and the diagnosis of usual mistakes."""
import hashlib

import numpy as np
import pytest

from autograder import gradient_checks, network
from autograder.gradient_checks import THRESHOLD, candidate_mistakes, diagnose, plan_points


def exact_gradients(theta, x, y):
    """The 9 exact derivatives, written out here independently of the notebook: (N, 9)."""
    w11, w12, b11, w21, w22, b12, v1, v2, c = theta.T
    a1 = 1 / (1 + np.exp(-(w11 * x[:, 0] + w12 * x[:, 1] + b11)))
    a2 = 1 / (1 + np.exp(-(w21 * x[:, 0] + w22 * x[:, 1] + b12)))
    d = -2 * (y - (v1 * a1 + v2 * a2 + c))
    s1, s2 = d * v1 * a1 * (1 - a1), d * v2 * a2 * (1 - a2)
    return np.column_stack([s1 * x[:, 0], s1 * x[:, 1], s1, s2 * x[:, 0], s2 * x[:, 1], s2, d * a1, d * a2, d])


def arrays(points):
    return (np.array([p[0] for p in points]), np.array([p[1] for p in points]), np.array([p[2] for p in points]))


def fingerprints(count):
    return [hashlib.sha256(str(i).encode()).hexdigest() for i in range(count)]


def test_exact_derivatives_pass_with_two_orders_of_margin():
    rng = np.random.default_rng(0)
    theta, x, y = rng.uniform(-3, 3, (20000, 9)), rng.uniform(-2, 2, (20000, 2)), rng.uniform(-1, 2, 20000)
    worst = network.rel_error(network.exact_gradient_batch(theta, x, y), exact_gradients(theta, x, y)).max()
    print(f"worst correct over 20,000 random points: {worst:.2e}")
    assert worst < THRESHOLD / 100


def test_every_usual_mistake_fails_by_orders_of_magnitude():
    best_wrong = np.inf
    for fingerprint in fingerprints(100):
        points = plan_points(fingerprint)
        theta, x, y = arrays(points)
        expected = network.exact_gradient_batch(theta, x, y)
        exact = exact_gradients(theta, x, y)
        for k, name in enumerate(network.PARAM_NAMES):
            for _, mistake in candidate_mistakes(name, points, exact):
                best_wrong = min(best_wrong, network.rel_error(expected[:, k], mistake).max())
    print(f"closest usual mistake over 100 point sets: {best_wrong:.2e}")
    assert best_wrong > THRESHOLD * 1000


def test_hidden_points_are_per_submission_and_deterministic():
    a, b = fingerprints(2)
    assert plan_points(a) == plan_points(a)
    assert plan_points(a)[10:] != plan_points(b)[10:]
    assert plan_points(a, hidden=False) == plan_points(b, hidden=False) == plan_points(a)[:10]
    theta, x, _ = arrays(plan_points(a))
    assert np.abs(theta).max() <= 3 and np.abs(x).max() <= 2
    assert not all(list(p) in network.X_XOR.tolist() for p in x[8:])  # not only the XOR inputs


MISTAKES = [
    ("W2_11", lambda e, **_: -e[:, 6], "el signo está invertido"),
    ("b2_1", lambda e, **_: e[:, 8] / 2, "falta el factor 2"),
    ("W1_12", lambda e, a1, **_: e[:, 1] / (a1 * (1 - a1)), "falta σ'(z)"),
    ("b1_2", lambda e, a2, **_: e[:, 5] / (1 - a2), "usaste σ(z) en lugar de σ(z)·(1 - σ(z))"),
    ("W1_11", lambda e, theta, **_: e[:, 0] * theta[:, 0] / theta[:, 6], "usaste W1_11 donde va W2_11"),
    ("W1_21", lambda e, **_: e[:, 4], "intercambiaste las entradas"),
    ("b1_2", lambda e, **_: e[:, 3], "multiplicaste el sesgo por una entrada"),
    ("W2_12", lambda e, **_: np.zeros(len(e)), "devuelve 0"),
]


@pytest.mark.parametrize("name, mistake, words", MISTAKES, ids=[m[2] for m in MISTAKES])
def test_diagnosis_names_the_mistake(name, mistake, words):
    points = plan_points(fingerprints(1)[0])
    theta, x, y = arrays(points)
    exact = exact_gradients(theta, x, y)
    a1 = np.array([network.hidden(t, xi)[2] for t, xi in zip(theta, x)])
    a2 = np.array([network.hidden(t, xi)[3] for t, xi in zip(theta, x)])
    got = mistake(exact, theta=theta, a1=a1, a2=a2)
    expected = network.exact_gradient_batch(theta, x, y)
    assert words in diagnose(name, points, expected, got)


def test_an_unexplained_wrong_answer_gets_no_made_up_diagnosis():
    points = plan_points(fingerprints(1)[0])
    theta, x, y = arrays(points)
    expected = network.exact_gradient_batch(theta, x, y)
    assert diagnose("W1_11", points, expected, expected[:, 0] + 0.37) == ""
    assert gradient_checks.format_point(points, 5).startswith("params = init_params(1)")
