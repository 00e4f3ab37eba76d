"""What the grader asks a sandboxed notebook once its cells have run, and what it gets back.

An assignment's interview is a generator: it yields a `Question`, receives an `Answer`, and decides the
next question from it. The runner carries each question to the child, which answers it in a fork made
after the cells (so questions never see each other's state), and brings back one answer:

    answer = yield Question("evaluate", {"points": points}, validate=valid_values)

`validate` turns the child's JSON into clean data or raises ValueError: a malformed answer is evidence of
tampering, never data. `serve`, when given, answers the child's requests during the question with the
grader's own numbers (e.g. the exact derivatives while a student's training loop runs), and keeps its own log.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    """One question: the child's handler `kind`, its JSON `data`, how to validate the answer, and an
    optional server for the child's requests while it answers (values in, values out; None stops it)."""

    kind: str
    data: dict = field(default_factory=dict)
    validate: object = None
    serve: object = None


@dataclass(frozen=True)
class Answer:
    """What came back: the validated `data`, or a `failure` ("timeout", "died", "error", "skipped",
    "manipulated", "output") with the child's one-line `error`."""

    data: object = None
    failure: str = ""
    error: str = ""

    @property
    def ok(self):
        return not self.failure


FAILURE_TEXTS = {  # what a student reads when a question got no answer
    "timeout": "no terminó a tiempo (¿un bucle infinito?)",
    "died": "terminó el proceso sin responder (¿os._exit, un crash o demasiada memoria?)",
    "output": "produjo una salida demasiado grande",
    "skipped": "no se pudo preguntar: el notebook no llegó a responder preguntas",
    "left_out": "no se corrió: una celda anterior se colgó cuando ya no quedaba tiempo de espera",
    "manipulated": "el notebook interfirió con el mecanismo de corrección",
}
