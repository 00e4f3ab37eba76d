"""`gradient:<name>`: each of the 9 derivatives against central finite differences of the trusted loss.

A derivative passes when, at every planned point, its relative error (with a 1e-2 floor, which acts as
an absolute tolerance where the true gradient is ~0) is below THRESHOLD. Measured here: exact
derivatives miss the finite difference by at most 9e-8 over 20,000 random points (6e-8 over 300
submissions' point sets); every usual mistake misses by at least 0.33 on every point set. 1e-5 leaves
two orders of magnitude on the honest side and four on the other (tests/test_gradient_checks.py).
"""
import numpy as np

from . import network
from .verdict import failed, passed, why_missing

THRESHOLD = 1e-5
DIAGNOSIS_TOLERANCE = 1e-4  # how close a wrong answer must be to a known mistake to name it
POINTS_EACH = 1
VISIBLE_POINTS = 10  # 8 XOR points at init_params(0) and (1), 2 fixed random ones; then the hidden ones
CHECK_NAMES = tuple(f"gradient:{name}" for name in network.PARAM_NAMES)
HIDDEN_UNIT = {"W1_11": 0, "W1_12": 0, "b1_1": 0, "W1_21": 1, "W1_22": 1, "b1_2": 1}


def plan_points(fingerprint, hidden=True):
    """The points where derivatives are compared: visible ones, plus hidden random ones seeded per submission."""
    points = [(network.init_params(seed), x, y) for seed in (0, 1) for x, y in zip(network.X_XOR, network.Y_XOR)]
    points = [([p[n] for n in network.PARAM_NAMES], x.tolist(), float(y)) for p, x, y in points]
    points += random_points(np.random.default_rng(2025), 2)
    if hidden:  # seeded by the code itself: the same submission always meets the same hidden points
        points += random_points(np.random.default_rng(int(fingerprint[:15], 16)), 6)
    return points


def random_points(rng, count):
    """Random (theta, x, y) with |θ| ≤ 3, where a textbook sigmoid does not overflow."""
    return [(rng.uniform(-3, 3, 9).tolist(), rng.uniform(-2, 2, 2).tolist(), float(rng.uniform(-1, 2)))
            for _ in range(count)]


def expected_gradients(points):
    """The exact gradient of the trusted loss at every point: (n_points, 9)."""
    theta = np.array([p[0] for p in points])
    x = np.array([p[1] for p in points])
    y = np.array([p[2] for p in points])
    return network.exact_gradient_batch(theta, x, y)


def candidate_mistakes(name, points, expected):
    """(description, values at every point) of what the usual mistakes in ∂L/∂name would return."""
    k = network.PARAM_NAMES.index(name)
    e = expected[:, k]
    candidates = [
        ("el signo está invertido", -e),
        ("falta el factor 2 de ∂L/∂ŷ = -2·(y - ŷ)", e / 2),
        ("sobra un factor 2", 2 * e),
        ("el signo está invertido y falta el factor 2: ∂L/∂ŷ = -2·(y - ŷ)", -e / 2),
        ("devuelve 0", np.zeros_like(e)),
    ]
    if name in HIDDEN_UNIT:
        j = HIDDEN_UNIT[name]
        z = np.array([network.hidden(theta, x)[j] for theta, x, _ in points])
        a = np.array([network.hidden(theta, x)[2 + j] for theta, x, _ in points])
        slope = a * (1 - a)
        w2 = np.array([theta[6 + j] for theta, _, _ in points])
        candidates += [
            ("falta σ'(z) = σ(z)·(1 - σ(z)) de la neurona oculta", e / slope),
            ("σ'(z) está mal: usaste σ(z) en lugar de σ(z)·(1 - σ(z))", e / (1 - a)),
            ("σ'(z) está mal: usaste 1 - σ(z) en lugar de σ(z)·(1 - σ(z))", e / a),
            ("σ'(z) está mal: usaste z·(1 - z) en lugar de σ(z)·(1 - σ(z))", e * z * (1 - z) / slope),
        ]
        for col in (0, 1):
            w1 = np.array([theta[3 * j + col] for theta, _, _ in points])
            candidates.append((f"usaste W1_{j + 1}{col + 1} donde va W2_1{j + 1}: es el error de la diapositiva; "
                               f"∂ŷ/∂a{j + 1} es el peso de salida W2_1{j + 1}", e * w1 / w2))
    for other_index, other in enumerate(network.PARAM_NAMES):
        if other != name:
            candidates.append((describe_swap(name, other), expected[:, other_index]))
    return candidates


