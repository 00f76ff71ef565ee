"""Gradient descent: GD, SGD and mini-batch GD differ only in the gradient the oracle gives."""
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report


class SGDHyper(NamedTuple):
    lr: float


class SGDState(NamedTuple):
    pass


@njit(inline="always")
def sgd(hp, s, x, y, t, lr, orc, u):
    """Gradient descent (Robbins & Monro 1951; torch.optim.SGD without momentum).

    θ_t = θ_{t-1} − η g_t.
    """
    gx, gy = grad(orc, x, y)
    x1, y1 = x - lr * gx, y - lr * gy
    return x1, y1, s, report(x1, y1, gx, gy, lr, lr)


RULES = {"sgd": Rule(sgd, SGDHyper, SGDState, __file__)}
