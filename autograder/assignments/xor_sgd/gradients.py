"""`gradient:<name>`: each of the 9 derivatives, derived by hand, against the exact gradient of the trusted loss.

Two tests, at every planned point (interview.py), on the relative error with a 1e-2 floor (an absolute
tolerance where the true gradient is ~0):

- correctness: error < THRESHOLD everywhere. Measured: every usual mistake misses by at least 0.33 on
  every point set, four orders of magnitude above it (tests/assignments/xor_sgd/test_gradients.py).
- precision: error < PRECISION at the precision points, where the derivative must be *derived*, not
  approximated. A precision point has a huge output bias b2_1 (±1e6..1e7) and a huge target y
  (±1e8..1e9), with |z| ≤ 3 in the hidden units. There a derived formula is a short chain of products
  with no cancellation (y - ŷ ≈ y, σ'(z) ≥ 0.045) and keeps ~16 digits, while any float64 finite
  difference loses digits to round-off: differences of L lose eps·|y - ŷ|/h, differences of ŷ lose
  eps·|ŷ|/h, and θ + h itself is rounded to a multiple of ulp(b2_1).

Separation, measured by `python benchmarks/derivation.py` over the corpus (4,000 random precision points per
style): worst derived cell 1.3e-15; best float64 finite difference 1.5e-9 at the two visible precision
points, 2.7e-10 over the worst of 4 hidden ones; PRECISION = 1e-12 sits 770x above the first and 270x below
the second. float32 is refused, with its own diagnosis (3.2e-7 off at precision points; a test that let
that through would pass Richardson differences too).

What numbers cannot see, the source shows (engine.analysis, outside the sandbox): the complex step, dual
numbers or any operator-overloading AD, differences in Decimal / Fraction / longdouble, differences of a
rescaled part of the network, library differentiation, and code that hides what it calls. Those lose the
gradient points with their own diagnosis even when every value is exact; and a notebook that acts outside
the normal call path (threads, descriptors, hooks, introspection) has its gradient points withheld for the
instructor's review: its answers could have come from anywhere.
"""
import numpy as np

from ...engine.verdict import failed, passed
from . import model
from .diagnoses import DIAGNOSES
from .given import PARAM_NAMES
from .interview import PRECISION_TARGET, VISIBLE_POINTS

THRESHOLD = 1e-5
PRECISION = 1e-12  # at the precision points: see the separation study above
APPROXIMATE = 1e-2  # "close" at ordinary points (floor 1): a one-sided h = 1e-3 difference is ≤ 1.8e-3 off
DIAGNOSIS_TOLERANCE = 1e-4  # how close a wrong answer must be to a known mistake to name it
POINTS_EACH = 1
CHECK_NAMES = tuple(f"gradient:{name}" for name in PARAM_NAMES)
HIDDEN_UNIT = {"W1_11": 0, "W1_12": 0, "b1_1": 0, "W1_21": 1, "W1_22": 1, "b1_2": 1}
# Source findings that take the gradient points, in the order they are named when several are found.
SOURCE_FINDINGS = ("complex_step", "operator_overloading", "machine_differentiation", "extended_precision",
                   "finite_difference", "hidden_call")


def is_precision(points):
    """Which points are precision points (their target is huge): a boolean array."""
    return np.array([abs(y) >= PRECISION_TARGET for _, _, y in points])


def expected_gradients(points):
    """The exact gradient of the trusted loss at every point: (n_points, 9)."""
    theta = np.array([p[0] for p in points])
    x = np.array([p[1] for p in points])
    y = np.array([p[2] for p in points])
    return model.exact_gradient_batch(theta, x, y)


def candidate_mistakes(name, points, expected):
    """(code, values at every point) of what the usual mistakes in ∂L/∂name would return."""
    k = PARAM_NAMES.index(name)
    e = expected[:, k]
    candidates = [("sign_flipped", -e), ("missing_factor_2", e / 2), ("extra_factor_2", 2 * e),
                  ("sign_and_factor_2", -e / 2), ("returns_zero", np.zeros_like(e))]
    if name in HIDDEN_UNIT:
        j = HIDDEN_UNIT[name]
        z = np.array([model.hidden(theta, x)[j] for theta, x, _ in points])
        a = np.array([model.hidden(theta, x)[2 + j] for theta, x, _ in points])
        slope = a * (1 - a)
        w2 = np.array([theta[6 + j] for theta, _, _ in points])
        with np.errstate(all="ignore"):  # a rounded point may hold W2 = 0: inf or NaN there matches nothing
            candidates += [("missing_sigma_prime", e / slope), ("sigma_instead_of_prime", e / (1 - a)),
                           ("one_minus_sigma_instead_of_prime", e / a),
                           ("z_instead_of_sigma", e * z * (1 - z) / slope)]
            for col in (0, 1):
                w1 = np.array([theta[3 * j + col] for theta, _, _ in points])
                candidates.append(("slide_typo", e * w1 / w2, f"usaste W1_{j + 1}{col + 1} donde va W2_1{j + 1}"))
    for other_index, other in enumerate(PARAM_NAMES):
        if other != name:
            candidates.append((swap_code(name, other), expected[:, other_index], f"es ∂L/∂{other}"))
    return [(c[0], c[1], c[2] if len(c) > 2 else "") for c in candidates]


def swap_code(name, other):
    """What returning ∂L/∂other in place of ∂L/∂name usually means."""
    if name.startswith("b1") and other.startswith("W1") and other[3] == name[3]:
        return "bias_times_input"
    if name.startswith("W1") and other.startswith("W1") and name[3] == other[3]:
        return "swapped_inputs"
    if name == "b2_1" and other.startswith("W2"):
        return "output_bias_times_activation"
    return "other_derivative"


