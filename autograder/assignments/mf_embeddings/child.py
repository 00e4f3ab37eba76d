"""What runs in the sandbox for mf_embeddings: the handlers of the grader's questions, and the plot cell's recorder.

It imports nothing of the grader's side (no exact derivative, no point, no threshold): the zygote loads it
before any submission exists, and student code can reach all of it. A handler calls the student's
functions and sends what they returned; the grader judges.

- gradients: the student's `gradients` at the points the question brings.
- train: the student's `train`, with `gradients` replaced by a stub that asks the grader for each value
  (the grader logs every call and serves its own exact derivatives), and with the given code as given;
  what it returned and the global `loss_history` it left.
- plot: what the plot cell drew, the global `loss_history`, and what the recorder saw while that cell ran:
  each call to `train` (what it returned, the loss_history it left) and each call to `gradients`.
"""
import random

import numpy as np

from ...sandbox.child import Stop, TimeLimit, as_matrix, as_series, describe, pack, packed_figures, where
from .given import K, LR, N_EPOCHS, R, SHAPES, init_embeddings, loss

MAX_CALLS = 20_000  # gradients calls the recorder keeps
N_U, N_I, N_R = SHAPES["U"][0] * K, SHAPES["I"][0] * K, R.size
WIDTH = 2 * (N_U + N_I) + 1  # a recorded call: U, I, whether R was the given one, dU, dI


def function(namespace, name):
    """The student's function by name; NameError when the notebook does not define it."""
    candidate = namespace.get(name)
    if not callable(candidate):
        raise NameError(f"no está definida la función {name}()")
    return candidate


def pair(returned, first, second):
    """(first, second) float arrays of the given shapes from a returned pair, or None."""
    if not (isinstance(returned, (tuple, list)) and len(returned) == 2):
        return None
    a, b = as_matrix(returned[0], SHAPES[first]), as_matrix(returned[1], SHAPES[second])
    return None if a is None or b is None else (a, b)


def global_history(namespace):
    """(the global loss_history as a list of floats or None, the name of its type)."""
    if "loss_history" not in namespace:
        return None, "<missing>"
    return as_series(namespace["loss_history"]), type(namespace["loss_history"]).__name__[:40]


# --- the plot cell's recorder ----------------------------------------------------------------------------------
class Trace:
    """While the plot cell runs, `train` and `gradients` in the namespace are wrapped: every call to
    gradients is kept as (U, I, whether R is the given one, dU, dI), every call to train as what it returned."""

    def __init__(self, namespace):
        self.namespace, self.calls, self.trains, self.wrapped = namespace, [], [], {}
        for name, wrap in (("gradients", self.wrap_gradients), ("train", self.wrap_train)):
            if callable(namespace.get(name)):
                original = namespace[name]
                namespace[name] = wrap(original)
                self.wrapped[name] = (namespace[name], original)

    def wrap_gradients(self, student):
        calls = self.calls

        def gradients(U, I, ratings, *args, **kwargs):
            values = student(U, I, ratings, *args, **kwargs)
            if len(calls) < MAX_CALLS:
                row = [float("nan")] * WIDTH
                try:
                    users, items = as_matrix(U, SHAPES["U"]), as_matrix(I, SHAPES["I"])
                    rated = as_matrix(ratings, SHAPES["R"])
                    derivatives = pair(values, "U", "I")
                    row[:N_U + N_I] = np.concatenate([users.ravel(), items.ravel()]).tolist()
                    row[N_U + N_I] = float(rated is not None and np.array_equal(rated, R))
                    if derivatives is not None:
                        row[N_U + N_I + 1:] = np.concatenate([d.ravel() for d in derivatives]).tolist()
                except Exception:
                    pass
                calls.append(row)
            return values
        return gradients

    def wrap_train(self, student):
        calls, trains, namespace = self.calls, self.trains, self.namespace

        def train(*args, **kwargs):
            start = len(calls)
            returned = student(*args, **kwargs)
            embeddings = pair(returned, "U", "I")
            history, _ = global_history(namespace)
            trains.append({"start": start, "end": len(calls), "history": history,
                           "returned": None if embeddings is None else np.concatenate([e.ravel() for e in embeddings])})
            return returned
        return train

    def remove(self):
        """Put the student's functions back, unless the cell itself rebound the names."""
        for name, (wrapper, original) in self.wrapped.items():
            if self.namespace.get(name) is wrapper:
                self.namespace[name] = original


def before_cell(child, grade_id):
    if grade_id == "plot_loss":
        child.state["trace"] = Trace(child.namespace)


def after_cell(child, grade_id):
    if grade_id == "plot_loss":
        child.state["trace"].remove()


# --- the handlers ----------------------------------------------------------------------------------------------
def counted(namespace, counts):
    """Replace the given loss with a counting wrapper (a gradients that calls it is differencing)."""
    def wrap(original):
        def counting(*args, **kwargs):
            counts["loss"] += 1
            return original(*args, **kwargs)
        return counting

    if callable(namespace.get("loss")):
        namespace["loss"] = wrap(namespace["loss"])


