"""Nadam: Adam with Nesterov's look-ahead, in the notes' form and torch.optim's."""
import math
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report, running_powers, sq

NOTES, PYTORCH = 0, 1   # the choices of ``variant``


class NadamHyper(NamedTuple):
    lr: float
    beta1: float
    beta2: float
    eps: float
    momentum_decay: float
    variant: float


class NadamState(NamedTuple):
    exp_avg_x: float
    exp_avg_y: float
    exp_avg_sq_x: float
    exp_avg_sq_y: float
    mu_product: float       # Π μ_i (pytorch variant)
    beta1_power: float
    beta2_power: float


@njit(inline="always")
def _coordinate(hp, lr, pytorch, mu, mu_next, mu_product, mu_product_next, bc1, bc2, th, g, m, v, u):
    b1 = hp.beta1
    m = m + (1.0 - b1) * (g - m)
    v = hp.beta2 * v + (1.0 - hp.beta2) * sq(g, u)
    denom = math.sqrt(v / bc2) + hp.eps
    if pytorch:
        th = th + (-lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
        th = th + (-lr * mu_next / (1.0 - mu_product_next)) * (m / denom)
    else:
        th = th - lr * (b1 * (m / bc1) + (1.0 - b1) * g / bc1) / denom
    return th, m, v, denom


@njit(inline="always")
def nadam(hp, s, x, y, t, lr, orc, u):
    """Nadam (Dozat 2016).

    notes:   θ_t = θ_{t-1} − η (β₁ m̂_t + (1−β₁) g_t/(1−β₁ᵗ)) / (√v̂_t + ε)
    pytorch: μ_t = β₁(1 − ½·0.96^{tψ}); θ −= η(1−μ_t)/(1−Πμ_{≤t}) · g/D; θ −= η μ_{t+1}/(1−Πμ_{≤t+1}) · m/D,
             D = √(v_t/(1−β₂ᵗ)) + ε   (torch.optim.NAdam)
    """
    gx, gy = grad(orc, x, y)
    b1, psi = hp.beta1, hp.momentum_decay
    b1t, b2t = running_powers(t, b1, hp.beta2, s.beta1_power, s.beta2_power)
    bc1, bc2 = 1.0 - b1t, 1.0 - b2t
    pytorch = int(hp.variant) == PYTORCH
    mu = mu_next = mu_product_next = 0.0
    mu_product = s.mu_product
    if pytorch:
        mu = b1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        mu_product = (1.0 if t == 1 else mu_product) * mu
        mu_product_next = mu_product * mu_next
    x1, mx, vx, den_x = _coordinate(hp, lr, pytorch, mu, mu_next, mu_product, mu_product_next, bc1, bc2,
                                    x, gx, s.exp_avg_x, s.exp_avg_sq_x, u)
    y1, my, vy, den_y = _coordinate(hp, lr, pytorch, mu, mu_next, mu_product, mu_product_next, bc1, bc2,
                                    y, gy, s.exp_avg_y, s.exp_avg_sq_y, u)
    return (x1, y1, NadamState(mx, my, vx, vy, mu_product, b1t, b2t),
            report(x1, y1, gx, gy, lr / den_x, lr / den_y, mx, my, vx, vy))


RULES = {"nadam": Rule(nadam, NadamHyper, NadamState, __file__)}
