"""The grader's own 2-2-1 network: forward pass, loss, and its exact gradient (never imported by the child).

The gradient is never a formula written here: it comes out of the forward pass itself, two ways.
- Dual numbers (forward-mode automatic differentiation): the forward pass evaluated on values that
  carry their derivative with respect to all 9 parameters. Exact to machine precision on numpy arrays
  (`exact_gradient_batch`: thousands of logged steps at once) and to any precision on `decimal.Decimal`
  (`exact_gradient_decimal`: the self-check's expected values, which must print the same digits on
  every CPU).
- The complex step (Squire & Trapp 1998): Im L(θ + ih·e_k) / h with h = 1e-30, exact to machine precision
  with no cancellation (`exact_gradient`, for one sample). A sandboxed `train` calls it 8,000 times per
  run, and Python's complex arithmetic makes it several times cheaper than dual numbers there.
The tests hold both against a symbolic oracle at 40 digits.
"""
from cmath import exp as complex_exp  # bound now: a submission that patches cmath or math cannot change them
from math import exp as float_exp

import numpy as np

from .given import PARAM_NAMES, X_XOR, Y_XOR, init_params  # noqa: F401  (the model's names, with the data)

EXP_LIMIT = 700.0  # exp() of more overflows a float64; σ is flat (σ' < 1e-300) far before that


class Dual:
    """value + tangent·ε with ε² = 0: evaluating f on Duals gives f and its derivatives, exactly."""

    __slots__ = ("value", "tangent")
    __array_ufunc__ = None  # numpy arrays and scalars defer to Dual's own operators

    def __init__(self, value, tangent):
        self.value, self.tangent = value, tangent

    def __add__(self, other):
        if isinstance(other, Dual):
            return Dual(self.value + other.value, self.tangent + other.tangent)
        return Dual(self.value + other, self.tangent)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.value, -self.tangent)

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, Dual):
            return Dual(self.value * other.value, self.value * other.tangent + other.value * self.tangent)
        return Dual(self.value * other, self.tangent * other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, Dual):
            quotient = self.value / other.value
            return Dual(quotient, (self.tangent - quotient * other.tangent) / other.value)
        return Dual(self.value / other, self.tangent / other)

    def __rtruediv__(self, other):
        quotient = other / self.value
        return Dual(quotient, -quotient * self.tangent / self.value)


