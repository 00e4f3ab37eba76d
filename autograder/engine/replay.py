"""A training run that the grader served, read on its side: the parameters at each call of the student's
derivative function, the gradient the grader gave back, and what the training function returned. An
assignment whose training the grader serves subclasses Replay with what its run's answer holds (its
interview logs `theta`, `grad`, `lr` and `n_epochs`)."""
import numpy as np

from .verdict import failed


def format_small(value):
    """A loss for feedback: 2 digits, or '< 1e-12' once it is round-off (which differs from machine to machine)."""
    return f"{value:.2g}" if value >= 1e-12 else "< 1e-12"


def not_run(runs, why, points, function, call):
    """Every check failed, when the training question got no answer or the training function (the cell
    `function`) raised (call(run): how it was called, in the notebook's terms); None when there is a run to judge."""
    if not runs or not runs[0]["answer"].ok:
        reason = why(runs[0]["answer"], function) if runs else "no se preguntó"
        return [failed(name, value, f"No se pudo evaluar {function}: {reason}.", diagnosis="not_evaluated")
                for name, value in points.items()]
    data = runs[0]["answer"].data
    if "error" in data:
        where = f" ({data['where']})" if data.get("where") else ""
        text = f"{call(runs[0])} falló: {data['error']}{where}."
        return [failed(name, value, text, diagnosis="train_raised") for name, value in points.items()]
    return None


class Replay:
    """One logged training run, checked against the grader's own arithmetic: theta and grad (one row per
    call), lr, and the parameters the training function returned as one row (or None)."""

    def __init__(self, run, returned):
        self.run, self.lr, self.n_epochs = run, float(run["lr"]), int(run["n_epochs"])
        self.theta, self.grad, self.returned = run["theta"], run["grad"], returned
        self.history = run["answer"].data.get("history")

    @property
    def calls(self):
        return len(self.theta)

    def after_steps(self, returned=True):
        """Parameters after each logged call: the next call's, and after the last the returned ones
        (returned=True) or the last call's plus a correct step (returned=False)."""
        last = self.returned if returned else self.theta[-1] - self.lr * self.grad[-1]
        return np.vstack([self.theta[1:], last[None, :]])

    def step_errors(self):
        """|observed step − (−lr·∇L)| per call and parameter, relative to the parameters' size."""
        with np.errstate(all="ignore"):  # a run that blew up has inf and NaN steps: they are simply wrong
            step = self.after_steps() - self.theta
            return np.abs(step + self.lr * self.grad) / (1.0 + np.abs(self.theta))
