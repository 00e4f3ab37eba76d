"""The engine's source analysis: hand derivations pass silently, exact non-derived methods are named.

Cells come from the real corpus (answers filled into the current release) and from sources written here.
A locked cell counts as the teacher's only while nbgrader's checksum says it is unchanged: a student who
rewrites a locked cell wrote that code (the corpus's fd_old_release_helper.py hides its difference there).
"""
import textwrap
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import compute_checksum

from autograder.engine.analysis import CODES, Finding, attribute, derivation_findings, review_findings
from autograder.build.examples import RELEASE, fill

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "tests" / "assignments" / "xor_sgd"
CORPUS = next((p for p in (EXERCISE / "corpus", ROOT / "tests" / "corpus") if p.is_dir()), EXERCISE / "corpus")
CHEATS_FOLDER = EXERCISE / "cheats"
SOLUTION = ROOT / "solutions" / "xor_sgd.ipynb"
ROOTS = ("gradients",)
CLEAN = sorted(p.stem for p in CORPUS.glob("*.py") if p.stem.split("_")[0] in ("right", "wrong", "sgd", "plot"))
FINITE = sorted(p.stem for p in CORPUS.glob("fd_*.py"))


@dataclass(frozen=True)
class Cell:
    source: str
    grade_id: str = ""
    locked: bool = False


def cells_of(notebook):
    """The code cells as the analysis sees them; a locked cell is the teacher's only if its checksum holds."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            meta = cell.metadata.get("nbgrader", {})
            unchanged = "checksum" not in meta or compute_checksum(cell) == meta["checksum"]
            cells.append(Cell(cell.source, meta.get("grade_id", ""), bool(meta.get("locked")) and unchanged))
    return cells


@lru_cache(maxsize=None)
def corpus(name, folder=CORPUS):
    """A corpus submission (answers only) filled into the release, as cells."""
    return tuple(cells_of(fill(folder / f"{name}.py")))


@lru_cache(maxsize=None)
def release():
    """The student release, as cells."""
    return tuple(cells_of(nbformat.read(str(RELEASE), as_version=4)))


def student(gradients, *added, after="plot_mse"):
    """The release with `gradients` as the gradients cell and `added` cells inserted after the cell `after`."""
    cells = []
    for cell in release():
        cells.append(Cell(textwrap.dedent(gradients), "gradients") if cell.grade_id == "gradients" else cell)
        if cell.grade_id == after:
            cells.extend(Cell(textwrap.dedent(source)) for source in added)
    return cells


def codes(cells, roots=ROOTS):
    """The derivation codes found, as a set."""
    return {finding.code for finding in derivation_findings(cells, roots)}


# --- the corpus ----------------------------------------------------------------------------------------------

def test_the_corpus_is_there():
    """The parametrised tests below really run over the corpus."""
    assert len(CLEAN) >= 60 and len(FINITE) >= 15


@pytest.mark.parametrize("name", CLEAN)
def test_corpus_derivations_and_mistakes_are_not_flagged(name):
    assert derivation_findings(corpus(name), ROOTS) == []
    assert review_findings(corpus(name)) == []


def test_the_solution_is_not_flagged():
    cells = cells_of(nbformat.read(str(SOLUTION), as_version=4))
    assert any(cell.locked for cell in cells) and any(cell.grade_id == "gradients" for cell in cells)
    assert derivation_findings(cells, ROOTS) == []
    assert review_findings(cells) == []


@pytest.mark.parametrize("name", FINITE)
def test_corpus_finite_differences_are_flagged(name):
    found = derivation_findings(corpus(name), ROOTS)
    # fd_float32_cast is a central difference stored in float32: lower precision, not extended, so the source
    # says finite_difference only (its float32 rounding is caught by the numbers, not here).
    assert {f.code for f in found} == {"finite_difference"}
    cell = next(i for i, c in enumerate(corpus(name)) if "def gradients" in c.source)
    assert any(f.cell == cell for f in found) or name == "fd_old_release_helper"


def test_a_rewritten_locked_cell_is_the_students():
    """fd_old_release_helper's gradients calls numerical_gradient, which it wrote into the locked self-check
    cell: found there because that cell's checksum changed; trusting the locked flag alone would miss it."""
    cells = corpus("fd_old_release_helper")
    index = next(i for i, c in enumerate(cells) if c.grade_id == "given_self_checks")
    assert [(f.code, f.cell) for f in derivation_findings(cells, ROOTS)] == [("finite_difference", index)]
    trusting = [Cell(c.source, c.grade_id, c.locked or c.grade_id.startswith("given_")) for c in cells]
    assert derivation_findings(trusting, ROOTS) == []


HOSTILE = {  # name -> (derivation codes, words that the review findings must name, in order)
    "hostile_detects_grader": (set(), []),
    "hostile_endless_plot": (set(), []),
    "hostile_fake_json": (set(), []),
    "hostile_fake_number": ({"operator_overloading"}, []),  # a float subclass whose __sub__/__mul__ lie
    "hostile_huge_output": (set(), []),
    "hostile_os_exit_in_train": (set(), []),  # os._exit is not out of band: it only ends the run
    "hostile_os_exit_train_cell": (set(), []),
    # setattr(module, computed name, ...) could rebind any name, gradients included: in the reach, hidden_call
    "hostile_patch_autograder": ({"hidden_call"}, ["getattr", "setattr", "autograder.verdict.failed"]),
    "hostile_patch_math_exp": (set(), ["math.exp", "math.isclose", "math.isfinite"]),
    "hostile_patch_numpy": (set(), ["numpy.allclose", "numpy.isclose", "numpy.testing.assert_allclose"]),
    "hostile_redefine_forward": (set(), []),
    "hostile_syntax_error_train": (set(), []),
    "hostile_sys_exit_gradients": (set(), []),  # sys.exit is not out of band either
    "hostile_write_autograder_init": (set(), []),  # plain file writes by path: the sandbox's business
}


def test_every_hostile_submission_is_classified():
    assert set(HOSTILE) == {p.stem for p in CORPUS.glob("hostile_*.py")}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_corpus(name):
    expected_codes, words = HOSTILE[name]
    assert codes(corpus(name)) == expected_codes
    found = review_findings(corpus(name))
    assert len(found) == len(words)
    for finding, word in zip(found, words):
        assert finding.code == "out_of_band" and word in finding.text


# --- hand derivations written here: no findings ----------------------------------------------------------------

