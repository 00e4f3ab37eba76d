"""The one grading logic: plan the probes, observe the submission in a sandbox, judge every check.

The command line, the nbgrader preprocessor and the Classroom steps all call `grade_many`.
"""
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import gradient_checks, plot_checks, sgd_checks
from .sandbox.limits import Limits
from .submission import SubmissionError, load, locked_sources, restore_locked
from .verdict import failed

CHECK_POINTS = {
    **{name: gradient_checks.POINTS_EACH for name in gradient_checks.CHECK_NAMES},
    **sgd_checks.POINTS,
    plot_checks.NAME: plot_checks.POINTS,
}
MAX_SCORE = float(sum(CHECK_POINTS.values()))
# The nbgrader test cell that reports each check: its points are the sum of its checks'.
TEST_CELLS = {
    "test_gradients": gradient_checks.CHECK_NAMES,
    "test_sgd": tuple(sgd_checks.POINTS),
    "test_plot": (plot_checks.NAME,),
}


LIMITS = Limits()


@dataclass
class Result:
    """The graded checks of one submission, or the reason it could not be read."""

    path: str
    checks: list = field(default_factory=list)
    error: str = ""
    observation: dict = field(default=None, repr=False)  # what the sandbox saw (untrusted): outputs, curves
    submission: object = field(default=None, repr=False)  # the code cells that were graded
    restored: list = field(default_factory=list)  # locked cells the student had changed, graded as released

    @property
    def score(self):
        return float(sum(check.score for check in self.checks))

    @property
    def max_score(self):
        return MAX_SCORE

    def curves(self):
        """What the reports draw: see `curves`."""
        return curves(self.observation or {})

    def as_dict(self):
        """The JSON report: score, max_score and every check."""
        report = {"score": self.score, "max_score": self.max_score, "checks": [c.as_dict() for c in self.checks]}
        if self.error:
            report["error"] = self.error
        return report


def make_plan(submission, hidden=True, outputs=False):
    """What the sandbox runs and probes for one submission (with outputs=True, also what each cell shows)."""
    return {
        "cells": [{"source": cell.source, "grade_id": cell.grade_id} for cell in submission.cells],
        "gradient_points": gradient_checks.plan_points(submission.fingerprint(), hidden),
        "train_runs": sgd_checks.plan_runs(),
        "converged_below": sgd_checks.CONVERGED_BELOW,
        "outputs": outputs,
    }


CHECK_MODULES = ((gradient_checks, gradient_checks.CHECK_NAMES), (sgd_checks, tuple(sgd_checks.POINTS)),
                 (plot_checks, (plot_checks.NAME,)))
UNREADABLE_REPORT = ("El autograder no pudo interpretar lo que informó el notebook ({error}); ¿se modificó el "
                     "mecanismo de corrección?")


def judge(submission, observation, hidden=True):
    """Every check's verdict from what the sandbox observed. The observation comes from student code's own
    process: a part of it that does not have the expected shape fails its checks, never the grader."""
    if observation.get("sandbox_error"):
        return [failed(name, points, f"No se corrigió: el sandbox no aplica en el servidor ({observation['sandbox_error']}).")
                for name, points in CHECK_POINTS.items()]
    checks = []
    for module, names in CHECK_MODULES:
        try:
            if module is gradient_checks:
                checks += module.evaluate(observation, submission.fingerprint(), hidden)
            else:
                checks += module.evaluate(observation)
        except Exception as error:
            reason = UNREADABLE_REPORT.format(error=type(error).__name__)
            checks += [failed(name, CHECK_POINTS[name], reason) for name in names]
    return with_context(checks, observation)


def curves(observation):
    """(their own mse_history from the plot cell, made with their derivatives; their train's history with the
    grader's derivatives), each a list or None: read from an untrusted observation, so every level is checked."""
    plot = observation.get("plot") if isinstance(observation.get("plot"), dict) else {}
    train = observation.get("train") if isinstance(observation.get("train"), dict) else {}
    runs = train.get("runs") if isinstance(train.get("runs"), list) else []
    first = runs[0] if runs and isinstance(runs[0], dict) else {}
    own, corrected = plot.get("history"), first.get("history")
    return (own if isinstance(own, list) else None), (corrected if isinstance(corrected, list) else None)


