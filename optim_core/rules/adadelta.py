"""AdaDelta: a step whose units come from the average of past steps."""
import math
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report, sq


class AdadeltaHyper(NamedTuple):
    lr: float
    rho: float
    eps: float


class AdadeltaState(NamedTuple):
    square_avg_x: float     # v, the average of g²
    square_avg_y: float
    acc_delta_x: float      # u, the average of Δ²
    acc_delta_y: float


@njit(inline="always")
def _coordinate(rho, eps, lr, g, v, acc, u):
    v = rho * v + (1.0 - rho) * sq(g, u)
    scale = math.sqrt(acc + eps) / math.sqrt(v + eps)
    delta = scale * g
    acc = rho * acc + (1.0 - rho) * delta * delta
    return lr * delta, v, acc, lr * scale


@njit(inline="always")
def adadelta(hp, s, x, y, t, lr, orc, u):
    """AdaDelta (Zeiler 2012), as torch.optim.Adadelta.

    v_t = ρ v + (1−ρ) g²,  Δ_t = √(u_{t-1}+ε) / √(v_t+ε) · g_t,  u_t = ρ u + (1−ρ) Δ_t²,
    θ_t = θ_{t-1} − η Δ_t  (η = 1 is the notes' rule).
    """
    gx, gy = grad(orc, x, y)
    dx, vx, ax, ex = _coordinate(hp.rho, hp.eps, lr, gx, s.square_avg_x, s.acc_delta_x, u)
    dy, vy, ay, ey = _coordinate(hp.rho, hp.eps, lr, gy, s.square_avg_y, s.acc_delta_y, u)
    x1, y1 = x - dx, y - dy
    return x1, y1, AdadeltaState(vx, vy, ax, ay), report(x1, y1, gx, gy, ex, ey, sec_x=vx, sec_y=vy)


RULES = {"adadelta": Rule(adadelta, AdadeltaHyper, AdadeltaState, __file__)}
