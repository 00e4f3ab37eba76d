"""Reading a training run: was it a training, and what per-epoch series could it record?

A run is what the grader saw of it: the parameters θ_k at each call to `gradients`, the sample (x_k, y_k)
of the call, the gradient g_k the call got, and the parameters train returned. It is a training when the
parameters come out of steps along those gradients, from an initialisation the exercise allows:

- it starts inside U(0,1)⁹ (init_params draws there; a loop that draws its own start is sgd:updates'
  mistake, not a made-up answer);
- every call is one of the 4 XOR samples;
- every change of θ is −c·m⊙(g_j + … + g_k), the gradients got since the previous change (at most 4: a
  sample, or an epoch in batch), with one constant c (lr, or the wrong step of a loop that ignores lr,
  negative for gradient ascent) and one fixed 0/1 mask m (a loop that updates only the output layer).

A made-up, hard-coded or copied θ is none of that; SGD, batch descent, a wrong learning rate or sign, and
a frozen layer all are (their own mistakes are sgd:updates'). The steps after a run blew up (|θ| > 1e8,
or not finite) are not read: only overflow is left there.
"""
import numpy as np

from . import model

STEP_TOLERANCE = 1e-9  # student and grader compute the same float steps: this is round-off only
EXPLAIN_TOLERANCE = 1e-5  # a step's round-off when the loop computes in float32 (a made-up θ is off by O(1))
BLOWN_UP = 1e8
MAX_WINDOW = 4  # gradients a step may combine: one epoch of XOR
XOR_SAMPLES = np.column_stack([model.X_XOR, model.Y_XOR])


def sample_codes(samples):
    """The XOR sample (0..3) of each call's (x1, x2, y), or -1 when it is not one."""
    matches = np.all(samples[:, None, :] == XOR_SAMPLES[None, :, :], axis=2)
    return np.where(matches.any(axis=1), matches.argmax(axis=1), -1)


def sane_calls(theta, grad):
    """How many leading calls are before the run blew up (finite, |θ| < BLOWN_UP, finite gradient)."""
    with np.errstate(invalid="ignore"):
        sane = np.all(np.isfinite(theta) & (np.abs(theta) < BLOWN_UP), axis=1) & np.all(np.isfinite(grad), axis=1)
    return len(sane) if sane.all() else int(np.argmin(sane))


def steps(theta, grad, returned=None):
    """The changes of θ between calls (and to the returned θ): [(index of the state before, change, sum of the
    gradients since the previous change, how many of them)]."""
    states = theta if returned is None else np.vstack([theta, returned[None, :]])
    found, window, count = [], np.zeros(theta.shape[1]), []
    for k in range(len(states) - 1):
        window, count = window + grad[k], count + [k]
        change = states[k + 1] - states[k]
        if change.any():
            found.append((k, change, window, count))
            window, count = np.zeros(theta.shape[1]), []
    return found


def explain(theta, grad, samples, returned=None, tolerance=EXPLAIN_TOLERANCE):
    """'' when the run is a training (see the module's docstring), else why not, in Spanish."""
    if len(theta) == 0:
        return "no llamó a gradients"
    if not (np.all(np.isfinite(theta[0])) and np.all((theta[0] >= 0) & (theta[0] <= 1))):
        return "no empieza de parámetros inicializados con U(0, 1)"
    if np.any(sample_codes(samples) < 0):
        return "llamó a gradients con muestras que no son las de XOR"
    kept = sane_calls(theta, grad)
    if kept < len(theta):  # blew up: only the steps before it are read, and not the returned θ
        theta, grad, returned = theta[:kept], grad[:kept], None
    if returned is not None and not np.all(np.isfinite(returned)):
        return "los params devueltos no son números finitos"
    found = steps(theta, grad, returned)
    if not found:
        return ""
    changes = np.array([change for _, change, _, _ in found])
    sums = np.array([window for _, _, window, _ in found])
    mask = np.any(changes != 0, axis=0)
    # One factor for all steps, by least squares: the big early steps fix it; late steps that round to nothing
    # (a trained network's tiny gradients) weigh nothing, and are still checked below.
    with np.errstate(all="ignore"):
        weight = float(np.sum((sums * mask) ** 2))
        factor = -float(np.sum(changes * sums * mask)) / weight if weight > 0 else 0.0
        before = np.array([theta[k] for k, _, _, _ in found])
        residual = np.abs(changes + factor * mask * sums) / (1.0 + np.abs(before))
        # A gradient whose step rounds to nothing leaves θ as it was: it does not make a step combine more.
        vanishing = np.all(np.abs(factor * mask * grad) <= tolerance * (1.0 + np.abs(theta)), axis=1)
    if not np.all(residual <= tolerance):
        return "los parámetros no salen de pasos a lo largo de los gradientes que recibió"
    if any(sum(not vanishing[j] for j in calls if j < len(vanishing)) > MAX_WINDOW for _, _, _, calls in found):
        return f"un paso combina más gradientes que los de una epoch ({MAX_WINDOW})"
    return ""


def readings(theta, samples, after):
    """Per-epoch series a faithful loop may record, and the usual wrong ones: (correct, wrong), where
    correct is {name: series} and wrong is {(diagnosis, text): series}. `after` is θ after each call."""
    n = len(theta) // 4
    theta, samples, after = theta[:4 * n], samples[:4 * n], after[:4 * n]
    x, y = samples[:, :2], samples[:, 2]
    loss_before = model.loss_batch(theta, x, y).reshape(n, 4)
    loss_after = model.loss_batch(after, x, y).reshape(n, 4)
    mse_after = model.mse_batch(after[3::4])
    correct = {
        "el MSE después de cada epoch": mse_after,
        "la media de los errores por muestra durante la epoch": loss_before.mean(axis=1),
        "la media de los errores por muestra, medidos después de cada actualización": loss_after.mean(axis=1),
    }
    wrong = {
        ("history_summed", "sumaste los errores en lugar de promediarlos: MSE = 1/4 · Σ (y_i − ŷ_i)²"): 4 * mse_after,
        ("history_summed", "sumaste los errores de la epoch en lugar de promediarlos"): loss_before.sum(axis=1),
        ("history_rmse", "es la raíz del MSE (RMSE), no el MSE"): np.sqrt(mse_after),
        ("history_before_epoch", "registrás el MSE antes de recorrer la epoch: calculalo después de las 4 "
                                 "actualizaciones"): model.mse_batch(theta[0::4]),
    }
    return correct, wrong


def same(history, series, rtol=1e-6):
    """Whether a recorded history equals a series (NaN where it has NaN: a run that diverged)."""
    with np.errstate(all="ignore"):
        return history.shape == series.shape and np.allclose(history, series, rtol=rtol, atol=1e-12, equal_nan=True)
