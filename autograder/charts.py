"""The pictures of the reports, drawn by the grader (never by student code) from numbers it checked.

Each function returns PNG bytes; `data_uri` makes them inline images, so a page needs no network.
"""
import base64
import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import network  # noqa: E402

STUDENT, CORRECTED, REFERENCE, FAILING = "#1f77b4", "#ff7f0e", "#222222", "#d62728"


@lru_cache(maxsize=8)
def reference_history(lr, n_epochs, seed):
    """The MSE per epoch of the grader's own per-sample SGD from init_params(seed), in the slide's sample order."""
    theta = np.array([network.init_params(seed)[name] for name in network.PARAM_NAMES])
    history = []
    for _ in range(n_epochs):
        for x, y in zip(network.X_XOR, network.Y_XOR):
            theta = theta - lr * np.array(network.exact_gradient(theta, x, y))
        history.append(float(network.mse_batch(theta[None, :])[0]))
    return tuple(history)


def data_uri(png):
    """PNG bytes as an inline image source."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render(figure):
    """The figure as PNG bytes (then closed)."""
    buffer = io.BytesIO()
    with np.errstate(all="ignore"):  # curves that blew up reach the log axis as huge values
        figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return buffer.getvalue()


CEILING = 1e4  # MSE values above this are a run that blew up: drawn at the ceiling, so the axis stays readable


def positive(series):
    """A series for a log axis: NaN where it is not a positive number (not drawn), the ceiling above it."""
    values = np.asarray(series, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(values > 0, np.minimum(values, CEILING), np.nan)


def training_curves(own, corrected, reference, lr, seed):
    """One student's curves: their mse_history, their train run with correct derivatives, and the reference."""
    figure, ax = plt.subplots(figsize=(7.5, 3.6))
    if reference:
        ax.plot(range(1, len(reference) + 1), positive(reference), color=REFERENCE, lw=2.2, ls="--",
                label=f"referencia (SGD del autograder, lr = {lr}, semilla {seed})")
    if corrected:
        ax.plot(range(1, len(corrected) + 1), positive(corrected), color=CORRECTED, lw=1.6,
                label=f"tu train con derivadas correctas (lr = {lr}, semilla {seed})")
    if own:
        ax.plot(range(1, len(own) + 1), positive(own), color=STUDENT, lw=1.6, label="tu mse_history (celda del gráfico)")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE (escala log)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="center right", framealpha=0.9)
    figure.tight_layout()
    return render(figure)


def score_histogram(scores, max_score):
    """How many submissions got each score."""
    figure, ax = plt.subplots(figsize=(7.5, 3.2))
    bins = np.arange(-0.5, max_score + 1.5, 1.0)
    ax.hist(list(scores), bins=bins, color=STUDENT, edgecolor="white")
    ax.set_xlabel(f"puntaje (de {max_score:g})")
    ax.set_xticks(range(0, int(max_score) + 1, 2))
    ax.set_ylabel("entregas")
    ax.set_xlim(-0.5, max_score + 0.5)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(True, axis="y", alpha=0.3)
    figure.tight_layout()
    return render(figure)


def pass_rates(checks):
    """The share of graded submissions that passed each check: {name: (passed, failed)}."""
    names = list(checks)[::-1]
    rates = [100 * checks[n][0] / max(1, sum(checks[n])) for n in names]
    figure, ax = plt.subplots(figsize=(7.5, 0.32 * len(names) + 0.9))
    bars = ax.barh(names, rates, color=[STUDENT if rate >= 50 else FAILING for rate in rates])
    for bar, rate in zip(bars, rates):
        ax.text(min(rate + 1, 92), bar.get_y() + bar.get_height() / 2, f"{rate:.0f}%", va="center", fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% de las entregas corregidas que pasan el chequeo")
    ax.tick_params(axis="y", labelsize=8)
    figure.tight_layout()
    return render(figure)


def class_curves(curves, reference, lr, seed):
    """Every student's own mse_history, overlaid on a log scale; those that did not reach MSE < 0.01 in red."""
    figure, ax = plt.subplots(figsize=(7.5, 3.8))
    converged = failing = 0
    for series in curves:
        values = positive(series)
        solved = len(values) > 0 and np.isfinite(values[-1]) and values[-1] < 0.01
        converged, failing = converged + solved, failing + (not solved)
        ax.plot(range(1, len(values) + 1), values, color=STUDENT if solved else FAILING, lw=0.8,
                alpha=0.35 if solved else 0.7)
    if reference:
        ax.plot(range(1, len(reference) + 1), positive(reference), color=REFERENCE, lw=2.2, ls="--")
    ax.plot([], [], color=STUDENT, label=f"resuelven XOR (MSE final < 0.01): {converged}")
    ax.plot([], [], color=FAILING, label=f"no lo resuelven: {failing}")
    ax.plot([], [], color=REFERENCE, ls="--", label=f"referencia (lr = {lr}, semilla {seed})")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE (escala log)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="center right", framealpha=0.9)
    figure.tight_layout()
    return render(figure)
