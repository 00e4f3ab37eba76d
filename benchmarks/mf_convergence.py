"""The figures behind mf_embeddings' thresholds: `python benchmarks/mf_convergence.py [SEEDS]`.

1. Convergence (descent.py, CONVERGED_BELOW): full-batch descent with the exact derivatives from
   init_embeddings(seed), at the graded settings (interview.LR, N_EPOCHS) and at the notebook's (given.LR,
   N_EPOCHS): the largest final L over SEEDS seeds, and L at a fifth of the epochs (a run cut short).
2. Derivation (gradients.py, PRECISION): at precision points, the worst relative error of derived styles
   (matrix products, loops) and the best of central differences of L over a range of steps.
"""
import sys

import numpy as np

from autograder.assignments.mf_embeddings import given, gradients, interview, model


def descend(seed, lr, n_epochs):
    """L after every epoch of exact full-batch descent from init_embeddings(seed)."""
    U, I = given.init_embeddings(seed)
    mask, history = given.R != 0, []
    for _ in range(n_epochs):
        E = np.where(mask, given.R - U @ I.T, 0.0)
        U, I = U + 2 * lr * E @ I, I + 2 * lr * E.T @ U
        history.append(given.loss(U, I, given.R))
    return np.array(history)


def convergence(seeds):
    print(f"1. Convergence over {seeds} seeds (CONVERGED_BELOW = {interview.CONVERGED_BELOW})")
    for label, lr, n in (("graded", interview.LR, interview.N_EPOCHS), ("notebook", given.LR, given.N_EPOCHS)):
        runs = np.array([descend(seed, lr, n) for seed in range(seeds)])
        print(f"   {label:8s} lr = {lr}, {n} epochs: final L max {runs[:, -1].max():.2g}, median "
              f"{np.median(runs[:, -1]):.2g}; at epoch {n // 5} min {runs[:, n // 5 - 1].min():.2g}")


def derived_styles(U, I, R):
    """(dU, dI) of two derived styles: matrix products, and loops over the observed ratings."""
    E = np.where(R != 0, R - U @ I.T, 0.0)
    yield -2 * E @ I, -2 * E.T @ U
    dU, dI = np.zeros_like(U), np.zeros_like(I)
    for u, i in zip(*np.nonzero(R)):
        e = R[u, i] - U[u] @ I[i]
        dU[u] -= 2 * e * I[i]
        dI[i] -= 2 * e * U[u]
    yield dU, dI


def central(U, I, R, h):
    """(dU, dI) by central differences of the given loss with step h."""
    out = []
    for which in (0, 1):
        pair = [U.copy(), I.copy()]
        d = np.zeros_like(pair[which])
        for index in np.ndindex(d.shape):
            old = pair[which][index]
            pair[which][index] = old + h
            up = given.loss(*pair, R)
            pair[which][index] = old - h
            down = given.loss(*pair, R)
            pair[which][index] = old
            d[index] = (up - down) / (2 * h)
        out.append(d)
    return out


def worst(exact, got):
    return max(float(np.max(model.rel_error(e, g))) for e, g in zip(exact, got))


def derivation(count=200):
    rng = np.random.default_rng(7)
    derived, best = 0.0, []
    for U, I, R in interview.precision_points(rng, count):
        exact = model.exact_gradient(U, I, R)
        derived = max([derived] + [worst(exact, got) for got in derived_styles(U, I, R)])
        best.append(min(worst(exact, central(U, I, R, h)) for h in 10.0 ** np.arange(-6, 7, 2)))
    best = np.array(best)
    share = float(np.mean(best < gradients.PRECISION))
    points = interview.VISIBLE_PRECISION + interview.HIDDEN_PRECISION
    print(f"2. Derivation over {count} precision points (PRECISION = {gradients.PRECISION})")
    print(f"   worst derived style {derived:.2g}; best central difference of L (h = 1e-6 … 1e6) per point: median "
          f"{np.median(best):.2g}, below PRECISION at {share:.0%} of the points, so at all {points} of a notebook "
          f"with probability ≈ {share ** points:.1g} (the source analysis finds the difference anyway)")


if __name__ == "__main__":
    convergence(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    derivation()
