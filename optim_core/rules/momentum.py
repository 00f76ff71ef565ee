"""Heavy-ball momentum in the three forms of the notes and of torch.optim."""
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report

CLASSIC, EMA, LR_INSIDE = 0, 1, 2   # the choices of ``form``, in catalogue order


class MomentumHyper(NamedTuple):
    lr: float
    momentum: float
    dampening: float
    form: float


class MomentumState(NamedTuple):
    velocity_x: float
    velocity_y: float


@njit(inline="always")
def _velocity(form, mu, damp, t, v, g, lr):
    """(new velocity, the step it takes) for one coordinate."""
    if form == CLASSIC:
        if mu == 0.0 or t == 1:  # torch keeps no buffer at μ = 0 and starts it at g_1
            v = g
        else:
            v = mu * v + (1.0 - damp) * g
        return v, lr * v
    if form == EMA:
        v = mu * v + (1.0 - mu) * g
        return v, lr * v
    v = mu * v + lr * g
    return v, v


@njit(inline="always")
def momentum(hp, s, x, y, t, lr, orc, u):
    """Heavy-ball momentum (Polyak 1964).

    classic (torch.optim.SGD): v_1 = g_1, v_t = μ v_{t-1} + (1−d) g_t, θ_t = θ_{t-1} − η v_t
    ema (notes):               v_t = μ v_{t-1} + (1−μ) g_t,              θ_t = θ_{t-1} − η v_t
    lr_inside (notes):         v_t = μ v_{t-1} + η g_t,                  θ_t = θ_{t-1} − v_t
    """
    gx, gy = grad(orc, x, y)
    form = int(hp.form)
    vx, dx = _velocity(form, hp.momentum, hp.dampening, t, s.velocity_x, gx, lr)
    vy, dy = _velocity(form, hp.momentum, hp.dampening, t, s.velocity_y, gy, lr)
    x1, y1 = x - dx, y - dy
    return x1, y1, MomentumState(vx, vy), report(x1, y1, gx, gy, lr, lr, vx, vy)


RULES = {"momentum": Rule(momentum, MomentumHyper, MomentumState, __file__)}
