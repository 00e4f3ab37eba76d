"""`plot:mse_curve`: the plot cell draws the global mse_history, every point of it, and that series is what
the student's own training produced.

The sandbox records each figure when `plt.show()` is called and at the end of the cell (as the inline
backend does), so the check holds with or without `plt.show()`, with pyplot or the Axes API, on a linear
or a log scale. While the plot cell runs, the child also records every call of `gradients` (θ, x, y and
the values it returned) and what `train` returned (child.Trace). The curve earns its points when:

- mse_history has at least two finite values (a NaN line draws nothing);
- it was produced by a training: the recorded calls (those of the train call that returned this history,
  else all the cell's) are a training (training.explain: from U(0,1)⁹, along the gradients the student's
  own function returned), and either train returned it after taking steps, or it is the MSE along those
  calls: per epoch, right or a usual mistake, or one value per sample (recorded_series). A made-up curve
  is not, nor one that a train returned without ever changing θ.

A wrong history plotted faithfully keeps the points: its mistake is sgd:history's. Labels are advice in
the feedback, not points.
"""
import numpy as np

from ...engine import figures
from . import model, training
from .diagnoses import DIAGNOSES

NAME, POINTS = "plot:mse_curve", 3


def produced_by_training(plot, history):
    """'' when mse_history is what a training in the plot cell produced (see the module's docstring), else why not."""
    calls = plot["calls"]
    theta, samples, grad = calls[:, :9], calls[:, 9:12], calls[:, 12:]
    truncated = bool(plot.get("truncated"))
    # Where train returned this history, its own calls are the ones to read; else every call of the cell (a
    # loop written in the cell itself). A trace cut at the recorder's limit is read as far as it goes.
    segments = [(t["start"], t["end"]) for t in plot.get("trains", [])
                if t.get("history") is not None and training.same(np.asarray(t["history"]), history, rtol=1e-9)]
    reasons = []
    for start, end in segments or [(0, len(calls))]:
        reason = training.explain(theta[start:end], grad[start:end], samples[start:end])
        if reason:
            reasons.append(f"el entrenamiento que la produjo {reason}")
        elif segments and training.steps(theta[start:end], grad[start:end]):
            return ""  # what a real training returned: a wrong history plotted faithfully is sgd:history's mistake
        elif reads_as_history(theta[start:end], samples[start:end], history, prefix=truncated and end >= len(calls)):
            return ""
        elif segments:
            reasons.append("no es el MSE de los parámetros por los que pasó el entrenamiento")
        else:
            reasons.append("no es lo que devolvió train ni el MSE por epoch del entrenamiento que hizo la celda")
    return reasons[0]


def recorded_series(theta, samples):
    """What a loop over these calls may record, as [(series, how many history values it is for)]: per
    epoch (right or a usual mistake), per epoch with the initial MSE first, or one value per call. θ after
    the last call is unknown, so the value it decides is left out of each series."""
    x, y = samples[:, :2], samples[:, 2]
    after = np.vstack([theta[1:], theta[-1:]])
    calls, epochs = len(theta), len(theta) // 4
    correct, wrong = training.readings(theta, samples, after)
    per_epoch = [(s[:-1], epochs) for s in list(correct.values()) + list(wrong.values())]
    with_initial = [(model.mse_batch(theta[0::4])[:epochs], epochs + 1)]
    per_call = [(model.mse_batch(after)[:-1], calls), (model.loss_batch(theta, x, y), calls),
                (model.loss_batch(after, x, y)[:-1], calls)]
    return (per_epoch + with_initial if epochs else []) + per_call


def reads_as_history(theta, samples, history, prefix=False):
    """Whether the history is one of recorded_series of the calls (with prefix, a training longer than the
    recorder kept: the history's values for the kept calls)."""
    if len(theta) == 0:
        return False
    for series, length in recorded_series(theta, samples):
        if len(series) and (len(history) == length or (prefix and len(history) > length)) \
                and training.same(history[:len(series)], series):
            return True
    return False


def judge(evidence, why):
    """The plot check of one observation (engine/figures.judge_curve)."""
    return [figures.judge_curve(evidence, why, (NAME, POINTS), "plot_mse", "mse_history", "el MSE", DIAGNOSES,
                                produced_by_training, broken="")]