ANALYTIC = {
    "helpers": '''
        def dsigmoid(a):
            """σ'(z) en función de a = σ(z)."""
            return a * (1 - a)

        def dloss(y, y_hat):
            return 2 * (y_hat - y)

        def gradients(params, x, y):
            p = params
            a1 = sigmoid(p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"])
            a2 = sigmoid(p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"])
            g = dloss(y, forward(p, x))
            d1, d2 = g * p["W2_11"] * dsigmoid(a1), g * p["W2_12"] * dsigmoid(a2)
            return {"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
                    "b1_2": d2, "W2_11": g * a1, "W2_12": g * a2, "b2_1": g}
    ''',
    "class_without_arithmetic": '''
        class Net:
            """La red con su backward; sin aritmética propia."""
            def __init__(self, params):
                self.p = dict(params)

            def __call__(self, x):
                p = self.p
                self.x = x
                self.a = [sigmoid(p[f"W1_{j}1"] * x[0] + p[f"W1_{j}2"] * x[1] + p[f"b1_{j}"]) for j in (1, 2)]
                return p["W2_11"] * self.a[0] + p["W2_12"] * self.a[1] + p["b2_1"]

            def backward(self, dL_dyhat):
                grads = {"b2_1": dL_dyhat}
                for j, a in enumerate(self.a, start=1):
                    grads[f"W2_1{j}"] = dL_dyhat * a
                    delta = dL_dyhat * self.p[f"W2_1{j}"] * a * (1 - a)
                    grads.update({f"W1_{j}1": delta * self.x[0], f"W1_{j}2": delta * self.x[1], f"b1_{j}": delta})
                return grads

        def gradients(params, x, y):
            net = Net(params)
            return net.backward(-2 * (y - net(x)))
    ''',
    "vectorised_outer": '''
        def gradients(params, x, y):
            W1 = np.array([[params["W1_11"], params["W1_12"]], [params["W1_21"], params["W1_22"]]])
            b1 = np.array([params["b1_1"], params["b1_2"]])
            w2 = np.array([params["W2_11"], params["W2_12"]])
            a = sigmoid(W1 @ x + b1)
            g = 2.0 * (w2 @ a + params["b2_1"] - y)
            delta = g * w2 * a * (1.0 - a)
            dW1 = np.outer(delta, x)
            return {"W1_11": dW1[0, 0], "W1_12": dW1[0, 1], "b1_1": delta[0], "W1_21": dW1[1, 0],
                    "W1_22": dW1[1, 1], "b1_2": delta[1], "W2_11": g * a[0], "W2_12": g * a[1], "b2_1": g}
    ''',
    "tanh_by_hand": '''
        def tanh(z):
            """tanh escrita a mano: la resta no se divide por ningún paso."""
            return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))

        def gradients(params, x, y):
            p = params
            z = [p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"], p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"]]
            a = [(1 + tanh(zj / 2)) / 2 for zj in z]
            s = [(1 - tanh(zj / 2) ** 2) / 4 for zj in z]
            g = -2 * (y - (p["W2_11"] * a[0] + p["W2_12"] * a[1] + p["b2_1"]))
            d = [g * p["W2_11"] * s[0], g * p["W2_12"] * s[1]]
            return {"W1_11": d[0] * x[0], "W1_12": d[0] * x[1], "b1_1": d[0], "W1_21": d[1] * x[0],
                    "W1_22": d[1] * x[1], "b1_2": d[1], "W2_11": g * a[0], "W2_12": g * a[1], "b2_1": g}
    ''',
    "exp_ratios": '''
        def gradients(params, x, y):
            p = params
            z1 = p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"]
            z2 = p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"]
            s1 = np.exp(-z1) / (1 + np.exp(-z1)) ** 2
            s2 = 1 / (np.exp(z2 / 2) + np.exp(-z2 / 2)) ** 2
            a1, a2 = 1 / (1 + np.exp(-z1)), np.exp(z2) / (np.exp(z2) + 1)
            e = (y - (p["W2_11"] * a1 + p["W2_12"] * a2 + p["b2_1"])) / 0.5   # = 2·(y - ŷ)
            return {"W1_11": -e * p["W2_11"] * s1 * x[0], "W1_12": -e * p["W2_11"] * s1 * x[1],
                    "b1_1": -e * p["W2_11"] * s1, "W1_21": -e * p["W2_12"] * s2 * x[0],
                    "W1_22": -e * p["W2_12"] * s2 * x[1], "b1_2": -e * p["W2_12"] * s2,
                    "W2_11": -e * a1, "W2_12": -e * a2, "b2_1": -e}
    ''',
    "tape_by_hand": '''
        def gradients(params, x, y):
            """Modo reverso a mano: una cinta de (nodo, padres, derivadas locales escritas a mano)."""
            p, tape, value = params, [], {}

            def record(name, val, parents):
                value[name] = val
                tape.append((name, parents))

            for j in (1, 2):
                z = p[f"W1_{j}1"] * x[0] + p[f"W1_{j}2"] * x[1] + p[f"b1_{j}"]
                record(f"z{j}", z, [(f"W1_{j}1", x[0]), (f"W1_{j}2", x[1]), (f"b1_{j}", 1.0)])
                a = sigmoid(z)
                record(f"a{j}", a, [(f"z{j}", a * (1 - a))])
            y_hat = p["W2_11"] * value["a1"] + p["W2_12"] * value["a2"] + p["b2_1"]
            record("y_hat", y_hat, [("a1", p["W2_11"]), ("a2", p["W2_12"]), ("W2_11", value["a1"]),
                                    ("W2_12", value["a2"]), ("b2_1", 1.0)])
            adjoint = {"y_hat": -2 * (y - y_hat)}
            for name, parents in reversed(tape):
                for parent, local in parents:
                    adjoint[parent] = adjoint.get(parent, 0.0) + adjoint.get(name, 0.0) * local
            return {name: adjoint[name] for name in PARAM_NAMES}
    ''',
    "lambdas": '''
        sig = lambda z: 1 / (1 + np.exp(-z))
        dsig = lambda z: sig(z) * (1 - sig(z))
        pre = lambda p, x, j: p[f"W1_{j}1"] * x[0] + p[f"W1_{j}2"] * x[1] + p[f"b1_{j}"]

        def gradients(params, x, y):
            e = -2 * (y - forward(params, x))
            g = {"b2_1": e}
            for j in (1, 2):
                g[f"W2_1{j}"] = e * sig(pre(params, x, j))
                d = e * params[f"W2_1{j}"] * dsig(pre(params, x, j))
                g.update({f"W1_{j}1": d * x[0], f"W1_{j}2": d * x[1], f"b1_{j}": d})
            return g
    ''',
    "recursion": '''
        def chain(factors):
            """La regla de la cadena como producto, recursivo."""
            return 1.0 if not factors else factors[0] * chain(factors[1:])

        def gradients(params, x, y):
            p = params
            a = {j: sigmoid(p[f"W1_{j}1"] * x[0] + p[f"W1_{j}2"] * x[1] + p[f"b1_{j}"]) for j in (1, 2)}
            e = -2 * (y - (p["W2_11"] * a[1] + p["W2_12"] * a[2] + p["b2_1"]))
            g = {"b2_1": chain([e])}
            for j in (1, 2):
                g[f"W2_1{j}"] = chain([e, a[j]])
                for k, inp in ((f"W1_{j}1", x[0]), (f"W1_{j}2", x[1]), (f"b1_{j}", 1.0)):
                    g[k] = chain([e, p[f"W2_1{j}"], a[j], 1 - a[j], inp])
            return g
    ''',
    "math_cosh": '''
        import math

        def gradients(params, x, y):
            p = {k: float(v) for k, v in params.items()}
            z1 = p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"]
            z2 = p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"]
            a1, a2 = 1 / (1 + math.exp(-z1)), 1 / (1 + math.exp(-z2))
            e = 2 * (p["W2_11"] * a1 + p["W2_12"] * a2 + p["b2_1"] - y)
            s1, s2 = 1 / (4 * math.cosh(z1 / 2) ** 2), 1 / (4 * math.cosh(z2 / 2) ** 2)
            return {"W1_11": e * p["W2_11"] * s1 * x[0], "W1_12": e * p["W2_11"] * s1 * x[1],
                    "b1_1": e * p["W2_11"] * s1, "W1_21": e * p["W2_12"] * s2 * x[0],
                    "W1_22": e * p["W2_12"] * s2 * x[1], "b1_2": e * p["W2_12"] * s2,
                    "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}
    ''',
    "clipped_with_tiny_constants": '''
        EPS = 1e-12  # para no dividir por cero: no es un paso

        def gradients(params, x, y):
            p = params
            a = [np.clip(sigmoid(p[f"W1_{j}1"] * x[0] + p[f"W1_{j}2"] * x[1] + p[f"b1_{j}"]), EPS, 1 - EPS)
                 for j in (1, 2)]
            y_hat = p["W2_11"] * a[0] + p["W2_12"] * a[1] + p["b2_1"]
            e = 2 * (y_hat - y) * (1 + EPS) / (1 + EPS)
            s = [(a[j] - a[j] ** 2) / max(1.0, EPS) for j in range(2)]
            d = [e * p["W2_11"] * s[0], e * p["W2_12"] * s[1]]
            return {"W1_11": d[0] * x[0], "W1_12": d[0] * x[1], "b1_1": d[0], "W1_21": d[1] * x[0],
                    "W1_22": d[1] * x[1], "b1_2": d[1], "W2_11": e * a[0], "W2_12": e * a[1], "b2_1": e}
    ''',
    "einsum_subtract": '''
        def gradients(params, x, y):
            theta = np.array([params[name] for name in PARAM_NAMES])
            W1, b1, w2, b2 = theta[[0, 1, 3, 4]].reshape(2, 2), theta[[2, 5]], theta[6:8], theta[8]
            a = sigmoid(np.einsum("jk,k->j", W1, np.asarray(x, dtype=float)) + b1)
            g = 2 * np.subtract(w2 @ a + b2, y)
            delta = g * w2 * (a - a * a)
            values = [*np.einsum("j,k->jk", delta, x)[0], delta[0], *np.einsum("j,k->jk", delta, x)[1], delta[1],
                      *(g * a), g]
            order = ["W1_11", "W1_12", "b1_1", "W1_21", "W1_22", "b1_2", "W2_11", "W2_12", "b2_1"]
            return {name: float(v) for name, v in zip(order, values)}
    ''',
    "ratio_of_differences_of_activations": '''
        def gradients(params, x, y):
            """σ'(z) = σ(z)·σ(-z); y el error relativo del paso anterior (a - a²) / a, que es (1 - a)."""
            p = params
            z = {j: p[f"W1_{j}1"] * x[0] + p[f"W1_{j}2"] * x[1] + p[f"b1_{j}"] for j in (1, 2)}
            a = {j: sigmoid(z[j]) for j in z}
            e = -2 * (y - forward(p, x))
            s = {j: a[j] * ((a[j] - a[j] ** 2) / a[j]) for j in z}
            g = {"b2_1": e, "W2_11": e * a[1], "W2_12": e * a[2]}
            for j in z:
                d = e * p[f"W2_1{j}"] * s[j] * sigmoid(-z[j]) / sigmoid(-z[j])
                g.update({f"W1_{j}1": d * x[0], f"W1_{j}2": d * x[1], f"b1_{j}": d})
            return g
    ''',
    "magic_and_sigma_prime_sum": '''
        %load_ext autoreload
        !echo "sin red"
        def gradients(params, x, y):
            p = params
            a1 = sigmoid(p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"])
            a2 = sigmoid(p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"])
            r = y - (p["W2_11"] * a1 + p["W2_12"] * a2 + p["b2_1"])
            e = -r - r
            d1 = e * p["W2_11"] * (a1 - a1 ** 2)
            d2 = e * p["W2_12"] * (a2 - a2 ** 2)
            return {"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
                    "b1_2": d2, "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}
    ''',
    "forward_mode_by_hand": '''
        def gradients(params, x, y):
            """Modo directo a mano: (valor, derivada) de cada nodo, con las reglas escritas a mano."""
            out = {}
            for n in PARAM_NAMES:
                tangent = {k: 1.0 if k == n else 0.0 for k in PARAM_NAMES}
                z, dz = [], []
                for j in (1, 2):
                    z.append(params[f"W1_{j}1"] * x[0] + params[f"W1_{j}2"] * x[1] + params[f"b1_{j}"])
                    dz.append(tangent[f"W1_{j}1"] * x[0] + tangent[f"W1_{j}2"] * x[1] + tangent[f"b1_{j}"])
                a = [sigmoid(v) for v in z]
                da = [a[j] * (1 - a[j]) * dz[j] for j in range(2)]
                y_hat = params["W2_11"] * a[0] + params["W2_12"] * a[1] + params["b2_1"]
                dy = (tangent["W2_11"] * a[0] + params["W2_11"] * da[0] + tangent["W2_12"] * a[1]
                      + params["W2_12"] * da[1] + tangent["b2_1"])
                out[n] = -2 * (y - y_hat) * dy
            return out
    ''',
    "batch_mean_of_accumulated_terms": '''
        def gradients(params, x, y):
            X_b, Y_b = np.atleast_2d(x), np.atleast_1d(y)
            g = dict.fromkeys(PARAM_NAMES, 0.0)
            for xi, yi in zip(X_b, Y_b):
                a1 = sigmoid(params["W1_11"] * xi[0] + params["W1_12"] * xi[1] + params["b1_1"])
                a2 = sigmoid(params["W1_21"] * xi[0] + params["W1_22"] * xi[1] + params["b1_2"])
                e = 2 * (params["W2_11"] * a1 + params["W2_12"] * a2 + params["b2_1"] - yi)
                d1, d2 = e * params["W2_11"] * a1 * (1 - a1), e * params["W2_12"] * a2 * (1 - a2)
                terms = (d1 * xi[0], d1 * xi[1], d1, d2 * xi[0], d2 * xi[1], d2, e * a1, e * a2, e)
                for k, v in zip(PARAM_NAMES, terms):
                    g[k] += v
            return {k: g[k] / len(X_b) for k in PARAM_NAMES}
    ''',
}


