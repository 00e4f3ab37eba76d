"""`sgd:*`: the student's `train`, run with the grader's own forward and numerical gradients.

Every call `train` makes to `gradients(params, x, y)` is logged. From that log the grader replays the
training with its own numbers: whether each step is θ ← θ − lr·∂L/∂θ, once per sample, starting from
init_params(seed); whether mse_history is the per-epoch MSE of that very training; and whether it
solved XOR. A wrong derivative cannot fail these checks, since the student's derivatives are not used.

Convergence rule: up to len(SEEDS) runs at lr = LR for N_EPOCHS epochs, stopping at the first that
reaches MSE < CONVERGED_BELOW. Measured by benchmarks/convergence.py: all five seeds converge with
the slide's fixed sample order (so a fixed-order loop never fails); a loop that reshuffles every epoch
converges on one run with probability 0.91, so the rule fails it with probability ≈ 0.09⁵ ≈ 5e-6
(0 failures in 2,000 simulated gradings).
"""
import base64

import numpy as np

from . import network
from .verdict import failed, passed, why_missing

LR = 0.3
N_EPOCHS = 2000
SEEDS = (0, 1, 2, 3, 4)
CONVERGED_BELOW = 0.01
POINTS = {"sgd:updates": 2, "sgd:history": 2, "sgd:converges": 2}
STEP_TOLERANCE = 1e-9  # student and grader compute the same float steps; this is round-off only
HISTORY_RTOL = 1e-6
BLOWN_UP = 1e8  # |θ| beyond this: a run that diverged, whose later steps only overflow and underflow


def format_mse(value):
    """An MSE for feedback: 2 digits, or '< 1e-12' once it is round-off (which differs from machine to machine)."""
    return f"{value:.2g}" if value >= 1e-12 else "< 1e-12"


def plan_runs():
    """(lr, n_epochs, seed, seed for random and np.random) of each training run, in order."""
    return [(LR, N_EPOCHS, seed, 1000 + seed) for seed in SEEDS]


def unpack(text):
    """base64 float64 -> log of gradient calls, (calls, 12): 9 parameters, x1, x2, y."""
    return np.frombuffer(base64.b64decode(text), dtype=np.float64).reshape(-1, 12)


class Replay:
    """One observed training run, checked against the grader's own arithmetic."""

    def __init__(self, run):
        self.run, self.lr, self.n_epochs = run, float(run["lr"]), int(run["n_epochs"])
        self.log = unpack(run["log"]) if run.get("log") else np.zeros((0, 12))
        self.theta, self.x, self.y = self.log[:, :9], self.log[:, 9:11], self.log[:, 11]
        self.returned = np.array(run["params"], dtype=float) if run.get("params") else None
        self.grad = network.exact_gradient_batch(self.theta, self.x, self.y) if len(self.log) else None

    def complete(self):
        """Whether train called gradients exactly once per sample per epoch (and all calls were logged)."""
        return self.run.get("calls") == 4 * self.n_epochs == len(self.log)

    def after_steps(self, returned=True):
        """Parameters after each logged step: the next call's, and after the last the returned ones
        (returned=True) or the last call's plus a correct step (returned=False)."""
        last = self.returned if returned else self.theta[-1] - self.lr * self.grad[-1]
        return np.vstack([self.theta[1:], last[None, :]])

    def step_errors(self):
        """|observed step − (−lr·∇L)| per step and parameter, relative to the parameters' size."""
        with np.errstate(all="ignore"):  # a run that blew up has inf and NaN steps: they are simply wrong
            step = self.after_steps() - self.theta
            scale = 1.0 + np.abs(self.theta)
            return np.abs(step + self.lr * self.grad) / scale

    def trained_params_returned(self):
        """Whether the returned parameters come out of the observed training: the last call's parameters
        moved along the last epoch's gradients (one for SGD, their mean for a batch step). Made-up or
        initial parameters are not, whatever the history says."""
        if not self.complete() or self.returned is None or not np.all(np.isfinite(self.returned)):
            return False
        move = self.returned - self.theta[-1]
        directions = self.grad[-4:].T
        coefficients = np.linalg.lstsq(directions, move, rcond=None)[0]
        residual = np.abs(directions @ coefficients - move)
        return bool(np.all(residual <= 1e-7 * (1 + np.abs(self.returned))))


