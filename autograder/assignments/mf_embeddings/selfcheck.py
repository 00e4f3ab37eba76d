"""The build's hook: the single source's given cell and self-check get their values from this package.

- the given cell's R, K, LR and N_EPOCHS come from given.py;
- the self-check holds the visible points and their exact derivatives as literals (computed with Fractions,
  with no rounding until the last one, so every machine prints the same digits), and the thresholds and
  graded settings of interview.py and gradients.py;
- every nbgrader test cell's points must be the assignment's (assignment.py): the build stops otherwise.
"""
import json
import re

import numpy as np

from . import given, model
from .interview import CONVERGED_BELOW, LR, N_EPOCHS, PRECISION_RATING, SEED, plan_points

GIVEN_MARKER = "GIVEN_DATA = ...  # build: R, K, LR, N_EPOCHS"
CHECK_MARKER = "SELF_CHECK_POINTS = ...  # build: the visible points, their exact derivatives and the thresholds"


def literal(array):
    """A nested list literal of an array's floats."""
    return repr(np.asarray(array, dtype=float).tolist())


def given_source():
    """The given cell's data: R, K and the plot cell's settings."""
    rows = ",\n".join(f"    {row!r}" for row in given.R.tolist())
    return (f"R = np.array([  # calificaciones de 6 usuarios (filas) a 5 películas (columnas); 0 = sin calificar\n"
            f"{rows},\n])\nK = {given.K}  # dimensión de los embeddings\n"
            f"LR, N_EPOCHS = {given.LR}, {given.N_EPOCHS}  # learning rate y epochs de la celda del gráfico")


def exact_literal(U, I, R):
    """(dU, dI) at one point as literals of the correctly rounded exact values."""
    dU, dI = model.exact_gradient_fraction(U, I, R)
    return tuple(repr([[float(value) for value in row] for row in d]) for d in (dU, dI))


def self_check_source():
    """SELF_CHECK_POINTS and the constants the self-checks use."""
    from .gradients import PRECISION, THRESHOLD

    lines = ["SELF_CHECK_POINTS = [  # (U, I, R, dU exacta, dI exacta)"]
    for index, (U, I, R) in enumerate(plan_points("0", hidden=False)):
        dU, dI = exact_literal(np.array(U), np.array(I), np.array(R))
        start = f"    (*init_embeddings({index}), R," if index < 2 else f"    ({literal(U)},\n     {literal(I)},\n     {literal(R)},"
        lines += [start, f"     {dU},", f"     {dI}),"]
    lines += ["]", "",
              f"TOLERANCE = {THRESHOLD!r}  # error relativo máximo de una derivada correcta",
              f"PRECISION = {PRECISION!r}  # en un punto de precisión, una derivada (no una aproximación) queda por debajo",
              f"PRECISION_RATING = {PRECISION_RATING!r}  # un punto de precisión tiene una calificación |R_ui| ≥ 1e8",
              f"CONVERGED_BELOW = {CONVERGED_BELOW!r}  # L final de un entrenamiento que ajusta R",
              f"GRADED_LR, GRADED_EPOCHS, GRADED_SEED = {LR!r}, {N_EPOCHS!r}, {SEED!r}  # el train que corre el autograder"]
    return "\n".join(lines)


def check_points(text):
    """Raise when a test cell's nbgrader points are not the assignment's."""
    from .assignment import ASSIGNMENT

    wanted = {cell: sum(ASSIGNMENT.points[name] for name in names) for cell, names in ASSIGNMENT.test_cells.items()}
    found = {}
    for line in text.split("\n"):
        match = re.match(r"# %%.* nbgrader=(\{.*\})", line)
        if match:
            meta = json.loads(match.group(1))
            if meta.get("grade"):
                found[meta["grade_id"]] = meta.get("points")
    if found != wanted:
        raise RuntimeError(f"the single source's test cells give points {found}, the assignment {wanted}")


def replace(lines, marker, text):
    """The lines with the one marker line replaced by text."""
    if lines.count(marker) != 1:
        raise RuntimeError(f"expected one line {marker!r} in the single source, found {lines.count(marker)}")
    lines[lines.index(marker)] = text
    return lines


def fill(source_text):
    """The single source's text with its build-time values filled in, after checking its points."""
    check_points(source_text)
    lines = replace(source_text.split("\n"), GIVEN_MARKER, given_source())
    return "\n".join(replace(lines, CHECK_MARKER, self_check_source()))