@pytest.mark.parametrize("name", sorted(ANALYTIC))
def test_hand_derivations_are_not_flagged(name):
    cells = student(ANALYTIC[name])
    assert derivation_findings(cells, ROOTS) == []
    assert review_findings(cells) == []


# --- what is not a derivation, written here ------------------------------------------------------------------

CHEATS = {  # name -> (gradients cell, added cells after plot_mse, expected codes)
    "complex_step_literal": ('''
        def loss_at(params, x, y, name, step):
            p = dict(params)
            p[name] = p[name] + step
            return (y - forward(p, x)) ** 2

        def gradients(params, x, y):
            return {n: loss_at(params, x, y, n, 1e-20j).imag / 1e-20 for n in PARAM_NAMES}
    ''', (), {"complex_step"}),
    "complex_builtin": ('''
        def gradients(params, x, y):
            out = {}
            for n in PARAM_NAMES:
                p = dict(params)
                p[n] = complex(p[n], 1e-30)
                out[n] = np.imag(-2 * (y - forward(p, x))) * 1e30
            return out
    ''', (), {"complex_step"}),
    "complex_dtype": ('''
        def gradients(params, x, y):
            theta = np.array([params[n] for n in PARAM_NAMES], dtype=np.complex128)
            return dict(zip(PARAM_NAMES, theta.real))
    ''', (), {"complex_step"}),
    "complex_astype_string": ('''
        def gradients(params, x, y):
            theta = np.array([params[n] for n in PARAM_NAMES]).astype("complex128")
            return dict(zip(PARAM_NAMES, theta.real))
    ''', (), {"complex_step"}),
    "cmath": ('''
        import cmath

        def gradients(params, x, y):
            return {n: cmath.exp(params[n]).real for n in PARAM_NAMES}
    ''', (), {"complex_step"}),
    "dual_numbers": ('''
        class Dual:
            def __init__(self, a, b=0.0):
                self.a, self.b = a, b
            def __add__(self, o):
                o = o if isinstance(o, Dual) else Dual(o)
                return Dual(self.a + o.a, self.b + o.b)
            __radd__ = __add__
            def __mul__(self, o):
                o = o if isinstance(o, Dual) else Dual(o)
                return Dual(self.a * o.a, self.a * o.b + self.b * o.a)
            __rmul__ = __mul__

        def gradients(params, x, y):
            return {n: Dual(params[n], 1.0).b for n in PARAM_NAMES}
    ''', (), {"operator_overloading"}),
    "decimal_difference": ('''
        from decimal import Decimal, getcontext
        getcontext().prec = 60

        def gradients(params, x, y):
            h = Decimal("1e-30")
            def L(p):
                e = Decimal(y) - sum(Decimal(v) for v in p.values())
                return e * e
            out = {}
            for n in PARAM_NAMES:
                up, down = dict(params), dict(params)
                up[n] = Decimal(up[n]) + h
                down[n] = Decimal(down[n]) - h
                out[n] = float((L(up) - L(down)) / (2 * h))
            return out
    ''', (), {"extended_precision", "finite_difference"}),
    "fraction_difference": ('''
        from fractions import Fraction

        def gradients(params, x, y):
            h = Fraction(1, 10 ** 12)
            out = {}
            for n in PARAM_NAMES:
                p = {k: Fraction(v) for k, v in params.items()}
                base = (Fraction(y) - sum(p.values())) ** 2
                p[n] += h
                out[n] = float(((Fraction(y) - sum(p.values())) ** 2 - base) / h)
            return out
    ''', (), {"extended_precision", "finite_difference"}),
    "longdouble_difference": ('''
        def gradients(params, x, y, h=np.longdouble(1e-9)):
            theta = np.array([params[n] for n in PARAM_NAMES], dtype=np.longdouble)
            def L(t):
                a1 = 1 / (1 + np.exp(-(t[0] * x[0] + t[1] * x[1] + t[2])))
                a2 = 1 / (1 + np.exp(-(t[3] * x[0] + t[4] * x[1] + t[5])))
                return (y - (t[6] * a1 + t[7] * a2 + t[8])) ** 2
            E = np.eye(9, dtype=np.longdouble) * h
            return {n: float((L(theta + E[k]) - L(theta - E[k])) / (2 * h)) for k, n in enumerate(PARAM_NAMES)}
    ''', (), {"extended_precision", "finite_difference"}),
    "rescaled_hidden_part": ('''
        def hidden_part(p, x):
            """ŷ sin el sesgo de salida, que en los puntos de precisión se come las cifras."""
            return p["W2_11"] * sigmoid(p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"]) + \\
                p["W2_12"] * sigmoid(p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"])

        def gradients(params, x, y):
            g = -2 * (y - forward(params, x))
            out = {"b2_1": g}
            scale = 1e3
            for n in PARAM_NAMES[:8]:
                up = {**params, n: params[n] + 1e-7}
                down = {**params, n: params[n] - 1e-7}
                out[n] = g * (scale * hidden_part(up, x) - scale * hidden_part(down, x)) / (scale * 2e-7)
            return out
    ''', (), {"finite_difference"}),
    "np_diff": ('''
        def gradients(params, x, y):
            h, out = 1e-6, {}
            for n in PARAM_NAMES:
                values = []
                for s in (-h, h):
                    q = dict(params)
                    q[n] += s
                    values.append((y - forward(q, x)) ** 2)
                out[n] = np.diff(values)[0] / (2 * h)
            return out
    ''', (), {"finite_difference"}),
    "five_point_inline": ('''
        def gradients(params, x, y):
            h, out = 1e-3, {}
            L = lambda p: (y - forward(p, x)) ** 2
            for n in PARAM_NAMES:
                pp = [dict(params) for _ in range(4)]
                for p, k in zip(pp, (2, 1, -1, -2)):
                    p[n] += k * h
                f2, f1, m1, m2 = (L(p) for p in pp)
                out[n] = (-f2 + 8 * f1 - 8 * m1 + m2) / (12 * h)
            return out
    ''', (), {"finite_difference"}),
    "richardson_with_helper": ('''
        def D(f, t, h):
            return (f(t + h) - f(t - h)) / (2 * h)

        def gradients(params, x, y):
            out = {}
            for n in PARAM_NAMES:
                f = lambda t: (y - forward({**params, n: t}, x)) ** 2
                out[n] = (4 * D(f, params[n], 5e-3) - D(f, params[n], 1e-2)) / 3
            return out
    ''', (), {"finite_difference"}),
    "cs231n_in_place": ('''
        def eval_numerical_gradient(f, x, h=0.00001):
            grad = {}
            for ix in x:
                oldval = x[ix]
                x[ix] = oldval + h
                fxph = f(x)
                x[ix] = oldval - h
                fxmh = f(x)
                x[ix] = oldval
                grad[ix] = (fxph - fxmh) / (2 * h)
            return grad

        def gradients(params, x, y):
            return eval_numerical_gradient(lambda p: (y - forward(p, x)) ** 2, dict(params))
    ''', (), {"finite_difference"}),
    "difference_behind_a_lambda": ('''
        slope = lambda f, t, eps: (f(t + eps) - f(t)) / eps

        def gradients(params, x, y):
            return {n: slope(lambda t: (y - forward({**params, n: t}, x)) ** 2, params[n], 1e-8)
                    for n in PARAM_NAMES}
    ''', (), {"finite_difference"}),
    "reciprocal_product": ('''
        def gradients(params, x, y, h=1e-6):
            inv = 1 / (2 * h)
            out = {}
            for n in PARAM_NAMES:
                up, down = params.copy(), params.copy()
                up[n] += h
                down[n] -= h
                out[n] = ((y - forward(up, x)) ** 2 - (y - forward(down, x)) ** 2) * inv
            return out
    ''', (), {"finite_difference"}),
    "eval_complex_step": ('''
        def gradients(params, x, y):
            out = {}
            for n in PARAM_NAMES:
                p = dict(params)
                out[n] = eval("(y - forward({**p, n: p[n] + 1e-20j}, x)) ** 2").imag / 1e-20
            return out
    ''', (), {"hidden_call", "complex_step"}),
    "exec_hidden": ('''
        CODE = "def _g(params, x, y):\\n    return {n: 0.0 for n in params}"

        def gradients(params, x, y):
            scope = {}
            exec(CODE, scope)
            return scope["_g"](params, x, y)
    ''', (), {"hidden_call"}),
    "getattr_hidden_dtype": ('''
        def gradients(params, x, y):
            kind = getattr(np, "com" + "plex128")
            theta = np.array([params[n] for n in PARAM_NAMES], dtype=kind)
            return dict(zip(PARAM_NAMES, theta.real))
    ''', (), {"hidden_call"}),
    "getattr_constant_dtype": ('''
        def gradients(params, x, y):
            kind = getattr(np, "complex128")
            return {n: kind(params[n]).real for n in PARAM_NAMES}
    ''', (), {"complex_step"}),
    "globals_rebinding_from_another_cell": (ANALYTIC["helpers"], ('''
        def _numeric(params, x, y, h=1e-6):
            out = {}
            for n in PARAM_NAMES:
                up = dict(params)
                up[n] += h
                out[n] = ((y - forward(up, x)) ** 2 - (y - forward(params, x)) ** 2) / h
            return out

        globals()["gradients"] = _numeric
    ''',), {"finite_difference", "hidden_call"}),
    "redefined_after_the_plot": (ANALYTIC["helpers"], ('''
        def gradients(params, x, y):
            out = {}
            for n in PARAM_NAMES:
                up, down = dict(params), dict(params)
                up[n] += 1e-6
                down[n] -= 1e-6
                out[n] = ((y - forward(up, x)) ** 2 - (y - forward(down, x)) ** 2) / 2e-6
            return out
    ''',), {"finite_difference"}),
    "reached_through_a_default": ('''
        def numeric(f, t, h=1e-6):
            return (f(t + h) - f(t - h)) / (2 * h)

        def gradients(params, x, y, derive=numeric):
            return {n: derive(lambda t: (y - forward({**params, n: t}, x)) ** 2, params[n]) for n in PARAM_NAMES}
    ''', (), {"finite_difference"}),
    "reached_through_a_decorator": ('''
        def numerically(_):
            def wrapped(params, x, y):
                out = {}
                for n in PARAM_NAMES:
                    q = dict(params)
                    q[n] = q[n] + 1e-7
                    out[n] = ((y - forward(q, x)) ** 2 - (y - forward(params, x)) ** 2) / 1e-7
                return out
            return wrapped

        @numerically
        def gradients(params, x, y):
            return {}
    ''', (), {"finite_difference"}),
    "jax": ('''
        import jax

        def gradients(params, x, y):
            return jax.grad(lambda p: (y - forward(p, x)) ** 2)(params)
    ''', (), {"machine_differentiation"}),
    "sympy": ('''
        import sympy as sp

        def gradients(params, x, y):
            t = sp.symbols("t")
            return {n: float(sp.diff(t ** 2, t).subs(t, params[n])) for n in PARAM_NAMES}
    ''', (), {"machine_differentiation"}),
    "scipy_approx_fprime": ('''
        from scipy.optimize import approx_fprime

        def gradients(params, x, y):
            theta = np.array([params[n] for n in PARAM_NAMES])
            g = approx_fprime(theta, lambda t: (y - forward(dict(zip(PARAM_NAMES, t)), x)) ** 2)
            return dict(zip(PARAM_NAMES, g))
    ''', (), {"machine_differentiation"}),
    "np_gradient": ('''
        def gradients(params, x, y):
            out = {}
            for n in PARAM_NAMES:
                grid = params[n] + np.linspace(-1, 1, 5)
                vals = [(y - forward({**params, n: t}, x)) ** 2 for t in grid]
                out[n] = np.gradient(vals, grid)[2]
            return out
    ''', (), {"machine_differentiation"}),
    "mpmath": ('''
        import mpmath

        def gradients(params, x, y):
            return {n: float(mpmath.diff(lambda t: (y - forward({**params, n: float(t)}, x)) ** 2, params[n]))
                    for n in PARAM_NAMES}
    ''', (), {"extended_precision"}),
    "type_made_dual": ('''
        Dual = type("Dual", (), {"__add__": lambda s, o: s, "__mul__": lambda s, o: s})

        def gradients(params, x, y):
            return {n: Dual() for n in PARAM_NAMES}
    ''', (), {"operator_overloading"}),
    "step_as_a_power_of_two": ('''
        def L(t, p, x, y, n):
            return (y - forward({**p, n: t}, x)) ** 2

        def gradients(params, x, y):
            return {n: (L(params[n] + 2 ** -20, params, x, y, n) - L(params[n] - 2 ** -20, params, x, y, n)) / 2 ** -19
                    for n in PARAM_NAMES}
    ''', (), {"finite_difference"}),
    "relative_step_by_product": ('''
        def gradients(params, x, y):
            out = {}
            for n in PARAM_NAMES:
                up = dict(params)
                up[n] *= 1 + 1e-8
                out[n] = ((y - forward(up, x)) ** 2 - (y - forward(params, x)) ** 2) / (params[n] * 1e-8)
            return out
    ''', (), {"finite_difference"}),
    "signed_accumulator": ('''
        def gradients(params, x, y, h=1e-6):
            out = {}
            for n in PARAM_NAMES:
                acc = 0.0
                for sign in (1, -1):
                    q = dict(params)
                    q[n] += sign * h
                    acc += sign * (y - forward(q, x)) ** 2
                out[n] = acc / (2 * h)
            return out
    ''', (), {"finite_difference"}),
    "exec_in_another_cell": (ANALYTIC["helpers"], ('exec("def gradients(p, x, y):\\n    return {}")',),
                             {"hidden_call"}),
    "sys_modules_rebinding": (ANALYTIC["helpers"], ('''
        import sys

        def _fd(p, x, y, h=1e-6):
            return {n: ((y - forward({**p, n: p[n] + h}, x)) ** 2 - (y - forward(p, x)) ** 2) / h for n in p}

        sys.modules["__main__"].gradients = _fd
    ''',), {"finite_difference", "hidden_call"}),
    "module_written_by_the_notebook": (ANALYTIC["helpers"], ('''
        with open("trampa.py", "w") as f:
            f.write("def gradients(p, x, y):\\n    return {}")
        from trampa import gradients
    ''',), {"hidden_call"}),
}


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_non_derivations_are_named(name):
    gradients, added, expected = CHEATS[name]
    found = derivation_findings(student(gradients, *added), ROOTS)
    assert {f.code for f in found} == expected
    assert all(f.code in CODES and f.text and f.line >= 1 for f in found)


