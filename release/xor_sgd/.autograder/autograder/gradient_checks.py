"""`gradient:<name>`: each of the 9 derivatives against the exact gradient of the trusted loss.

Two tests, at every planned point, on the relative error with a 1e-2 floor (an absolute tolerance where
the true gradient is ~0):

- correctness: error < THRESHOLD everywhere. Measured: every usual mistake misses by at least 0.33 on
  every point set, four orders of magnitude above it (tests/test_gradient_checks.py).
- precision: error < PRECISION at the precision points, where the derivative must be *derived*, not
  approximated. A precision point has a huge output bias b2_1 (±1e6..1e7) and a huge target y
  (±1e8..1e9), with |z| ≤ 3 in the hidden units. There a derived formula is a short chain of products
  with no cancellation (y - ŷ ≈ y, σ'(z) ≥ 0.045) and keeps ~16 digits, while any finite difference
  loses digits to round-off: differences of L lose eps·|y - ŷ|/h, differences of ŷ lose eps·|ŷ|/h, and
  θ + h itself is rounded to a multiple of ulp(b2_1).

Separation, measured by `python benchmarks/derivation.py` (the 33 derived `gradients` cells of
tests/corpus, 27 of them right_grad_* styles, and its 15 fd_* styles; 4,000 random precision points each):

- worst derived cell: 1.3e-15 at a precision point (every cell, every derivative);
- best finite difference (steps 1e-3 … 1e-9, central, one-sided, 5-point, Richardson, relative step,
  ŷ only, the grader's network or a copy, loops or numpy, the old release helper): 1.5e-9 at the two
  visible precision points, 2.7e-10 over the worst of 4 hidden ones (a single lucky point can be closer);
- PRECISION = 1e-12 sits 770x above the first and 270x below the second; the margin is 2.1e5.

float32 is refused, with its own diagnosis: a derivation computed in float32 misses by up to 1.7e-4 at
ordinary points (over THRESHOLD: it already failed at some hidden points) and 3.2e-7 at precision
points; a precision test that let 3.2e-7 through would also pass fd_richardson (2.4e-7) and
fd_relative_step (2.7e-10).

A failing derivative is diagnosed, in order: a usual mistake that explains every value; else values
within APPROXIMATE (relative error with a floor of 1) at every ordinary point, that is, right but not
exact: float32 when every value is a float32, a finite difference otherwise.
"""
import numpy as np

from . import network
from .verdict import failed, passed, why_missing

THRESHOLD = 1e-5
PRECISION = 1e-12  # at the precision points: see the separation study above
APPROXIMATE = 1e-2  # "close" at ordinary points (floor 1): a one-sided h = 1e-3 difference is ≤ 1.8e-3 off
DIAGNOSIS_TOLERANCE = 1e-4  # how close a wrong answer must be to a known mistake to name it
POINTS_EACH = 1
PRECISION_BIAS = 1e6  # |b2_1| of a precision point, times U(1, 10)
PRECISION_TARGET = 1e8  # |y| of a precision point, times U(1, 10): the mark of a precision point
VISIBLE_PRECISION, HIDDEN_PRECISION, HIDDEN_RANDOM = 2, 4, 6
VISIBLE_POINTS = 8 + 2 + VISIBLE_PRECISION  # XOR at init_params(0) and (1), 2 random, 2 precision
CHECK_NAMES = tuple(f"gradient:{name}" for name in network.PARAM_NAMES)
HIDDEN_UNIT = {"W1_11": 0, "W1_12": 0, "b1_1": 0, "W1_21": 1, "W1_22": 1, "b1_2": 1}
DIAGNOSES = {  # stable code -> what the student reads
    "finite_difference": (
        "parece una aproximación numérica (una diferencia finita como (L(θ + h) - L(θ - h)) / 2h), no una "
        "derivada obtenida con la regla de la cadena. Tus valores se acercan a la derivada en los puntos comunes, "
        "pero en los puntos de precisión (b2_1 e y enormes) una diferencia finita pierde cifras por redondeo, "
        "mientras que la fórmula derivada conserva casi todas (error relativo < 1e-12). El ejercicio pide "
        "derivar a mano: esa cuenta es backpropagation, es exacta y cuesta una sola pasada por la red, en lugar "
        "de 18 evaluaciones de forward por muestra"),
    "float32": (
        "tus valores tienen la precisión de float32 (unas 7 cifras). Calculá en float64, el tipo por defecto de "
        "Python y de numpy: con 7 cifras no se distingue una derivada de una aproximación numérica"),
}


