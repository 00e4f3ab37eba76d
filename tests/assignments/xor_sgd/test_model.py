"""assignments/xor_sgd/model.py: the trusted network and the instructor solution's derivatives, against a
symbolic oracle (sympy)."""
import mpmath
import numpy as np
import pytest
import sympy

from autograder.assignments.xor_sgd import child, gradients, interview, selfcheck
from autograder.assignments.xor_sgd import model as network
from autograder.assignments.xor_sgd.gradients import PRECISION


def symbolic_gradient():
    """(arguments, [∂L/∂θ_k for the 9 parameters]) as sympy expressions of (θ..., x1, x2, y)."""
    theta = sympy.symbols(network.PARAM_NAMES)
    x1, x2, y = sympy.symbols("x1 x2 y")
    w11, w12, b11, w21, w22, b12, v1, v2, c = theta
    sigma = lambda z: 1 / (1 + sympy.exp(-z))  # noqa: E731
    y_hat = v1 * sigma(w11 * x1 + w12 * x2 + b11) + v2 * sigma(w21 * x1 + w22 * x2 + b12) + c
    loss = (y - y_hat) ** 2
    return (*theta, x1, x2, y), [sympy.diff(loss, symbol) for symbol in theta]


@pytest.fixture(scope="module")
def oracle():
    """Symbolic ∂L/∂θ for all 9 parameters, compiled to numpy functions of (θ..., x1, x2, y)."""
    args, derivatives = symbolic_gradient()
    return {name: sympy.lambdify(args, d, "numpy") for name, d in zip(network.PARAM_NAMES, derivatives)}


@pytest.fixture(scope="module")
def oracle40():
    """The symbolic gradient evaluated with mpmath at 40 digits: oracle40(numbers) -> 9 mpf, where each
    number is a float (taken exactly) or a decimal string."""
    args, derivatives = symbolic_gradient()
    gradient = sympy.lambdify(args, derivatives, "mpmath")

    def evaluate(theta, x, y):
        with mpmath.workdps(40):
            return gradient(*[mpmath.mpf(v) for v in (*theta, *x, y)])

    return evaluate


def oracle_points():
    """The grader's own kinds of points: the 8 visible XOR ones, 150 random and 150 precision points."""
    rng = np.random.default_rng(7)
    xor = interview.plan_points("0", hidden=False)[:8]
    return xor + interview.random_points(rng, 150) + interview.precision_points(rng, 150)


def relative_to(exact, got, floor):
    """|got - exact| / max(floor, |exact|), in mpmath: the error of got against a 40-digit value."""
    with mpmath.workdps(40):
        return float(abs(mpmath.mpf(got) - exact) / max(mpmath.mpf(floor), abs(exact)))


def test_float64_reference_is_exact_to_rounding_against_40_digits(oracle40):
    """The dual-number gradient in float64 (scalar and numpy) against sympy at 40 digits, at the float point
    itself. Measured: 7.3e-16 at precision points, 3.6e-15 with the grader's 1e-2 floor elsewhere."""
    points = oracle_points()
    batch = gradients.expected_gradients(points)
    worst = {True: 0.0, False: 0.0}
    for (theta, x, y), row, precise in zip(points, batch, gradients.is_precision(points)):
        exact = oracle40(theta, x, y)
        scalar = network.exact_gradient(theta, x, y)
        for k in range(9):
            for got in (scalar[k], row[k]):
                worst[precise] = max(worst[precise], relative_to(exact[k], got, 1e-300 if precise else 1e-2))
    print(f"float64 reference against 40 digits: precision points {worst[True]:.1e}, others {worst[False]:.1e}")
    assert worst[True] < PRECISION / 100 and worst[False] < PRECISION / 100


def test_decimal_reference_agrees_with_40_digits(oracle40):
    """The Decimal gradient (40 digits, the build's) against sympy at the same decimal point: ~1e-38."""
    worst = 0.0
    for theta, x, y in oracle_points()[::3]:
        exact = oracle40([repr(v) for v in theta], [repr(v) for v in x], repr(y))
        got = network.exact_gradient_decimal(theta, x, y)
        worst = max(worst, *(relative_to(e, str(g), 1e-30) for e, g in zip(exact, got)))
    print(f"Decimal reference against 40 digits: {worst:.1e}")
    assert worst < 1e-35


def test_self_check_values_are_the_exact_derivatives_to_15_digits(oracle40):
    """What the build writes into the notebook: every literal within half a unit of its 15th digit."""
    namespace = {"init_params": network.init_params, "PARAM_NAMES": network.PARAM_NAMES}
    exec(selfcheck.self_check_source(), namespace)
    visible = interview.plan_points("0", hidden=False)
    assert len(namespace["SELF_CHECK_POINTS"]) == len(visible)
    for (params, x, y, literals), (theta, x_plan, y_plan) in zip(namespace["SELF_CHECK_POINTS"], visible):
        params = params if isinstance(params, list) else [params[n] for n in network.PARAM_NAMES]
        assert (params, list(x), y) == (theta, x_plan, y_plan)
        for exact, literal in zip(oracle40(theta, x, y), literals):
            assert relative_to(exact, literal, 1e-300) <= 5e-15 or exact == literal == 0


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


def test_batch_reference_agrees_with_the_float64_oracle(oracle):
    theta, x, y = random_points(2000, seed=2)
    reference = network.exact_gradient_batch(theta, x, y)
    exact = np.column_stack([oracle[n](*theta.T, *x.T, y) for n in network.PARAM_NAMES])
    # Two float64 evaluations of one formula: they differ by round-off, the oracle's own included (measured
    # 8.8e-14 here; the 40-digit test above measures the reference alone).
    assert np.max(network.rel_error(exact, reference)) < PRECISION


def test_scalar_and_batch_forms_agree():
    theta, x, y = random_points(50, seed=3)
    scalar = np.array([network.exact_gradient(list(t), list(xi), yi) for t, xi, yi in zip(theta, x, y)])
    assert np.allclose(scalar, network.exact_gradient_batch(theta, x, y), rtol=1e-6, atol=1e-9)
    assert np.allclose([network.forward(list(t), xi) for t, xi in zip(theta, x)], network.forward_batch(theta, x))


def test_trusted_forward_matches_the_notebook_forward(solution):
    """The grader's model and the child's copy of the given code (used while train is questioned) compute
    what the notebook's given cell computes."""
    theta, x, _ = random_points(50, seed=4)
    for t, xi in zip(theta, x):
        params = dict(zip(network.PARAM_NAMES, t))
        assert network.forward(list(t), xi) == pytest.approx(solution["forward"](params, xi), rel=1e-12)
        assert child.forward(params, xi) == solution["forward"](params, xi)
    assert network.init_params(7) == solution["init_params"](7) == child.init_params(7)


def test_the_child_holds_no_reference():
    """What runs in the sandbox imports nothing of the grader's side: no exact gradient, no point, no threshold."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(child))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"sandbox.child", "given"}, imported
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert not names & {"exact_gradient", "exact_gradient_batch", "Dual", "plan_points", "PRECISION", "THRESHOLD"}


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
