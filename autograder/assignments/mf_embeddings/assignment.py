"""The embeddings exercise, declared once for the engine: its checks, cells, questions, judges and diagnoses."""
from dataclasses import replace

from ...engine.assignment import Assignment, CheckSpec
from . import charts, descent, gradients, interview, plot, selfcheck
from .diagnoses import DIAGNOSES, NOT_ATTEMPTED
from .interview import CONVERGED_BELOW

CHECKS = (*(CheckSpec(name, points, "test_gradients") for name, points in zip(gradients.CHECK_NAMES,
                                                                               gradients.POINTS.values())),
          *(CheckSpec(name, points, "test_train") for name, points in descent.POINTS.items()),
          CheckSpec(plot.NAME, plot.POINTS, "test_plot"))


def judge(evidence, why):
    """Every check, in order, with the notes that say where one verdict depends on another."""
    checks = gradients.judge(evidence, why) + descent.judge(evidence, why) + plot.judge(evidence, why)
    return with_context(checks, evidence)


def with_context(checks, evidence):
    """train is graded with the grader's derivatives: a student whose derivatives are wrong can pass
    gd:converges while their own curve does not fit R. Only a passed check needs the note."""
    wrong = [f"∂L/∂{c.name[-1]}" for c in checks if c.name.startswith("gradient:") and c.score < c.max_score
             and c.diagnosis not in ("needs_review", "manipulated")]
    if not wrong:
        return checks
    own, _ = charts.curves(evidence)
    flat = not (own and own[-1] < CONVERGED_BELOW)
    named = " y ".join(wrong)
    note = (f" Ojo: el autograder corrió tu train con sus derivadas correctas, para no descontarte dos veces el error "
            f"de {named} (ver arriba). Con tus derivadas, tu propia curva "
            + ("no llega a ajustar R: por eso tu gráfico no baja." if flat
               else f"igual llega a L < {CONVERGED_BELOW}, pero por otro camino que el de la derivada exacta."))
    plot_note = (f" Tu curva no llega a L < {CONVERGED_BELOW} porque usa tus derivadas, y {named} "
                 + ("está mal." if len(wrong) == 1 else "están mal.")) if flat else ""
    notes = {"gd:converges": note, plot.NAME: plot_note}
    return [replace(c, feedback=c.feedback + notes[c.name]) if c.name in notes and c.score == c.max_score else c
            for c in checks]


ASSIGNMENT = Assignment(
    name="mf_embeddings",
    title="Embeddings de usuarios y películas por descenso por gradiente",
    checks=CHECKS,
    answer_cells=("gradients", "train", "plot_loss"),
    child=f"{__package__}.child",
    interview=interview.interview,
    judge=judge,
    diagnoses=DIAGNOSES,
    derived=("gradients",),
    curves=charts.curves,
    chart=charts.training_curves,
    class_chart=charts.class_curves,
    picture_cell="test_train",
    not_attempted=frozenset(NOT_ATTEMPTED),
    texts={
        "class_curves_alt": "El loss_history de cada alumno en escala logarítmica, sobre la curva de referencia; en rojo "
                            f"las que no llegan a L menor que {CONVERGED_BELOW}",
        "class_curves_caption": f"El <code>loss_history</code> que dejó cada alumno en la celda del gráfico; en rojo, los "
                                f"que no llegan a L &lt; {CONVERGED_BELOW}. La línea punteada es el descenso del autograder.",
        "curves_title": "L por epoch",
        "curves_alt": "Curvas de L por epoch en escala logarítmica: el loss_history del alumno, su train con las "
                      "derivadas correctas del autograder y la referencia",
        "curves_caption": "Su <code>loss_history</code> (celda del gráfico, con sus propias derivadas), su "
                          "<code>train</code> corrido por el autograder con derivadas correctas, y la referencia del "
                          "autograder.",
        "details_title": "Derivadas incorrectas",
    },
    cell_titles={"test_gradients": "derivadas", "test_train": "descenso", "test_plot": "gráfico"},
    fill_source=selfcheck.fill,
    examples=tuple(f"tests/assignments/mf_embeddings/corpus/{name}.py" for name in (
        "wrong_with_missing", "wrong_factor_2", "gd_u_before_di", "plot_none")),
)
