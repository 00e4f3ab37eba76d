"""assignments/xor_sgd/gradients.py (and the interview's points): the thresholds' margins, the points, derived
against differenced, and the diagnoses."""
import hashlib
import sys

import numpy as np
import pytest

from autograder.assignments.xor_sgd import gradients as gradient_checks
from autograder.assignments.xor_sgd import interview
from autograder.assignments.xor_sgd import model as network
from autograder.assignments.xor_sgd.diagnoses import DIAGNOSES
from autograder.assignments.xor_sgd.gradients import PRECISION, THRESHOLD, candidate_mistakes, diagnose
from autograder.assignments.xor_sgd.interview import plan_points
from autograder.engine.assignment import Evidence
from autograder.sandbox.child import as_number, describe
from autograder.sandbox.questions import Answer
from conftest import CORPUS, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import derivation  # noqa: E402


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


def observe(gradients, points):
    """The evidence of a gradients function at these points, answered as the child's handler answers."""
    results = []
    for theta, x, y in points:
        try:
            got = gradients(dict(zip(network.PARAM_NAMES, theta)), np.array(x), np.float64(y))
        except Exception as error:
            results.append({"error": describe(error)})
            continue
        if not isinstance(got, dict):
            results.append({"error": f"gradients devolvió {type(got).__name__}, no un dict"})
            continue
        numbers = [as_number(got.get(name)) for name in network.PARAM_NAMES]
        results.append({"values": [number if number is not None else f"<{type(got.get(name)).__name__}>"
                                   for name, number in zip(network.PARAM_NAMES, numbers)]})
    answer = Answer(data=interview.valid_gradients(len(points))({"results": results}))
    return Evidence(answers={"gradients": answer, "points": points})


def evaluate(evidence):
    """The 9 gradient checks of some evidence."""
    return gradient_checks.judge(evidence, lambda answer, grade_id: "no respondió")


@pytest.fixture(scope="module")
def study():
    """The separation study of benchmarks/derivation.py on a small sample (the benchmark runs 4,000 points)."""
    return derivation.study(240, seed=1)


def test_exact_derivatives_pass_with_two_orders_of_margin():
    rng = np.random.default_rng(0)
    for points, bound in ((interview.random_points(rng, 20000), THRESHOLD / 100),
                          (interview.precision_points(rng, 20000), PRECISION / 100)):
        theta, x, y = arrays(points)
        worst = network.rel_error(network.exact_gradient_batch(theta, x, y), exact_gradients(theta, x, y)).max()
        print(f"worst correct over 20,000 points: {worst:.2e}")
        assert worst < bound


def test_every_usual_mistake_fails_by_orders_of_magnitude():
    best_wrong = np.inf
    for fingerprint in fingerprints(100):
        points = plan_points(fingerprint)
        theta, x, y = arrays(points)
        expected = network.exact_gradient_batch(theta, x, y)
        exact = exact_gradients(theta, x, y)
        for k, name in enumerate(network.PARAM_NAMES):
            for _, mistake, _ in candidate_mistakes(name, points, exact):
                best_wrong = min(best_wrong, network.rel_error(expected[:, k], mistake).max())
    print(f"closest usual mistake over 100 point sets: {best_wrong:.2e}")
    assert best_wrong > THRESHOLD * 1000


def test_hidden_points_are_per_submission_and_deterministic():
    a, b = fingerprints(2)
    visible = interview.VISIBLE_POINTS
    assert plan_points(a) == plan_points(a)
    assert plan_points(a)[visible:] != plan_points(b)[visible:]
    assert plan_points(a, hidden=False) == plan_points(b, hidden=False) == plan_points(a)[:visible]
    theta, x, y = arrays(plan_points(a))
    ordinary = ~gradient_checks.is_precision(plan_points(a))
    assert np.abs(theta[ordinary]).max() <= 3 and np.abs(x[ordinary]).max() <= 2
    assert not all(list(p) in network.X_XOR.tolist() for p in x[8:])  # not only the XOR inputs


