"""`gradient:dU` and `gradient:dI`: the student's ∂L/∂U and ∂L/∂I, derived by hand, against the exact
derivatives of the trusted loss (model.py), entry by entry, at every planned point (interview.py).

Relative error with a 1e-2 floor (an absolute tolerance where the true derivative is ~0):

- correctness: error < THRESHOLD at every entry of every point. Every usual mistake (the missing entries
  summed, a factor 2, the sign, U's row of the item index) misses by more than 0.1 at some entry of the
  visible points alone (tests/assignments/mf_embeddings/test_model.py).
- precision: error < PRECISION at the precision points, where the derivatives must be *derived*. A
  precision point has one observed rating of ±(1…10)·1e8 among half-star ones, and U, I entries of
  magnitude 0.5…2. There L ≈ 1e16…1e19 while most derivatives are O(10): a float64 difference of L with a
  usual step loses eps·L/h to round-off, while the derived −2·E·I and −2·Eᵀ·U keep ~16 digits. Measured by
  `python benchmarks/mf_convergence.py` over 200 precision points: derived styles ≤ 2e-14; the best central
  difference of L per point (h = 1e-6 … 1e6) has median 2.5e-6. L is quadratic in each entry, though, so a
  central difference with a huge step (h = 1e6) is exact up to round-off at ~17% of the points: the numbers
  alone let it through at all 6 precision points of a notebook with probability ≈ 2e-5, and the source
  analysis below names it in any case.

What numbers cannot see, the source shows (engine.analysis, declared with `derived=("gradients",)`): complex
step, dual numbers, Decimal / Fraction differences, library differentiation, a difference of a row's own
part of L, code that hides what it calls. Those lose both checks with their own diagnosis.
"""
import numpy as np

from ...engine.verdict import failed, passed
from . import model
from .diagnoses import DIAGNOSES
from .given import SHAPES
from .interview import VISIBLE_POINTS, is_precision

THRESHOLD = 1e-5
PRECISION = 1e-12  # at the precision points: see the module's docstring
APPROXIMATE = 1e-2  # "close" at ordinary points (floor 1): what an approximation still gets right
DIAGNOSIS_TOLERANCE = 1e-4  # how close a wrong answer must be to a known mistake to name it
POINTS = {"dU": 3, "dI": 3}
CHECK_NAMES = tuple(f"gradient:{part}" for part in POINTS)
SOURCE_FINDINGS = ("complex_step", "operator_overloading", "machine_differentiation", "extended_precision",
                   "finite_difference", "hidden_call")


def arrays(points):
    """(U (N, 6, 2), I (N, 5, 2), R (N, 6, 5)) of the points."""
    return tuple(np.array([point[k] for point in points], dtype=float) for k in range(3))


def expected_gradients(points):
    """{'dU': (N, 6, 2), 'dI': (N, 5, 2)}: the exact derivatives of the trusted loss at every point."""
    dU, dI = model.exact_gradient_batch(*arrays(points))
    return {"dU": dU, "dI": dI}


def candidate_mistakes(part, points, expected):
    """(code, values at every point) of what the usual mistakes in ∂L/∂part would return."""
    U, I, R = arrays(points)
    e = expected[part]
    observed = (R != 0).astype(float)
    error = (R - np.einsum("nuk,nik->nui", U, I)) * observed
    full = R - np.einsum("nuk,nik->nui", U, I)
    count = observed.sum(axis=(1, 2))[:, None, None]
    if part == "dU":
        with_missing, own = -2 * np.einsum("nui,nik->nuk", full, I), -2 * np.einsum("nui,nuk->nuk", error, U)
    else:
        with_missing, own = -2 * np.einsum("nui,nuk->nik", full, U), -2 * np.einsum("nui,nik->nik", error, I)
    candidates = [("sign_flipped", -e), ("missing_factor_2", e / 2), ("extra_factor_2", 2 * e),
                  ("sign_and_factor_2", -e / 2), ("returns_zero", np.zeros_like(e)),
                  ("with_missing", with_missing), ("with_missing", with_missing / 2),
                  ("with_missing", -with_missing), ("mean_not_sum", e / count), ("own_embedding", own)]
    if part == "dI":  # a loop over (u, i) that reads U[i], the row of the item's index, in place of U[u]
        rows = U[:, :SHAPES["I"][0], :]
        candidates += [("item_row_of_U", -2 * np.einsum("nui,nik->nik", error, rows)),
                       ("item_row_of_U", -2 * np.einsum("nui,nik->nik", full, rows))]
    return candidates


