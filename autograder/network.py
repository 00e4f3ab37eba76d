"""The grader's own, trusted 2-2-1 network: forward pass, loss and finite differences.

Nothing here is the students' solution: derivatives are always numerical. Every function has a
scalar form (what a sandboxed `train` calls, one sample at a time) and a batch form (what the
grader uses to verify thousands of logged steps at once).
"""
from math import exp  # bound now: a submission that patches math.exp cannot change it

import numpy as np

PARAM_NAMES = ("W1_11", "W1_12", "b1_1", "W1_21", "W1_22", "b1_2", "W2_11", "W2_12", "b2_1")
X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([0.0, 1.0, 1.0, 0.0])
FD_STEP = 1e-5  # central-difference step h: truncation ~h², round-off ~eps/h, both near 1e-10


def sigmoid(z):
    """Logistic function that never overflows, for a Python float."""
    if z >= 0:
        return 1.0 / (1.0 + exp(-z))
    ez = exp(z)
    return ez / (1.0 + ez)


def init_params(seed):
    """The 9 parameters drawn U(0,1) with numpy's default_rng(seed), as the notebook does."""
    values = np.random.default_rng(seed).uniform(0.0, 1.0, size=len(PARAM_NAMES))
    return dict(zip(PARAM_NAMES, values.tolist()))


def hidden(theta, x):
    """Hidden pre-activations (z1, z2) and activations (a1, a2) for one sample."""
    w11, w12, b11, w21, w22, b12 = theta[:6]
    z1 = w11 * x[0] + w12 * x[1] + b11
    z2 = w21 * x[0] + w22 * x[1] + b12
    return z1, z2, sigmoid(z1), sigmoid(z2)


def forward(theta, x):
    """ŷ for one sample; theta is the 9 parameters in PARAM_NAMES order."""
    _, _, a1, a2 = hidden(theta, x)
    return theta[6] * a1 + theta[7] * a2 + theta[8]


def loss(theta, x, y):
    """Per-sample loss L = (y - ŷ)²; a product, not **, so overflow gives inf, not an error."""
    error = y - forward(theta, x)
    return error * error


def numerical_gradient(theta, x, y, h=FD_STEP):
    """Central finite differences of the loss, one per parameter, as a list.

    The same differences as perturbing theta and calling `loss` 18 times, evaluated incrementally (a
    hidden parameter only moves its own unit; an output parameter only the final sum), which makes the
    gradients the grader hands to a student's `train` three times cheaper."""
    x1, x2 = x[0], x[1]
    z1, z2, a1, a2 = hidden(theta, x)
    y_hat = theta[6] * a1 + theta[7] * a2 + theta[8]

    def difference(y_plus, y_minus):
        e_plus, e_minus = y - y_plus, y - y_minus
        return (e_plus * e_plus - e_minus * e_minus) / (2 * h)

    grad = []
    for unit, (z, a, w_out) in enumerate(((z1, a1, theta[6]), (z2, a2, theta[7]))):
        rest = y_hat - w_out * a
        for slope in (x1, x2, 1.0):
            grad.append(difference(rest + w_out * sigmoid(z + h * slope), rest + w_out * sigmoid(z - h * slope)))
    for slope in (a1, a2, 1.0):
        grad.append(difference(y_hat + h * slope, y_hat - h * slope))
    return grad


def forward_batch(theta, x):
    """ŷ for many (parameters, sample) pairs: theta (..., 9), x (..., 2)."""
    with np.errstate(over="ignore"):
        z1 = theta[..., 0] * x[..., 0] + theta[..., 1] * x[..., 1] + theta[..., 2]
        z2 = theta[..., 3] * x[..., 0] + theta[..., 4] * x[..., 1] + theta[..., 5]
        a1 = 1.0 / (1.0 + np.exp(-z1))
        a2 = 1.0 / (1.0 + np.exp(-z2))
    return theta[..., 6] * a1 + theta[..., 7] * a2 + theta[..., 8]


def loss_batch(theta, x, y):
    """Per-sample loss for many (parameters, sample, target) triples."""
    with np.errstate(over="ignore", invalid="ignore"):
        return (y - forward_batch(theta, x)) ** 2


def numerical_gradient_batch(theta, x, y, h=FD_STEP):
    """`numerical_gradient` for many points at once, with the same operations: theta (N, 9) -> (N, 9)."""
    theta, x, y = np.asarray(theta, dtype=float), np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    inputs = (x[:, 0], x[:, 1], np.ones(len(x)))
    with np.errstate(over="ignore", invalid="ignore"):
        z = [theta[:, 0] * x[:, 0] + theta[:, 1] * x[:, 1] + theta[:, 2],
             theta[:, 3] * x[:, 0] + theta[:, 4] * x[:, 1] + theta[:, 5]]
        a = [1.0 / (1.0 + np.exp(-z[0])), 1.0 / (1.0 + np.exp(-z[1]))]
        y_hat = theta[:, 6] * a[0] + theta[:, 7] * a[1] + theta[:, 8]

        def difference(y_plus, y_minus):
            e_plus, e_minus = y - y_plus, y - y_minus
            return (e_plus * e_plus - e_minus * e_minus) / (2 * h)

        columns = []
        for unit in (0, 1):
            w_out = theta[:, 6 + unit]
            rest = y_hat - w_out * a[unit]
            for slope in inputs:
                plus = 1.0 / (1.0 + np.exp(-(z[unit] + h * slope)))
                minus = 1.0 / (1.0 + np.exp(-(z[unit] - h * slope)))
                columns.append(difference(rest + w_out * plus, rest + w_out * minus))
        for slope in (a[0], a[1], inputs[2]):
            columns.append(difference(y_hat + h * slope, y_hat - h * slope))
    return np.column_stack(columns)


def mse_batch(theta):
    """MSE over the 4 XOR samples for each parameter vector in theta (N, 9) -> (N,)."""
    theta = np.asarray(theta, dtype=float)
    per_sample = loss_batch(theta[:, None, :], X_XOR[None, :, :], Y_XOR[None, :])
    return per_sample.mean(axis=1)


def rel_error(expected, got, floor=1e-2):
    """CS231n-style relative error with a floor in the denominator, so ~0 gradients compare absolutely."""
    return np.abs(expected - got) / np.maximum(floor, np.abs(expected) + np.abs(got))