def test_a_finding_says_where():
    """The cell is the gradients cell's index among the cells passed in, the line is 1-based in that cell."""
    cells = student(CHEATS["reciprocal_product"][0])
    index = next(i for i, c in enumerate(cells) if c.grade_id == "gradients")
    found = derivation_findings(cells, ROOTS)
    assert [(f.code, f.cell, f.line) for f in found] == [("finite_difference", index, 9)]
    assert found[0].text.startswith("diferencia finita")
    assert isinstance(found[0], Finding)


def test_ipython_lines_keep_line_numbers_and_broken_cells_define_nothing():
    """Magics, shell escapes and help lines become `pass`; a continuation line starting with % stays a modulo."""
    ipython = ("%matplotlib inline\n!pip list\nimport cmath\nfiles = !ls\nnp.exp?\n\n"
               "def gradients(p, x, y):\n    return (cmath.sqrt(-1)\n            % 1)")
    cells = [Cell(ipython),
             Cell("def gradients(p, x, y)\n    return 1j", "gradients"),  # does not parse: defines nothing
             Cell("def gradients(p, x, y):\n    return 1j", "test_gradients")]  # never run by the grader
    assert [(f.code, f.cell, f.line) for f in derivation_findings(cells, ROOTS)] == [
        ("complex_step", 0, 3), ("complex_step", 0, 8)]


