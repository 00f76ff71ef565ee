"""Gradient descent: GD, SGD and mini-batch GD differ only in the gradient the oracle gives."""
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report


class SGDHyper(NamedTuple):
    lr: float
    weight_decay: float


class SGDState(NamedTuple):
    pass


@njit(inline="always")
def sgd(hp, s, x, y, t, lr, orc, u):
    """Gradient descent (Robbins & Monro 1951; torch.optim.SGD without momentum).

    θ_t = θ_{t-1} − η (g_t + λ θ_{t-1}): with weight decay λ (torch.optim.SGD(weight_decay=λ))
    this is gradient descent on f + ½λ‖θ‖², L2 regularisation. The report keeps g_t itself.
    """
    gx, gy = grad(orc, x, y)
    dx, dy = gx, gy
    if hp.weight_decay != 0.0:
        dx, dy = gx + hp.weight_decay * x, gy + hp.weight_decay * y
    x1, y1 = x - lr * dx, y - lr * dy
    return x1, y1, s, report(x1, y1, gx, gy, lr, lr)


RULES = {"sgd": Rule(sgd, SGDHyper, SGDState, __file__)}
