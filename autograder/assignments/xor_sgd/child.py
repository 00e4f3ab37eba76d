"""What runs in the sandbox for XOR: the handlers of the grader's questions, and the plot cell's recorder.

It imports nothing of the grader's side (no exact gradient, no point, no threshold): the zygote loads it
before any submission exists, and student code can reach all of it. A handler calls the student's
functions and sends what they returned; the grader judges.

- gradients: the student's `gradients` at the points the question brings.
- train: the student's `train`, with `gradients` replaced by a stub that asks the grader for each value
  (the grader logs every call and serves its own exact gradient), and with the given functions as given.
- plot: what the plot cell drew, the global `mse_history`, and what the recorder saw while that cell ran:
  each call to `train` and what it returned, and each call to `gradients` with the values it returned.
"""
import random

import numpy as np

from ...sandbox.child import Stop, TimeLimit, as_number, as_series, describe, pack, packed_figures, where
from .given import PARAM_NAMES, X_XOR, Y_XOR, init_params

MAX_CALLS = 50_000  # gradients calls the recorder keeps (12,500 epochs of XOR)


def sigmoid(z):
    """σ(z), as the notebook gives it."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def forward(params, x):
    """ŷ for one sample, as the notebook gives it."""
    z1 = params["W1_11"] * x[0] + params["W1_12"] * x[1] + params["b1_1"]
    z2 = params["W1_21"] * x[0] + params["W1_22"] * x[1] + params["b1_2"]
    return float(params["W2_11"] * sigmoid(z1) + params["W2_12"] * sigmoid(z2) + params["b2_1"])


def number(value):
    """A float from what a student's code holds (fast for floats and numpy's float64), NaN when it is not one."""
    if isinstance(value, float):
        return float(value)
    number = as_number(value)
    return float("nan") if number is None else number


def function(namespace, name):
    """The student's function by name; NameError when the notebook does not define it."""
    candidate = namespace.get(name)
    if not callable(candidate):
        raise NameError(f"no está definida la función {name}()")
    return candidate


# --- the plot cell's recorder ----------------------------------------------------------------------------------
class Trace:
    """While the plot cell runs, `train` and `gradients` in the namespace are wrapped: every call to
    gradients is kept as (θ, x, y, its 9 values), and every call to train as what it returned."""

    def __init__(self, namespace):
        self.namespace, self.calls, self.trains, self.wrapped = namespace, [], [], {}
        for name, wrap in (("gradients", self.wrap_gradients), ("train", self.wrap_train)):
            if callable(namespace.get(name)):
                original = namespace[name]
                namespace[name] = wrap(original)
                self.wrapped[name] = (namespace[name], original)

    def wrap_gradients(self, student):
        calls = self.calls

        def gradients(params, x, y, *args, **kwargs):
            values = student(params, x, y, *args, **kwargs)
            if len(calls) < MAX_CALLS:
                try:
                    row = [number(params[name]) for name in PARAM_NAMES] + [number(x[0]), number(x[1]), number(y)]
                    row += [number(values.get(name)) if hasattr(values, "get") else float("nan") for name in PARAM_NAMES]
                    calls.append(row)
                except Exception:
                    calls.append([float("nan")] * 21)
            return values
        return gradients

    def wrap_train(self, student):
        calls, trains = self.calls, self.trains

        def train(*args, **kwargs):
            start = len(calls)
            returned = student(*args, **kwargs)
            pair = isinstance(returned, (tuple, list)) and len(returned) == 2
            params = returned[0] if pair and hasattr(returned[0], "get") else {}
            trains.append({"start": start, "end": len(calls), "history": as_series(returned[1]) if pair else None,
                           "params": [number(params.get(name)) for name in PARAM_NAMES]})
            return returned
        return train

    def remove(self):
        """Put the student's functions back, unless the cell itself rebound the names."""
        for name, (wrapper, original) in self.wrapped.items():
            if self.namespace.get(name) is wrapper:
                self.namespace[name] = original


def before_cell(child, grade_id):
    if grade_id == "plot_mse":
        child.state["trace"] = Trace(child.namespace)


def after_cell(child, grade_id):
    if grade_id == "plot_mse":
        child.state["trace"].remove()


# --- the handlers ----------------------------------------------------------------------------------------------
def counted(namespace, counts):
    """Replace the given forward and sigmoid with counting wrappers (how a gradients computes matters)."""
    def wrap(name, original):
        def counting(*args, **kwargs):
            counts[name] += 1
            return original(*args, **kwargs)
        return counting

    for name in counts:
        if callable(namespace.get(name)):
            namespace[name] = wrap(name, namespace[name])