def test_locked_cells_are_followed_but_not_reported():
    cells = [Cell("def helper(t):\n    return (t + 1e-20j).imag", "given_helper", locked=True),
             Cell("def wrap(t):\n    return helper(t) * 1j\n\ndef gradients(p, x, y):\n    return wrap(p)")]
    assert [(f.cell, f.line) for f in derivation_findings(cells, ROOTS)] == [(1, 2)]


def test_each_finding_once_per_code_cell_and_line():
    cells = [Cell("def gradients(p, x, y):\n    return (1j * p + 2j * x + complex(y)).imag")]
    assert [(f.code, f.line) for f in derivation_findings(cells, ROOTS)] == [("complex_step", 2)]


# --- the exercise's cheat collection (written against the grader by someone else) ---------------------------

CHEAT_METHODS = {  # a cheat on the derivatives -> the code that must be among its derivation findings
    "grad_complex_step": "complex_step", "grad_detects_grading": "complex_step",
    "redefine_after_plot": "complex_step", "renamed_locked_second_gradients": "complex_step",
    "grad_dual_numbers": "operator_overloading", "float_subclass_always_close": "operator_overloading",
    "grad_decimal_fd": "extended_precision", "grad_fraction_fd": "extended_precision",
    "grad_longdouble_fd": "extended_precision", "grad_fd_hidden_rescaled": "finite_difference",
    "grad_visible_lookup_fd": "finite_difference", "grad_grader_exact_or_fd": "finite_difference",
    "grad_sympy": "machine_differentiation", "hidden_calls_complex_step": "hidden_call",
    "hidden_exec_encoded": "hidden_call",
}
CHEAT_OUT_OF_BAND = ["thread_fd_writer", "atexit_del_finalizers", "patch_json_os_write", "profile_hook_rewrites_returns",
                     "trace_hook_rewrites_send", "fd3_mitm_relay", "fork_writer_outlives", "signal_alarm_forge",
                     "probe_closure_forge_all"]
