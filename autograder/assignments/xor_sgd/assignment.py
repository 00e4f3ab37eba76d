"""The XOR exercise, declared once for the engine: its checks, cells, questions, judges and diagnoses."""
from dataclasses import replace

from ...engine.assignment import Assignment, CheckSpec
from . import charts, gradients, interview, plot, selfcheck, sgd
from .diagnoses import DIAGNOSES, NOT_ATTEMPTED
from .interview import CONVERGED_BELOW

CHECKS = (*(CheckSpec(name, gradients.POINTS_EACH, "test_gradients") for name in gradients.CHECK_NAMES),
          *(CheckSpec(name, points, "test_sgd") for name, points in sgd.POINTS.items()),
          CheckSpec(plot.NAME, plot.POINTS, "test_plot"))


def judge(evidence, why):
    """Every check, in order, with the notes that say where one verdict depends on another."""
    checks = gradients.judge(evidence, why) + sgd.judge(evidence, why) + plot.judge(evidence, why)
    return with_context(checks, evidence)


def own_curve_solves(evidence):
    """Whether the student's own mse_history ends below CONVERGED_BELOW."""
    own, _ = charts.curves(evidence)
    return bool(own) and own[-1] < CONVERGED_BELOW


def with_context(checks, evidence):
    """Say where one check's verdict depends on another's: train is graded with the grader's derivatives, so
    a student whose derivatives are wrong can pass sgd:converges while their own curve stays flat. Only a
    passed check needs the note: a failed one already says what went wrong."""
    wrong = [f"∂L/∂{c.name.split(':')[1]}" for c in checks if c.name.startswith("gradient:") and c.score < c.max_score
             and c.diagnosis not in ("needs_review", "manipulated")]
    if not wrong:
        return checks
    flat = not own_curve_solves(evidence)
    named = ", ".join(wrong) if len(wrong) <= 3 else f"{len(wrong)} derivadas"
    note = (f" Ojo: el autograder corrió tu train con sus derivadas correctas, para no descontarte dos veces el error "
            f"de {named} (ver arriba). Con tus derivadas, tu propia curva "
            + ("no llega a resolver XOR: por eso tu gráfico no baja." if flat
               else f"igual llega a MSE < {CONVERGED_BELOW}, pero por otro camino que el de la derivada exacta."))
    plot_note = (f" Tu curva no llega a MSE < {CONVERGED_BELOW} porque usa tus derivadas, y " + named
                 + (" está mal." if len(wrong) == 1 else " están mal.")) if flat else ""
    notes = {"sgd:converges": note, plot.NAME: plot_note}
    return [replace(c, feedback=c.feedback + notes[c.name]) if c.name in notes and c.score == c.max_score else c
            for c in checks]


ASSIGNMENT = Assignment(
    name="xor_sgd",
    title="XOR con una red 2-2-1 y SGD",
    checks=CHECKS,
    answer_cells=("gradients", "train", "plot_mse"),
    child=f"{__package__}.child",
    interview=interview.interview,
    judge=judge,
    diagnoses=DIAGNOSES,
    derived=("gradients",),
    curves=charts.curves,
    chart=charts.training_curves,
    class_chart=charts.class_curves,
    picture_cell="test_sgd",
    not_attempted=frozenset(NOT_ATTEMPTED),
    texts={
        "class_curves_alt": "El mse_history de cada alumno en escala logarítmica, sobre la curva de referencia; en rojo "
                            f"las que no llegan a MSE menor que {CONVERGED_BELOW}",
        "class_curves_caption": f"El <code>mse_history</code> que dejó cada alumno en la celda del gráfico; en rojo, los "
                                f"que no llegan a MSE &lt; {CONVERGED_BELOW}. La línea punteada es el SGD del autograder.",
        "curves_title": "MSE por epoch",
        "curves_alt": "Curvas de MSE por epoch en escala logarítmica: el mse_history del alumno, su train con las "
                      "derivadas correctas del autograder y la referencia",
        "curves_caption": "Su <code>mse_history</code> (celda del gráfico, con sus propias derivadas), su <code>train</code> "
                          "corrido por el autograder con derivadas correctas, y la referencia del autograder.",
        "details_title": "Derivadas incorrectas",
    },
    cell_titles={"test_gradients": "derivadas", "test_sgd": "SGD", "test_plot": "gráfico"},
    fill_source=selfcheck.fill,
    examples=tuple(f"tests/assignments/xor_sgd/corpus/{name}.py" for name in (
        "wrong_slide_typo_W1_11", "wrong_sign_W2_12", "sgd_gradient_ascent", "plot_none", "hostile_patch_numpy")),
)