def answer_gradients(child, data, link):
    """The student's gradients at each point: 9 values (numbers, or the type of what came), or the error."""
    try:
        gradients = function(child.namespace, "gradients")
    except NameError as error:
        return link.answer({"missing": describe(error)})
    counts = {"forward": 0, "sigmoid": 0}
    counted(child.namespace, counts)
    results = []
    for theta, x, y in data["points"]:
        params = dict(zip(PARAM_NAMES, theta))
        for name in counts:
            counts[name] = 0
        try:
            got = gradients(params, np.array(x), np.float64(y))
        except BaseException as error:
            if isinstance(error, TimeLimit):
                raise
            results.append({"error": describe(error), "where": where(error), "calls": dict(counts)})
            continue
        if not isinstance(got, dict):
            results.append({"error": f"gradients devolvió {type(got).__name__}, no un dict", "calls": dict(counts)})
            continue
        values = []
        for name in PARAM_NAMES:
            value = as_number(got.get(name))
            values.append(value if value is not None else f"<{type(got.get(name)).__name__}>"[:40])
        dtypes = sorted({str(getattr(value, "dtype", type(value).__name__))[:20] for value in got.values()})[:5]
        results.append({"values": values, "calls": dict(counts), "dtypes": dtypes})
    link.answer({"results": results})


def answer_train(child, data, link):
    """One run of the student's train, every gradients call served by the grader; what train returned."""
    try:
        train = function(child.namespace, "train")
    except NameError as error:
        return link.answer({"error": describe(error)})

    def gradients(params, x, y):
        theta = [float(params[name]) for name in PARAM_NAMES]
        sample = [float(x[0]), float(x[1]), float(np.asarray(y, dtype=float).reshape(-1)[0])]
        return dict(zip(PARAM_NAMES, link.serve(theta + sample)))

    child.namespace.update(gradients=gradients, PARAM_NAMES=PARAM_NAMES, init_params=init_params,
                           forward=forward, sigmoid=sigmoid)
    random.seed(data["rng_seed"])
    np.random.seed(data["rng_seed"])
    try:
        returned = train(X_XOR.copy(), Y_XOR.copy(), data["lr"], data["n_epochs"], seed=data["seed"])
    except Stop:
        return link.answer({"error": "train llamó a gradients más veces de las que entran en "
                                     f"{data['n_epochs']} epochs (4 por epoch)"})
    except BaseException as error:
        if isinstance(error, TimeLimit):
            raise
        return link.answer({"error": describe(error), "where": where(error)})
    link.answer(training_answer(returned))


def training_answer(returned):
    """Numbers out of train's return value: (params, mse_history), or why it is not that."""
    if not (isinstance(returned, (tuple, list)) and len(returned) == 2):
        return {"error": f"train devolvió {type(returned).__name__}, no la tupla (params, mse_history)"}
    params, history = returned
    if not hasattr(params, "get"):
        return {"error": f"params devuelto es {type(params).__name__}, no un dict"}
    theta = [as_number(params.get(name)) for name in PARAM_NAMES]
    if any(value is None for value in theta):
        return {"error": "params devuelto no tiene los 9 parámetros como números"}
    series = as_series(history)
    return {"params": theta, "history": None if series is None else pack(np.array(series))}


def answer_plot(child, data, link):
    """What the plot cell drew, the global mse_history it left, and what its trace recorded."""
    namespace = child.namespace
    if "mse_history" in namespace:
        history = as_series(namespace["mse_history"])
        kind = type(namespace["mse_history"]).__name__[:40]
    else:
        history, kind = None, "<missing>"
    trace = child.state.get("trace")
    calls = np.array(trace.calls, dtype=float).reshape(-1, 21) if trace else np.zeros((0, 21))
    trains = [{"start": t["start"], "end": t["end"], "params": t["params"],
               "history": None if t["history"] is None else pack(np.array(t["history"]))}
              for t in (trace.trains[:20] if trace else [])]
    link.answer({"figures": packed_figures(child.shown.get("plot_mse", [])),
                 "history": None if history is None else pack(np.array(history)), "history_type": kind,
                 "calls": pack(calls), "trains": trains, "truncated": len(calls) >= MAX_CALLS})


HANDLERS = {"gradients": answer_gradients, "train": answer_train, "plot": answer_plot}