def own_curve_solves(observation):
    """Whether the student's own mse_history ends below sgd_checks.CONVERGED_BELOW."""
    own, _ = curves(observation)
    return bool(own) and isinstance(own[-1], float) and own[-1] < sgd_checks.CONVERGED_BELOW


def with_context(checks, observation):
    """Say where one check's verdict depends on another's: train is graded with the grader's derivatives, so
    a student whose derivatives are wrong can pass sgd:converges while their own curve stays flat. Only a
    passed check needs the note: a failed one already says what went wrong."""
    wrong = [f"∂L/∂{c.name.split(':')[1]}" for c in checks if c.name.startswith("gradient:") and c.score < c.max_score]
    if not wrong:
        return checks
    flat = not own_curve_solves(observation)
    named = ", ".join(wrong) if len(wrong) <= 3 else f"{len(wrong)} derivadas"
    note = (f" Ojo: el autograder corrió tu train con sus derivadas correctas, para no descontarte dos veces el error "
            f"de {named} (ver arriba). Con tus derivadas, tu propia curva "
            + ("no llega a resolver XOR: por eso tu gráfico no baja." if flat
               else f"igual llega a MSE < {sgd_checks.CONVERGED_BELOW}, pero por otro camino que el de la derivada "
                    "exacta."))
    plot_note = (f" Tu curva no llega a MSE < {sgd_checks.CONVERGED_BELOW} porque usa tus derivadas, y " + named
                 + (" está mal." if len(wrong) == 1 else " están mal.")) if flat else ""
    notes = {"sgd:converges": note, plot_checks.NAME: plot_note}
    return [replace(c, feedback=c.feedback + notes[c.name]) if c.name in notes and c.score == c.max_score else c
            for c in checks]


def unreadable(path, message):
    """A result for a file that is not a notebook: every check at 0, with the reason."""
    checks = [failed(name, points, "No se pudo leer el notebook.") for name, points in CHECK_POINTS.items()]
    return Result(path, checks, message)


def release_locked_cells():
    """The release's locked cells (grade_id -> source): beside the vendored grader in a Classroom repository,
    else in the course's release notebook; none when neither is there."""
    here = Path(__file__).resolve().parent
    vendored = here.parent / "locked_cells.json"
    if vendored.exists():
        return json.loads(vendored.read_text(encoding="utf-8"))
    from .examples import RELEASE

    return locked_sources(load(str(RELEASE))) if RELEASE.exists() else {}


def grade_many(items, jobs=1, hidden=True, limits=LIMITS, outputs=False, strict=False):
    """Grade (path or Submission) items, `jobs` at a time; yield (index, Result) in the order they finish.
    A file's locked cells are graded as released (what nbgrader does before autograde): a Submission is
    graded as it is."""
    submissions, restored, locked = {}, {}, None
    for index, item in enumerate(items):
        try:
            if isinstance(item, str):
                locked = release_locked_cells() if locked is None else locked
                submissions[index], restored[index] = restore_locked(load(item), locked)
            else:
                submissions[index] = item
        except SubmissionError as error:
            yield index, unreadable(str(item), str(error))
    from .sandbox.runner import observe_many

    plans = [(index, make_plan(sub, hidden, outputs)) for index, sub in submissions.items()]
    for index, observation in observe_many(plans, jobs, limits, strict):
        submission = submissions[index]
        checks = judge(submission, observation, hidden)
        yield index, Result(submission.path, checks, observation=without_logs(observation), submission=submission,
                            restored=restored.get(index, []))


def without_logs(observation):
    """The observation without the training logs (about 1 MB per run): judged already, not kept for a batch."""
    train = observation.get("train")
    if isinstance(train, dict) and isinstance(train.get("runs"), list):
        runs = [{key: value for key, value in run.items() if key != "log"} if isinstance(run, dict) else run
                for run in train["runs"]]
        observation = dict(observation, train=dict(train, runs=runs))
    return observation


def grade(item, hidden=True, outputs=False):
    """Grade one path or Submission."""
    return next(grade_many([item], 1, hidden, outputs=outputs))[1]