def evaluate(observation):
    """The three SGD checks of one observation."""
    probe = observation["train"]
    if probe is None or not probe.get("runs"):
        reason = why_missing(observation, "train")
        return [failed(name, points, f"No se pudo evaluar train: {reason}.", diagnosis="not_evaluated")
                for name, points in POINTS.items()]
    first = probe["runs"][0]
    if "error" in first:
        where = f" ({first['where']})" if first.get("where") else ""
        text = f"train(X, y, lr={first['lr']}, n_epochs={first['n_epochs']}, seed={first['seed']}) falló: {first['error']}{where}."
        return [failed(name, points, text, diagnosis="train_raised") for name, points in POINTS.items()]
    replay = Replay(first)
    return [check_updates(replay), check_history(replay), check_converges(probe["runs"], replay)]


def check_updates(replay):
    """sgd:updates: θ ← θ − lr·∂L/∂θ after every sample, from init_params(seed), returning the result."""
    name, points = "sgd:updates", POINTS["sgd:updates"]
    run, n = replay.run, replay.n_epochs
    init = np.array([network.init_params(run["seed"])[p] for p in network.PARAM_NAMES])
    returned = replay.returned
    if run["calls"] == 0:
        if np.allclose(returned, init):
            return failed(name, points, "train devolvió los parámetros iniciales sin entrenar (no llamó a gradients).",
                          diagnosis="untrained_params")
        if run.get("mse", 1.0) < CONVERGED_BELOW:
            return failed(name, points, "train devolvió una solución de XOR sin entrenar: no llamó a gradients "
                                        "(¿parámetros copiados de otro lado?).", diagnosis="hardcoded_params")
        return failed(name, points, "train no llamó a gradients(params, x_i, y_i): usá esa función en cada muestra "
                                    "para que el autograder pueda verificar la actualización.", diagnosis="no_gradients_calls")
    if not replay.complete():
        return failed(name, points, f"train llamó a gradients {run['calls']} veces en {n} epochs; SGD la llama "
                                    f"una vez por muestra: {4 * n} veces.", diagnosis="calls_per_epoch")
    if not np.allclose(replay.theta[0], init, rtol=0, atol=1e-12):
        return failed(name, points, "train no empieza de params = init_params(seed).", diagnosis="wrong_init")
    bad_epochs = epochs_not_visiting_each_sample_once(replay)
    if bad_epochs.size:
        return failed(name, points, f"En la epoch {bad_epochs[0] + 1} no se recorren las 4 muestras de XOR "
                                    "una vez cada una.", diagnosis="samples_per_epoch")
    errors = replay.step_errors()
    if np.all(errors <= STEP_TOLERANCE):
        return passed(name, points, f"Cada una de las {4 * n} actualizaciones es θ ← θ − lr·∂L/∂θ, una por muestra.")
    code, text = diagnose_updates(replay, init, errors)
    return failed(name, points, text, diagnosis=code)


def epochs_not_visiting_each_sample_once(replay):
    """Indices of the epochs whose 4 calls are not the 4 XOR samples, each once (in any order)."""
    samples = np.column_stack([replay.x, replay.y])
    xor = np.column_stack([network.X_XOR, network.Y_XOR])
    matches = np.all(samples[:, None, :] == xor[None, :, :], axis=2)
    codes = np.where(matches.any(axis=1), matches.argmax(axis=1), -1).reshape(replay.n_epochs, 4)
    return np.flatnonzero(~(np.sort(codes, axis=1) == np.arange(4)).all(axis=1))


