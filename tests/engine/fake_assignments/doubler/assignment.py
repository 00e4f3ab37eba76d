"""The fake assignment's declaration: one cell `double`, one question at hidden points, one check judged here."""
import math
import random

from ...engine.assignment import Assignment, CheckSpec, Diagnosis
from ...engine.verdict import failed, passed
from ...sandbox import channel
from ...sandbox.questions import Question

COUNT = 5  # points where double is evaluated
CHECKS = (CheckSpec("double:values", 2, "test_double"),)
DIAGNOSES = {"adds_instead": Diagnosis("double(x) suma 2 en lugar de multiplicar por 2", "x + 2 en lugar de 2·x"),
             "wrong_values": Diagnosis("double(x) no devuelve 2·x", "valores que no son 2·x")}


def valid(data):
    """An answer: one number per point (None for what was not a number); anything else is tampering."""
    values = channel.mapping(data, {"values": lambda v: channel.listing(v, lambda x: x, COUNT)}).get("values")
    if values is None or len(values) != COUNT:
        raise channel.Malformed("no responde en cada punto")
    return [None if x is None else channel.number(x) for x in values]


def interview(submission, hidden=True):
    """One question: double at points drawn here (seeded by the code), which the child sees only when asked."""
    rng = random.Random(submission.fingerprint() if hidden else "visible")
    points = [round(rng.uniform(-100, 100), 2) for _ in range(COUNT)]
    answer = yield Question("double", {"points": points}, valid)
    return {"points": points, "double": answer}


def judge(evidence, why):
    """double:values, judged here and not in the child: every value is 2x; x + 2 everywhere is a known mistake."""
    (spec,) = CHECKS
    answer, xs = evidence.answers["double"], evidence.answers["points"]
    if not answer.ok:
        return [failed(spec.name, spec.points, f"No se pudo evaluar double: {why(answer, 'double')}.")]
    wrong = [(x, y) for x, y in zip(xs, answer.data) if y is None or not math.isclose(y, 2 * x)]
    if not wrong:
        return [passed(spec.name, spec.points)]
    adds = all(y is not None and math.isclose(y, x + 2) for x, y in zip(xs, answer.data))
    code = "adds_instead" if adds else "wrong_values"
    (x, y), *_ = wrong
    return [failed(spec.name, spec.points, f"{DIAGNOSES[code].student}: double({x}) dio {y}, se esperaba {2 * x}.",
                   hidden=True, diagnosis=code)]


ASSIGNMENT = Assignment(name="doubler", title="Duplicar un número", checks=CHECKS, answer_cells=("double",),
                        child=f"{__package__}.child", interview=interview, judge=judge, diagnoses=DIAGNOSES,
                        cell_titles={"test_double": "duplicar"})