def test_precision_points_are_where_the_plan_says():
    points = plan_points(fingerprints(1)[0])
    precise = gradient_checks.is_precision(points)
    assert np.flatnonzero(precise).tolist() == [10, 11, 18, 19, 20, 21]  # 2 visible, 4 hidden
    theta, x, y = arrays([p for p, flag in zip(points, precise) if flag])
    z = np.array([network.hidden(t, xi)[:2] for t, xi in zip(theta, x)])
    assert np.abs(z).max() <= 3 and np.abs(theta[:, 8]).min() >= 1e6 and np.abs(y).min() >= 1e8
    assert np.abs(network.exact_gradient_batch(theta, x, y)).min() > 1e3  # the 1e-2 floor never applies


def test_corpus_has_enough_styles(study):
    assert sum(name.startswith("right_grad_") for name in study["derived"]) >= 20
    assert len(study["fd"]) >= 10


def test_every_derived_style_is_exact_at_every_point(study):
    for name, row in study["derived"].items():
        assert row["ordinary"] < THRESHOLD / 100, name
        assert row["precision"] < PRECISION / 100, name


def test_every_finite_difference_misses_precision_by_two_orders(study):
    """At the 2 visible precision points (the notebook's self-check) and over the worst of 4 hidden ones."""
    for name, row in study["fd"].items():
        assert row["visible"] > PRECISION * 100, name
        assert row["hidden_set"] > PRECISION * 100, name
        assert row["ordinary_close"] < gradient_checks.APPROXIMATE, name  # so it is diagnosed as one
    summary = study["summary"]
    print(f"worst derived {summary['worst_derived']:.1e}, best difference {summary['best_fd_hidden_set']:.1e}")
    assert summary["margin"] > 1e4


def test_float32_cannot_be_told_from_a_finite_difference(study):
    """Why float32 is rejected: a float32 derivation is no closer to exact than some finite differences."""
    f32 = study["float32"]
    assert f32["derived_ordinary"] > THRESHOLD  # already failed the old grader at some points
    assert f32["derived_precision"] > min(row["hidden_set"] for row in study["fd"].values())
    assert f32["fd_within_float32"]  # a test that accepted float32 would accept these differences


def style_verdicts(path, fingerprint):
    """The 9 gradient checks of one corpus style, graded at all planned points."""
    gradients = derivation.load_gradients(path)
    return evaluate(observe(gradients, plan_points(fingerprint)))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("fd_*.py")), ids=lambda p: p.stem)
def test_finite_differences_lose_the_points_with_the_diagnosis(path):
    checks = style_verdicts(path, fingerprints(1)[0])
    differenced = derivation.DIFFERENCED.get(path.stem, network.PARAM_NAMES)
    for name, check in zip(network.PARAM_NAMES, checks):
        if name in differenced:
            assert check.score == 0, check.feedback
            code = "float32" if "float32" in path.stem else "finite_difference"
            assert DIAGNOSES[code].student in check.feedback, check.feedback
        else:
            assert check.score == 1, check.feedback


@pytest.mark.parametrize("path", sorted(CORPUS.glob("right_grad_*.py")), ids=lambda p: p.stem)
def test_derived_styles_keep_every_point(path):
    for fingerprint in fingerprints(3):
        assert all(check.score == 1 for check in style_verdicts(path, fingerprint))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("right_grad_*.py"))[:5] + sorted(CORPUS.glob("fd_*.py"))
                         + sorted(CORPUS.glob("wrong_*.py")), ids=lambda p: p.stem)
def test_notebook_self_check_agrees_with_the_grader_on_visible_points(path, capsys):
    """The release's own check_gradients (precomputed values) and `python -m autograder check` fail the same
    derivatives. fd_old_release_helper replaces the self-check cell, so the release's is used for all."""
    release = derivation.namespace_of(CORPUS / "right_solution.py", ("given_data", "given_network",
                                                                      "given_self_checks"))
    gradients = derivation.load_gradients(path)
    notebook_wrong = set(release["check_gradients"](gradients))
    checks = evaluate(observe(gradients, plan_points("0", hidden=False)))
    assert notebook_wrong == {name for name, check in zip(network.PARAM_NAMES, checks) if check.score == 0}
    if path.stem.startswith("fd_"):
        assert "no es exacta" in capsys.readouterr().out


