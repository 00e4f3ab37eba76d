"""Derived against differenced: how far apart the two are at the grader's points (gradient_checks.PRECISION).

    python benchmarks/derivation.py [--points 4000]

Every style of tests/assignments/xor_sgd/corpus is loaded as the notebook would run it: its `gradients` cell executed after
the release's given cells. Derived styles are right_*.py, finite-difference styles fd_*.py. Each is
called at random ordinary points and random precision points (the grader's own generators), and its
relative error against the exact gradient is measured per derivative. Printed:

- per derived style, the worst error at ordinary points (the correctness test, THRESHOLD) and at
  precision points (the precision test, PRECISION);
- per finite-difference style, the best it does against the precision test: at the 2 visible precision
  points (what the notebook's self-check sees), over the worst of 4 random hidden ones (what the grader
  adds), and at one single point (a lucky one);
- the margin: best finite difference over worst derived style, and where PRECISION sits between them;
- float32: a derivation computed in float32 against a finite difference stored in float32.
"""
import argparse
import contextlib
import io
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.assignments.xor_sgd import gradients as gradient_checks  # noqa: E402
from autograder.assignments.xor_sgd import interview  # noqa: E402
from autograder.assignments.xor_sgd import model as network  # noqa: E402
from autograder.build.examples import fill  # noqa: E402

CORPUS = ROOT / "tests" / "assignments" / "xor_sgd" / "corpus"
GIVEN_CELLS = ("given_data", "given_network", "gradients", "given_self_checks")
HIDDEN_SET = interview.HIDDEN_PRECISION
# A style that derives some derivatives and differences the others: only the differenced ones count.
DIFFERENCED = {"fd_hidden_layer_only": network.PARAM_NAMES[:6]}


def namespace_of(path, grade_ids=GIVEN_CELLS):
    """The names a corpus submission's cells define (given cells and its own), as the notebook runs them."""
    import matplotlib

    matplotlib.use("Agg")
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):  # the cells' prints are not the study's
        for cell in fill(path).cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade_id") in grade_ids:
                exec(compile(cell.source, f"<{path.name}>", "exec"), namespace)
    return namespace


def load_gradients(path):
    """The `gradients` a corpus submission defines, with the release's given cells around it."""
    return namespace_of(path)["gradients"]


