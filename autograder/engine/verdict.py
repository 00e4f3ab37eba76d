"""Check results: what one check earned, and why, in Spanish."""
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
