"""The grader's own loss and its exact gradient (never imported by the child).

The gradient is never a formula written here: it comes out of the loss itself, by forward-mode automatic
differentiation. The loss is evaluated on dual numbers, values that carry their derivative with respect to
all 22 embedding entries (12 of U, 10 of I), so one evaluation gives L and ∂L/∂U, ∂L/∂I together.
- On float64 arrays (`exact_gradient`, `exact_gradient_batch`): exact to machine precision, for the calls
  the grader serves while a student's train runs and for the judges.
- On `fractions.Fraction` (`exact_gradient_fraction`): L is a polynomial of the entries, and a float is an
  exact rational, so the derivative comes out with no rounding at all; the self-check's literals are those
  values rounded once, the same digits on every machine.
The tests hold both against the closed form −2·E·I, −2·Eᵀ·U written out independently.
"""
from fractions import Fraction

import numpy as np

from .given import K, N_ITEMS, N_USERS, R, SHAPES, init_embeddings  # noqa: F401  (the model's names, with the data)

N_U, N_I = N_USERS * K, N_ITEMS * K  # entries of U and of I
N_PARAMS = N_U + N_I
BLOWN_UP = 1e8  # |entry| beyond which a run has blown up: only overflow is left to read there


class Dual:
    """value + tangent·ε with ε² = 0, on arrays: `tangent` has the value's shape plus one last axis, the
    derivative with respect to each parameter."""

    __slots__ = ("value", "tangent")
    __array_ufunc__ = None  # numpy arrays defer to Dual's own operators

    def __init__(self, value, tangent):
        self.value, self.tangent = value, tangent

    def spread(self, shape):
        """The tangent broadcast to a value of `shape`."""
        return np.broadcast_to(self.tangent, tuple(shape) + self.tangent.shape[-1:])

    def __add__(self, other):
        if isinstance(other, Dual):
            return Dual(self.value + other.value, self.tangent + other.tangent)
        value = self.value + other
        return Dual(value, self.spread(np.shape(value)))

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.value, -self.tangent)

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, Dual):
            return Dual(self.value * other.value,
                        self.value[..., None] * other.tangent + other.value[..., None] * self.tangent)
        other = np.asarray(other)
        return Dual(self.value * other, self.tangent * other[..., None])

    __rmul__ = __mul__

    def __getitem__(self, index):
        index = index if isinstance(index, tuple) else (index,)
        return Dual(self.value[index], self.tangent[index + (slice(None),)])

    def sum(self, axis):
        """The sum over one (negative) axis of the value."""
        return Dual(self.value.sum(axis), self.tangent.sum(axis - 1))


def predictions(U, I):
    """R̂_ui = U_u · I_i for every user and item (the slide's inner product), over any leading batch axes."""
    return (U[..., :, None, :] * I[..., None, :, :]).sum(-1)


def loss(U, I, R):
    """L = Σ over R_ui ≠ 0 of (R_ui − U_u · I_i)², for floats, Fractions or Duals, one point or a batch. A
    product, not **, so that a run that overflowed gives inf, not an error."""
    observed = np.asarray(R != 0)
    error = (R - predictions(U, I)) * observed
    return (error * error).sum(-1).sum(-1)


def as_duals(U, I, one=1.0, zero=0.0):
    """U and I as Duals: entry k of (U, I) flattened carries row k of the identity."""
    basis = np.full((N_PARAMS, N_PARAMS), zero, dtype=object if isinstance(one, Fraction) else float)
    np.fill_diagonal(basis, one)
    batch = U.shape[:-2]
    users = basis[:N_U].reshape(N_USERS, K, N_PARAMS)
    items = basis[N_U:].reshape(N_ITEMS, K, N_PARAMS)
    return (Dual(U, np.broadcast_to(users, batch + users.shape)),
            Dual(I, np.broadcast_to(items, batch + items.shape)))


def split(flat):
    """(dU, dI) from the 22 derivatives (or a batch of them, on the last axis)."""
    flat = np.asarray(flat)
    return (flat[..., :N_U].reshape(flat.shape[:-1] + (N_USERS, K)),
            flat[..., N_U:].reshape(flat.shape[:-1] + (N_ITEMS, K)))


def exact_gradient_batch(U, I, R):
    """(dU (N, 6, 2), dI (N, 5, 2)) for N points at once; R is (6, 5) or (N, 6, 5)."""
    U, I, R = (np.asarray(a, dtype=float) for a in (U, I, R))
    with np.errstate(all="ignore"):  # a run that diverged gives inf or NaN here, and fails its check
        result = loss(*as_duals(U, I), R)
    return split(result.tangent)


def exact_gradient(U, I, R):
    """(dU, dI) at one point, float64."""
    dU, dI = exact_gradient_batch(np.asarray(U, dtype=float)[None], np.asarray(I, dtype=float)[None],
                                  np.asarray(R, dtype=float))
    return dU[0], dI[0]


def fractions(values):
    """An object array of exact Fractions of float values (a float is an exact binary rational)."""
    return np.vectorize(lambda v: Fraction(float(v)), otypes=[object])(np.asarray(values, dtype=float))


def exact_gradient_fraction(U, I, R):
    """(dU, dI) at one point as object arrays of Fractions: no rounding anywhere."""
    users, items = as_duals(fractions(U), fractions(I), one=Fraction(1), zero=Fraction(0))
    return split(loss(users, items, fractions(R)).tangent)


def loss_batch(U, I, R):
    """L of many points: U (N, 6, 2), I (N, 5, 2), R (6, 5) or (N, 6, 5) -> (N,), float64."""
    U, I, R = (np.asarray(a, dtype=float) for a in (U, I, R))
    with np.errstate(all="ignore"):
        return loss(U, I, R)


def full_loss_batch(U, I, R):
    """Σ over every entry, missing ones (R = 0) included: a usual wrong reading of L."""
    U, I, R = (np.asarray(a, dtype=float) for a in (U, I, R))
    with np.errstate(all="ignore"):
        error = R - predictions(U, I)
        return (error * error).sum(-1).sum(-1)


def flat(U, I):
    """The 22 entries of (U, I) as one vector (or a batch of them): U's first, row by row."""
    U, I = np.asarray(U, dtype=float), np.asarray(I, dtype=float)
    return np.concatenate([U.reshape(U.shape[:-2] + (N_U,)), I.reshape(I.shape[:-2] + (N_I,))], axis=-1)


def rel_error(expected, got, floor=1e-2):
    """CS231n-style relative error with a floor in the denominator, so ~0 derivatives compare absolutely."""
    return np.abs(expected - got) / np.maximum(floor, np.abs(expected) + np.abs(got))
