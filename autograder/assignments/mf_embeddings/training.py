"""Reading a training run: was it a training, and what per-epoch series could it record?

A run is what the grader saw of it: the embeddings θ_k = (U, I) at each call to `gradients`, the ratings R
of the call, the derivatives g_k the call got, and the embeddings train returned. It is a training when the
embeddings come out of steps along those derivatives, from an initialisation the exercise allows:

- it starts inside U(0,1) (init_embeddings draws there; a loop that draws its own start is gd:updates'
  mistake, not a made-up answer);
- every call is on the given R;
- every change of (U, I) is −c·m⊙(g_j + … + g_k), the derivatives got since the previous change (at most
  CALLS_PER_EPOCH of them), with one constant c (lr, or the wrong step of a loop that ignores lr, negative
  for gradient ascent) and a mask m that moves U, I or both (a loop that updates U before asking for dI
  moves one at a time; one that never moves I is gd:updates' mistake).

A made-up, hard-coded or copied (U, I) is none of that. The steps after a run blew up (|θ| > 1e8, or not
finite) are not read: only overflow is left there.
"""
import numpy as np

from . import model
from .given import R

STEP_TOLERANCE = 1e-9  # student and grader compute the same float steps: this is round-off only
EXPLAIN_TOLERANCE = 1e-5  # a step's round-off when the loop computes in float32 (a made-up θ is off by O(1))
MAX_WINDOW = 2  # derivatives one step may combine (CALLS_PER_EPOCH)
PARTS = (slice(0, model.N_U), slice(model.N_U, model.N_PARAMS))  # U's entries, I's entries
GIVEN = R.reshape(-1)


def given_ratings(ratings):
    """Which calls were made on the given R: a boolean array."""
    return np.all(ratings == GIVEN[None, :], axis=1)


def sane_calls(theta, grad):
    """How many leading calls are before the run blew up (finite, |θ| < BLOWN_UP, finite derivatives)."""
    with np.errstate(invalid="ignore"):
        sane = np.all(np.isfinite(theta) & (np.abs(theta) < model.BLOWN_UP), axis=1) & np.all(np.isfinite(grad), axis=1)
    return len(sane) if sane.all() else int(np.argmin(sane))


def steps(theta, grad, returned=None):
    """The changes of θ between calls (and to the returned θ): [(index of the state before, change, sum of the
    derivatives since the previous change, the calls they came from)]."""
    states = theta if returned is None else np.vstack([theta, returned[None, :]])
    found, window, calls = [], np.zeros(theta.shape[1]), []
    for k in range(len(states) - 1):
        window, calls = window + grad[k], calls + [k]
        change = states[k + 1] - states[k]
        if change.any():
            found.append((k, change, window, calls))
            window, calls = np.zeros(theta.shape[1]), []
    return found


def masks(changes):
    """Per step, the 0/1 mask of the parts (U, I) it moved: (S, 22)."""
    mask = np.zeros(changes.shape)
    for part in PARTS:
        mask[:, part] = np.any(changes[:, part] != 0, axis=1, keepdims=True)
    return mask


def explain(theta, grad, ratings, returned=None, tolerance=EXPLAIN_TOLERANCE):
    """'' when the run is a training (see the module's docstring), else why not, in Spanish. `ratings` is
    (C, 30) of the R of each call, or a boolean array saying which calls were on the given R."""
    if len(theta) == 0:
        return "no llamó a gradients"
    if not (np.all(np.isfinite(theta[0])) and np.all((theta[0] >= 0) & (theta[0] <= 1))):
        return "no empieza de embeddings inicializados con U(0, 1)"
    on_given = ratings if ratings.dtype == bool else given_ratings(ratings)
    if not np.all(on_given):
        return "llamó a gradients con otra matriz R, no la que recibió"
    kept = sane_calls(theta, grad)
    if kept < len(theta):  # blew up: only the steps before it are read, and not the returned θ
        theta, grad, returned = theta[:kept], grad[:kept], None
    if returned is not None and not np.all(np.isfinite(returned)):
        return "los embeddings devueltos no son números finitos"
    found = steps(theta, grad, returned)
    if not found:
        return ""
    changes = np.array([change for _, change, _, _ in found])
    sums = np.array([window for _, _, window, _ in found]) * masks(changes)
    # One factor for all steps, by least squares: the big early steps fix it; late steps that round to nothing
    # (a trained model's tiny derivatives) weigh nothing, and are still checked below.
    with np.errstate(all="ignore"):
        weight = float(np.sum(sums ** 2))
        factor = -float(np.sum(changes * sums)) / weight if weight > 0 else 0.0
        before = np.array([theta[k] for k, _, _, _ in found])
        residual = np.abs(changes + factor * sums) / (1.0 + np.abs(before))
        # A derivative whose step rounds to nothing leaves θ as it was: it does not make a step combine more.
        vanishing = np.all(np.abs(factor * grad) <= tolerance * (1.0 + np.abs(theta)), axis=1)
    if not np.all(residual <= tolerance):
        return "los embeddings no salen de pasos a lo largo de las derivadas que recibió"
    if any(sum(not vanishing[j] for j in calls if j < len(vanishing)) > MAX_WINDOW for _, _, _, calls in found):
        return f"un paso combina más derivadas que las de {MAX_WINDOW} llamadas"
    return ""


def epoch_states(theta, after, per_epoch):
    """(θ before each epoch, θ after each epoch) of a run that called gradients `per_epoch` times an epoch."""
    n = len(theta) // per_epoch
    return theta[0:n * per_epoch:per_epoch], after[per_epoch - 1:n * per_epoch:per_epoch]


def losses(states, given=R):
    """L of each state (S, 22) on the ratings `given`."""
    users, items = model.split(states)
    return model.loss_batch(users, items, given)


def readings(theta, after, per_epoch=1):
    """Per-epoch series a faithful loop may record, and the usual wrong ones: (correct, wrong), where correct
    is {name: series} and wrong is {(diagnosis, text): series}. `after` is θ after each call."""
    before, done = epoch_states(theta, after, per_epoch)
    count = int(np.count_nonzero(R))
    after_loss = losses(done)
    users, items = model.split(done)
    correct = {"la pérdida L después de cada epoch": after_loss}
    wrong = {
        ("history_before_epoch", "registrás L antes de actualizar: calculala después de actualizar U e I"):
            losses(before),
        ("history_mean", f"promediaste los errores (dividiste por las {count} calificaciones): L es la suma"):
            after_loss / count,
        ("history_rmse", "es la raíz del error cuadrático medio (RMSE), no L"): np.sqrt(after_loss / count),
        ("history_with_missing", "sumaste también las entradas faltantes (R = 0): L suma solo las calificaciones "
                                 "observadas"): model.full_loss_batch(users, items, R),
    }
    return correct, wrong


def same(history, series, rtol=1e-6):
    """Whether a recorded history equals a series: close where both are finite, and not finite at the same
    epochs (a run that diverged: which of inf or NaN overflow leaves depends on the order of the sums)."""
    if history.shape != series.shape:
        return False
    finite = np.isfinite(history)
    with np.errstate(all="ignore"):
        return bool(np.array_equal(finite, np.isfinite(series))
                    and np.allclose(history[finite], series[finite], rtol=rtol, atol=1e-12))