def test_float32_derivation_gets_its_own_diagnosis():
    solution = derivation.load_gradients(CORPUS / "right_solution.py")

    def in_float32(params, x, y):  # computed and returned in float32 (numpy 1.x promotes some steps to float64)
        params = {name: np.float32(value) for name, value in params.items()}
        grads = solution(params, np.asarray(x, dtype=np.float32), np.float32(y))
        return {name: np.float32(value) for name, value in grads.items()}

    checks = evaluate(observe(in_float32, plan_points("0")))
    assert all(check.score == 0 and DIAGNOSES["float32"].student in check.feedback for check in checks)


def test_call_counts_strengthen_the_diagnosis_when_the_sandbox_reports_them():
    points = plan_points("0")
    fd = derivation.load_gradients(CORPUS / "fd_central_1e5.py")
    evidence = observe(fd, points)
    for result in evidence.answers["gradients"].data["results"]:
        result["calls"] = {"forward": 18, "sigmoid": 0}
    check = evaluate(evidence)[0]
    assert "gradients llamó a forward 18 veces" in check.feedback
    assert "llamó" not in evaluate(observe(fd, points))[0].feedback  # optional


def test_approximation_feedback_shows_a_precision_point():
    fd = derivation.load_gradients(CORPUS / "fd_forward_1e3.py")
    check = evaluate(observe(fd, plan_points("0")))[0]
    assert "punto de precisión" in check.feedback and not check.hidden  # a visible one


MISTAKES = [
    ("W2_11", lambda e, **_: -e[:, 6], "el signo está invertido", "sign_flipped"),
    ("b2_1", lambda e, **_: e[:, 8] / 2, "falta el factor 2", "missing_factor_2"),
    ("W1_12", lambda e, a1, **_: e[:, 1] / (a1 * (1 - a1)), "falta σ'(z)", "missing_sigma_prime"),
    ("b1_2", lambda e, a2, **_: e[:, 5] / (1 - a2), "usaste σ(z) en lugar de σ(z)·(1 - σ(z))", "sigma_instead_of_prime"),
    ("W1_11", lambda e, theta, **_: e[:, 0] * theta[:, 0] / theta[:, 6], "usaste W1_11 donde va W2_11", "slide_typo"),
    ("W1_21", lambda e, **_: e[:, 4], "intercambiaste las entradas", "swapped_inputs"),
    ("b1_2", lambda e, **_: e[:, 3], "multiplicaste el sesgo por una entrada", "bias_times_input"),
    ("W2_12", lambda e, **_: np.zeros(len(e)), "devuelve 0", "returns_zero"),
]


@pytest.mark.parametrize("name, mistake, words, code", MISTAKES, ids=[m[3] for m in MISTAKES])
def test_diagnosis_names_the_mistake(name, mistake, words, code):
    points = plan_points(fingerprints(1)[0])
    theta, x, y = arrays(points)
    exact = exact_gradients(theta, x, y)
    a1 = np.array([network.hidden(t, xi)[2] for t, xi in zip(theta, x)])
    a2 = np.array([network.hidden(t, xi)[3] for t, xi in zip(theta, x)])
    got = mistake(exact, theta=theta, a1=a1, a2=a2)
    expected = network.exact_gradient_batch(theta, x, y)
    assert diagnose(name, points, expected, got)[0] == code
    assert words in diagnose(name, points, expected, got)[1]


def test_an_unexplained_wrong_answer_gets_no_made_up_diagnosis():
    points = plan_points(fingerprints(1)[0])
    theta, x, y = arrays(points)
    expected = network.exact_gradient_batch(theta, x, y)
    assert diagnose("W1_11", points, expected, expected[:, 0] + 0.37) == (None, "")
    assert gradient_checks.approximation("W1_11", points, expected, expected[:, 0] + 0.37) == ""
    assert gradient_checks.format_point(points, 5).startswith("params = init_params(1)")
