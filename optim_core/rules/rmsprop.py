"""RMSProp: AdaGrad with a fading memory, optionally centred and with momentum."""
import math
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report, sq


class RMSpropHyper(NamedTuple):
    lr: float
    alpha: float
    eps: float
    momentum: float
    centered: float
    eps_placement: float    # 0: √v + ε (torch), 1: √(v + ε) (the course notes)


class RMSpropState(NamedTuple):
    square_avg_x: float     # v, the average of g²
    square_avg_y: float
    grad_avg_x: float       # ḡ, the average of g (centered)
    grad_avg_y: float
    momentum_buffer_x: float
    momentum_buffer_y: float


@njit(inline="always")
def _coordinate(hp, lr, g, v, ga, b, u):
    """(θ offset, v, ḡ, b, the denominator) for one coordinate."""
    alpha, eps, mu = hp.alpha, hp.eps, hp.momentum
    v = alpha * v + (1.0 - alpha) * sq(g, u)
    spread = v
    if hp.centered != 0.0:
        ga = ga + (1.0 - alpha) * (g - ga)
        spread = v - ga * ga
    if hp.eps_placement != 0.0:
        denom = math.sqrt(spread + eps)
    else:
        denom = math.sqrt(spread) + eps
    if mu > 0.0:
        b = mu * b + g / denom
        return lr * b, v, ga, b, denom
    return lr * (g / denom), v, ga, b, denom


@njit(inline="always")
def rmsprop(hp, s, x, y, t, lr, orc, u):
    """RMSProp (Hinton 2012, lecture 6e), as torch.optim.RMSprop.

    v_t = α v + (1−α) g²;  D = √v_t + ε  (centered: √(v_t − ḡ_t²) + ε, ḡ_t = α ḡ + (1−α) g);
    θ_t = θ_{t-1} − η g/D, or with momentum b_t = μ b + g/D, θ_t = θ_{t-1} − η b_t.
    eps_placement "inside" (the course notes' form) puts ε under the root: D = √(v_t + ε),
    centered D = √(v_t − ḡ_t² + ε).
    """
    gx, gy = grad(orc, x, y)
    dx, vx, gax, bx, den_x = _coordinate(hp, lr, gx, s.square_avg_x, s.grad_avg_x, s.momentum_buffer_x, u)
    dy, vy, gay, by, den_y = _coordinate(hp, lr, gy, s.square_avg_y, s.grad_avg_y, s.momentum_buffer_y, u)
    x1, y1 = x - dx, y - dy
    return (x1, y1, RMSpropState(vx, vy, gax, gay, bx, by),
            report(x1, y1, gx, gy, lr / den_x, lr / den_y, bx, by, vx, vy))


RULES = {"rmsprop": Rule(rmsprop, RMSpropHyper, RMSpropState, __file__)}