def diagnose_updates(replay, init, errors):
    """The most specific explanation of wrong SGD steps: (diagnosis code or None, Spanish text)."""
    lr, theta, grad = replay.lr, replay.theta, replay.grad
    with np.errstate(all="ignore"):
        step = replay.after_steps() - theta
    with np.errstate(invalid="ignore"):
        sane = np.all(np.abs(theta) < BLOWN_UP, axis=1) & np.all(np.isfinite(step) & np.isfinite(grad), axis=1)
    kept = int(np.argmin(sane)) // 4 * 4  # the whole epochs before the first step of a run that blew up
    if not sane.all() and kept >= 4:  # such a run is explained by its steps before it did
        theta, grad, step, errors = theta[:kept], grad[:kept], step[:kept], errors[:kept]
    if np.allclose(replay.returned, init) and not np.allclose(theta[-1], init):
        return "initial_params_returned", "train devolvió los parámetros iniciales, no los entrenados (¿actualizaste una copia?)."
    if np.all(errors[:-1] <= STEP_TOLERANCE):
        return "returned_not_final", "Las actualizaciones son correctas, pero los params devueltos no son los del final del entrenamiento."
    # Diagnoses only explain a failed check, so they allow the round-off of a run that blew up.
    if np.allclose(step, lr * grad, rtol=1e-4, atol=1e-9):
        return "gradient_ascent", "Los parámetros suben por el gradiente (ascenso): la actualización es θ ← θ − lr·∂L/∂θ, con signo menos."
    hidden_still = np.allclose(step[:, :6], 0.0)
    if hidden_still and np.all(errors[:, 6:] <= STEP_TOLERANCE):
        return "output_layer_only", "Solo se actualiza la capa de salida: W1_11, W1_12, b1_1, W1_21, W1_22 y b1_2 nunca cambian."
    big = np.abs(grad) > 1e-6
    if big.any():
        factor = np.median(-step[big] / grad[big])
        if not np.isclose(factor, lr, rtol=1e-3) and np.allclose(step, -factor * grad, rtol=1e-4, atol=1e-9):
            return "ignores_lr", f"El paso no usa lr: se actualiza θ ← θ − {factor:.3g}·∂L/∂θ con lr = {lr}."
    per_epoch_still = np.allclose(step.reshape(-1, 4, 9)[:, :3, :], 0.0)
    if per_epoch_still:
        return "batch_updates", "Se actualiza una vez por epoch (gradiente en batch); SGD actualiza después de cada muestra."
    wrong = [p for p, bad in zip(network.PARAM_NAMES, (errors > STEP_TOLERANCE).any(axis=0)) if bad]
    return None, f"La actualización de {', '.join(wrong)} no es θ ← θ − lr·∂L/∂θ."


def history_readings(replay, returned):
    """Per-epoch series a correct loop may record, and the usual wrong ones, from the observed training.

    The last step ends at the returned parameters (returned=True) or, when train returned something
    else, at the last call's parameters plus one correct step: returning the wrong parameters is
    sgd:updates' mistake, not the history's."""
    n = replay.n_epochs
    before = replay.theta
    after = replay.after_steps(returned)
    end_of_epoch = after[3::4]
    start_of_epoch = before[0::4]
    loss_before = network.loss_batch(before, replay.x, replay.y).reshape(n, 4)
    loss_after = network.loss_batch(after, replay.x, replay.y).reshape(n, 4)
    mse_after = network.mse_batch(end_of_epoch)
    correct = {
        "el MSE después de cada epoch": mse_after,
        "la media de los errores por muestra durante la epoch": loss_before.mean(axis=1),
        "la media de los errores por muestra, medidos después de cada actualización": loss_after.mean(axis=1),
    }
    wrong = {  # (diagnosis code, what it is): series
        ("history_summed", "sumaste los errores en lugar de promediarlos: MSE = 1/4 · Σ (y_i − ŷ_i)²"): 4 * mse_after,
        ("history_summed", "sumaste los errores de la epoch en lugar de promediarlos"): loss_before.sum(axis=1),
        ("history_rmse", "es la raíz del MSE (RMSE), no el MSE"): np.sqrt(mse_after),
        ("history_before_epoch", "registrás el MSE antes de recorrer la epoch: calculalo después de las 4 "
                                 "actualizaciones"): network.mse_batch(start_of_epoch),
    }
    return correct, wrong


