"""The questions the grader asks a XOR notebook after its cells ran, in order, and what it keeps of them.

1. gradients: the student's derivatives at the visible points and at hidden ones, which exist only here
   until this question is asked (seeded by the submission's code, so a submission always meets the same).
2. train: one run of `train(X, y, LR, N_EPOCHS, seed)` at a time, seeds 0…4, stopping at the first that
   the grader finds converged. Every call the student's train makes to `gradients` comes here: the grader
   serves its own exact gradient and keeps the log of (θ, x, y) and what it returned.
3. plot: what the plot cell drew and what its trace recorded.

Every answer is validated here before anything reads it; a malformed one is tampering (sandbox/runner.py).
"""
import numpy as np

from ...sandbox import channel
from ...sandbox.questions import Question
from . import model, training
from .given import PARAM_NAMES

LR, N_EPOCHS, SEEDS = 0.3, 2000, (0, 1, 2, 3, 4)
CONVERGED_BELOW = 0.01
PRECISION_BIAS = 1e6  # |b2_1| of a precision point, times U(1, 10)
PRECISION_TARGET = 1e8  # |y| of a precision point, times U(1, 10): the mark of a precision point
VISIBLE_PRECISION, HIDDEN_PRECISION, HIDDEN_RANDOM = 2, 4, 6
VISIBLE_POINTS = 8 + 2 + VISIBLE_PRECISION  # XOR at init_params(0) and (1), 2 random, 2 precision
MAX_SERIES = 100_000  # values of one history or line the grader reads
MAX_CALLS = 50_000  # gradients calls of the plot cell the grader reads


# --- the points ---------------------------------------------------------------------------------------------------
def plan_points(fingerprint, hidden=True):
    """The points where derivatives are compared: visible ones, plus hidden ones seeded per submission."""
    points = [(model.init_params(seed), x, y) for seed in (0, 1) for x, y in zip(model.X_XOR, model.Y_XOR)]
    points = [([p[n] for n in PARAM_NAMES], x.tolist(), float(y)) for p, x, y in points]
    visible = np.random.default_rng(2025)
    points += random_points(visible, 2) + precision_points(visible, VISIBLE_PRECISION)
    if hidden:  # seeded by the code itself: the same submission always meets the same hidden points
        rng = np.random.default_rng(int(fingerprint[:15], 16))
        points += random_points(rng, HIDDEN_RANDOM) + precision_points(rng, HIDDEN_PRECISION)
    return points


def random_points(rng, count):
    """Random (theta, x, y) with |θ| ≤ 3, where a textbook sigmoid does not overflow; 2 decimals, to print."""
    return [(rounded(rng.uniform(-3, 3, 9), 2), rounded(rng.uniform(-2, 2, 2), 2), rounded([rng.uniform(-1, 2)], 2)[0])
            for _ in range(count)]


def precision_points(rng, count):
    """Random (theta, x, y) where derivatives are exact to ~1e-15 and finite differences are not (gradients.py)."""
    points = []
    for _ in range(count):
        # |W1|, |b1| ≤ 1 and |x| ≤ 1 keep |z| ≤ 3; |W2| ≥ 0.5 and |x| ≥ 0.5 keep every derivative far from 0.
        weights = signed(rng, 0.1, 1, 6).tolist() + signed(rng, 0.5, 3, 2).tolist()
        bias = signed(rng, 1, 10, 1)[0] * PRECISION_BIAS
        x, y = signed(rng, 0.5, 1, 2), signed(rng, 1, 10, 1)[0] * PRECISION_TARGET
        points.append((significant(weights, 2) + significant([bias], 3), significant(x, 2), significant([y], 3)[0]))
    return points


def signed(rng, low, high, size):
    """`size` values of random sign and magnitude U(low, high)."""
    return rng.choice((-1.0, 1.0), size) * rng.uniform(low, high, size)


def rounded(values, decimals):
    """Python floats rounded to `decimals`: short literals in the notebook."""
    return [round(float(v), decimals) for v in values]


def significant(values, digits):
    """Python floats rounded to `digits` significant digits."""
    return [float(f"{float(v):.{digits}g}") for v in values]


def plan_runs():
    """(lr, n_epochs, seed, seed for random and np.random) of each training run, in order."""
    return [(LR, N_EPOCHS, seed, 1000 + seed) for seed in SEEDS]


# --- the grader's server for a train run ------------------------------------------------------------------------
class GradientServer:
    """Serves the exact gradient of the grader's loss to a sandboxed train, and keeps the log of each call:
    (θ, x, y) asked and the gradient given. At most `limit` calls: a loop beyond SGD's 4 per epoch is cut."""

    def __init__(self, limit):
        self.limit, self.asked, self.given = limit, [], []

    def __call__(self, values):
        if len(values) != 12 or len(self.asked) >= self.limit:
            return None
        gradient = model.exact_gradient(values[:9], values[9:11], values[11])
        self.asked.append(values)
        self.given.append(gradient)
        return gradient

    def log(self):
        """(θ (K, 9), samples (K, 3), gradients (K, 9)) as float arrays."""
        asked = np.array(self.asked, dtype=float).reshape(-1, 12)
        return asked[:, :9], asked[:, 9:], np.array(self.given, dtype=float).reshape(-1, 9)


