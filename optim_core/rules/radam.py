"""RAdam: Adam that waits for a trustworthy variance estimate, then rectifies it."""
import math
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report, running_powers, sq


class RAdamHyper(NamedTuple):
    lr: float
    beta1: float
    beta2: float
    eps: float
    threshold: float


class RAdamState(NamedTuple):
    exp_avg_x: float
    exp_avg_y: float
    exp_avg_sq_x: float
    exp_avg_sq_y: float
    beta1_power: float
    beta2_power: float


@njit(inline="always")
def _coordinate(hp, lr, rectified, rect, bc1, bc2, th, g, m, v, u):
    m = m + (1.0 - hp.beta1) * (g - m)
    v = hp.beta2 * v + (1.0 - hp.beta2) * sq(g, u)
    m_hat = m / bc1
    if rectified:
        adaptive = math.sqrt(bc2) / (math.sqrt(v) + hp.eps)
        return th - m_hat * lr * adaptive * rect, m, v, lr * adaptive * rect
    return th - m_hat * lr, m, v, lr


@njit(inline="always")
def radam(hp, s, x, y, t, lr, orc, u):
    """Rectified Adam (Liu et al. 2020), as torch.optim.RAdam.

    ρ∞ = 2/(1−β₂) − 1,  ρ_t = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ).  If ρ_t > threshold (torch 5, paper 4):
    r_t = √((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t)),  θ_t = θ_{t-1} − η m̂_t r_t √(1−β₂ᵗ)/(√v_t + ε);
    else θ_t = θ_{t-1} − η m̂_t.
    """
    gx, gy = grad(orc, x, y)
    b2 = hp.beta2
    b1t, b2t = running_powers(t, hp.beta1, b2, s.beta1_power, s.beta2_power)
    bc1, bc2 = 1.0 - b1t, 1.0 - b2t
    rho_inf = 2.0 / (1.0 - b2) - 1.0
    rho_t = rho_inf - 2.0 * t * b2t / bc2
    rectified = rho_t > hp.threshold
    rect = 0.0
    if rectified:
        rect = math.sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
    x1, mx, vx, ex = _coordinate(hp, lr, rectified, rect, bc1, bc2, x, gx, s.exp_avg_x, s.exp_avg_sq_x, u)
    y1, my, vy, ey = _coordinate(hp, lr, rectified, rect, bc1, bc2, y, gy, s.exp_avg_y, s.exp_avg_sq_y, u)
    return x1, y1, RAdamState(mx, my, vx, vy, b1t, b2t), report(x1, y1, gx, gy, ex, ey, mx, my, vx, vy)


RULES = {"radam": Rule(radam, RAdamHyper, RAdamState, __file__)}
