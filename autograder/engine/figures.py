"""What a plot cell drew, read on the grader's side: the lines of the figures the sandbox recorded, and
whether one of them is a given series, whole (sandbox/child.py packs the figures; an assignment's plot
check names the series and says it in its own words)."""
import numpy as np

from .verdict import failed, passed


def lines_of(figures, drawn=True):
    """Every line as (axes, y values) across the recorded figures: drawn ones, or with drawn=False the
    marker-only ones (plt.plot(h, "o")), which show points but no line."""
    return [(ax, np.asarray(line["y"], dtype=float)) for figure in figures for ax in figure["axes"]
            for line in ax["lines"] if (line.get("linestyle") not in ("None", "", " ")) == drawn]


def same_series(a, b):
    """Same length and the same values (NaN where the other has NaN)."""
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=0.0, equal_nan=True)


def label_advice(ax, quantity):
    """Advice on labels and scale for the axes that holds the curve of `quantity` (e.g. "el MSE")."""
    missing = [what for what, key in (("el eje x", "xlabel"), ("el eje y", "ylabel"), ("el gráfico", "title"))
               if not ax.get(key, "").strip()]
    advice = f" Poné nombre a {', '.join(missing)}." if missing else ""
    if ax.get("yscale") == "linear":
        advice += f" Probá ax.set_yscale('log'): se ve cómo {quantity} baja varios órdenes de magnitud."
    return advice


def drawn(plot, history, name, quantity, diagnoses):
    """(passed, feedback, diagnosis): whether a figure of the cell draws the whole series `history`, which the
    notebook calls `name` and the student reads as `quantity`; diagnoses holds the assignment's texts for
    no_figure, markers_only, no_line and other_series."""
    figures = plot.get("figures", [])
    if not figures:
        return False, diagnoses["no_figure"].student + ".", "no_figure"
    lines = lines_of(figures)
    for ax, y_values in lines:
        if same_series(y_values, history):
            return True, f"El gráfico muestra {name} ({len(history)} epochs).{label_advice(ax, quantity)}", None
    with np.errstate(all="ignore"):
        logs = {"log10": np.log10(history), "ln": np.log(history)}
    for ax, y_values in lines:
        for label, series in logs.items():
            if same_series(y_values, series):
                return True, (f"El gráfico muestra {label}({name}). Mejor graficá {quantity} y usá "
                              f"ax.set_yscale('log'), así el eje muestra sus valores."), None
    for ax, y_values in lines:
        if 1 < len(y_values) < len(history) and np.isin(y_values, history).all():
            return False, (f"El gráfico muestra {len(y_values)} de los {len(history)} valores de {name}: "
                           "graficá todas las epochs."), "partial_curve"
    if any(same_series(y_values, history) for _, y_values in lines_of(figures, drawn=False)):
        return False, diagnoses["markers_only"].student + f" (por ejemplo ax.plot({name})).", "markers_only"
    if not lines:
        return False, diagnoses["no_line"].student + ".", "no_line"
    return False, diagnoses["other_series"].student + ".", "other_series"


def judge_curve(evidence, why, check, cell, name, quantity, diagnoses, produced_by_training, broken=""):
    """The plot check: the answer to the plot question must hold the global series `name` that the cell
    `cell` left, with two or more finite values, drawn whole (drawn) by a real training
    (produced_by_training(plot, history): '' or why not); the evidence under review withholds it. check is
    (name, points); broken, the error that stopped the cell (a series it never made is then that error's)."""
    title, points = check
    answer = evidence.answers["plot"]
    if not answer.ok:
        return failed(title, points, f"No se pudo evaluar el gráfico: {why(answer, cell)}.", diagnosis="not_evaluated")
    plot = answer.data
    if broken and (plot.get("history") is None or len(plot["history"]) < 2):
        return failed(title, points, f"No se pudo graficar {name}: {broken}.", diagnosis="plot_raised")
    if plot.get("history") is None:
        kind = plot.get("history_type", "<missing>")
        text = f"no existe la variable global {name}" if kind == "<missing>" else f"{name} es {kind}, no una lista de números"
        return failed(title, points, f"Después de la celda {cell}, {text}.", diagnosis="no_history")
    history = np.asarray(plot["history"], dtype=float)
    if len(history) < 2:
        return failed(title, points, f"{name} tiene {len(history)} valor(es): {diagnoses['one_point'].student}.",
                      diagnosis="one_point")
    if np.isfinite(history).sum() < 2:
        return failed(title, points, diagnoses["no_finite_curve"].student + ".", diagnosis="no_finite_curve")
    ok, feedback, code = drawn(plot, history, name, quantity, diagnoses)
    if not ok:
        return failed(title, points, feedback, diagnosis=code)
    reason = produced_by_training(plot, history)
    if reason:
        return failed(title, points, f"{diagnoses['not_from_training'].student}: {reason}.", diagnosis="not_from_training")
    if evidence.review:
        found = evidence.review[0]
        return failed(title, points, f"{diagnoses['needs_review'].student}. Se encontró: {found.text} (celda "
                                     f"{found.cell + 1}, línea {found.line}).", diagnosis="needs_review")
    return passed(title, points, feedback)