def plan_points(fingerprint, hidden=True):
    """The points where derivatives are compared: visible ones, plus hidden ones seeded per submission."""
    points = [(network.init_params(seed), x, y) for seed in (0, 1) for x, y in zip(network.X_XOR, network.Y_XOR)]
    points = [([p[n] for n in network.PARAM_NAMES], x.tolist(), float(y)) for p, x, y in points]
    visible = np.random.default_rng(2025)
    points += random_points(visible, 2) + precision_points(visible, VISIBLE_PRECISION)
    if hidden:  # seeded by the code itself: the same submission always meets the same hidden points
        rng = np.random.default_rng(int(fingerprint[:15], 16))
        points += random_points(rng, HIDDEN_RANDOM) + precision_points(rng, HIDDEN_PRECISION)
    return points


def random_points(rng, count):
    """Random (theta, x, y) with |θ| ≤ 3, where a textbook sigmoid does not overflow; 2 decimals, to print."""
    return [(rounded(rng.uniform(-3, 3, 9), 2), rounded(rng.uniform(-2, 2, 2), 2), rounded([rng.uniform(-1, 2)], 2)[0])
            for _ in range(count)]


def precision_points(rng, count):
    """Random (theta, x, y) where derivatives are exact to ~1e-15 and finite differences are not (see above)."""
    points = []
    for _ in range(count):
        # |W1|, |b1| ≤ 1 and |x| ≤ 1 keep |z| ≤ 3; |W2| ≥ 0.5 and |x| ≥ 0.5 keep every derivative far from 0.
        weights = signed(rng, 0.1, 1, 6).tolist() + signed(rng, 0.5, 3, 2).tolist()
        bias = signed(rng, 1, 10, 1)[0] * PRECISION_BIAS
        x, y = signed(rng, 0.5, 1, 2), signed(rng, 1, 10, 1)[0] * PRECISION_TARGET
        points.append((significant(weights, 2) + significant([bias], 3), significant(x, 2), significant([y], 3)[0]))
    return points


def signed(rng, low, high, size):
    """`size` values of random sign and magnitude U(low, high)."""
    return rng.choice((-1.0, 1.0), size) * rng.uniform(low, high, size)


def rounded(values, decimals):
    """Python floats rounded to `decimals`: short literals in the notebook."""
    return [round(float(v), decimals) for v in values]


def significant(values, digits):
    """Python floats rounded to `digits` significant digits."""
    return [float(f"{float(v):.{digits}g}") for v in values]


def is_precision(points):
    """Which points are precision points (their target is huge): a boolean array."""
    return np.array([abs(y) >= PRECISION_TARGET for _, _, y in points])


def expected_gradients(points):
    """The exact gradient of the trusted loss at every point: (n_points, 9)."""
    theta = np.array([p[0] for p in points])
    x = np.array([p[1] for p in points])
    y = np.array([p[2] for p in points])
    return network.exact_gradient_batch(theta, x, y)


def decimal_literal(value):
    """A Decimal as a Python float literal with 15 significant digits."""
    if value == 0:
        return "0.0"
    mantissa, exponent = format(value, ".14e").split("e")
    return f"{mantissa}e{int(exponent):+03d}"


def self_check_source():
    """The notebook's SELF_CHECK_POINTS: the visible points and their exact derivatives, computed with
    Decimal (the same digits on every machine) and written as literals by the build."""
    lines = ["SELF_CHECK_POINTS = [  # (params, x, y, las 9 derivadas exactas en el orden de PARAM_NAMES)"]
    for index, (theta, x, y) in enumerate(plan_points("0", hidden=False)):
        params = f"init_params({index // 4})" if index < 8 else repr(theta)
        exact = [decimal_literal(value) for value in network.exact_gradient_decimal(theta, x, y)]
        lines.append(f"    ({params}, {tuple(x)!r}, {y!r},")
        lines += [f"     ({', '.join(exact[:3])},", f"      {', '.join(exact[3:6])},",
                  f"      {', '.join(exact[6:])})),"]
    lines.append("]")
    return "\n".join(lines)