def exp(z):
    """e^z for a float, an array, a Decimal or a Dual of any of them (exp' = exp)."""
    if isinstance(z, Dual):
        value = exp(z.value)
        return Dual(value, value * z.tangent)
    if isinstance(z, np.ndarray):
        return np.exp(np.clip(z, -EXP_LIMIT, EXP_LIMIT))
    if isinstance(z, float):
        return float_exp(min(max(z, -EXP_LIMIT), EXP_LIMIT))
    return z.exp()  # decimal.Decimal: correctly rounded, the same digits on every machine


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z))."""
    return 1 / (1 + exp(-z))


def hidden(theta, x):
    """Hidden pre-activations (z1, z2) and activations (a1, a2) for one sample (or many)."""
    w11, w12, b11, w21, w22, b12 = theta[:6]
    z1 = w11 * x[0] + w12 * x[1] + b11
    z2 = w21 * x[0] + w22 * x[1] + b12
    return z1, z2, sigmoid(z1), sigmoid(z2)


def forward(theta, x):
    """ŷ for one sample; theta is the 9 parameters in PARAM_NAMES order (floats, arrays, Decimals or Duals)."""
    _, _, a1, a2 = hidden(theta, x)
    return theta[6] * a1 + theta[7] * a2 + theta[8]


def loss(theta, x, y):
    """Per-sample loss L = (y - ŷ)²; a product, not **, so overflow gives inf, not an error."""
    error = y - forward(theta, x)
    return error * error


IDENTITY = np.eye(len(PARAM_NAMES))


def as_duals(theta, basis):
    """The 9 parameters as Duals: parameter k carries row k of the identity, ∂θ/∂θ_k = e_k."""
    return [Dual(value, basis[k]) for k, value in enumerate(theta)]


COMPLEX_STEP = 1e-30  # h: far below any rounding of the real part, and Im f(x + ih) / h has no subtraction


def complex_sigmoid(z):
    """σ(z) for a complex z near the real axis, without overflow (e^(-z) or e^z, whichever is small)."""
    if z.real >= 0:
        return 1 / (1 + complex_exp(-z))
    ez = complex_exp(z)
    return ez / (1 + ez)


def exact_gradient(theta, x, y):
    """∂L/∂θ for one sample, as a list of 9 floats, by the complex step: Im L(θ + ih·e_k) / h. Evaluated
    incrementally: moving a hidden parameter changes only its own unit; moving an output one, only the sum."""
    theta = [float(value) for value in theta]
    x1, x2, y, step = float(x[0]), float(x[1]), float(y), 1j * COMPLEX_STEP
    z1, z2, a1, a2 = hidden(theta, (x1, x2))
    y_hat = theta[6] * a1 + theta[7] * a2 + theta[8]

    def slope(moved_y_hat):
        error = y - moved_y_hat
        return (error * error).imag / COMPLEX_STEP

    grad = []
    for z, a, w_out in ((z1, a1, theta[6]), (z2, a2, theta[7])):
        rest = y_hat - w_out * a
        grad += [slope(rest + w_out * complex_sigmoid(z + step * factor)) for factor in (x1, x2, 1.0)]
    grad += [slope(y_hat + step * factor) for factor in (a1, a2, 1.0)]
    return grad


def exact_gradient_batch(theta, x, y):
    """∂L/∂θ for many (parameters, sample, target) triples at once: theta (N, 9), x (N, 2), y (N,) -> (N, 9)."""
    theta, x, y = np.asarray(theta, dtype=float), np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(all="ignore"):  # a run that diverged gives inf or NaN here, and fails its check
        result = loss(as_duals(theta.T[:, :, None], IDENTITY[:, None, :]), (x[:, 0:1], x[:, 1:2]), y[:, None])
    return np.broadcast_to(result.tangent, (len(theta), len(PARAM_NAMES))).copy()


def exact_gradient_decimal(theta, x, y, digits=40):
    """∂L/∂θ with `digits` significant digits, as Decimals: the same digits on every machine."""
    from decimal import Decimal, localcontext

    def decimal(value):
        return Decimal(repr(float(value)))  # the float's shortest repr: exact enough, and portable

    with localcontext() as context:
        context.prec = digits
        basis = np.array([[Decimal(int(j == k)) for j in range(9)] for k in range(9)], dtype=object)
        result = loss(as_duals([decimal(v) for v in theta], basis), (decimal(x[0]), decimal(x[1])), decimal(y))
        return [+value for value in result.tangent]  # unary + rounds to the context's precision


def forward_batch(theta, x):
    """ŷ for many (parameters, sample) pairs: theta (..., 9), x (..., 2)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return forward(np.moveaxis(theta, -1, 0), np.moveaxis(x, -1, 0))


def loss_batch(theta, x, y):
    """Per-sample loss for many (parameters, sample, target) triples."""
    with np.errstate(over="ignore", invalid="ignore"):
        return (y - forward_batch(theta, x)) ** 2


def mse_batch(theta):
    """MSE over the 4 XOR samples for each parameter vector in theta (N, 9) -> (N,)."""
    theta = np.asarray(theta, dtype=float)
    per_sample = loss_batch(theta[:, None, :], X_XOR[None, :, :], Y_XOR[None, :])
    return per_sample.mean(axis=1)


def rel_error(expected, got, floor=1e-2):
    """CS231n-style relative error with a floor in the denominator, so ~0 gradients compare absolutely."""
    return np.abs(expected - got) / np.maximum(floor, np.abs(expected) + np.abs(got))
