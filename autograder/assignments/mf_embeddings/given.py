"""The exercise's given code, as the notebook gives it: the ratings R, K, the settings of the plot cell,
init_embeddings and the loss. Shared by the grader's model and by the child (it holds no answer).

R was generated from true rank-2 embeddings (6 users and 5 movies with half-star ratings, 8 of the 30
left out as missing), so K = 2 embeddings fit every observed rating exactly. The missing pattern is one
where full-batch gradient descent from U(0,1) reaches that fit from every seed measured
(benchmarks/mf_convergence.py); on most random patterns a quarter of the seeds stall in a local minimum.
"""
import numpy as np

R = np.array([
    [0.0, 3.0, 4.0, 3.5, 2.5],
    [4.0, 1.0, 5.0, 3.0, 4.5],
    [1.0, 0.0, 3.0, 2.5, 0.0],
    [2.0, 3.0, 0.0, 0.0, 3.5],
    [1.0, 4.0, 5.0, 4.5, 0.0],
    [0.0, 2.0, 0.0, 3.5, 4.0],
])
K = 2
LR, N_EPOCHS = 0.02, 500  # the plot cell's settings
N_USERS, N_ITEMS = R.shape
SHAPES = {"U": (N_USERS, K), "I": (N_ITEMS, K), "R": (N_USERS, N_ITEMS)}


def init_embeddings(seed):
    """(U, I) drawn U(0,1) with numpy's default_rng(seed), U first, as the notebook does."""
    rng = np.random.default_rng(seed)
    users = rng.uniform(0.0, 1.0, size=(N_USERS, K))
    items = rng.uniform(0.0, 1.0, size=(N_ITEMS, K))
    return users, items


def loss(U, I, R):
    """L = Σ over R_ui ≠ 0 of (R_ui − U_u · I_i)², as the notebook gives it."""
    observed = R != 0
    errors = (R - U @ I.T)[observed]
    return float(np.sum(errors ** 2))