def candidate_mistakes(name, points, expected):
    """(code, description, values at every point) of what the usual mistakes in ∂L/∂name would return."""
    k = network.PARAM_NAMES.index(name)
    e = expected[:, k]
    candidates = [
        ("sign_flipped", "el signo está invertido", -e),
        ("missing_factor_2", "falta el factor 2 de ∂L/∂ŷ = -2·(y - ŷ)", e / 2),
        ("extra_factor_2", "sobra un factor 2", 2 * e),
        ("sign_and_factor_2", "el signo está invertido y falta el factor 2: ∂L/∂ŷ = -2·(y - ŷ)", -e / 2),
        ("returns_zero", "devuelve 0", np.zeros_like(e)),
    ]
    if name in HIDDEN_UNIT:
        j = HIDDEN_UNIT[name]
        z = np.array([network.hidden(theta, x)[j] for theta, x, _ in points])
        a = np.array([network.hidden(theta, x)[2 + j] for theta, x, _ in points])
        slope = a * (1 - a)
        w2 = np.array([theta[6 + j] for theta, _, _ in points])
        with np.errstate(all="ignore"):  # a rounded point may hold W2 = 0: inf or NaN there matches nothing
            candidates += [
                ("missing_sigma_prime", "falta σ'(z) = σ(z)·(1 - σ(z)) de la neurona oculta", e / slope),
                ("sigma_instead_of_prime", "σ'(z) está mal: usaste σ(z) en lugar de σ(z)·(1 - σ(z))", e / (1 - a)),
                ("one_minus_sigma_instead_of_prime", "σ'(z) está mal: usaste 1 - σ(z) en lugar de σ(z)·(1 - σ(z))",
                 e / a),
                ("z_instead_of_sigma", "σ'(z) está mal: usaste z·(1 - z) en lugar de σ(z)·(1 - σ(z))",
                 e * z * (1 - z) / slope),
            ]
            for col in (0, 1):
                w1 = np.array([theta[3 * j + col] for theta, _, _ in points])
                candidates.append(("slide_typo", f"usaste W1_{j + 1}{col + 1} donde va W2_1{j + 1}: es el error de la "
                                   f"diapositiva; ∂ŷ/∂a{j + 1} es el peso de salida W2_1{j + 1}", e * w1 / w2))
    for other_index, other in enumerate(network.PARAM_NAMES):
        if other != name:
            candidates.append((*describe_swap(name, other), expected[:, other_index]))
    return candidates


def describe_swap(name, other):
    """(code, text): what returning ∂L/∂other in place of ∂L/∂name usually means."""
    if name.startswith("b1") and other.startswith("W1") and other[3] == name[3]:
        return "bias_times_input", f"multiplicaste el sesgo por una entrada (es ∂L/∂{other})"
    if name.startswith("W1") and other.startswith("W1") and name[3] == other[3]:
        return "swapped_inputs", f"intercambiaste las entradas x1 y x2 (es ∂L/∂{other})"
    if name == "b2_1" and other.startswith("W2"):
        return "output_bias_times_activation", f"multiplicaste el sesgo de salida por una activación (es ∂L/∂{other})"
    return "other_derivative", f"coincide con ∂L/∂{other}, no con ∂L/∂{name}"


def diagnose(name, points, expected, got):
    """(code, text) of the usual mistake that explains every wrong value, or (None, '') when none does."""
    usable = np.isfinite(got)
    if not usable.any():
        return None, ""
    for code, description, values in candidate_mistakes(name, points, expected):
        with np.errstate(all="ignore"):
            close = network.rel_error(values[usable], got[usable]) < DIAGNOSIS_TOLERANCE
        if close.all():
            return code, description
    return None, ""


def approximation(name, points, expected, got):
    """'float32' or 'finite_difference' when the values are right but not exact, else ''."""
    k, ordinary = network.PARAM_NAMES.index(name), ~is_precision(points)
    with np.errstate(all="ignore"):
        close = network.rel_error(expected[ordinary, k], got[ordinary], floor=1.0) < APPROXIMATE
    if not close.all():
        return ""
    return "float32" if np.all(got.astype(np.float32) == got) else "finite_difference"


def calls_note(results):
    """What the sandbox counted, when it did: how often one call of gradients ran forward or sigmoid."""
    counts = [r["calls"] for r in results if isinstance(r.get("calls"), dict)]
    forward = max((c.get("forward", 0) for c in counts), default=0)
    sigmoid = max((c.get("sigmoid", 0) for c in counts), default=0)
    if forward >= 2:
        return f" Además, gradients llamó a forward {forward} veces para una sola muestra."
    if sigmoid >= 18:
        return f" Además, gradients llamó a sigmoid {sigmoid} veces para una sola muestra."
    return ""