CHEAT_HONEST_GRADIENTS = ["plot_made_up_history", "plot_nan_history", "train_hardcoded_solution_calls",
                          "locked_init_params_solution", "locked_sigmoid_edited"]


def cheat(name):
    """A submission of the cheat collection as cells (skipped when the collection does not have it)."""
    if not (CHEATS_FOLDER / f"{name}.py").is_file():
        pytest.skip(f"no {name} in {CHEATS_FOLDER}")
    return corpus(name, CHEATS_FOLDER)


@pytest.mark.parametrize("name", sorted(CHEAT_METHODS))
def test_cheat_collection_methods_are_named(name):
    assert CHEAT_METHODS[name] in codes(cheat(name))


@pytest.mark.parametrize("name", CHEAT_OUT_OF_BAND)
def test_cheat_collection_out_of_band_tricks_are_for_review(name):
    assert review_findings(cheat(name))


@pytest.mark.parametrize("name", CHEAT_HONEST_GRADIENTS)
def test_cheat_collection_honest_gradients_are_not_flagged(name):
    assert derivation_findings(cheat(name), ROOTS) == []


# --- reachability ------------------------------------------------------------------------------------------

def test_reachability_does_not_wander():
    """A complex number in a function that gradients never reaches is none of gradients' business."""
    cells = student(ANALYTIC["helpers"], '''
        def spectrum(signal):
            return np.fft.fft(signal * 1j).imag

        params = {"unrelated": spectrum([1.0, 2.0])}
    ''')
    assert derivation_findings(cells, ROOTS) == []
    assert codes(cells, ("spectrum",)) == {"complex_step"}


MF_GIVEN = '''
import numpy as np
rng = np.random.default_rng(0)
R = rng.integers(0, 6, size=(6, 5)).astype(float)
mask = R > 0

def loss(U, I, R):
    return np.sum(mask * (R - U @ I.T) ** 2)
'''
MF_RIGHT = '''
lam = 0.01

def gradients(U, I, R):
    E = (R - U @ I.T) * mask
    dU = -2 * E @ I + 2 * lam * U
    dI = -2 * E.T @ U + 2 * lam * I
    return dU, dI
'''
MF_FD = '''
def gradients(U, I, R, h=1e-6):
    dU, dI = np.zeros_like(U), np.zeros_like(I)
    for i in range(U.shape[0]):
        for k in range(U.shape[1]):
            Up, Um = U.copy(), U.copy()
            Up[i, k] += h
            Um[i, k] -= h
            dU[i, k] = (loss(Up, I, R) - loss(Um, I, R)) / (2 * h)
    for j in range(I.shape[0]):
        for k in range(I.shape[1]):
            Ip = I.copy()
            Ip[j, k] = Ip[j, k] + h
            dI[j, k] = (loss(U, Ip, R) - loss(U, I, R)) / h
    return dU, dI
'''


def test_another_assignment_uses_the_same_analysis():
    """Matrix factorisation: gradients(U, I, R) -> (dU, dI); nothing in the analysis names an exercise."""
    given = Cell(MF_GIVEN, "given_data", locked=True)
    assert derivation_findings([given, Cell(MF_RIGHT, "gradients")], ROOTS) == []
    found = derivation_findings([given, Cell(MF_FD, "gradients")], ROOTS)
    assert [(f.code, f.line) for f in found] == [("finite_difference", 9), ("finite_difference", 14)]


def test_the_analysis_names_no_exercise():
    package = ROOT / "autograder" / "engine" / "analysis"
    files = sorted(package.glob("*.py"))
    assert len(files) >= 5
    for path in files:
        source = path.read_text(encoding="utf-8").lower()
        for word in ("xor", "forward", "sigmoid", "param_names", "w1_11", "b2_1", "plot_mse", "gradients"):
            assert word not in source, (path.name, word)


# --- the instructor's review ---------------------------------------------------------------------------------

OUT_OF_BAND = {  # a cell -> words its findings name, in order of line
    "threads": ("import threading\nthreading.Thread(target=print).start()", ["threading", "threading.Thread"]),
    "futures": ("from concurrent.futures import ThreadPoolExecutor", ["concurrent.futures"]),
    "atexit": ("import atexit\natexit.register(print, 'fin')", ["atexit", "atexit.register"]),
    "del": ("class Spy:\n    def __del__(self):\n        print('adiós')", ["__del__"]),
    "settrace": ("import sys\nsys.settrace(lambda *a: None)", ["sys.settrace"]),
    "fd_write": ("import os\nos.write(3, b'{\"score\": 18}')", ["os.write"]),
    "open_fd": ("with open(3, 'w') as fh:\n    fh.write('x')", ["open(3"]),
    "fork": ("import os\nif os.fork() == 0:\n    os._exit(0)", ["os.fork"]),
    "gc_objects": ("import gc\nsecrets = [o for o in gc.get_objects() if isinstance(o, dict)]", ["gc.get_objects"]),
    "closure": ("cells = plt.show.__closure__", ["__closure__"]),
    "monkeypatch_json": ("import json\njson.dumps = lambda *a, **k: '{}'", ["json.dumps"]),
    "signal": ("import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)", ["signal"] * 2),
    "frames": ("import sys\nf = sys._getframe(1).f_globals", ["sys._getframe"]),
    "eval": ("x = eval('1 + 1')", ["eval"]),
    "dynamic_getattr": ("name = 'ex' + 'it'\nos = __import__('os')\ngetattr(os, '_' + name)(0)",
                        ["__import__", "getattr"]),
    "globals_write": ("globals()['gradients'] = print", ["globals()"]),
    "subprocess": ("import subprocess\nsubprocess.run(['ls'])", ["subprocess"] * 2),
    "ctypes": ("import ctypes", ["ctypes"]),
    "weakref": ("import weakref\nweakref.finalize(object(), print)", ["weakref.finalize"]),
}