def styles(prefix):
    """{style name: gradients} for the corpus files right_*.py or fd_*.py, one per distinct gradients cell."""
    found, seen = {}, set()
    for path in sorted(CORPUS.glob(f"{prefix}*.py")):
        cell = next(c.source for c in fill(path).cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gradients")
        if cell not in seen:
            seen.add(cell)
            found[path.stem] = load_gradients(path)
    return found


def sample(count, seed):
    """`count` ordinary and `count` precision points, from the grader's own generators."""
    rng = np.random.default_rng(seed)
    return interview.random_points(rng, count), interview.precision_points(rng, count)


def values(gradients, points, dtype=float):
    """The 9 values gradients returns at every point, as the sandbox calls it: (n, 9)."""
    rows = []
    for theta, x, y in points:
        params = {name: dtype(value) for name, value in zip(network.PARAM_NAMES, theta)}
        got = gradients(params, np.array(x, dtype=dtype), dtype(y))
        rows.append([float(np.asarray(got[name], dtype=float).reshape(-1)[0]) for name in network.PARAM_NAMES])
    return np.array(rows)


def errors(gradients, points, dtype=float):
    """Relative error (floor 1e-2) of every derivative at every point: (n, 9)."""
    with np.errstate(all="ignore"):
        return network.rel_error(gradient_checks.expected_gradients(points), values(gradients, points, dtype))


def worst_of_sets(error, size):
    """Per derivative, the best a style does over sets of `size` points: min over sets of the set's max."""
    usable = len(error) // size * size
    return error[:usable].reshape(-1, size, error.shape[1]).max(axis=1).min(axis=0)


def visible_precision_points():
    """The 2 precision points every submission meets, the ones in the notebook's self-check."""
    points = interview.plan_points("0", hidden=False)
    return [p for p, precise in zip(points, gradient_checks.is_precision(points)) if precise]


def study(count, seed=0):
    """Every figure of the separation study, as a dict."""
    ordinary, precise = sample(count, seed)
    visible = visible_precision_points()
    derived, differenced = styles("right_"), styles("fd_")
    report = {"points": count, "derived": {}, "fd": {}}
    for name, gradients in derived.items():
        report["derived"][name] = {"ordinary": float(errors(gradients, ordinary).max()),
                                   "precision": float(errors(gradients, precise).max())}
    for name, gradients in differenced.items():
        error = errors(gradients, precise)
        approximated = np.isin(network.PARAM_NAMES, DIFFERENCED.get(name, network.PARAM_NAMES))
        report["fd"][name] = {
            "ordinary_close": float(network.rel_error(gradient_checks.expected_gradients(ordinary),
                                                      values(gradients, ordinary), floor=1.0).max()),
            "visible": float(errors(gradients, visible).max(axis=0)[approximated].min()),
            "hidden_set": float(worst_of_sets(error, HIDDEN_SET)[approximated].min()),
            "single_point": float(error[:, approximated].min()),
            "derivatives": int(approximated.sum()),
        }
    solution = load_gradients(CORPUS / "right_solution.py")
    cast = differenced.get("fd_float32_cast")
    report["float32"] = {
        "derived_ordinary": float(errors(solution, ordinary, np.float32).max()),
        "derived_precision": float(errors(solution, precise, np.float32).max()),
        "fd_cast_hidden_set": float(worst_of_sets(errors(cast, precise), HIDDEN_SET).min()) if cast else None,
    }
    # A precision test loose enough for float32 derivations would accept these finite differences:
    report["float32"]["fd_within_float32"] = sorted(name for name, row in report["fd"].items()
                                                    if row["hidden_set"] <= report["float32"]["derived_precision"])
    worst = max(style["precision"] for style in report["derived"].values())
    best_visible = min(style["visible"] for style in report["fd"].values())
    best_hidden = min(style["hidden_set"] for style in report["fd"].values())
    report["summary"] = {"worst_derived": worst, "best_fd_visible": best_visible, "best_fd_hidden_set": best_hidden,
                         "margin": min(best_visible, best_hidden) / worst, "precision": gradient_checks.PRECISION}
    return report


def print_report(report):
    """The study as tables."""
    print(f"{report['points']} ordinary and {report['points']} precision points per style; "
          f"THRESHOLD {gradient_checks.THRESHOLD:.0e}, PRECISION {gradient_checks.PRECISION:.0e}\n")
    print(f"{'derived style (worst error)':<36}{'ordinary':>10}{'precision':>11}")
    for name, row in sorted(report["derived"].items(), key=lambda item: -item[1]["precision"]):
        print(f"{name:<36}{row['ordinary']:>10.1e}{row['precision']:>11.1e}")
    print(f"\n{'finite-difference style (best error)':<36}{'visible':>10}{'hidden 4':>10}{'1 point':>10}"
          f"{'ordinary':>10}{'derivs':>8}")
    for name, row in sorted(report["fd"].items(), key=lambda item: item[1]["hidden_set"]):
        print(f"{name:<36}{row['visible']:>10.1e}{row['hidden_set']:>10.1e}{row['single_point']:>10.1e}"
              f"{row['ordinary_close']:>10.1e}{row['derivatives']:>8}")
    s, f32 = report["summary"], report["float32"]
    print(f"\nworst derived style at a precision point:        {s['worst_derived']:.1e}")
    print(f"best finite difference, 2 visible precision pts: {s['best_fd_visible']:.1e}")
    print(f"best finite difference, worst of 4 hidden pts:   {s['best_fd_hidden_set']:.1e}")
    print(f"margin (best finite difference / worst derived):  {s['margin']:.1e}")
    print(f"PRECISION {s['precision']:.0e}: {s['precision'] / s['worst_derived']:.0f}x above the worst derived, "
          f"{min(s['best_fd_visible'], s['best_fd_hidden_set']) / s['precision']:.0f}x below the best difference")
    print(f"\nfloat32: derived in float32, worst at ordinary points {f32['derived_ordinary']:.1e} "
          f"(THRESHOLD {gradient_checks.THRESHOLD:.0e}), at precision points {f32['derived_precision']:.1e}")
    if f32["fd_cast_hidden_set"] is not None:
        print(f"         a float64 difference stored in float32, best worst-of-4: {f32['fd_cast_hidden_set']:.1e}")
    print(f"         a precision test that accepted float32 would accept: {', '.join(f32['fd_within_float32'])}")
    print("\n'ordinary' for a finite difference: its error with a floor of 1 at ordinary points "
          f"(diagnosed as an approximation below APPROXIMATE = {gradient_checks.APPROXIMATE:.0e})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=4000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    report = study(args.points)
    print(json.dumps(report, indent=1) if args.json else "", end="")
    if not args.json:
        print_report(report)


if __name__ == "__main__":
    main()
