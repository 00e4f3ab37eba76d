"""`plot:loss_curve`: the plot cell draws the global loss_history, every point of it, and that series is what
the student's own training produced.

The sandbox records each figure when `plt.show()` is called and at the end of the cell, so the check holds
with or without `plt.show()`, with pyplot or the Axes API, on a linear or a log scale. While the plot cell
runs, the child also records every call of `gradients` (U, I, whether R was the given one, and the dU, dI
it returned) and, for every call of `train`, what it returned and the loss_history it left (child.Trace).
The curve earns its points when:

- loss_history has at least two finite values (a NaN line draws nothing);
- it was produced by a training: the recorded calls (those of the train call that left this history, else
  all the cell's) are a training (training.explain: from U(0,1), along the derivatives the student's own
  function returned), and either train left it after taking steps, or it is L along those calls, per
  epoch (right or a usual mistake). A made-up curve is not, nor one left by a train that never moved U, I.

A wrong history plotted faithfully keeps the points: its mistake is gd:history's. Labels are advice in the
feedback, not points.
"""
import numpy as np

from ...engine import figures
from . import model, training
from .diagnoses import DIAGNOSES

NAME, POINTS = "plot:loss_curve", 3


def reads_as_history(theta, history):
    """Whether the history is L per epoch along these calls (one or two calls an epoch; right or a usual
    mistake). θ after the last call is unknown, so the value it decides is left out."""
    after = np.vstack([theta[1:], theta[-1:]])
    for per_epoch in (1, 2):
        epochs = len(theta) // per_epoch
        if not epochs or len(history) != epochs:
            continue
        correct, wrong = training.readings(theta, after, per_epoch)
        for series in list(correct.values()) + list(wrong.values()):
            if training.same(history[:-1], series[:-1]):
                return True
    return False


def produced_by_training(plot, history):
    """'' when loss_history is what a training in the plot cell produced (see the module's docstring), else why not."""
    calls = plot["calls"]
    theta, given, grad = calls[:, :model.N_PARAMS], calls[:, model.N_PARAMS] == 1, calls[:, model.N_PARAMS + 1:]
    segments = [(t["start"], t["end"]) for t in plot.get("trains", [])
                if t.get("history") is not None and training.same(np.asarray(t["history"]), history, rtol=1e-9)]
    reasons = []
    for start, end in segments or [(0, len(calls))]:
        reason = training.explain(theta[start:end], grad[start:end], given[start:end])
        if reason:
            reasons.append(f"el entrenamiento que la produjo {reason}")
        elif segments and training.steps(theta[start:end], grad[start:end]):
            return ""  # what a real training left: a wrong history plotted faithfully is gd:history's mistake
        elif end > start and reads_as_history(theta[start:end], history):
            return ""
        else:
            reasons.append("no es L por epoch del entrenamiento que hizo la celda")
    return reasons[0]


def cell_error(evidence):
    """The error that stopped the plot cell, as one Spanish sentence, or ''."""
    for cell in evidence.cells.values():
        if cell["grade_id"] == "plot_loss" and cell["error"]:
            error = cell["error"]
            place = f" ({error['where']})" if error.get("where") else ""
            return f"la celda plot_loss falló: {error['type']}: {error['message']}{place}"
    return ""


def judge(evidence, why):
    """The plot check of one observation (engine/figures.judge_curve)."""
    return [figures.judge_curve(evidence, why, (NAME, POINTS), "plot_loss", "loss_history", "L", DIAGNOSES,
                                produced_by_training, broken=cell_error(evidence))]