@pytest.mark.parametrize("name", sorted(OUT_OF_BAND))
def test_review_names_out_of_band_constructs(name):
    source, words = OUT_OF_BAND[name]
    cells = [*release(), Cell(source)]
    found = review_findings(cells)
    assert [f.cell for f in found] == [len(cells) - 1] * len(words)
    for finding, word in zip(found, words):
        assert finding.code == "out_of_band" and word in finding.text, (finding, word)


def test_review_ignores_locked_and_test_cells():
    cells = [Cell("import threading", "given_x", locked=True), Cell("import threading", "test_x")]
    assert review_findings(cells) == []


def test_review_is_silent_for_ordinary_code():
    benign = '''
        import os, sys, time, gc, random, json
        import numpy as np
        import matplotlib.pyplot as plt
        folder = os.path.join(os.getcwd(), "figs") if os.environ.get("HOME") else "."
        time.sleep(0)
        gc.collect()
        random.seed(0)
        np.random.seed(0)
        print("listo", file=sys.stderr)
        sys.stdout.write("ok\\n")
        plt.rcParams["figure.figsize"] = (7, 4)
        text = json.dumps({"a": 1})
        if False:
            sys.exit(0)
            os._exit(0)
    '''
    assert review_findings([*release(), Cell(textwrap.dedent(benign))]) == []


# --- which key a finding concerns ------------------------------------------------------------------------------

PARAM_NAMES = ("W1_11", "W1_12", "b1_1", "W1_21", "W1_22", "b1_2", "W2_11", "W2_12", "b2_1")
HIDDEN = PARAM_NAMES[:6]
FORWARD = '''
    p = params
    a1 = sigmoid(p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"])
    a2 = sigmoid(p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"])
    e = -2 * (y - forward(p, x))
    d1, d2 = e * p["W2_11"] * a1 * (1 - a1), e * p["W2_12"] * a2 * (1 - a2)
'''
CENTRAL = '''
def central(params, x, y, name, h=1e-6):
    """dL/d(name) por diferencia centrada."""
    up, down = dict(params), dict(params)
    up[name] += h
    down[name] -= h
    return ((y - forward(up, x)) ** 2 - (y - forward(down, x)) ** 2) / (2 * h)
'''
INLINE = {  # name -> (gradients cell, keys whose value a finding can reach; None: cannot be told apart)
    "keys_one_by_one": (f'''
def gradients(params, x, y):{FORWARD}
    up, down = dict(p), dict(p)
    up["W1_11"] += 1e-6
    down["W1_11"] -= 1e-6
    grads = {{}}
    grads[PARAM_NAMES[6]] = e * a1
    grads["W2_12"] = e * a2
    grads["b2_1"] = e
    grads["W1_11"] = ((y - forward(up, x)) ** 2 - (y - forward(down, x)) ** 2) / 2e-6
    grads["W1_12"] = d1 * x[1]
    grads["b1_1"] = d1
    grads["W1_21"], grads["W1_22"], grads["b1_2"] = d2 * x[0], d2 * x[1], d2
    return grads
''', {"W1_11"}),
    "dict_zip_one_difference": (f'''
def gradients(params, x, y):{FORWARD}
    h = 1e-6
    up, down = dict(p), dict(p)
    up["b1_2"] += h
    down["b1_2"] -= h
    return dict(zip(PARAM_NAMES, [d1 * x[0], d1 * x[1], d1, d2 * x[0], d2 * x[1],
                                  ((y - forward(up, x)) ** 2 - (y - forward(down, x)) ** 2) / (2 * h),
                                  e * a1, e * a2, e]))
''', {"b1_2"}),
    "loop_over_a_literal_tuple": (f'''
def gradients(params, x, y):{FORWARD}
    grads = {{"W2_11": e * a1, "W2_12": e * a2, "b2_1": e, "W1_21": d2 * x[0], "W1_22": d2 * x[1], "b1_2": d2}}
    for name in ("W1_11", "W1_12", "b1_1"):
        up = dict(params)
        up[name] += 1e-7
        grads[name] = ((y - forward(up, x)) ** 2 - (y - forward(params, x)) ** 2) / 1e-7
    return grads
''', {"W1_11", "W1_12", "b1_1"}),
    "helper_called_for_the_hidden_keys": (CENTRAL + f'''
def gradients(params, x, y):{FORWARD}
    grads = {{"W2_11": e * a1, "W2_12": e * a2}}
    grads.update({{"b2_1": e}})
    for i, name in enumerate(PARAM_NAMES[:6]):
        grads[name] = central(params, x, y, name)
    return grads
''', set(HIDDEN)),
    "helper_differencing_for_some_keys": (CENTRAL + f'''
def partial(params, x, y, name):
    """A mano la capa de salida; el resto, diferencias (para el análisis, cualquier llamada puede diferenciar)."""
    e = -2 * (y - forward(params, x))
    if name == "b2_1":
        return e
    return central(params, x, y, name)

def gradients(params, x, y):{FORWARD}
    grads = {{"W2_11": e * a1, "W2_12": e * a2}}
    for name in ("b2_1", "W1_11", "W1_12", "b1_1", "W1_21", "W1_22", "b1_2"):
        grads[name] = partial(params, x, y, name)
    return grads
''', {"b2_1", *HIDDEN}),
    "difference_stored_for_two_keys": (CENTRAL + f'''
def gradients(params, x, y):{FORWARD}
    delta1 = central(params, x, y, "b1_1")  # δ1 = dL/db1_1
    return {{"W1_11": delta1 * x[0], "W1_12": delta1 * x[1], "b1_1": d1,
            "W1_21": d2 * x[0], "W1_22": d2 * x[1], "b1_2": d2, "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
''', {"W1_11", "W1_12"}),
    "dict_comprehension": (CENTRAL + '''
def gradients(params, x, y):
    return {name: central(params, x, y, name) for name in PARAM_NAMES}
''', None),
    "dict_alias": (f'''
def gradients(params, x, y):{FORWARD}
    grads = {{"W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
    g = grads
    for name in PARAM_NAMES[:6]:
        up = dict(params)
        up[name] += 1e-7
        g[name] = ((y - forward(up, x)) ** 2 - (y - forward(params, x)) ** 2) / 1e-7
    return grads
''', None),
    "dict_filled_by_a_helper": (CENTRAL + f'''
def fill_hidden(grads, params, x, y):
    for name in PARAM_NAMES[:6]:
        grads[name] = central(params, x, y, name)

def gradients(params, x, y):{FORWARD}
    grads = {{"W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
    fill_hidden(grads, params, x, y)
    return grads
''', None),
    "early_return_with_a_difference": (CENTRAL + f'''
def gradients(params, x, y):{FORWARD}
    if x[0] == 0 and x[1] == 0:  # sin entradas solo cuentan los sesgos
        return {{"W1_11": 0.0, "W1_12": 0.0, "b1_1": central(params, x, y, "b1_1"),
                "W1_21": 0.0, "W1_22": 0.0, "b1_2": d2, "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
            "b1_2": d2, "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
''', {"b1_1"}),
    "early_return_decided_by_a_difference": (CENTRAL + f'''
def gradients(params, x, y):{FORWARD}
    if abs(central(params, x, y, "b2_1") - e) > 1e-3:  # la derivada a mano no coincide: nada
        return {{}}
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
            "b1_2": d2, "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
''', set(PARAM_NAMES)),
    "dead_difference": (CENTRAL + f'''
def gradients(params, x, y):{FORWARD}
    unused = central(params, x, y, "b2_1")  # ya no se usa
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
            "b1_2": d2, "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
''', set()),
    "buffer_written_by_a_helper": (CENTRAL + f'''
def into(buffer, value):
    buffer.append(value)

def gradients(params, x, y):{FORWARD}
    buffer = []
    into(buffer, central(params, x, y, "W2_12"))
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
            "b1_2": d2, "W2_11": e * a1, "W2_12": buffer[0], "b2_1": e}}
''', {"W2_12"}),
    "closure_appends_a_difference": (CENTRAL + f'''
def gradients(params, x, y):{FORWARD}
    box = []
    def keep(value):
        box.append(value)
    keep(central(params, x, y, "W2_11"))
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
            "b1_2": d2, "W2_11": box[0], "W2_12": e * a2, "b2_1": e}}
''', {"W2_11"}),
    "difference_as_a_default": (CENTRAL + f'''
def gradients(params, x, y, slope=central):{FORWARD}
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": slope(dict(p), list(x), float(y), "b1_1"),
            "W1_21": d2 * x[0], "W1_22": d2 * x[1], "b1_2": d2, "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
''', {"b1_1"}),  # copies: a parameter called with params itself might change it, and concern every key
    "alias_of_a_local_changed_in_place": (CENTRAL + f'''
def gradients(params, x, y):{FORWARD}
    deltas = [d1, d2]
    same = deltas
    same[1] = central(params, x, y, "b1_2")
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
            "b1_2": deltas[1], "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
''', {"b1_2"}),
    "shifted_in_place_and_put_back": (f'''
def shifted(params, x, y, name, h=1e-6):
    params[name] += h
    up = (y - forward(params, x)) ** 2
    params[name] -= h
    return (up - (y - forward(params, x)) ** 2) / h

def gradients(params, x, y):{FORWARD}
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": shifted(params, x, y, "b1_1"), "W1_21": d2 * x[0],
            "W1_22": d2 * x[1], "b1_2": d2, "W2_11": e * a1, "W2_12": e * a2, "b2_1": e}}
''', set(PARAM_NAMES)),  # params changed in place: every key that reads params may see it (put back or not)
    "value_kept_in_module_state": (CENTRAL + f'''
CACHE = {{}}

def remember(params, x, y):
    CACHE["W2_12"] = central(params, x, y, "W2_12")
    return 0.0

def gradients(params, x, y):{FORWARD}
    return {{"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
            "b1_2": d2, "W2_11": e * a1 + remember(params, x, y), "W2_12": CACHE["W2_12"], "b2_1": e}}
''', {"W2_11", "W2_12"}),
    "bound_at_module_level": (CENTRAL + '''
def make():
    return lambda params, x, y: {name: central(params, x, y, name) for name in PARAM_NAMES}

gradients = make()
''', None),
}


