"""AdaGrad: divide by the root of the sum of all past squared gradients."""
import math
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report, sq


class AdagradHyper(NamedTuple):
    lr: float
    lr_decay: float
    initial_accumulator_value: float
    eps: float
    eps_placement: float    # 0: √G + ε (torch), 1: √(G + ε) (the course notes)


class AdagradState(NamedTuple):
    sum_x: float        # G, the sum of squared gradients
    sum_y: float


@njit(inline="always")
def adagrad(hp, s, x, y, t, lr, orc, u):
    """AdaGrad (Duchi et al. 2011), as torch.optim.Adagrad.

    η'_t = η / (1 + (t−1)·lr_decay),  G_t = G_{t-1} + g_t²  (G_0 = initial_accumulator_value),
    θ_t = θ_{t-1} − η'_t g_t / D  with D = √G_t + ε (torch), or D = √(G_t + ε) with
    eps_placement "inside" (the course notes). The two differ most where G_t is tiny: outside,
    D bottoms out at ε; inside, at √ε.
    """
    gx, gy = grad(orc, x, y)
    init = hp.initial_accumulator_value
    g0x, g0y = (init, init) if t == 1 else (s.sum_x, s.sum_y)
    clr = lr / (1.0 + (t - 1) * hp.lr_decay)
    sum_x, sum_y = g0x + sq(gx, u), g0y + sq(gy, u)
    if hp.eps_placement != 0.0:
        den_x, den_y = math.sqrt(sum_x + hp.eps), math.sqrt(sum_y + hp.eps)
    else:
        den_x, den_y = math.sqrt(sum_x) + hp.eps, math.sqrt(sum_y) + hp.eps
    x1, y1 = x - clr * (gx / den_x), y - clr * (gy / den_y)
    return (x1, y1, AdagradState(sum_x, sum_y),
            report(x1, y1, gx, gy, clr / den_x, clr / den_y, sec_x=sum_x, sec_y=sum_y))


RULES = {"adagrad": Rule(adagrad, AdagradHyper, AdagradState, __file__)}