# --- validators of the answers -------------------------------------------------------------------------------------
def valid_gradients(count):
    """The validator of a gradients answer at `count` points."""
    def value(item):
        return channel.text(item, 40) if isinstance(item, str) else channel.number(item)

    def calls(item):
        return channel.mapping(item, {"forward": channel.integer, "sigmoid": channel.integer})

    def result(item):
        return channel.mapping(item, {"values": lambda v: [value(x) for x in channel.listing(v, lambda e: e, 9)],
                                      "calls": calls, "dtypes": lambda v: channel.listing(v, channel.text, 5),
                                      "error": channel.text, "where": channel.text})

    def validate(data):
        data = channel.mapping(data, {"missing": channel.text, "results": lambda v: channel.listing(v, result, count)})
        if "results" in data:
            if len(data["results"]) != count:
                raise channel.Malformed("no responde en cada punto")
            for item in data["results"]:
                if "values" in item and len(item["values"]) != 9:
                    raise channel.Malformed("no trae las 9 derivadas")
                if "values" not in item and "error" not in item:
                    raise channel.Malformed("un punto sin valores ni error")
        elif "missing" not in data:
            raise channel.Malformed("una respuesta vacía")
        return data
    return validate


def valid_train(data):
    """A train answer: {error, where} or {params: 9 numbers, history: series or None}."""
    data = channel.mapping(data, {"error": channel.text, "where": channel.text,
                                  "params": lambda v: channel.numbers(v, 9),
                                  "history": lambda v: None if v is None else channel.floats64(v, MAX_SERIES)})
    if "error" not in data and "params" not in data:
        raise channel.Malformed("una respuesta de train vacía")
    return data


def valid_plot(data):
    """A plot answer: figures (line values packed), the global mse_history, the trace of the plot cell."""
    def train(item):
        return channel.mapping(item, {"start": channel.integer, "end": channel.integer,
                                      "params": lambda v: channel.numbers(v, 9),
                                      "history": lambda v: None if v is None else channel.floats64(v, MAX_SERIES)})

    data = channel.mapping(data, {"figures": lambda v: channel.figures(v, MAX_SERIES),
                                  "history": lambda v: None if v is None else channel.floats64(v, MAX_SERIES),
                                  "history_type": lambda v: channel.text(v, 40),
                                  "calls": lambda v: channel.floats64(v, MAX_CALLS * 21),
                                  "trains": lambda v: channel.listing(v, train, 20),
                                  "truncated": lambda v: v is True})
    if len(data.get("calls", ())) % 21:
        raise channel.Malformed("una traza mal formada")
    data["calls"] = data.get("calls", np.zeros(0)).reshape(-1, 21)
    for item in data.get("trains", []):
        if not 0 <= item.get("start", -1) <= item.get("end", -1) <= len(data["calls"]):
            raise channel.Malformed("una traza con índices fuera de rango")
    return data


# --- the interview ---------------------------------------------------------------------------------------------------
def converged(run):
    """The grader's own MSE of a run's returned θ when the run is a training from its log, else None."""
    answer = run["answer"]
    if not answer.ok or "params" not in answer.data:
        return None
    returned = np.array(answer.data["params"], dtype=float)
    if training.explain(run["theta"], run["grad"], run["samples"], returned):
        return None
    if training.sane_calls(run["theta"], run["grad"]) < len(run["theta"]):
        return float("inf")  # it blew up: what it returned after that is not where a training ended
    with np.errstate(all="ignore"):
        return float(model.mse_batch(returned[None, :])[0])


def interview(submission, hidden=True):
    """Ask the gradients, the train runs (until one converges) and the plot; return what came back."""
    points = plan_points(submission.fingerprint(), hidden)
    gradients = yield Question("gradients", {"points": points}, valid_gradients(len(points)))
    runs = []
    for lr, n_epochs, seed, rng_seed in plan_runs():
        server = GradientServer(4 * n_epochs + 64)
        answer = yield Question("train", {"lr": lr, "n_epochs": n_epochs, "seed": seed, "rng_seed": rng_seed},
                                valid_train, server)
        theta, samples, grad = server.log()
        run = {"lr": lr, "n_epochs": n_epochs, "seed": seed, "answer": answer, "theta": theta, "samples": samples,
               "grad": grad}
        run["mse"] = converged(run)
        runs.append(run)
        # Another seed only helps a real training that did not get there (a loop that reshuffles its samples);
        # a run that failed, is not a training or diverged would fail the same way again.
        if run["mse"] is None or not np.isfinite(run["mse"]) or run["mse"] < CONVERGED_BELOW:
            break
    plot = yield Question("plot", {}, valid_plot)
    return {"points": points, "gradients": gradients, "runs": runs, "plot": plot}