def flagged(cells):
    """The keys some finding concerns, with the findings; None when attribute cannot tell the keys apart."""
    found = derivation_findings(cells, ROOTS)
    result = attribute(cells, "gradients", found)
    return found, None if result is None else {key: findings for key, findings in result.items() if findings}


def test_hidden_layer_differenced_output_layer_by_hand():
    """fd_hidden_layer_only derives the output layer by hand: those 3 points are its; the 6 hidden ones are not."""
    found, keys = flagged(corpus("fd_hidden_layer_only"))
    assert [f.code for f in found] == ["finite_difference"]
    assert keys == dict.fromkeys(HIDDEN, found)
    assert set(attribute(corpus("fd_hidden_layer_only"), "gradients", found)) == set(PARAM_NAMES)


def test_rescaled_hidden_part_differences_every_key():
    """grad_fd_hidden_rescaled differences the hidden part of ŷ for 8 keys, and b2_1 too (a step of 2**20 on a
    linear function): no key is derived by hand. The same trick with b2_1 by hand leaves b2_1 free."""
    found, keys = flagged(cheat("grad_fd_hidden_rescaled"))
    assert keys == dict.fromkeys(PARAM_NAMES, found) and found
    found, keys = flagged(student(CHEATS["rescaled_hidden_part"][0]))
    assert keys == dict.fromkeys(PARAM_NAMES[:8], found) and found


WHOLE = ([(name, CORPUS) for name in FINITE if name != "fd_hidden_layer_only"]
         + [(name, CHEATS_FOLDER) for name in sorted(CHEAT_METHODS) if name != "grad_fd_hidden_rescaled"])


@pytest.mark.parametrize("name, folder", WHOLE, ids=[name for name, _ in WHOLE])
def test_whole_differences_concern_every_key(name, folder):
    cells = corpus(name, folder) if folder == CORPUS else cheat(name)
    found, keys = flagged(cells)
    assert found and keys in (None, dict.fromkeys(PARAM_NAMES, found))


@pytest.mark.parametrize("name", sorted(set(CHEATS) - {"rescaled_hidden_part"}))
def test_written_non_derivations_concern_every_key(name):
    gradients, added, _ = CHEATS[name]
    found, keys = flagged(student(gradients, *added))
    assert found and keys in (None, dict.fromkeys(PARAM_NAMES, found))


@pytest.mark.parametrize("name", sorted(INLINE))
def test_findings_go_to_the_keys_they_reach(name):
    source, expected = INLINE[name]
    found, keys = flagged(student(source))
    assert found and (keys is None if expected is None else keys == dict.fromkeys(expected, found))


def test_code_acting_out_of_band_concerns_every_key():
    """flood_after_forged_report returns hand derivatives but forges the report with the complex step through a
    descriptor: what the grader receives need not be what the dict holds."""
    found, keys = flagged(cheat("flood_after_forged_report"))
    assert found and keys is None


def test_a_key_written_nowhere_is_absent():
    source = INLINE["keys_one_by_one"][0].replace('    grads["b1_1"] = d1\n', "")
    cells = student(source)
    assert set(attribute(cells, "gradients", derivation_findings(cells, ROOTS))) == set(PARAM_NAMES) - {"b1_1"}


@pytest.mark.parametrize("name", sorted(p.stem for p in CORPUS.glob("right_grad_*.py")))
def test_hand_derivations_concern_no_key(name):
    found = derivation_findings(corpus(name), ROOTS)
    assert found == [] and attribute(corpus(name), "gradients", found) in ({}, dict.fromkeys(PARAM_NAMES, []))


# --- speed ---------------------------------------------------------------------------------------------------

def test_timing_of_the_whole_corpus():
    names = sorted(p.stem for p in CORPUS.glob("*.py"))
    notebooks = [corpus(name) for name in names]
    start = time.perf_counter()
    for cells in notebooks:
        derivation_findings(cells, ROOTS)
        review_findings(cells)
    elapsed = time.perf_counter() - start
    print(f"\nanálisis de {len(names)} notebooks: {elapsed:.2f} s, {1000 * elapsed / len(names):.1f} ms cada uno")
    assert notebooks


def test_timing_of_attribution():
    notebooks = [corpus(p.stem) for p in sorted(CORPUS.glob("*.py"))]
    found = [derivation_findings(cells, ROOTS) for cells in notebooks]
    start = time.perf_counter()
    for cells, findings in zip(notebooks, found):
        attribute(cells, "gradients", findings)
    elapsed = time.perf_counter() - start
    each = 1000 * elapsed / len(notebooks)
    print(f"\natribución en {len(notebooks)} notebooks: {elapsed:.2f} s, {each:.1f} ms cada uno")
    assert notebooks
