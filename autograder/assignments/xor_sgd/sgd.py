"""`sgd:*`: the student's `train`, judged only from the grader's own log of the run.

While the grader's question runs `train(X, y, LR, N_EPOCHS, seed)`, every call to `gradients` is answered
by the grader (interview.GradientServer), which logs (θ, x, y) and the exact gradient it gave. From that
log and its own forward pass the grader decides: whether each step is θ ← θ − lr·∂L/∂θ, once per sample,
from init_params(seed) (sgd:updates); whether mse_history is the per-epoch MSE of that very training
(sgd:history); whether the returned parameters are what the logged steps produce and solve XOR, by the
grader's MSE (sgd:converges). A wrong derivative cannot fail these checks: the student's derivatives are
not used. Made-up or copied parameters cannot pass them: they are not steps along the logged gradients
(training.py).

Convergence rule: up to len(SEEDS) runs at lr = LR for N_EPOCHS epochs, stopping at the first that the
grader finds below CONVERGED_BELOW, or at the first that is not a training or diverged (another seed would
not change that). Measured by benchmarks/convergence.py: all five seeds converge with the slide's fixed
sample order; a loop that reshuffles every epoch converges on one run with probability 0.91, so the rule
fails it with probability ≈ 0.09⁵ ≈ 5e-6.
"""
import numpy as np

from ...engine.replay import Replay as LoggedRun, not_run
from ...engine.replay import format_small as format_mse
from ...engine.verdict import failed, passed
from . import training
from .diagnoses import DIAGNOSES
from .given import PARAM_NAMES, init_params
from .interview import CONVERGED_BELOW, LR, N_EPOCHS

POINTS = {"sgd:updates": 2, "sgd:history": 2, "sgd:converges": 2}
STEP_TOLERANCE = training.STEP_TOLERANCE


class Replay(LoggedRun):
    """One logged SGD run: θ and the samples of each call, and the parameters train returned."""

    def __init__(self, run):
        data = run["answer"].data
        super().__init__(run, np.array(data["params"], dtype=float) if "params" in data else None)
        self.samples = run["samples"]
        self.x, self.y = self.samples[:, :2], self.samples[:, 2]

    def complete(self):
        """Whether train called gradients exactly once per sample per epoch."""
        return self.calls == 4 * self.n_epochs

    def not_training(self, returned=True):
        """'' when the logged calls (and the returned θ) are a training (training.explain), else why not."""
        return training.explain(self.theta, self.grad, self.samples, self.returned if returned else None)


def judge(evidence, why):
    """The three SGD checks from the grader's log of the first run (and the others for convergence)."""
    runs = evidence.answers["runs"]
    failures = not_run(runs, why, POINTS, "train",
                       lambda run: f"train(X, y, lr={run['lr']}, n_epochs={run['n_epochs']}, seed={run['seed']})")
    if failures:
        return failures
    first = runs[0]
    logged = Replay(first)
    return [check_updates(logged), check_history(logged), check_converges(runs)]


def check_updates(replay):
    """sgd:updates: θ ← θ − lr·∂L/∂θ after every sample, from init_params(seed), returning the result."""
    name, points = "sgd:updates", POINTS["sgd:updates"]
    n = replay.n_epochs
    init = np.array([init_params(replay.run["seed"])[p] for p in PARAM_NAMES])
    if replay.calls == 0:
        if np.allclose(replay.returned, init):
            return failed(name, points, DIAGNOSES["untrained_params"].student + ".", diagnosis="untrained_params")
        return failed(name, points, DIAGNOSES["no_gradients_calls"].student + ".", diagnosis="no_gradients_calls")
    if not replay.complete():
        return failed(name, points, f"train llamó a gradients {replay.calls} veces en {n} epochs; "
                                    f"{DIAGNOSES['calls_per_epoch'].student}: {4 * n} veces.", diagnosis="calls_per_epoch")
    if not np.allclose(replay.theta[0], init, rtol=0, atol=1e-12):
        return failed(name, points, DIAGNOSES["wrong_init"].student + ".", diagnosis="wrong_init")
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
    codes = training.sample_codes(replay.samples).reshape(replay.n_epochs, 4)
    return np.flatnonzero(~(np.sort(codes, axis=1) == np.arange(4)).all(axis=1))


