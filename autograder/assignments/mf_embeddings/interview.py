"""The questions the grader asks an mf_embeddings notebook after its cells ran, in order, and what it keeps.

1. gradients: the student's (dU, dI) at the visible points and at hidden ones, which exist only here until
   this question is asked (seeded by the submission's code, so a submission always meets the same).
2. train: one run of `train(R, lr=LR, n_epochs=N_EPOCHS, seed=SEED)` at the graded settings, which are not
   the notebook's (a loop that reads the globals LR or N_EPOCHS, or always starts from seed 0, shows it).
   Every call the student's train makes to `gradients` comes here: the grader serves its own exact
   derivatives and keeps the log of (U, I, R) and what it returned. Full-batch gradient descent from a
   given seed is deterministic, so one run decides (benchmarks/mf_convergence.py).
3. plot: what the plot cell drew, the global loss_history, and what its trace recorded.

Every answer is validated here before anything reads it; a malformed one is tampering (sandbox/runner.py).
"""
import numpy as np

from ...sandbox import channel
from ...sandbox.questions import Question
from . import model, training
from .given import K, N_ITEMS, N_USERS, R

LR, N_EPOCHS, SEED = 0.015, 700, 1  # the graded run: not the notebook's LR = 0.02, N_EPOCHS = 500, seed 0
CONVERGED_BELOW = 1e-6  # L after training; see benchmarks/mf_convergence.py
PRECISION_RATING = 1e8  # |R_ui| of the huge rating of a precision point, times U(1, 10): its mark
VISIBLE_RANDOM, VISIBLE_PRECISION = 1, 2
HIDDEN_RANDOM, HIDDEN_PRECISION = 4, 4
VISIBLE_POINTS = 2 + VISIBLE_RANDOM + VISIBLE_PRECISION  # R with init_embeddings(0) and (1), random, precision
MAX_SERIES = 100_000  # values of one history or line the grader reads
MAX_CALLS = 20_000  # gradients calls of the plot cell the grader reads
TRACE_WIDTH = 2 * model.N_PARAMS + 1  # a recorded call: U, I, whether R was the given one, dU, dI
CALLS_PER_EPOCH = 2  # the most a loop may call gradients per epoch before the grader stops serving it


# --- the points ---------------------------------------------------------------------------------------------------
def plan_points(fingerprint, hidden=True):
    """The points (U, I, R) where derivatives are compared, as nested lists: visible ones, plus hidden ones
    seeded per submission."""
    points = [(*model.init_embeddings(seed), R) for seed in (0, 1)]
    visible = np.random.default_rng(2025)
    points += random_points(visible, VISIBLE_RANDOM) + precision_points(visible, VISIBLE_PRECISION)
    if hidden:  # seeded by the code itself: the same submission always meets the same hidden points
        rng = np.random.default_rng(int(fingerprint[:15], 16))
        points += random_points(rng, HIDDEN_RANDOM) + precision_points(rng, HIDDEN_PRECISION)
    return [tuple(np.asarray(a, dtype=float).tolist() for a in point) for point in points]


def ratings(rng, missing=(6, 12)):
    """A ratings matrix of half stars (0.5 … 5) with a random number of missing entries (0) in `missing`,
    and at least one observed rating in every row and column."""
    while True:
        values = rng.integers(1, 11, size=(N_USERS, N_ITEMS)) / 2
        values.reshape(-1)[rng.choice(values.size, rng.integers(*missing), replace=False)] = 0.0
        if (values != 0).any(axis=0).all() and (values != 0).any(axis=1).all():
            return values


def random_points(rng, count):
    """Random (U, I, R): entries of U and I in [−2, 2] with 2 decimals (short literals in the notebook)."""
    return [(np.round(rng.uniform(-2, 2, (N_USERS, K)), 2), np.round(rng.uniform(-2, 2, (N_ITEMS, K)), 2),
             ratings(rng)) for _ in range(count)]


def precision_points(rng, count):
    """Random (U, I, R) where derivatives are exact to ~1e-16 and finite differences are not (gradients.py):
    ratings of half stars and one observed rating of ±(1…10)·1e8."""
    points = []
    for _ in range(count):
        users = signed(rng, 0.5, 2, (N_USERS, K))
        items = signed(rng, 0.5, 2, (N_ITEMS, K))
        values = ratings(rng)
        observed = np.argwhere(values != 0)
        u, i = observed[rng.integers(len(observed))]
        values[u, i] = float(f"{signed(rng, 1, 10, 1)[0] * PRECISION_RATING:.3g}")
        points.append((significant(users, 2), significant(items, 2), values))
    return points


def is_precision(points):
    """Which points are precision points (they hold a huge rating): a boolean array."""
    return np.array([np.abs(np.asarray(point[2])).max() >= PRECISION_RATING for point in points])


def signed(rng, low, high, size):
    """Values of random sign and magnitude U(low, high)."""
    return rng.choice((-1.0, 1.0), size) * rng.uniform(low, high, size)


def significant(values, digits):
    """Floats rounded to `digits` significant digits."""
    return np.vectorize(lambda v: float(f"{v:.{digits}g}"))(values)


