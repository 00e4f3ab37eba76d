"""The pictures of the reports, drawn by the grader (never by student code) from numbers it checked.

Each function returns PNG bytes; `data_uri` makes them inline images, so a page needs no network. Nothing
here names an exercise: an assignment's charts give the series, their labels and the reference.
"""
import base64
import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator  # noqa: E402
from PIL import Image  # noqa: E402  (matplotlib's own dependency, for PNG)

STUDENT, CORRECTED, REFERENCE, FAILING = "#1f77b4", "#ff7f0e", "#222222", "#d62728"
MAX_POINTS = 100_000  # values of one series a chart draws
CEILING = 1e4  # MSE values above this are a run that blew up: drawn at the ceiling, so the axis stays readable
FLOOR = 1e-33  # below the float floor of a loss that reached round-off


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


def power_of_ten(value, _position):
    """A log-axis tick as plain text ('1e-8'): mathtext's 10⁻⁸ costs most of a small chart's drawing time."""
    return f"1e{round(np.log10(value))}" if value > 0 else ""


def finish_curves(figure, ax, ylabel):
    """Loss-per-epoch axes, the same everywhere: log scale with plain-text ticks, labels, grid, fixed margins."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
    ax.yaxis.set_major_formatter(FuncFormatter(power_of_ten))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    figure.subplots_adjust(left=0.11, right=0.98, bottom=0.14, top=0.97)  # fixed: no second layout pass


def positive(series):
    """A series for a log axis: NaN where it is not a positive number (not drawn), the ceiling above it."""
    values = np.asarray(list(series)[:MAX_POINTS], dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(values > 0, np.minimum(values, CEILING), np.nan)


class TrainingChart:
    """One student's curves: their own history, their training rerun by the grader, and the reference;
    `labels` names the three (reference, corrected, own) and `ylabel` the axis.

    Every chart has the same axes (from 1e-33 to the ceiling, the legend above), so they are drawn once;
    each student's lines are then blitted onto a copy of that background: a chart costs milliseconds, which a
    class report of hundreds of students needs."""

    def __init__(self, labels, ylabel):
        self.figure, self.ax = plt.subplots(figsize=(7.5, 3.9))
        styles = {"reference": dict(color=REFERENCE, lw=2.2, ls="--"), "corrected": dict(color=CORRECTED, lw=1.6),
                  "own": dict(color=STUDENT, lw=1.6)}
        self.lines = {name: self.ax.plot([], [], animated=True, label=labels[name], **styles[name])[0]
                      for name in ("reference", "corrected", "own")}
        finish_curves(self.figure, self.ax, ylabel)
        self.ax.set_ylim(FLOOR, CEILING * 10)
        self.ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.01), ncols=2, frameon=False)
        self.figure.subplots_adjust(top=0.86)
        self.epochs, self.background = None, None

    def png(self, own, corrected, reference):
        """The chart of these three series (any may be None) as PNG bytes."""
        epochs = max([len(series) for series in (own, corrected, reference) if series] or [1])
        canvas = self.figure.canvas
        if epochs != self.epochs:  # another x range: draw the background again
            self.ax.set_xlim(0, epochs + 1)
            canvas.draw()
            self.background, self.epochs = canvas.copy_from_bbox(self.figure.bbox), epochs
        canvas.restore_region(self.background)
        for name, series in (("reference", reference), ("corrected", corrected), ("own", own)):
            if series:
                values = positive(series)
                self.lines[name].set_data(np.arange(1, len(values) + 1), values)
                with np.errstate(all="ignore"):
                    self.ax.draw_artist(self.lines[name])
        image = Image.frombuffer("RGBA", canvas.get_width_height(), bytes(canvas.buffer_rgba()), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()


@lru_cache(maxsize=8)
def training_chart(labels, ylabel):
    """The reusable chart of these labels, made on first use; labels: ((name, text), ...)."""
    return TrainingChart(dict(labels), ylabel)


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


def class_curves(curves, reference, below, labels, ylabel):
    """Every student's own history, overlaid on a log scale with the reference; those that do not end below
    `below` in red. labels: (solved, not solved, reference) texts; the first two get their counts."""
    figure, ax = plt.subplots(figsize=(7.5, 3.8))
    converged = failing = 0
    for series in curves:
        values = positive(series)
        solved = len(values) > 0 and np.isfinite(values[-1]) and values[-1] < below
        converged, failing = converged + solved, failing + (not solved)
        ax.plot(range(1, len(values) + 1), values, color=STUDENT if solved else FAILING, lw=0.8,
                alpha=0.35 if solved else 0.7)
    ax.plot(range(1, len(reference) + 1), positive(reference), color=REFERENCE, lw=2.2, ls="--")
    ax.plot([], [], color=STUDENT, label=f"{labels[0]}: {converged}")
    ax.plot([], [], color=FAILING, label=f"{labels[1]}: {failing}")
    ax.plot([], [], color=REFERENCE, ls="--", label=labels[2])
    finish_curves(figure, ax, ylabel)
    ax.legend(fontsize=8, loc="center right", framealpha=0.9)
    return render(figure)
