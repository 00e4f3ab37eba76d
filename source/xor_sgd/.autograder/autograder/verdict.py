"""Check results, and the reasons a probe may have produced nothing."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """The verdict of one named check: points earned out of points possible, and feedback in Spanish.

    `diagnosis` is a stable code for the recognised mistake (None when there is none or it is not known);
    `details` holds the numbers behind the feedback for reports (e.g. expected and obtained values);
    `hidden` marks feedback that shows a hidden test point (Gradescope shows it after publishing)."""

    name: str
    score: float
    max_score: float
    feedback: str
    hidden: bool = False
    diagnosis: str = None
    details: dict = None

    def as_dict(self):
        """The check as the JSON report has it: name, score, max_score, feedback, diagnosis."""
        return {"name": self.name, "score": self.score, "max_score": self.max_score, "feedback": self.feedback,
                "diagnosis": self.diagnosis}


def passed(name, points, feedback="Correcto."):
    """A check that earns all its points."""
    return Check(name, float(points), float(points), feedback)


def failed(name, points, feedback, hidden=False, diagnosis=None, details=None):
    """A check that earns nothing, with the code of the mistake when it is a known one."""
    return Check(name, 0.0, float(points), feedback, hidden, diagnosis, details)


STAGE_FAILURES = {
    "timeout": "no terminó a tiempo (¿un bucle infinito?)",
    "died": "terminó el proceso (¿os._exit, un crash o demasiada memoria?)",
    "output": "produjo una salida demasiado grande",
}


def why_missing(observation, grade_id):
    """Why the probe after the cell `grade_id` reported nothing: one sentence in Spanish."""
    for index, cell in sorted(observation["cells"].items(), key=lambda item: int(item[0])):
        if cell["grade_id"] == grade_id and cell["error"]:
            error = cell["error"]
            place = f" ({error['where']})" if error.get("where") else ""
            return f"la celda '{grade_id}' falló: {error['type']}: {error['message']}{place}"
    stage = f"probe:{grade_id}"
    if stage in observation["probe_errors"]:
        return observation["probe_errors"][stage]
    if stage in observation["failures"]:
        return STAGE_FAILURES.get(observation["failures"][stage], observation["failures"][stage])
    for stage, reason in observation["failures"].items():
        if not stage.startswith("probe:"):
            return f"la celda {int(stage) + 1} {STAGE_FAILURES.get(reason, reason)}"
    if not any(cell["grade_id"] == grade_id for cell in observation["cells"].values()):
        return f"el notebook no tiene la celda '{grade_id}'"
    return "no se pudo evaluar"
