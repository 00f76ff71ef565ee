"""Nesterov's accelerated gradient: the notes' look-ahead form and torch.optim's."""
from typing import NamedTuple

import numpy as np
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
def lookahead(hp, s, x, y):
    """Where NAG takes its gradient: θ − μ v in the notes' form, θ itself in torch's."""
    ahead = hp.momentum if int(hp.variant) == NOTES else 0.0
    return x - ahead * s.velocity_x, y - ahead * s.velocity_y


@njit(inline="always")
def nag(hp, s, x, y, t, lr, orc, u):
    """Nesterov accelerated gradient (Nesterov 1983; Sutskever et al. 2013).

    notes:   v_t = μ v_{t-1} + η ∇f(θ_{t-1} − μ v_{t-1}),  θ_t = θ_{t-1} − v_t
    pytorch: b_1 = g_1, b_t = μ b_{t-1} + g_t,  θ_t = θ_{t-1} − η (g_t + μ b_t)
    """
    mu, notes = hp.momentum, int(hp.variant) == NOTES
    ax, ay = lookahead(hp, s, x, y)
    gx, gy = grad(orc, ax, ay)
    if notes:
        vx = mu * s.velocity_x + lr * gx
        vy = mu * s.velocity_y + lr * gy
        x1, y1 = x - vx, y - vy
    else:
        vx = gx if t == 1 else mu * s.velocity_x + gx
        vy = gy if t == 1 else mu * s.velocity_y + gy
        x1, y1 = x - lr * (gx + mu * vx), y - lr * (gy + mu * vy)
    return x1, y1, NAGState(vx, vy), report(x1, y1, gx, gy, lr, lr, vx, vy)


def lookahead_offsets(hyper: dict, velocity) -> np.ndarray | None:
    """Per point θ_s of a run (s = 0..k), the offset from θ_s to where step s + 1 takes its
    gradient: −μ v_s in the notes' form (v_0 = 0; ``velocity`` is the run's ``extra["velocity"]``,
    v_1..v_k). None in torch's form: its θ already is the look-ahead point (Sutskever et al.'s
    change of variables), so the gradient is taken at θ_s itself and there is no offset to show.
    Plain NumPy over a finished run, beside the rule it must agree with."""
    if hyper.get("variant") != "notes":
        return None
    v = np.asarray(velocity, dtype=np.float64).reshape(-1, 2)
    return -float(hyper["momentum"]) * np.vstack([np.zeros((1, 2)), v])


RULES = {"nag": Rule(nag, NAGHyper, NAGState, __file__, grad_point=lookahead)}
