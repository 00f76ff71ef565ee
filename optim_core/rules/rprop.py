"""Resilient backpropagation: only the gradient's sign, a step size per coordinate."""
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report, sign


class RpropHyper(NamedTuple):
    lr: float
    eta_minus: float
    eta_plus: float
    step_min: float
    step_max: float


class RpropState(NamedTuple):
    prev_grad_x: float
    prev_grad_y: float
    step_x: float       # the step sizes Δ
    step_y: float


@njit(inline="always")
def _coordinate(hp, g, prev, step):
    """(new θ offset, remembered gradient, step size) for one coordinate."""
    p = g * prev
    factor = hp.eta_plus if p > 0 else (hp.eta_minus if p < 0 else 1.0)
    step = min(max(step * factor, hp.step_min), hp.step_max)
    g = 0.0 if p < 0 else g
    return sign(g) * step, g, step


@njit(inline="always")
def rprop(hp, s, x, y, t, lr, orc, u):
    """Resilient backprop (Riedmiller & Braun 1993), as torch.optim.Rprop.

    Δ ← clip(Δ·{η⁺ if g·g_prev > 0, η⁻ if < 0, 1}, step_min, step_max), Δ_0 = lr; where the sign
    flipped g is set to 0 (no move, and no flip next time); θ ← θ − sign(g)·Δ.
    """
    gx, gy = grad(orc, x, y)
    step_x, step_y = (hp.lr, hp.lr) if t == 1 else (s.step_x, s.step_y)
    dx, px, step_x = _coordinate(hp, gx, s.prev_grad_x, step_x)
    dy, py, step_y = _coordinate(hp, gy, s.prev_grad_y, step_y)
    x1, y1 = x - dx, y - dy
    return x1, y1, RpropState(px, py, step_x, step_y), report(x1, y1, gx, gy, step_x, step_y)


RULES = {"rprop": Rule(rprop, RpropHyper, RpropState, __file__)}
