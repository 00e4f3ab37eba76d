"""`gd:*`: the student's `train`, judged only from the grader's own log of the run.

While the grader's question runs `train(R, lr=LR, n_epochs=N_EPOCHS, seed=SEED)` (interview.py: settings that
are not the notebook's), every call to `gradients` is answered by the grader (interview.GradientServer),
which logs (U, I, R) and the exact derivatives it gave. From that log the grader decides: whether each
epoch is one step U, I ← U − lr·dU, I − lr·dI from init_embeddings(seed), both derivatives taken at the old
U, I (gd:updates); whether the global loss_history is L after each epoch of that very training
(gd:history); whether the returned U, I are what the logged steps produce and fit the observed ratings,
by the grader's L (gd:converges). A wrong derivative cannot fail these checks: the student's derivatives
are not used. Made-up or copied embeddings cannot pass them: they are not steps along the logged
derivatives (training.py).

Convergence: full-batch descent is deterministic, so one run decides. Measured by
benchmarks/mf_convergence.py: from 1,000 seeds at the graded settings the largest final L is 3e-15 (median
1e-20), so CONVERGED_BELOW = 1e-6 leaves nine orders of magnitude to round-off and to a loop that records or
orders its arithmetic differently; a descent that freezes U or I, steps the wrong way or stops at the initial
embeddings stays far above it (the corpus: gd_only_U, gd_ascent, gd_returns_initial).
"""
import numpy as np

from ...engine.replay import Replay as LoggedRun, not_run
from ...engine.replay import format_small as format_loss
from ...engine.verdict import failed, passed
from . import model, training
from .diagnoses import DIAGNOSES
from .interview import CONVERGED_BELOW

POINTS = {"gd:updates": 2, "gd:history": 2, "gd:converges": 2}
STEP_TOLERANCE = training.STEP_TOLERANCE


class Replay(LoggedRun):
    """One logged descent run: U, I at each call, whether R was the given one, and the U, I train returned."""

    def __init__(self, run):
        data = run["answer"].data
        super().__init__(run, np.array(data["U"] + data["I"], dtype=float) if "U" in data else None)
        self.ratings = run["ratings"]

    def not_training(self, returned=True):
        """'' when the logged calls (and the returned U, I) are a training (training.explain), else why not."""
        return training.explain(self.theta, self.grad, self.ratings, self.returned if returned else None)


def judge(evidence, why):
    """The three descent checks from the grader's log of the run."""
    runs = evidence.answers["runs"]
    failures = not_run(runs, why, POINTS, "train",
                       lambda run: f"train(R, lr={run['lr']}, n_epochs={run['n_epochs']}, seed={run['seed']})")
    if failures:
        return failures
    run = runs[0]
    replay = Replay(run)
    return [check_updates(replay), check_history(replay), check_converges(run, replay)]


def check_updates(replay):
    """gd:updates: U, I ← U − lr·dU, I − lr·dI once per epoch, both at the old U, I, from init_embeddings(seed)."""
    name, points, n = "gd:updates", POINTS["gd:updates"], replay.n_epochs
    init = model.flat(*model.init_embeddings(replay.run["seed"]))
    if replay.calls == 0:
        if np.allclose(replay.returned, init):
            return failed(name, points, DIAGNOSES["untrained"].student + ".", diagnosis="untrained")
        return failed(name, points, DIAGNOSES["no_gradients_calls"].student + ".", diagnosis="no_gradients_calls")
    if not training.given_ratings(replay.ratings).all():
        return failed(name, points, DIAGNOSES["other_ratings"].student + ".", diagnosis="other_ratings")
    if not np.allclose(replay.theta[0], init, rtol=0, atol=1e-12):
        return failed(name, points, DIAGNOSES["wrong_init"].student + ".", diagnosis="wrong_init")
    if replay.calls == 2 * n and u_before_di(replay):
        return failed(name, points, DIAGNOSES["u_before_di"].student + ".", diagnosis="u_before_di")
    if replay.calls != n:
        return failed(name, points, f"train llamó a gradients {replay.calls} veces en {n} epochs; "
                                    f"{DIAGNOSES['calls_per_epoch'].student}: {n} veces.", diagnosis="calls_per_epoch")
    errors = replay.step_errors()
    if np.all(errors <= STEP_TOLERANCE):
        return passed(name, points, f"Cada una de las {n} epochs es U, I ← U − lr·dU, I − lr·dI, con las dos "
                                    "derivadas en los U, I de antes del paso.")
    code, text = diagnose_updates(replay, init, errors)
    return failed(name, points, text, diagnosis=code)


def u_before_di(replay):
    """Whether the run alternates: one call whose dU moves U only, then one at the new U whose dI moves I only."""
    theta, grad, lr, nu = replay.theta, replay.grad, replay.lr, model.N_U
    after = replay.after_steps()
    with np.errstate(all="ignore"):
        first, second = slice(0, None, 2), slice(1, None, 2)
        moved_u = np.allclose(after[first, :nu], theta[first, :nu] - lr * grad[first, :nu], rtol=1e-6, atol=1e-9)
        kept_i = np.allclose(after[first, nu:], theta[first, nu:], rtol=0, atol=0)
        kept_u = np.allclose(after[second, :nu], theta[second, :nu], rtol=0, atol=0)
        moved_i = np.allclose(after[second, nu:], theta[second, nu:] - lr * grad[second, nu:], rtol=1e-6, atol=1e-9)
    return moved_u and kept_i and kept_u and moved_i