def diagnose(part, points, expected, got):
    """The code of the usual mistake that explains every wrong value, or None when none does."""
    usable = np.isfinite(got)
    if not usable.any():
        return None
    for code, values in candidate_mistakes(part, points, expected):
        with np.errstate(all="ignore"):
            close = model.rel_error(values[usable], got[usable]) < DIAGNOSIS_TOLERANCE
        if close.all():
            return code
    return None


def approximation(part, points, expected, got):
    """'float32' or 'finite_difference' when the values are right but not exact, else ''."""
    ordinary = ~is_precision(points)
    with np.errstate(all="ignore"):
        close = model.rel_error(expected[part][ordinary], got[ordinary], floor=1.0) < APPROXIMATE
    if not close.all():
        return ""
    return "float32" if np.all(got.astype(np.float32) == got) else "finite_difference"


def calls_note(results):
    """What the sandbox counted: how often one call of gradients ran the given loss."""
    most = max((r["calls"].get("loss", 0) for r in results if isinstance(r.get("calls"), dict)), default=0)
    return f" Además, gradients llamó a loss {most} veces en un solo punto." if most >= 2 else ""


def format_point(points, index):
    """A point as a student reads it: the first two use init_embeddings(0) and init_embeddings(1) on R."""
    if is_precision(points[index:index + 1])[0]:
        ratings = np.asarray(points[index][2])
        u, i = np.unravel_index(np.argmax(np.abs(ratings)), ratings.shape)
        return f"el punto de precisión con R[{u}, {i}] = {ratings[u, i]:.3g}"
    return f"U, I = init_embeddings({index}) con R" if index < 2 else "U, I y R al azar"


def matching_digits(error):
    """'N cifras': how many significant digits two values share, from their relative error."""
    error = float(error) if np.isfinite(error) else 1.0
    digits = int(np.clip(np.floor(-np.log10(max(error, 1e-17))), 0, 16))
    return f"{digits} cifra" if digits == 1 else f"{digits} cifras"


def source_verdict(findings):
    """(code, Spanish detail) of the first derivation finding in the source of gradients, or None."""
    for code in SOURCE_FINDINGS:
        found = [f for f in findings if f.code == code]
        if found:
            return code, f"{found[0].text} (celda {found[0].cell + 1}, línea {found[0].line})"
    return None


def findings_of(evidence):
    """Every derivation finding of the notebook: gradients returns a tuple, whose parts the analysis does
    not tell apart."""
    return list(evidence.findings)


def judge(evidence, why):
    """The two derivative checks: from the values at every point, then from the source."""
    answer, points = evidence.answers["gradients"], evidence.answers["points"]
    if not answer.ok:
        return all_failed(f"No se pudo evaluar gradients: {why(answer, 'gradients')}.", "not_evaluated")
    if "missing" in answer.data:
        return all_failed(f"No se pudo evaluar gradients: {answer.data['missing']}.", "not_evaluated")
    results = answer.data["results"]
    if all("error" in r for r in results):
        where = f" ({results[0]['where']})" if results[0].get("where") else ""
        return all_failed(f"gradients(U, I, R) falló: {results[0]['error']}{where}.", "gradients_raised")
    expected = expected_gradients(points)
    checks = [check_one(part, points, expected, results) for part in POINTS]
    source = source_verdict(findings_of(evidence))
    if source:  # right or wrong, these values were not derived by hand: the source says how they were made
        code, detail = source
        checks = [failed(c.name, c.max_score, f"∂L/∂{c.name[-1]}: {DIAGNOSES[code].student}. Se encontró: {detail}.",
                         diagnosis=code) for c in checks]
    if evidence.review:
        found = evidence.review[0]
        checks = [c if c.score == 0 else failed(c.name, c.max_score, f"∂L/∂{c.name[-1]}: "
                  f"{DIAGNOSES['needs_review'].student}. Se encontró: {found.text} (celda {found.cell + 1}, línea "
                  f"{found.line}).", diagnosis="needs_review") for c in checks]
    return checks