# --- the grader's server for a train run ------------------------------------------------------------------------
class GradientServer:
    """Serves the exact derivatives of the grader's loss to a sandboxed train, and keeps the log of each
    call: (U, I, R) asked and (dU, dI) given. At most `limit` calls: a loop beyond CALLS_PER_EPOCH per
    epoch is cut."""

    WIDTH = model.N_PARAMS + N_USERS * N_ITEMS

    def __init__(self, limit):
        self.limit, self.asked, self.given = limit, [], []

    def __call__(self, values):
        if len(values) != self.WIDTH or len(self.asked) >= self.limit:
            return None
        users, items, rated = model.split(np.array(values[:model.N_PARAMS])) + (np.array(values[model.N_PARAMS:]),)
        dU, dI = model.exact_gradient(users, items, rated.reshape(N_USERS, N_ITEMS))
        given = model.flat(dU, dI).tolist()
        self.asked.append(values)
        self.given.append(given)
        return given

    def log(self):
        """(θ (C, 22): U and I flattened, ratings (C, 30), gradients (C, 22)) as float arrays."""
        asked = np.array(self.asked, dtype=float).reshape(-1, self.WIDTH)
        return (asked[:, :model.N_PARAMS], asked[:, model.N_PARAMS:],
                np.array(self.given, dtype=float).reshape(-1, model.N_PARAMS))


# --- validators of the answers -------------------------------------------------------------------------------------
def matrix(size):
    """The validator of one returned matrix: its `size` numbers, or a short text saying what came instead."""
    def validate(item):
        if isinstance(item, str):
            return channel.text(item, 60)
        values = channel.numbers(item, size)
        return values
    return validate


def valid_gradients(count):
    """The validator of a gradients answer at `count` points."""
    def result(item):
        return channel.mapping(item, {"dU": matrix(model.N_U), "dI": matrix(model.N_I),
                                      "calls": lambda v: channel.mapping(v, {"loss": channel.integer}),
                                      "dtypes": lambda v: channel.listing(v, lambda t: channel.text(t, 20), 5),
                                      "error": channel.text, "where": channel.text})

    def validate(data):
        data = channel.mapping(data, {"missing": channel.text, "results": lambda v: channel.listing(v, result, count)})
        if "results" in data:
            if len(data["results"]) != count:
                raise channel.Malformed("no responde en cada punto")
            for item in data["results"]:
                if "error" not in item and not ("dU" in item and "dI" in item):
                    raise channel.Malformed("un punto sin valores ni error")
        elif "missing" not in data:
            raise channel.Malformed("una respuesta vacía")
        return data
    return validate


def valid_train(data):
    """A train answer: {error, where} or {U: 12 numbers, I: 10 numbers, history: series or None, history_type}."""
    data = channel.mapping(data, {"error": channel.text, "where": channel.text,
                                  "U": lambda v: channel.numbers(v, model.N_U),
                                  "I": lambda v: channel.numbers(v, model.N_I),
                                  "history": lambda v: None if v is None else channel.floats64(v, MAX_SERIES),
                                  "history_type": lambda v: channel.text(v, 40)})
    if "error" not in data and not ("U" in data and "I" in data):
        raise channel.Malformed("una respuesta de train vacía")
    return data


def valid_plot(data):
    """A plot answer: figures (line values packed), the global loss_history, the trace of the plot cell."""
    def train(item):
        return channel.mapping(item, {"start": channel.integer, "end": channel.integer,
                                      "returned": lambda v: channel.numbers(v, model.N_PARAMS),
                                      "history": lambda v: None if v is None else channel.floats64(v, MAX_SERIES)})

    data = channel.mapping(data, {"figures": lambda v: channel.figures(v, MAX_SERIES),
                                  "history": lambda v: None if v is None else channel.floats64(v, MAX_SERIES),
                                  "history_type": lambda v: channel.text(v, 40),
                                  "calls": lambda v: channel.floats64(v, MAX_CALLS * TRACE_WIDTH),
                                  "trains": lambda v: channel.listing(v, train, 20),
                                  "truncated": lambda v: v is True})
    if len(data.get("calls", ())) % TRACE_WIDTH:
        raise channel.Malformed("una traza mal formada")
    data["calls"] = data.get("calls", np.zeros(0)).reshape(-1, TRACE_WIDTH)
    for item in data.get("trains", []):
        if not 0 <= item.get("start", -1) <= item.get("end", -1) <= len(data["calls"]):
            raise channel.Malformed("una traza con índices fuera de rango")
    return data


# --- the interview ---------------------------------------------------------------------------------------------------
def returned_of(answer):
    """The 22 entries train returned, or None."""
    if not answer.ok or "U" not in answer.data:
        return None
    return np.array(answer.data["U"] + answer.data["I"], dtype=float)


def converged(run):
    """The grader's own L of the returned (U, I) when the run is a training from its log that took steps,
    inf when it blew up, else None."""
    returned = returned_of(run["answer"])
    if returned is None or training.explain(run["theta"], run["grad"], run["ratings"], returned):
        return None
    if training.sane_calls(run["theta"], run["grad"]) < len(run["theta"]):
        return float("inf")  # it blew up: what it returned after that is not where a training ended
    if not training.steps(run["theta"], run["grad"], returned):
        return None  # no step was taken: whatever it returned was not reached by this training
    users, items = model.split(returned)
    return float(model.loss_batch(users[None], items[None], R)[0])


def interview(submission, hidden=True):
    """Ask the gradients, the train run and the plot; return what came back."""
    points = plan_points(submission.fingerprint(), hidden)
    gradients = yield Question("gradients", {"points": points}, valid_gradients(len(points)))
    server = GradientServer(CALLS_PER_EPOCH * N_EPOCHS + 64)
    answer = yield Question("train", {"lr": LR, "n_epochs": N_EPOCHS, "seed": SEED, "rng_seed": 1000 + SEED},
                            valid_train, server)
    theta, rated, grad = server.log()
    run = {"lr": LR, "n_epochs": N_EPOCHS, "seed": SEED, "answer": answer, "theta": theta, "ratings": rated,
           "grad": grad}
    run["loss"] = converged(run)
    plot = yield Question("plot", {}, valid_plot)
    return {"points": points, "gradients": gradients, "runs": [run], "plot": plot}