def diagnose_updates(replay, init, errors):
    """The most specific explanation of wrong descent steps: (diagnosis code or None, Spanish text)."""
    lr, theta, grad = replay.lr, replay.theta, replay.grad
    with np.errstate(all="ignore"):
        step = replay.after_steps() - theta
    kept = training.sane_calls(theta, grad)
    if 1 <= kept < len(theta):  # a run that blew up is explained by its steps before it did
        theta, grad, step, errors = theta[:kept], grad[:kept], step[:kept], errors[:kept]
    if np.allclose(replay.returned, init) and not np.allclose(theta[-1], init):
        return "initial_returned", DIAGNOSES["initial_returned"].student + "."
    if np.all(errors[:-1] <= STEP_TOLERANCE):
        return "returned_not_final", DIAGNOSES["returned_not_final"].student + "."
    if not np.any(step[:-1]):
        return "no_updates", DIAGNOSES["no_updates"].student + "."
    with np.errstate(all="ignore"):
        if np.allclose(step, lr * grad, rtol=1e-4, atol=1e-9):
            return "gradient_ascent", DIAGNOSES["gradient_ascent"].student + "."
        for part, other, code in ((slice(model.N_U, None), slice(0, model.N_U), "only_U"),
                                  (slice(0, model.N_U), slice(model.N_U, None), "only_I")):
            if np.allclose(step[:, part], 0.0) and np.all(errors[:, other] <= STEP_TOLERANCE):
                return code, DIAGNOSES[code].student + "."
        big = np.abs(grad) > 1e-6
        if big.any():
            factor = np.median(-step[big] / grad[big])
            if not np.isclose(factor, lr, rtol=1e-3) and np.allclose(step, -factor * grad, rtol=1e-4, atol=1e-9):
                return "ignores_lr", (f"{DIAGNOSES['ignores_lr'].student}: se actualiza U, I ← U − {factor:.3g}·dU, "
                                      f"I − {factor:.3g}·dI con lr = {lr}.")
    wrong = [part for part, cut in (("U", slice(0, model.N_U)), ("I", slice(model.N_U, None)))
             if (errors[:, cut] > STEP_TOLERANCE).any()]
    return None, f"La actualización de {' y '.join(wrong)} no es U, I ← U − lr·dU, I − lr·dI."


def check_history(replay):
    """gd:history: the global loss_history, one value per epoch, L after each epoch of the training that happened."""
    name, points = "gd:history", POINTS["gd:history"]
    history, n = replay.history, replay.n_epochs
    if history is None:
        kind = replay.run["answer"].data.get("history_type", "<missing>")
        code = "no_global_history" if kind == "<missing>" else "history_not_numbers"
        return failed(name, points, DIAGNOSES[code].student + ("" if code == "no_global_history" else f" ({kind})") + ".",
                      diagnosis=code)
    # One value per epoch the run really made (one call of gradients an epoch, or two when U moves before dI):
    # a loop that makes one epoch too few records its own epochs faithfully, and that is gd:updates' mistake.
    per_epoch = 2 if replay.calls == 2 * len(history) else 1
    if len(history) not in (n, replay.calls // per_epoch):
        return failed(name, points, f"loss_history tiene {len(history)} valores; {DIAGNOSES['history_length'].student} "
                                    f"({n}).", diagnosis="history_length")
    if replay.calls != per_epoch * len(history) or replay.not_training(returned=False):
        reason = replay.not_training(returned=False) or "no llamó a gradients una vez por epoch"
        return failed(name, points, f"No se pudo verificar loss_history: el entrenamiento {reason}.",
                      diagnosis="not_evaluated")
    readings = [training.readings(replay.theta, replay.after_steps(returned), per_epoch)
                for returned in ((True, False) if replay.returned is not None else (False,))]
    for correct, _ in readings:  # a training that diverged records inf or NaN at the same epochs
        for reading, series in correct.items():
            if training.same(history, series):
                return passed(name, points, f"loss_history es {reading}.")
    for _, wrong in readings:
        for (code, text), series in wrong.items():
            if training.same(history, series):
                return failed(name, points, f"loss_history: {text}.", diagnosis=code)
    if not np.all(np.isfinite(history)):
        return failed(name, points, DIAGNOSES["history_nan"].student + ".", diagnosis="history_nan")
    expected = readings[-1][0]["la pérdida L después de cada epoch"]
    epoch = int(np.argmax(~np.isclose(history, expected, rtol=1e-6, atol=1e-12)))
    return failed(name, points, f"{DIAGNOSES['history_not_loss'].student}: en la epoch {epoch + 1} se esperaba "
                                f"{expected[epoch]:.6g} y dice {history[epoch]:.6g}.", diagnosis="history_not_loss")


def check_converges(run, replay):
    """gd:converges: the returned U, I, which the logged steps produce, reach L < CONVERGED_BELOW by the
    grader's own L (interview.converged computed it when the run came back)."""
    name, points = "gd:converges", POINTS["gd:converges"]
    if run["loss"] is None:
        reason = replay.not_training() if replay.calls else "no llamó a gradients"
        return failed(name, points, f"No se pudo verificar que train ajuste R: {DIAGNOSES['not_trained'].student}"
                                    + (f" ({reason})." if reason else "."), diagnosis="not_trained")
    if not np.isfinite(run["loss"]):
        return failed(name, points, DIAGNOSES["diverges"].student + ".", diagnosis="diverges")
    if run["loss"] < CONVERGED_BELOW:
        return passed(name, points, f"Con las derivadas del autograder, tu train ajusta las calificaciones observadas: "
                                    f"L final {format_loss(run['loss'])} (lr = {run['lr']}, {run['n_epochs']} epochs, "
                                    f"seed = {run['seed']}).")
    return failed(name, points, f"Con lr = {run['lr']} y {run['n_epochs']} epochs, L final {run['loss']:.3g}; se espera "
                                f"< {CONVERGED_BELOW}. {DIAGNOSES['not_converged'].student}.", diagnosis="not_converged")
