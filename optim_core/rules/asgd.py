"""Averaged SGD: the plotted point is the average of the SGD iterates."""
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import OK, Report, Rule


class ASGDHyper(NamedTuple):
    lr: float
    alpha: float
    t0: float


class ASGDState(NamedTuple):
    raw_x: float        # the SGD iterate θ_t (the point is the average θ̄_t)
    raw_y: float


@njit(inline="always")
def _average(alpha, t0, t, mean, raw):
    if t < t0:
        return raw
    if alpha == 0.0:
        return mean + (raw - mean) / (t - t0 + 1)
    return alpha * mean + (1.0 - alpha) * raw


@njit(inline="always")
def asgd(hp, s, x, y, t, lr, orc, u):
    """Averaged SGD of the notes (Polyak & Juditsky 1992).

    θ_t = θ_{t-1} − η g(θ_{t-1});  θ̄_t = θ_t for t < t0, then θ̄_t = α θ̄_{t-1} + (1−α) θ_t,
    or for α = 0 the arithmetic mean of θ_{t0}, …, θ_t. The point (x, y) is θ̄.
    """
    rx, ry = (x, y) if t == 1 else (s.raw_x, s.raw_y)
    gx, gy = grad(orc, rx, ry)
    rx, ry = rx - lr * gx, ry - lr * gy
    t0 = int(hp.t0)
    x1, y1 = _average(hp.alpha, t0, t, x, rx), _average(hp.alpha, t0, t, y, ry)
    return x1, y1, ASGDState(rx, ry), Report(gx, gy, 0.0, 0.0, 0.0, 0.0, lr, lr, rx, ry, OK)


RULES = {"asgd": Rule(asgd, ASGDHyper, ASGDState, __file__)}
