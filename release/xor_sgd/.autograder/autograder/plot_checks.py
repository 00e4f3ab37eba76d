"""`plot:mse_curve`: the figure the plot_mse cell showed draws the global mse_history, every point of it.

The sandbox records each figure when `plt.show()` is called and at the end of the cell (as the inline
backend does), so the check holds with or without `plt.show()`, with pyplot or the Axes API, on a
linear or a log scale. Labels are advice in the feedback, not points.
"""
import numpy as np

from .verdict import failed, passed, why_missing

NAME, POINTS = "plot:mse_curve", 3


def lines_of(figures, drawn=True):
    """Every line as (axes, y values) across the recorded figures: drawn ones, or with drawn=False
    the marker-only ones (plt.plot(h, "o")), which show points but no line."""
    return [(ax, np.array(line["y"], dtype=float)) for figure in figures for ax in figure["axes"]
            for line in ax["lines"]
            if line.get("y") is not None and (line.get("linestyle") not in ("None", "", " ")) == drawn]


def same_series(a, b):
    """Same length and the same values (NaN where the other has NaN)."""
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=0.0, equal_nan=True)


def label_advice(ax):
    """Advice on labels and scale for the axes that holds the curve."""
    missing = [what for what, key in (("el eje x", "xlabel"), ("el eje y", "ylabel"), ("el gráfico", "title"))
               if not ax[key].strip()]
    advice = f" Poné nombre a {', '.join(missing)}." if missing else ""
    if ax["yscale"] == "linear":
        advice += " Probá ax.set_yscale('log'): se ve cómo el MSE baja varios órdenes de magnitud."
    return advice


def evaluate(observation):
    """The plot check of one observation."""
    probe = observation["plot"]
    if probe is None:
        return [failed(NAME, POINTS, f"No se pudo evaluar el gráfico: {why_missing(observation, 'plot_mse')}.",
                       diagnosis="not_evaluated")]
    if probe["history"] is None:
        text = ("no existe la variable global mse_history" if probe["history_type"] == "<missing>"
                else f"mse_history es {probe['history_type']}, no una lista de números")
        return [failed(NAME, POINTS, f"Después de la celda plot_mse, {text}.", diagnosis="no_history")]
    history = np.array(probe["history"], dtype=float)
    if len(history) < 2:
        return [failed(NAME, POINTS, f"mse_history tiene {len(history)} valor(es): un solo punto no es una curva.",
                       diagnosis="one_point")]
    lines = lines_of(probe["figures"])
    if not probe["figures"]:
        return [failed(NAME, POINTS, "La celda plot_mse no dejó ningún gráfico.", diagnosis="no_figure")]
    for ax, y_values in lines:
        if same_series(y_values, history):
            return [passed(NAME, POINTS, f"El gráfico muestra mse_history ({len(history)} epochs)." + label_advice(ax))]
    with np.errstate(all="ignore"):
        logs = {"log10": np.log10(history), "ln": np.log(history)}
    for ax, y_values in lines:
        for label, series in logs.items():
            if same_series(y_values, series):
                return [passed(NAME, POINTS, f"El gráfico muestra {label}(mse_history). Mejor graficá el MSE y usá "
                                             "ax.set_yscale('log'), así el eje muestra valores de MSE.")]
    for ax, y_values in lines:
        if 1 < len(y_values) < len(history) and np.isin(y_values, history).all():
            return [failed(NAME, POINTS, f"El gráfico muestra {len(y_values)} de los {len(history)} valores de "
                                         "mse_history: graficá todas las epochs.", diagnosis="partial_curve")]
    if any(same_series(y_values, history) for _, y_values in lines_of(probe["figures"], drawn=False)):
        return [failed(NAME, POINTS, "El gráfico muestra mse_history solo con marcadores: dibujala como línea "
                                     "(por ejemplo ax.plot(mse_history)).", diagnosis="markers_only")]
    if not lines:
        return [failed(NAME, POINTS, "El gráfico no tiene ninguna línea: graficá mse_history con plot (no scatter ni "
                                     "barras).", diagnosis="no_line")]
    return [failed(NAME, POINTS, "El gráfico no muestra mse_history: graficá el MSE de cada epoch que devolvió train.",
                   diagnosis="other_series")]
