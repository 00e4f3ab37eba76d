"""Measure how often correct SGD solves XOR, and the false-failure rate of the grader's convergence rule.

    python benchmarks/convergence.py [--seeds 200] [--trials 2000]

All runs of a table row train at once, vectorised over seeds, with the grader's own numerical gradients.
"""
import argparse

import numpy as np

from autograder.assignments.xor_sgd import interview as sgd_checks  # the rule: LR, N_EPOCHS, SEEDS, plan_runs
from autograder.assignments.xor_sgd import model as network


def train_many(init, lr, n_epochs, order_rng=None):
    """Per-sample SGD for many initial parameter vectors at once; final MSE of each."""
    theta = init.copy()
    count = len(theta)
    for _ in range(n_epochs):
        orders = (np.tile(np.arange(4), (count, 1)) if order_rng is None
                  else np.argsort(order_rng.random((count, 4)), axis=1))
        for position in range(4):
            sample = orders[:, position]
            theta -= lr * network.exact_gradient_batch(theta, network.X_XOR[sample], network.Y_XOR[sample])
    return network.mse_batch(theta)


def inits(seeds):
    return np.array([[network.init_params(s)[n] for n in network.PARAM_NAMES] for s in seeds])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--trials", type=int, default=2000)
    args = parser.parse_args()
    print(f"Share of {args.seeds} seeds reaching MSE < {sgd_checks.CONVERGED_BELOW} (U(0,1) init):")
    print(f"{'order':<9}{'lr':>5}{'epochs':>8}{'share':>8}")
    for order in ("fixed", "shuffled"):
        for lr, n_epochs in ((0.5, 2000), (sgd_checks.LR, sgd_checks.N_EPOCHS), (0.2, 5000), (0.1, 5000)):
            rng = None if order == "fixed" else np.random.default_rng(1)
            final = train_many(inits(range(args.seeds)), lr, n_epochs, rng)
            print(f"{order:<9}{lr:>5}{n_epochs:>8}{np.mean(final < sgd_checks.CONVERGED_BELOW):>8.1%}")
    seeds = [run[2] for run in sgd_checks.plan_runs()]
    print(f"\nThe rule: up to {len(seeds)} runs (seeds {seeds}), lr {sgd_checks.LR}, {sgd_checks.N_EPOCHS} epochs; "
          "pass if any run converges.")
    fixed = train_many(inits(seeds), sgd_checks.LR, sgd_checks.N_EPOCHS)
    print(f"fixed order: runs converged {int(np.sum(fixed < sgd_checks.CONVERGED_BELOW))}/{len(seeds)} "
          f"-> false failures {0 if fixed.min() < sgd_checks.CONVERGED_BELOW else 1}")
    trial_inits = np.repeat(inits(seeds), args.trials, axis=0)
    final = train_many(trial_inits, sgd_checks.LR, sgd_checks.N_EPOCHS, np.random.default_rng(2))
    converged = (final < sgd_checks.CONVERGED_BELOW).reshape(len(seeds), args.trials)
    per_run = converged.mean()
    print(f"shuffled every epoch: one run converges {per_run:.1%}; {args.trials} graded trials failed: "
          f"{int(np.sum(~converged.any(axis=0)))} (expected rate (1-p)^{len(seeds)} = {(1 - per_run) ** len(seeds):.1e})")


if __name__ == "__main__":
    main()