def check_history(replay):
    """sgd:history: one value per epoch, the MSE over the 4 samples of the training that really happened."""
    name, points = "sgd:history", POINTS["sgd:history"]
    history, n = replay.run.get("history"), replay.n_epochs
    if history is None:
        return failed(name, points, "mse_history (lo segundo que devuelve train) no es una lista de números.",
                      diagnosis="history_not_numbers")
    history = np.array(history, dtype=float)
    if len(history) == 4 * n:
        return failed(name, points, f"mse_history tiene {len(history)} valores: registraste el error de cada muestra; "
                                    f"va un valor por epoch ({n}).", diagnosis="history_per_sample")
    if len(history) != n:
        return failed(name, points, f"mse_history tiene {len(history)} valores; se espera uno por epoch ({n}).",
                      diagnosis="history_length")
    if not replay.complete():
        return failed(name, points, "No se pudo verificar mse_history: train no entrenó llamando a gradients una vez "
                                    "por muestra.", diagnosis="not_evaluated")
    readings = [history_readings(replay, returned) for returned in (True, False)]
    # A training that diverged records inf or NaN: a faithful history records them at the same epochs.
    with np.errstate(all="ignore"):
        for correct, _ in readings:
            for reading, series in correct.items():
                if np.allclose(history, series, rtol=HISTORY_RTOL, atol=1e-12, equal_nan=True):
                    return passed(name, points, f"mse_history es {reading}.")
        for _, wrong in readings:
            for reading, series in wrong.items():
                if np.allclose(history, series, rtol=HISTORY_RTOL, atol=1e-12, equal_nan=True):
                    return failed(name, points, f"mse_history: {reading[1]}.", diagnosis=reading[0])
    if not np.all(np.isfinite(history)):
        return failed(name, points, "mse_history tiene NaN o infinitos, y el entrenamiento no los tuvo en esas epochs.",
                      diagnosis="history_nan")
    expected = readings[1][0]["el MSE después de cada epoch"]
    epoch = int(np.argmax(~np.isclose(history, expected, rtol=HISTORY_RTOL, atol=1e-12)))
    return failed(name, points, f"mse_history no es el MSE de la red durante el entrenamiento: en la epoch "
                                f"{epoch + 1} se esperaba {expected[epoch]:.6g} y dice {history[epoch]:.6g}.",
                  diagnosis="history_not_mse")


def check_converges(runs, first):
    """sgd:converges: some run, really trained by train, reaches MSE < 0.01 on XOR (first: the first run's replay)."""
    name, points = "sgd:converges", POINTS["sgd:converges"]
    finals = []
    for run in runs:
        if "error" in run or not run.get("params"):
            continue
        if not np.isfinite(run.get("mse", np.nan)):  # diverged: no made-up answer is inf or NaN
            finals.append(np.inf)
            continue
        replay = first if run is first.run else Replay(run)
        if not replay.trained_params_returned():
            continue
        finals.append(run["mse"])
        if run["mse"] < CONVERGED_BELOW:
            return passed(name, points, f"Con las derivadas del autograder, tu train resuelve XOR: MSE final "
                                        f"{format_mse(run['mse'])} (lr = {run['lr']}, {run['n_epochs']} epochs, "
                                        f"seed = {run['seed']}).")
    if not finals:
        return failed(name, points, "No se pudo verificar que train resuelva XOR: los params devueltos no son el "
                                    "resultado de entrenar con gradients.", diagnosis="params_not_trained")
    if not np.all(np.isfinite(finals)):
        return failed(name, points, "El entrenamiento diverge: el MSE final es NaN o infinito.", diagnosis="diverges")
    shown = ", ".join(f"{value:.3g}" for value in finals)
    return failed(name, points, f"Con lr = {LR} y {N_EPOCHS} epochs ninguna de {len(finals)} semillas resolvió XOR "
                                f"(MSE finales: {shown}; se espera < {CONVERGED_BELOW}).", diagnosis="not_converged")
