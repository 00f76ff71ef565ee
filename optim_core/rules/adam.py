"""Adam and its two torch.optim relatives: AMSGrad (a denominator that never shrinks) and AdamW
(decoupled weight decay)."""
import math
from typing import NamedTuple

from numba import njit

from ..oracle import grad
from .common import Rule, report, running_powers, sq


class AdamHyper(NamedTuple):
    lr: float
    beta1: float
    beta2: float
    eps: float
    weight_decay: float
    bias_correction: float  # index of (True, False): 0 corrects (torch), 1 does not


class AdamState(NamedTuple):
    exp_avg_x: float        # m, the first moment
    exp_avg_y: float
    exp_avg_sq_x: float     # v, the second moment
    exp_avg_sq_y: float
    max_exp_avg_sq_x: float  # max v (AMSGrad)
    max_exp_avg_sq_y: float
    beta1_power: float      # β₁ᵗ
    beta2_power: float      # β₂ᵗ


@njit(inline="always")
def _coordinate(hp, lr, step_size, bc2_sqrt, th, g, m, v, vmax, u, amsgrad, decoupled):
    """(θ_t, m, v, max v, the v used, the denominator) for one coordinate."""
    if decoupled:
        th = th * (1.0 - lr * hp.weight_decay)
    elif hp.weight_decay != 0.0:
        g = g + hp.weight_decay * th
    m = m + (1.0 - hp.beta1) * (g - m)
    v = hp.beta2 * v + (1.0 - hp.beta2) * sq(g, u)
    used = v
    if amsgrad:
        vmax = max(vmax, v)
        used = vmax
    denom = math.sqrt(used) / bc2_sqrt + hp.eps
    return th - step_size * (m / denom), m, v, vmax, used, denom


@njit(inline="always")
def _adam(hp, s, x, y, t, lr, orc, u, amsgrad, decoupled):
    """Adam (Kingma & Ba 2015), AMSGrad (Reddi et al. 2018) and AdamW (Loshchilov & Hutter 2019),
    as torch.optim.Adam / AdamW.

    AdamW first: θ ← θ(1 − ηλ); Adam instead adds λθ to g.
    m_t = β₁ m + (1−β₁) g,  v_t = β₂ v + (1−β₂) g²  (AMSGrad: v̂ = max(v̂, v_t)),
    θ_t = θ_{t-1} − η/(1−β₁ᵗ) · m_t / (√v_t / √(1−β₂ᵗ) + ε).

    bias_correction=False drops both divisions: θ_t = θ_{t-1} − η m_t / (√v_t + ε). torch.optim
    has no such switch; it is here to show what the correction is for: m and v start at 0, so
    without it the early steps are scaled by about (1−β₁ᵗ)/√(1−β₂ᵗ), ≈ 3.2 at t = 1 with the
    default betas.
    """
    gx, gy = grad(orc, x, y)
    b1t, b2t = running_powers(t, hp.beta1, hp.beta2, s.beta1_power, s.beta2_power)
    corrected = hp.bias_correction == 0.0     # the index of choice True
    if corrected:
        step_size, bc2_sqrt = lr / (1.0 - b1t), math.sqrt(1.0 - b2t)
    else:
        step_size, bc2_sqrt = lr, 1.0
    x1, mx, vx, wx, ux, den_x = _coordinate(hp, lr, step_size, bc2_sqrt, x, gx, s.exp_avg_x, s.exp_avg_sq_x,
                                            s.max_exp_avg_sq_x, u, amsgrad, decoupled)
    y1, my, vy, wy, uy, den_y = _coordinate(hp, lr, step_size, bc2_sqrt, y, gy, s.exp_avg_y, s.exp_avg_sq_y,
                                            s.max_exp_avg_sq_y, u, amsgrad, decoupled)
    return (x1, y1, AdamState(mx, my, vx, vy, wx, wy, b1t, b2t),
            report(x1, y1, gx, gy, lr / den_x, lr / den_y, mx, my, ux, uy))


@njit(inline="always")
def adam(hp, s, x, y, t, lr, orc, u):
    return _adam(hp, s, x, y, t, lr, orc, u, False, False)


@njit(inline="always")
def amsgrad(hp, s, x, y, t, lr, orc, u):
    return _adam(hp, s, x, y, t, lr, orc, u, True, False)


@njit(inline="always")
def adamw(hp, s, x, y, t, lr, orc, u):
    return _adam(hp, s, x, y, t, lr, orc, u, False, True)


RULES = {"adam": Rule(adam, AdamHyper, AdamState, __file__),
         "amsgrad": Rule(amsgrad, AdamHyper, AdamState, __file__),
         "adamw": Rule(adamw, AdamHyper, AdamState, __file__)}