def diagnose(name, points, expected, got):
    """(code, text) of the usual mistake that explains every wrong value, or (None, '') when none does."""
    usable = np.isfinite(got)
    if not usable.any():
        return None, ""
    for code, values, detail in candidate_mistakes(name, points, expected):
        with np.errstate(all="ignore"):
            close = model.rel_error(values[usable], got[usable]) < DIAGNOSIS_TOLERANCE
        if close.all():
            return code, DIAGNOSES[code].student + (f" ({detail})" if detail else "")
    return None, ""


def approximation(name, points, expected, got):
    """'float32' or 'finite_difference' when the values are right but not exact, else ''."""
    k, ordinary = PARAM_NAMES.index(name), ~is_precision(points)
    with np.errstate(all="ignore"):
        close = model.rel_error(expected[ordinary, k], got[ordinary], floor=1.0) < APPROXIMATE
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
    error = float(error) if np.isfinite(error) else 1.0
    digits = int(np.clip(np.floor(-np.log10(max(error, 1e-17))), 0, 16))
    return f"{digits} cifra" if digits == 1 else f"{digits} cifras"


def findings_of(evidence, name):
    """The source findings that reach ∂L/∂name (all of them when the analysis cannot tell keys apart)."""
    by_key = evidence.attribution.get("gradients")
    return list(evidence.findings) if by_key is None else list(by_key.get(name, evidence.findings))


def source_verdicts(findings):
    """(code, Spanish detail) of the first derivation finding in the source of gradients, or None."""
    for code in SOURCE_FINDINGS:
        found = [f for f in findings if f.code == code]
        if found:
            place = f"celda {found[0].cell + 1}, línea {found[0].line}"
            return code, f"{found[0].text} ({place})"
    return None


def judge(evidence, why):
    """The 9 gradient checks: from the values at every point, then from the source. `why(answer, grade_id)`
    says why a question could not be answered."""
    answers = evidence.answers
    answer, points = answers["gradients"], answers["points"]
    if not answer.ok:
        return all_failed(f"No se pudo evaluar gradients: {why(answer, 'gradients')}.", "not_evaluated")
    if "missing" in answer.data:
        return all_failed(f"No se pudo evaluar gradients: {answer.data['missing']}.", "not_evaluated")
    results = answer.data["results"]
    errors = [r.get("error") for r in results]
    if all(errors):
        where = f" ({results[0]['where']})" if results[0].get("where") else ""
        return all_failed(f"gradients(params, x, y) falló: {errors[0]}{where}.", "gradients_raised")
    expected = expected_gradients(points)
    checks = [check_one(name, points, expected, results) for name in PARAM_NAMES]
    for index, name in enumerate(PARAM_NAMES):
        source = source_verdicts(findings_of(evidence, name))
        if source:  # right or wrong, this value was not derived by hand: the source says how it was made
            code, detail = source
            checks[index] = failed(checks[index].name, POINTS_EACH, f"∂L/∂{name}: {DIAGNOSES[code].student}. Se "
                                                                    f"encontró: {detail}.", diagnosis=code)
    if evidence.review:
        found = evidence.review[0]
        checks = [c if c.score == 0 else failed(c.name, POINTS_EACH, f"∂L/∂{c.name.split(':')[1]}: "
                  f"{DIAGNOSES['needs_review'].student}. Se encontró: {found.text} (celda {found.cell + 1}, línea "
                  f"{found.line}).", diagnosis="needs_review") for c in checks]
    return checks


def all_failed(text, code):
    return [failed(check, POINTS_EACH, text, diagnosis=code) for check in CHECK_NAMES]


def check_one(name, points, expected, results):
    """The verdict for ∂L/∂name from the student's values at every point."""
    check, k = f"gradient:{name}", PARAM_NAMES.index(name)
    raw = [r["values"][k] if "values" in r else None for r in results]
    got = np.array([v if isinstance(v, float) else np.nan for v in raw])
    for index, result in enumerate(results):
        if "error" in result:
            return failed(check, POINTS_EACH, f"∂L/∂{name}: gradients falló en {format_point(points, index)}: "
                                              f"{result['error']}.", diagnosis="gradients_raised")
    not_numbers = [v for v in raw if not isinstance(v, float)]
    if not_numbers:
        what = not_numbers[0]
        code = "missing" if what == "<NoneType>" else "not_a_number"
        text = DIAGNOSES[code].student + ("" if code == "missing" else f" ({what})")
        return failed(check, POINTS_EACH, f"∂L/∂{name} {text}.", diagnosis=code)
    if np.isnan(got).any():
        return failed(check, POINTS_EACH, f"∂L/∂{name} {DIAGNOSES['nan'].student}.", diagnosis="nan")
    with np.errstate(all="ignore"):
        error = model.rel_error(expected[:, k], got)
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
        text = DIAGNOSES[approximate].student
        return failed(check, POINTS_EACH,
                      f"∂L/∂{name} no tiene precisión de derivada. En {format_point(points, shown)}: exacta "
                      f"{expected[shown, k]:.15g}, la tuya {got[shown]:.15g} (coinciden "
                      f"{matching_digits(error[shown])}). Diagnóstico: {text}."
                      f"{calls_note(results) if approximate == 'finite_difference' else ''}",
                      hidden=shown >= VISIBLE_POINTS, diagnosis=approximate,
                      details=point_details(points, shown, expected[shown, k], got[shown], text))
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