def format_point(points, index):
    """A point as a student reads it: the first 8 use init_params(0) and init_params(1)."""
    theta, x, y = points[index]
    if abs(y) >= PRECISION_TARGET:
        params = f"el punto de precisión con b2_1 = {theta[8]:.3g}"
    else:
        params = f"params = init_params({index // 4})" if index < 8 else "params al azar"
    return f"{params}, x = ({x[0]:.3g}, {x[1]:.3g}), y = {y:.3g}"


def matching_digits(error):
    """'N cifras': how many significant digits two values share, from their relative error."""
    digits = int(np.clip(np.floor(-np.log10(max(error, 1e-17))), 0, 16))
    return f"{digits} cifra" if digits == 1 else f"{digits} cifras"


def evaluate(observation, fingerprint, hidden=True):
    """The 9 gradient checks of one observation."""
    probe = observation["gradients"]
    if probe is None:
        reason = why_missing(observation, "gradients")
        return [failed(check, POINTS_EACH, f"No se pudo evaluar gradients: {reason}.", diagnosis="not_evaluated")
                for check in CHECK_NAMES]
    points = plan_points(fingerprint, hidden)
    results = probe["results"]
    if len(results) != len(points):
        return [failed(check, POINTS_EACH, "gradients no respondió en todos los puntos.", diagnosis="not_evaluated")
                for check in CHECK_NAMES]
    errors = [r.get("error") for r in results]
    if all(errors):
        where = f" ({results[0]['where']})" if results[0].get("where") else ""
        return [failed(check, POINTS_EACH, f"gradients(params, x, y) falló: {errors[0]}{where}.",
                       diagnosis="gradients_raised") for check in CHECK_NAMES]
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
                                              f"{result['error']}.", diagnosis="gradients_raised")
    not_numbers = [v for v in raw if not isinstance(v, float)]
    if not_numbers:
        what = not_numbers[0]
        text = "está sin completar (None)" if what == "<NoneType>" else f"no es un número ({what})"
        return failed(check, POINTS_EACH, f"∂L/∂{name} {text}.",
                      diagnosis="missing" if what == "<NoneType>" else "not_a_number")
    if np.isnan(got).any():
        return failed(check, POINTS_EACH, f"∂L/∂{name} da NaN (no es un número): revisá divisiones 0/0 o "
                                          "restas de infinitos.", diagnosis="nan")
    with np.errstate(all="ignore"):
        error = network.rel_error(expected[:, k], got)
    precision = is_precision(points)
    wrong = np.flatnonzero(~(error < THRESHOLD) | (precision & ~(error < PRECISION)))
    if wrong.size == 0:
        return passed(check, POINTS_EACH, f"∂L/∂{name} correcta: coincide con la derivada exacta en los {len(points)} "
                                          "puntos.")
    shown = wrong[0]  # a visible point if one fails: the first VISIBLE_POINTS are the visible ones
    code, mistake = diagnose(name, points, expected, got)
    approximate = "" if mistake else approximation(name, points, expected, got)
    if approximate:  # an approximation shows where it is furthest from exact: at a precision point
        shown = next((index for index in wrong if precision[index]), shown)
        return failed(check, POINTS_EACH,
                      f"∂L/∂{name} no tiene precisión de derivada. En {format_point(points, shown)}: exacta "
                      f"{expected[shown, k]:.15g}, la tuya {got[shown]:.15g} (coinciden "
                      f"{matching_digits(error[shown])}). Diagnóstico: {DIAGNOSES[approximate]}."
                      f"{calls_note(results) if approximate == 'finite_difference' else ''}",
                      hidden=shown >= VISIBLE_POINTS, diagnosis=approximate,
                      details=point_details(points, shown, expected[shown, k], got[shown], DIAGNOSES[approximate]))
    hint = f" Diagnóstico: {mistake}." if mistake else ""
    return failed(check, POINTS_EACH,
                  f"∂L/∂{name} incorrecta en {wrong.size} de {len(points)} puntos. En {format_point(points, shown)}: "
                  f"esperado {expected[shown, k]:.6g}, obtenido {got[shown]:.6g}.{hint}",
                  hidden=shown >= VISIBLE_POINTS, diagnosis=code,
                  details=point_details(points, shown, expected[shown, k], got[shown], mistake))


def point_details(points, index, expected, obtained, diagnosis):
    """The numbers behind a failed derivative, for the reports: where, what was expected, what came."""
    return {"point": format_point(points, index), "expected": float(expected), "obtained": float(obtained),
            "diagnosis": diagnosis, "hidden": bool(index >= VISIBLE_POINTS)}