def describe_swap(name, other):
    """What returning ∂L/∂other in place of ∂L/∂name usually means."""
    if name.startswith("b1") and other.startswith("W1") and other[3] == name[3]:
        return f"multiplicaste el sesgo por una entrada (es ∂L/∂{other})"
    if name.startswith("W1") and other.startswith("W1") and name[3] == other[3]:
        return f"intercambiaste las entradas x1 y x2 (es ∂L/∂{other})"
    if name == "b2_1" and other.startswith("W2"):
        return f"multiplicaste el sesgo de salida por una activación (es ∂L/∂{other})"
    return f"coincide con ∂L/∂{other}, no con ∂L/∂{name}"


def diagnose(name, points, expected, got):
    """Name the usual mistake that explains every wrong value, or '' when none does."""
    usable = np.isfinite(got)
    if not usable.any():
        return ""
    for description, values in candidate_mistakes(name, points, expected):
        with np.errstate(all="ignore"):
            close = network.rel_error(values[usable], got[usable]) < DIAGNOSIS_TOLERANCE
        if close.all():
            return description
    return ""


def format_point(points, index):
    """A point as a student reads it: the first 8 use init_params(0) and init_params(1)."""
    theta, x, y = points[index]
    params = f"init_params({index // 4})" if index < 8 else "params al azar"
    return f"params = {params}, x = ({x[0]:.3g}, {x[1]:.3g}), y = {y:.3g}"


def evaluate(observation, fingerprint, hidden=True):
    """The 9 gradient checks of one observation."""
    probe = observation["gradients"]
    if probe is None:
        reason = why_missing(observation, "gradients")
        return [failed(check, POINTS_EACH, f"No se pudo evaluar gradients: {reason}.") for check in CHECK_NAMES]
    points = plan_points(fingerprint, hidden)
    results = probe["results"]
    if len(results) != len(points):
        return [failed(check, POINTS_EACH, "gradients no respondió en todos los puntos.") for check in CHECK_NAMES]
    errors = [r.get("error") for r in results]
    if all(errors):
        where = f" ({results[0]['where']})" if results[0].get("where") else ""
        return [failed(check, POINTS_EACH, f"gradients(params, x, y) falló: {errors[0]}{where}.") for check in CHECK_NAMES]
    expected = expected_gradients(points)
    return [check_one(name, points, expected, results) for name in network.PARAM_NAMES]


def check_one(name, points, expected, results):
    """The verdict for ∂L/∂name from the student's values at every point."""
    check, k = f"gradient:{name}", network.PARAM_NAMES.index(name)
    raw = [r["values"].get(name) if "values" in r else None for r in results]
    got = np.array([v if isinstance(v, float) else np.nan for v in raw])
    for index, result in enumerate(results):
        if "error" in result:
            return failed(check, POINTS_EACH, f"∂L/∂{name}: gradients falló en {format_point(points, index)}: "
                                              f"{result['error']}.")
    not_numbers = [v for v in raw if not isinstance(v, float)]
    if not_numbers:
        what = not_numbers[0]
        text = "está sin completar (None)" if what == "<NoneType>" else f"no es un número ({what})"
        return failed(check, POINTS_EACH, f"∂L/∂{name} {text}.")
    if np.isnan(got).any():
        return failed(check, POINTS_EACH, f"∂L/∂{name} da NaN (no es un número): revisá divisiones 0/0 o "
                                          "restas de infinitos.")
    with np.errstate(all="ignore"):
        error = network.rel_error(expected[:, k], got)
    wrong = np.flatnonzero(~(error < THRESHOLD))
    if wrong.size == 0:
        return passed(check, POINTS_EACH, f"∂L/∂{name} correcta (error relativo máximo {error.max():.1e}).")
    shown = wrong[0]  # a visible point if one fails: the first VISIBLE_POINTS are the visible ones
    diagnosis = diagnose(name, points, expected, got)
    hint = f" Diagnóstico: {diagnosis}." if diagnosis else ""
    return failed(check, POINTS_EACH,
                  f"∂L/∂{name} incorrecta en {wrong.size} de {len(points)} puntos. En {format_point(points, shown)}: "
                  f"esperado {expected[shown, k]:.6g}, obtenido {got[shown]:.6g}.{hint}", hidden=shown >= VISIBLE_POINTS)