def diagnose_updates(replay, init, errors):
    """The most specific explanation of wrong SGD steps: (diagnosis code or None, Spanish text)."""
    lr, theta, grad = replay.lr, replay.theta, replay.grad
    with np.errstate(all="ignore"):
        step = replay.after_steps() - theta
    kept = training.sane_calls(theta, grad) // 4 * 4  # the whole epochs before a run blew up
    if kept < len(theta) and kept >= 4:  # such a run is explained by its steps before it did
        theta, grad, step, errors = theta[:kept], grad[:kept], step[:kept], errors[:kept]
    if np.allclose(replay.returned, init) and not np.allclose(theta[-1], init):
        return "initial_params_returned", DIAGNOSES["initial_params_returned"].student + "."
    if np.all(errors[:-1] <= STEP_TOLERANCE):
        return "returned_not_final", DIAGNOSES["returned_not_final"].student + "."
    if not np.any(step[:-1]):
        return "no_updates", DIAGNOSES["no_updates"].student + "."
    # Diagnoses only explain a failed check, so they allow the round-off of a run that blew up.
    with np.errstate(all="ignore"):
        if np.allclose(step, lr * grad, rtol=1e-4, atol=1e-9):
            return "gradient_ascent", DIAGNOSES["gradient_ascent"].student + "."
        if np.allclose(step[:, :6], 0.0) and np.all(errors[:, 6:] <= STEP_TOLERANCE):
            return "output_layer_only", DIAGNOSES["output_layer_only"].student + "."
        big = np.abs(grad) > 1e-6
        if big.any():
            factor = np.median(-step[big] / grad[big])
            if not np.isclose(factor, lr, rtol=1e-3) and np.allclose(step, -factor * grad, rtol=1e-4, atol=1e-9):
                return "ignores_lr", f"{DIAGNOSES['ignores_lr'].student}: se actualiza θ ← θ − {factor:.3g}·∂L/∂θ con lr = {lr}."
        if np.allclose(step.reshape(-1, 4, 9)[:, :3, :], 0.0):
            return "batch_updates", DIAGNOSES["batch_updates"].student + "."
    wrong = [p for p, bad in zip(PARAM_NAMES, (errors > STEP_TOLERANCE).any(axis=0)) if bad]
    return None, f"La actualización de {', '.join(wrong)} no es θ ← θ − lr·∂L/∂θ."


def check_history(replay):
    """sgd:history: one value per epoch, the MSE over the 4 samples of the training that really happened."""
    name, points = "sgd:history", POINTS["sgd:history"]
    history, n = replay.history, replay.n_epochs
    if history is None:
        return failed(name, points, DIAGNOSES["history_not_numbers"].student + ".", diagnosis="history_not_numbers")
    if len(history) == 4 * n:
        return failed(name, points, f"mse_history tiene {len(history)} valores: "
                                    f"{DIAGNOSES['history_per_sample'].student} ({n}).", diagnosis="history_per_sample")
    if len(history) != n:
        return failed(name, points, f"mse_history tiene {len(history)} valores; se espera uno por epoch ({n}).",
                      diagnosis="history_length")
    if not replay.complete() or replay.not_training(returned=False):
        reason = replay.not_training(returned=False) or "no llamó a gradients una vez por muestra"
        return failed(name, points, f"No se pudo verificar mse_history: el entrenamiento {reason}.",
                      diagnosis="not_evaluated")
    readings = [training.readings(replay.theta, replay.samples, replay.after_steps(returned))
                for returned in ((True, False) if replay.returned is not None else (False,))]
    for correct, _ in readings:  # a training that diverged records inf or NaN at the same epochs
        for reading, series in correct.items():
            if training.same(history, series):
                return passed(name, points, f"mse_history es {reading}.")
    for _, wrong in readings:
        for (code, text), series in wrong.items():
            if training.same(history, series):
                return failed(name, points, f"mse_history: {text}.", diagnosis=code)
    if not np.all(np.isfinite(history)):
        return failed(name, points, DIAGNOSES["history_nan"].student + ".", diagnosis="history_nan")
    expected = readings[-1][0]["el MSE después de cada epoch"]
    epoch = int(np.argmax(~np.isclose(history, expected, rtol=1e-6, atol=1e-12)))
    return failed(name, points, f"{DIAGNOSES['history_not_mse'].student}: en la epoch {epoch + 1} se esperaba "
                                f"{expected[epoch]:.6g} y dice {history[epoch]:.6g}.", diagnosis="history_not_mse")


def check_converges(runs):
    """sgd:converges: a run whose returned θ the logged steps produce reaches MSE < CONVERGED_BELOW, by the
    grader's own MSE (interview.converged computed it when the run came back)."""
    name, points = "sgd:converges", POINTS["sgd:converges"]
    finals = []
    for run in runs:
        if not run["answer"].ok or "params" not in run["answer"].data:
            continue
        returned = np.array(run["answer"].data["params"], dtype=float)
        if not np.all(np.isfinite(returned)) and len(run["theta"]) and not training.explain(
                run["theta"], run["grad"], run["samples"]):
            finals.append(np.inf)  # diverged: a training from init that blew up
            continue
        if run["mse"] is None:
            continue
        finals.append(run["mse"])
        if run["mse"] < CONVERGED_BELOW:
            return passed(name, points, f"Con las derivadas del autograder, tu train resuelve XOR: MSE final "
                                        f"{format_mse(run['mse'])} (lr = {run['lr']}, {run['n_epochs']} epochs, "
                                        f"seed = {run['seed']}).")
    if not finals:
        reason = Replay(runs[0]).not_training() if runs and runs[0]["answer"].ok else ""
        return failed(name, points, f"No se pudo verificar que train resuelva XOR: {DIAGNOSES['params_not_trained'].student}"
                                    + (f" ({reason})." if reason else "."), diagnosis="params_not_trained")
    if not np.all(np.isfinite(finals)):
        return failed(name, points, DIAGNOSES["diverges"].student + ".", diagnosis="diverges")
    shown = ", ".join(f"{value:.3g}" for value in finals)
    return failed(name, points, f"Con lr = {LR} y {N_EPOCHS} epochs ninguna de {len(finals)} semillas resolvió XOR "
                                f"(MSE finales: {shown}; se espera < {CONVERGED_BELOW}).", diagnosis="not_converged")