def matrix_answer(value, shape):
    """A returned derivative as its numbers, or a short text saying what came instead."""
    array = as_matrix(value, shape)
    if array is not None:
        return array.ravel().tolist()
    if value is None:
        return "<None>"
    got = getattr(value, "shape", None)
    return (f"<forma {tuple(got)}>" if got is not None else f"<{type(value).__name__}>")[:60]


def answer_gradients(child, data, link):
    """The student's gradients at each point: dU and dI (numbers, or what came instead), or the error."""
    try:
        gradients = function(child.namespace, "gradients")
    except NameError as error:
        return link.answer({"missing": describe(error)})
    counts = {"loss": 0}
    counted(child.namespace, counts)
    results = []
    for users, items, ratings in data["points"]:
        counts["loss"] = 0
        try:
            got = gradients(np.array(users), np.array(items), np.array(ratings))
        except BaseException as error:
            if isinstance(error, TimeLimit):
                raise
            results.append({"error": describe(error), "where": where(error), "calls": dict(counts)})
            continue
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            results.append({"error": f"gradients devolvió {type(got).__name__}, no la tupla (dU, dI)",
                            "calls": dict(counts)})
            continue
        dtypes = sorted({str(getattr(value, "dtype", type(value).__name__))[:20] for value in got})[:5]
        results.append({"dU": matrix_answer(got[0], SHAPES["U"]), "dI": matrix_answer(got[1], SHAPES["I"]),
                        "calls": dict(counts), "dtypes": dtypes})
    link.answer({"results": results})


def answer_train(child, data, link):
    """One run of the student's train, every gradients call served by the grader; what train returned."""
    try:
        train = function(child.namespace, "train")
    except NameError as error:
        return link.answer({"error": describe(error)})

    def gradients(U, I, ratings):
        users, items, rated = as_matrix(U, SHAPES["U"]), as_matrix(I, SHAPES["I"]), as_matrix(ratings, SHAPES["R"])
        if users is None or items is None or rated is None:
            raise ValueError("gradients(U, I, R) recibió matrices de otra forma: U es 6×2, I es 5×2 y R es 6×5")
        values = link.serve(users.ravel().tolist() + items.ravel().tolist() + rated.ravel().tolist())
        return np.array(values[:N_U]).reshape(SHAPES["U"]), np.array(values[N_U:]).reshape(SHAPES["I"])

    child.namespace.update(gradients=gradients, init_embeddings=init_embeddings, loss=loss, K=K, LR=LR,
                           N_EPOCHS=N_EPOCHS)
    child.namespace.pop("loss_history", None)  # the plot cell's: train must leave its own
    random.seed(data["rng_seed"])
    np.random.seed(data["rng_seed"])
    try:
        returned = train(R.copy(), lr=data["lr"], n_epochs=data["n_epochs"], seed=data["seed"])
    except Stop:
        return link.answer({"error": "train llamó a gradients más veces de las que entran en "
                                     f"{data['n_epochs']} epochs (una por epoch)"})
    except BaseException as error:
        if isinstance(error, TimeLimit):
            raise
        return link.answer({"error": describe(error), "where": where(error)})
    link.answer(training_answer(returned, child.namespace))


def training_answer(returned, namespace):
    """Numbers out of what train returned and the global loss_history it left, or why they are not that."""
    if not (isinstance(returned, (tuple, list)) and len(returned) == 2):
        return {"error": f"train devolvió {type(returned).__name__}, no la tupla (U, I)"}
    embeddings = pair(returned, "U", "I")
    if embeddings is None:
        return {"error": "train no devolvió (U, I) como matrices de 6×2 y 5×2"}
    history, kind = global_history(namespace)
    return {"U": embeddings[0].ravel().tolist(), "I": embeddings[1].ravel().tolist(),
            "history": None if history is None else pack(np.array(history)), "history_type": kind}


def answer_plot(child, data, link):
    """What the plot cell drew, the global loss_history it left, and what its trace recorded."""
    history, kind = global_history(child.namespace)
    trace = child.state.get("trace")
    calls = np.array(trace.calls, dtype=float).reshape(-1, WIDTH) if trace else np.zeros((0, WIDTH))
    trains = [{"start": t["start"], "end": t["end"],
               **({} if t["returned"] is None else {"returned": t["returned"].tolist()}),
               "history": None if t["history"] is None else pack(np.array(t["history"]))}
              for t in (trace.trains[:20] if trace else [])]
    link.answer({"figures": packed_figures(child.shown.get("plot_loss", [])),
                 "history": None if history is None else pack(np.array(history)), "history_type": kind,
                 "calls": pack(calls), "trains": trains, "truncated": len(calls) >= MAX_CALLS})


HANDLERS = {"gradients": answer_gradients, "train": answer_train, "plot": answer_plot}