def all_failed(text, code):
    return [failed(f"gradient:{part}", points, text, diagnosis=code) for part, points in POINTS.items()]


def check_one(part, points, expected, results):
    """The verdict for ∂L/∂U or ∂L/∂I from the student's values at every point."""
    name, worth, letter, shape = f"gradient:{part}", POINTS[part], part[-1], SHAPES[part[-1]]
    for index, result in enumerate(results):
        if "error" in result:
            return failed(name, worth, f"∂L/∂{letter}: gradients falló en {format_point(points, index)}: "
                                       f"{result['error']}.", diagnosis="gradients_raised")
    raw = [result[part] for result in results]
    not_numbers = [value for value in raw if isinstance(value, str)]
    if not_numbers:
        what = not_numbers[0]
        code = "missing" if what == "<None>" else "not_a_matrix"
        text = DIAGNOSES[code].student + ("" if code == "missing" else f" ({what}; se espera {shape[0]}×{shape[1]})")
        return failed(name, worth, f"∂L/∂{letter} {text}.", diagnosis=code)
    got = np.array(raw, dtype=float).reshape((len(points),) + shape)
    if np.isnan(got).any():
        return failed(name, worth, f"∂L/∂{letter} {DIAGNOSES['nan'].student}.", diagnosis="nan")
    with np.errstate(all="ignore"):
        error = model.rel_error(expected[part], got)
    limit = np.where(is_precision(points), PRECISION, THRESHOLD)[:, None, None]
    wrong_points = np.flatnonzero((~(error < limit)).any(axis=(1, 2)))
    if wrong_points.size == 0:
        return passed(name, worth, f"∂L/∂{letter} correcta: coincide con la derivada exacta en las {got[0].size} "
                                   f"entradas de los {len(points)} puntos.")
    code = diagnose(part, points, expected, got)
    approximate = "" if code else approximation(part, points, expected, got)
    shown = wrong_points[0]
    if approximate:  # an approximation shows where it is furthest from exact: at a precision point
        shown = next((p for p in wrong_points if is_precision(points)[p]), shown)
    entry = np.unravel_index(np.argmax(np.where(np.isfinite(error[shown]), error[shown], np.inf)), shape)
    at = f"{letter}[{entry[0]}, {entry[1]}]"
    exact, mine = expected[part][shown][entry], got[shown][entry]
    details = {"point": format_point(points, shown), "entry": at, "expected": float(exact), "obtained": float(mine),
               "hidden": bool(shown >= VISIBLE_POINTS)}
    if approximate:
        text = DIAGNOSES[approximate].student
        return failed(name, worth, f"∂L/∂{letter} no tiene precisión de derivada. En {format_point(points, shown)}, "
                                   f"entrada {at}: exacta {exact:.15g}, la tuya {mine:.15g} (coinciden "
                                   f"{matching_digits(error[shown][entry])}). Diagnóstico: {text}."
                                   f"{calls_note(results) if approximate == 'finite_difference' else ''}",
                      hidden=bool(shown >= VISIBLE_POINTS), diagnosis=approximate, details=dict(details, diagnosis=text))
    hint = f" Diagnóstico: {DIAGNOSES[code].student}." if code else ""
    return failed(name, worth, f"∂L/∂{letter} incorrecta en {wrong_points.size} de {len(points)} puntos. En "
                               f"{format_point(points, shown)}, entrada {at}: esperado {exact:.6g}, obtenido "
                               f"{mine:.6g}.{hint}", hidden=bool(shown >= VISIBLE_POINTS), diagnosis=code,
                  details=dict(details, diagnosis=DIAGNOSES[code].student if code else ""))
