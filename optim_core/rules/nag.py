"""Nesterov's accelerated gradient: the notes' look-ahead form and torch.optim's."""
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report

NOTES, PYTORCH = 0, 1   # the choices of ``variant``


class NAGHyper(NamedTuple):
    lr: float
    momentum: float
    variant: float


class NAGState(NamedTuple):
    velocity_x: float   # v (notes) or the buffer b (pytorch)
    velocity_y: float


@njit(inline="always")
def nag(hp, s, x, y, t, lr, orc, u):
    """Nesterov accelerated gradient (Nesterov 1983; Sutskever et al. 2013).

    notes:   v_t = μ v_{t-1} + η ∇f(θ_{t-1} − μ v_{t-1}),  θ_t = θ_{t-1} − v_t
    pytorch: b_1 = g_1, b_t = μ b_{t-1} + g_t,  θ_t = θ_{t-1} − η (g_t + μ b_t)
    """
    mu, notes = hp.momentum, int(hp.variant) == NOTES
    ahead = mu if notes else 0.0
    gx, gy = grad(orc, x - ahead * s.velocity_x, y - ahead * s.velocity_y)
    if notes:
        vx = mu * s.velocity_x + lr * gx
        vy = mu * s.velocity_y + lr * gy
        x1, y1 = x - vx, y - vy
    else:
        vx = gx if t == 1 else mu * s.velocity_x + gx
        vy = gy if t == 1 else mu * s.velocity_y + gy
        x1, y1 = x - lr * (gx + mu * vx), y - lr * (gy + mu * vy)
    return x1, y1, NAGState(vx, vy), report(x1, y1, gx, gy, lr, lr, vx, vy)


RULES = {"nag": Rule(nag, NAGHyper, NAGState, __file__)}
