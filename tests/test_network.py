"""The trusted network and the instructor solution's derivatives, against a symbolic oracle (sympy)."""
import numpy as np
import pytest
import sympy

from autograder import network
from autograder.gradient_checks import THRESHOLD


@pytest.fixture(scope="module")
def oracle():
    """Symbolic ∂L/∂θ for all 9 parameters, compiled to numpy functions of (θ..., x1, x2, y)."""
    theta = sympy.symbols(network.PARAM_NAMES)
    x1, x2, y = sympy.symbols("x1 x2 y")
    w11, w12, b11, w21, w22, b12, v1, v2, c = theta
    sigma = lambda z: 1 / (1 + sympy.exp(-z))  # noqa: E731
    y_hat = v1 * sigma(w11 * x1 + w12 * x2 + b11) + v2 * sigma(w21 * x1 + w22 * x2 + b12) + c
    loss = (y - y_hat) ** 2
    args = (*theta, x1, x2, y)
    return {name: sympy.lambdify(args, sympy.diff(loss, symbol), "numpy") for name, symbol in zip(network.PARAM_NAMES, theta)}


def random_points(count, seed):
    """Random parameters in [-3, 3], inputs in [-2, 2], targets in [-1, 2]: not only the XOR inputs."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-3, 3, (count, 9)), rng.uniform(-2, 2, (count, 2)), rng.uniform(-1, 2, count)


def test_solution_gradients_match_the_symbolic_oracle(solution, oracle):
    theta, x, y = random_points(500, seed=1)
    worst = 0.0
    for t, xi, yi in zip(theta, x, y):
        got = solution["gradients"](dict(zip(network.PARAM_NAMES, t)), xi, yi)
        for k, name in enumerate(network.PARAM_NAMES):
            exact = oracle[name](*t, *xi, yi)
            worst = max(worst, abs(got[name] - exact) / max(abs(exact), 1e-300))
    assert worst < 1e-9, worst


def test_solution_gradients_match_on_the_xor_samples(solution, oracle):
    for seed in range(5):
        params = solution["init_params"](seed)
        for xi, yi in zip(network.X_XOR, network.Y_XOR):
            got = solution["gradients"](params, xi, yi)
            theta = [params[n] for n in network.PARAM_NAMES]
            for name in network.PARAM_NAMES:
                assert got[name] == pytest.approx(oracle[name](*theta, *xi, yi), rel=1e-9, abs=1e-15)


def test_finite_differences_agree_with_the_oracle(oracle):
    theta, x, y = random_points(2000, seed=2)
    fd = network.exact_gradient_batch(theta, x, y)
    exact = np.column_stack([oracle[n](*theta.T, *x.T, y) for n in network.PARAM_NAMES])
    # Measured 1.0e-7 here: round-off of h = 1e-5 differences, far under the grading threshold.
    assert np.max(network.rel_error(exact, fd)) < THRESHOLD / 20


def test_scalar_and_batch_forms_agree():
    theta, x, y = random_points(50, seed=3)
    scalar = np.array([network.exact_gradient(list(t), list(xi), yi) for t, xi, yi in zip(theta, x, y)])
    assert np.allclose(scalar, network.exact_gradient_batch(theta, x, y), rtol=1e-6, atol=1e-9)
    assert np.allclose([network.forward(list(t), xi) for t, xi in zip(theta, x)], network.forward_batch(theta, x))


def test_trusted_forward_matches_the_notebook_forward(solution):
    theta, x, _ = random_points(50, seed=4)
    for t, xi in zip(theta, x):
        params = dict(zip(network.PARAM_NAMES, t))
        assert network.forward(list(t), xi) == pytest.approx(solution["forward"](params, xi), rel=1e-12)
    assert network.init_params(7) == solution["init_params"](7)


def test_sigmoid_does_not_overflow():
    assert network.sigmoid(-1000.0) < 1e-300 and network.sigmoid(1000.0) == 1.0
    assert np.isinf(network.loss([1e300] * 9, [1e300, 1e300], 0.0))


def test_rel_error_floor_makes_tiny_gradients_absolute():
    assert network.rel_error(1e-12, 2e-12) == pytest.approx(1e-10)
    assert network.rel_error(1.0, -1.0) == 1.0


def test_linear_model_cannot_learn_xor():
    design = np.column_stack([network.X_XOR, np.ones(4)])
    weights = np.linalg.solve(design.T @ design, design.T @ network.Y_XOR)
    assert np.allclose(weights, [0, 0, 0.5], atol=1e-12)
    assert np.mean((network.Y_XOR - design @ weights) ** 2) == pytest.approx(0.25)
