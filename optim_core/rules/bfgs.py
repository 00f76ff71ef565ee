"""BFGS quasi-Newton: an inverse-Hessian estimate from gradient differences, Armijo steps."""
from typing import NamedTuple

from numba import njit

from ..oracle import grad, loss
from .common import Rule, implied_step, report

ARMIJO_C1, ARMIJO_HALVINGS, BFGS_CURVATURE_TOL = 1e-4, 30, 1e-12


class BFGSHyper(NamedTuple):
    lr: float


class BFGSState(NamedTuple):
    b00: float          # B, the inverse-Hessian estimate (B_0 = I)
    b01: float
    b10: float
    b11: float
    prev_x: float       # θ_{t-2}
    prev_y: float
    prev_grad_x: float  # g_{t-1}
    prev_grad_y: float


@njit(inline="always")
def _update(s, x, y, gx, gy):
    """B ← (I − ρ s yᵀ) B (I − ρ y sᵀ) + ρ s sᵀ, skipped unless yᵀs > 1e-12."""
    s0, s1 = x - s.prev_x, y - s.prev_y
    y0, y1 = gx - s.prev_grad_x, gy - s.prev_grad_y
    sy = s0 * y0 + s1 * y1
    if not sy > BFGS_CURVATURE_TOL:
        return s.b00, s.b01, s.b10, s.b11
    rho = 1.0 / sy
    a00, a01 = 1.0 - rho * s0 * y0, -rho * s0 * y1
    a10, a11 = -rho * s1 * y0, 1.0 - rho * s1 * y1
    c00, c01 = a00 * s.b00 + a01 * s.b10, a00 * s.b01 + a01 * s.b11
    c10, c11 = a10 * s.b00 + a11 * s.b10, a10 * s.b01 + a11 * s.b11
    return (c00 * a00 + c01 * a01 + rho * s0 * s0, c00 * a10 + c01 * a11 + rho * s0 * s1,
            c10 * a00 + c11 * a01 + rho * s1 * s0, c10 * a10 + c11 * a11 + rho * s1 * s1)


@njit(inline="always")
def bfgs(hp, s, x, y, t, lr, orc, u):
    """Inverse-Hessian BFGS (Nocedal & Wright, Algorithm 6.1) with Armijo backtracking.

    s = θ_{t-1} − θ_{t-2}, y = g_t − g_{t-1}; if yᵀs > 1e-12, ρ = 1/yᵀs and
    B ← (I − ρ s yᵀ) B (I − ρ y sᵀ) + ρ s sᵀ.  d = −B g;  α = η, η/2, … (30 halvings) until
    f(θ + αd) ≤ f(θ) + 1e-4·α·gᵀd (else the last trial);  θ_t = θ_{t-1} + α d.
    The line search uses the loss of the current mini-batch, the same batch as the gradient.
    """
    gx, gy = grad(orc, x, y)
    b00, b01, b10, b11 = (1.0, 0.0, 0.0, 1.0) if t == 1 else _update(s, x, y, gx, gy)
    d0 = -(b00 * gx + b01 * gy)
    d1 = -(b10 * gx + b11 * gy)
    f0 = loss(orc, x, y)
    slope = gx * d0 + gy * d1
    alpha = lr
    for _ in range(ARMIJO_HALVINGS):
        if loss(orc, x + alpha * d0, y + alpha * d1) <= f0 + ARMIJO_C1 * alpha * slope:
            break
        alpha *= 0.5
    x1, y1 = x + alpha * d0, y + alpha * d1
    ex, ey = implied_step(x, y, x1, y1, gx, gy)
    return x1, y1, BFGSState(b00, b01, b10, b11, x, y, gx, gy), report(x1, y1, gx, gy, ex, ey)


RULES = {"bfgs": Rule(bfgs, BFGSHyper, BFGSState, __file__)}
