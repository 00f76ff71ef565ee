"""Newton's method with the exact Hessian, and its diagonal approximation."""
from typing import NamedTuple

from numba import njit

from ..oracle import grad, hess
from .common import SINGULAR_HESSIAN, SINGULAR_TOL, ZERO_CURVATURE, Rule, failure, implied_step, report


class NewtonHyper(NamedTuple):
    lr: float
    damping: float


class NewtonState(NamedTuple):
    pass


@njit(inline="always")
def newton(hp, s, x, y, t, lr, orc, u):
    """Damped Newton with the exact Hessian: θ_t = θ_{t-1} − η (H + λI)⁻¹ g_t.
    The run stops (SINGULAR_HESSIAN) when |det(H + λI)| < 1e-12."""
    gx, gy = grad(orc, x, y)
    hxx, hxy, hyy = hess(orc, x, y)
    a, b, c = hxx + hp.damping, hxy, hyy + hp.damping
    det = a * c - b * b
    if not abs(det) >= SINGULAR_TOL:
        return x, y, s, failure(x, y, gx, gy, SINGULAR_HESSIAN)
    x1 = x - lr * ((c * gx - b * gy) / det)
    y1 = y - lr * ((a * gy - b * gx) / det)
    ex, ey = implied_step(x, y, x1, y1, gx, gy)
    return x1, y1, s, report(x1, y1, gx, gy, ex, ey)


@njit(inline="always")
def diag_newton(hp, s, x, y, t, lr, orc, u):
    """The notes' simplest quasi-Newton, B = diag(H): θ_i ← θ_i − η g_i / (H_ii + λ).
    The run stops (ZERO_CURVATURE) when |H_ii + λ| < 1e-12."""
    gx, gy = grad(orc, x, y)
    hxx, hxy, hyy = hess(orc, x, y)
    dx, dy = hxx + hp.damping, hyy + hp.damping
    if not (abs(dx) >= SINGULAR_TOL and abs(dy) >= SINGULAR_TOL):
        return x, y, s, failure(x, y, gx, gy, ZERO_CURVATURE)
    x1, y1 = x - lr * gx / dx, y - lr * gy / dy
    return x1, y1, s, report(x1, y1, gx, gy, lr / dx, lr / dy)


RULES = {"newton": Rule(newton, NewtonHyper, NewtonState, __file__, hessian=True),
         "diag_newton": Rule(diag_newton, NewtonHyper, NewtonState, __file__, hessian=True)}
