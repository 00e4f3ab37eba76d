"""XOR's curves: the reference MSE per epoch, one student's training chart, and the class chart."""
from functools import lru_cache

import numpy as np

from ...reports import charts
from . import model
from .interview import CONVERGED_BELOW, LR, N_EPOCHS, SEEDS

LABELS = (("reference", f"referencia (SGD del autograder, lr = {LR}, semilla {SEEDS[0]})"),
          ("corrected", f"tu train con derivadas correctas (lr = {LR}, semilla {SEEDS[0]})"),
          ("own", "tu mse_history (celda del gráfico)"))
YLABEL = "MSE (escala log)"


@lru_cache(maxsize=1)
def reference_history():
    """The MSE per epoch of the grader's own per-sample SGD at the graded settings (LR, N_EPOCHS, from
    init_params of the first seed), in the slide's sample order."""
    theta = np.array([model.init_params(SEEDS[0])[name] for name in model.PARAM_NAMES])
    history = []
    for _ in range(N_EPOCHS):
        for x, y in zip(model.X_XOR, model.Y_XOR):
            theta = theta - LR * np.array(model.exact_gradient(theta, x, y))
        history.append(float(model.mse_batch(theta[None, :])[0]))
    return tuple(history)


def curves(evidence):
    """(own mse_history from the plot cell, made with the student's derivatives; their train's history with
    the grader's derivatives), each a list or None."""
    answers = evidence.answers if evidence else {}
    plot, runs = answers.get("plot"), answers.get("runs") or []
    own = plot.data.get("history") if plot is not None and plot.ok else None
    first = runs[0]["answer"] if runs else None
    corrected = first.data.get("history") if first is not None and first.ok else None
    return (None if own is None else [float(v) for v in own]), (None if corrected is None else [float(v) for v in corrected])


def training_curves(own, corrected):
    """One student's curves against the reference as PNG bytes, or None without any."""
    if not (own or corrected):
        return None
    return charts.training_chart(LABELS, YLABEL).png(own, corrected, reference_history())


def class_curves(histories):
    """Every student's own mse_history over the reference; those that do not solve XOR in red."""
    return charts.class_curves(histories, reference_history(), CONVERGED_BELOW,
                               (f"resuelven XOR (MSE final < {CONVERGED_BELOW})", "no lo resuelven",
                                f"referencia (lr = {LR}, semilla {SEEDS[0]})"), YLABEL)
