"""mf_embeddings' curves: the reference L per epoch, one student's training chart, and the class chart."""
from functools import lru_cache

from ...reports import charts
from . import model
from .interview import CONVERGED_BELOW, LR, N_EPOCHS, SEED

LABELS = (("reference", f"referencia (descenso del autograder, lr = {LR}, semilla {SEED})"),
          ("corrected", f"tu train con derivadas correctas (lr = {LR}, semilla {SEED})"),
          ("own", "tu loss_history (celda del gráfico)"))
YLABEL = "L (escala log)"


@lru_cache(maxsize=1)
def reference_history():
    """L after each epoch of the grader's own full-batch descent at the graded settings."""
    users, items = model.init_embeddings(SEED)
    history = []
    for _ in range(N_EPOCHS):
        dU, dI = model.exact_gradient(users, items, model.R)
        users, items = users - LR * dU, items - LR * dI
        history.append(float(model.loss_batch(users[None], items[None], model.R)[0]))
    return tuple(history)


def curves(evidence):
    """(own loss_history from the plot cell, made with the student's derivatives; their train's history with
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
    """Every student's own loss_history over the reference; those that do not fit R in red."""
    return charts.class_curves(histories, reference_history(), CONVERGED_BELOW,
                               (f"ajustan R (L final < {CONVERGED_BELOW})", "no lo ajustan",
                                f"referencia (lr = {LR}, semilla {SEED})"), YLABEL)
