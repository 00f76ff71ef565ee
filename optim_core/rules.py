"""One compiled update rule per optimizer, each reading like its formula.

Every rule advances a *block of lanes* (independent runs, K ≥ 1) by one step and has the
same shape::

    rule(hp, lr, t, u, th, st, orc, g, d, code)

- ``hp[k]``: lane k's hyperparameters in catalogue order (``hp[k, 0]`` is the base lr);
- ``lr[k]``: lane k's scheduled learning rate for this step; ``t``: the step number (1-based);
- ``u``: the underflow threshold (squared gradients below it enter accumulators as 0);
- ``th[k]``: lane k's point θ, updated in place; ``st[k]``: its state (zeros at t = 1), slots
  documented per rule;
- ``orc``: the gradient oracle (``oracle.grad_at``); ``g[k]`` receives the gradient used;
- ``d[k]`` receives the diagnostics: velocity d[k, 0:2], second moment d[k, 2:4], effective
  per-coordinate step size d[k, 4:6], and the point to plot's raw iterate d[k, 6:8];
- ``code[k]`` is set non-zero when the step is undefined (the lane then does not move).

Lanes never interact: a block exists only so that the CPU can overlap independent runs
(``run_many``); ``run`` is a block of one. Every function here is inlined into the engine's
step, so that no array crosses a compiled call inside the step loop (see surfaces.kernels). Conventions follow torch.optim (names, where ε sits,
bias corrections); where the course notes differ, the variant is an explicit option.
"""
import math

import numpy as np
from numba import njit

from surfaces import kernels as surf

from .oracle import grad_at, loss_at

OK, SINGULAR_HESSIAN, ZERO_CURVATURE = 0, 1, 2
CLASSIC, EMA, LR_INSIDE = 0, 1, 2        # momentum forms
NOTES, PYTORCH = 0, 1                    # nag / nadam variants
SINGULAR_TOL = 1e-12
ARMIJO_C1, ARMIJO_HALVINGS, BFGS_CURVATURE_TOL = 1e-4, 30, 1e-12


@njit(cache=True, nogil=True, inline="always")
def sq(gi, u):
    """g², flushed to zero below the underflow threshold u (a float16 simulation when u > 0)."""
    s = gi * gi
    return 0.0 if s < u else s


@njit(cache=True, nogil=True, inline="always")
def running_powers(hp, k, t, st, slot):
    """β₁ᵗ and β₂ᵗ (hp[k, 1], hp[k, 2]) kept as running products in st[k, slot], st[k, slot+1].

    A product per step instead of ``β ** t``: the two powers were ~45% of an Adam step, and the
    products differ from ``pow`` by under t ulps (2e-12 relative at 20,000 steps).
    """
    if t == 1:
        st[k, slot], st[k, slot + 1] = hp[k, 1], hp[k, 2]
    else:
        st[k, slot] *= hp[k, 1]
        st[k, slot + 1] *= hp[k, 2]
    return st[k, slot], st[k, slot + 1]


@njit(cache=True, nogil=True, inline="always")
def _sign(v):
    return 1.0 if v > 0 else (-1.0 if v < 0 else 0.0)


@njit(cache=True, nogil=True, inline="always")
def sgd(hp, lr, t, u, th, st, orc, g, d, code):
    """Gradient descent (GD, SGD and mini-batch GD differ only in the oracle).

    θ_t = θ_{t-1} − η g_t.
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        for i in range(2):
            th[k, i] -= lr[k] * g[k, i]
            d[k, 4 + i] = lr[k]


@njit(cache=True, nogil=True, inline="always")
def momentum(hp, lr, t, u, th, st, orc, g, d, code):
    """Heavy-ball momentum (Polyak 1964). hp: lr, momentum μ, dampening d, form. st[0:2]: v.

    classic (torch.optim.SGD): v_1 = g_1, v_t = μ v_{t-1} + (1−d) g_t, θ_t = θ_{t-1} − η v_t
    ema (notes):               v_t = μ v_{t-1} + (1−μ) g_t,              θ_t = θ_{t-1} − η v_t
    lr_inside (notes):         v_t = μ v_{t-1} + η g_t,                  θ_t = θ_{t-1} − v_t
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        mu, damp, form = hp[k, 1], hp[k, 2], int(hp[k, 3])
        for i in range(2):
            if form == CLASSIC:
                if mu == 0.0 or t == 1:  # torch keeps no buffer at μ = 0 and starts it at g_1
                    v = g[k, i]
                else:
                    v = mu * st[k, i] + (1.0 - damp) * g[k, i]
                th[k, i] -= lr[k] * v
            elif form == EMA:
                v = mu * st[k, i] + (1.0 - mu) * g[k, i]
                th[k, i] -= lr[k] * v
            else:
                v = mu * st[k, i] + lr[k] * g[k, i]
                th[k, i] -= v
            st[k, i] = v
            d[k, i] = v
            d[k, 4 + i] = lr[k]


@njit(cache=True, nogil=True, inline="always")
def nag(hp, lr, t, u, th, st, orc, g, d, code):
    """Nesterov accelerated gradient (Nesterov 1983; Sutskever et al. 2013). st[0:2]: v or b.

    notes:   v_t = μ v_{t-1} + η ∇f(θ_{t-1} − μ v_{t-1}),  θ_t = θ_{t-1} − v_t
    pytorch: b_1 = g_1, b_t = μ b_{t-1} + g_t,  θ_t = θ_{t-1} − η (g_t + μ b_t)
    """
    # the look-ahead point is written into g, then replaced by the gradient there
    for k in range(th.shape[0]):
        ahead = hp[k, 1] if int(hp[k, 2]) == NOTES else 0.0
        g[k, 0] = th[k, 0] - ahead * st[k, 0]
        g[k, 1] = th[k, 1] - ahead * st[k, 1]
    grad_at(orc, g, g)
    for k in range(th.shape[0]):
        mu = hp[k, 1]
        for i in range(2):
            if int(hp[k, 2]) == NOTES:
                st[k, i] = mu * st[k, i] + lr[k] * g[k, i]
                th[k, i] -= st[k, i]
            else:
                st[k, i] = g[k, i] if t == 1 else mu * st[k, i] + g[k, i]
                th[k, i] -= lr[k] * (g[k, i] + mu * st[k, i])
            d[k, i] = st[k, i]
            d[k, 4 + i] = lr[k]


@njit(cache=True, nogil=True, inline="always")
def asgd(hp, lr, t, u, th, st, orc, g, d, code):
    """Averaged SGD of the notes (Polyak & Juditsky 1992). hp: lr, alpha α, t0. st[0:2]: raw θ.

    θ_t = θ_{t-1} − η g(θ_{t-1});  θ̄_t = θ_t for t < t0, then θ̄_t = α θ̄_{t-1} + (1−α) θ_t,
    or for α = 0 the arithmetic mean of θ_{t0}, …, θ_t. ``th`` is the average θ̄.
    """
    K = th.shape[0]
    if t == 1:
        for k in range(K):
            st[k, 0], st[k, 1] = th[k, 0], th[k, 1]
    grad_at(orc, st[:, 0:2], g)
    for k in range(K):
        alpha, t0 = hp[k, 1], int(hp[k, 2])
        for i in range(2):
            st[k, i] -= lr[k] * g[k, i]
            if t < t0:
                th[k, i] = st[k, i]
            elif alpha == 0.0:
                th[k, i] += (st[k, i] - th[k, i]) / (t - t0 + 1)
            else:
                th[k, i] = alpha * th[k, i] + (1.0 - alpha) * st[k, i]
            d[k, 4 + i] = lr[k]
            d[k, 6 + i] = st[k, i]


@njit(cache=True, nogil=True, inline="always")
def rprop(hp, lr, t, u, th, st, orc, g, d, code):
    """Resilient backprop (Riedmiller & Braun 1993), as torch.optim.Rprop.

    hp: lr (initial step), eta_minus, eta_plus, step_min, step_max. st[0:2]: previous g,
    st[2:4]: step sizes Δ. Δ ← clip(Δ·{η⁺ if g·g_prev > 0, η⁻ if < 0, 1}); where the sign
    flipped g is set to 0 (no move, and no flip next time); θ ← θ − sign(g)·Δ.
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        eta_minus, eta_plus, step_min, step_max = hp[k, 1], hp[k, 2], hp[k, 3], hp[k, 4]
        if t == 1:
            st[k, 2] = st[k, 3] = hp[k, 0]
        for i in range(2):
            p = g[k, i] * st[k, i]
            factor = eta_plus if p > 0 else (eta_minus if p < 0 else 1.0)
            step = min(max(st[k, 2 + i] * factor, step_min), step_max)
            gi = 0.0 if p < 0 else g[k, i]
            th[k, i] -= _sign(gi) * step
            st[k, i] = gi
            st[k, 2 + i] = step
            d[k, 4 + i] = step


@njit(cache=True, nogil=True, inline="always")
def adagrad(hp, lr, t, u, th, st, orc, g, d, code):
    """AdaGrad (Duchi et al. 2011), as torch.optim.Adagrad. st[0:2]: G, the sum of g².

    η'_t = η / (1 + (t−1)·lr_decay),  G_t = G_{t-1} + g_t²  (G_0 = initial_accumulator_value),
    θ_t = θ_{t-1} − η'_t g_t / (√G_t + ε).
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        lr_decay, eps = hp[k, 1], hp[k, 3]
        if t == 1:
            st[k, 0] = st[k, 1] = hp[k, 2]
        clr = lr[k] / (1.0 + (t - 1) * lr_decay)
        for i in range(2):
            st[k, i] += sq(g[k, i], u)
            denom = math.sqrt(st[k, i]) + eps
            th[k, i] -= clr * (g[k, i] / denom)
            d[k, 2 + i] = st[k, i]
            d[k, 4 + i] = clr / denom


@njit(cache=True, nogil=True, inline="always")
def adadelta(hp, lr, t, u, th, st, orc, g, d, code):
    """AdaDelta (Zeiler 2012), as torch.optim.Adadelta. st[0:2]: v (avg g²), st[2:4]: u (avg Δ²).

    v_t = ρ v + (1−ρ) g²,  Δ_t = √(u_{t-1}+ε) / √(v_t+ε) · g_t,  u_t = ρ u + (1−ρ) Δ_t²,
    θ_t = θ_{t-1} − η Δ_t  (η = 1 is the notes' rule).
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        rho, eps = hp[k, 1], hp[k, 2]
        for i in range(2):
            st[k, i] = rho * st[k, i] + (1.0 - rho) * sq(g[k, i], u)
            scale = math.sqrt(st[k, 2 + i] + eps) / math.sqrt(st[k, i] + eps)
            delta = scale * g[k, i]
            st[k, 2 + i] = rho * st[k, 2 + i] + (1.0 - rho) * delta * delta
            th[k, i] -= lr[k] * delta
            d[k, 2 + i] = st[k, i]
            d[k, 4 + i] = lr[k] * scale


@njit(cache=True, nogil=True, inline="always")
def rmsprop(hp, lr, t, u, th, st, orc, g, d, code):
    """RMSProp (Hinton 2012), as torch.optim.RMSprop. hp: lr, alpha, eps, momentum, centered.

    st[0:2]: v (avg g²), st[2:4]: ḡ (avg g, centered), st[4:6]: momentum buffer b.
    v_t = α v + (1−α) g²;  D = √v_t + ε  (centered: √(v_t − ḡ_t²) + ε);
    θ_t = θ_{t-1} − η g/D, or with momentum b_t = μ b + g/D, θ_t = θ_{t-1} − η b_t.
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        alpha, eps, mu, centered = hp[k, 1], hp[k, 2], hp[k, 3], hp[k, 4] != 0.0
        for i in range(2):
            st[k, i] = alpha * st[k, i] + (1.0 - alpha) * sq(g[k, i], u)
            if centered:
                st[k, 2 + i] += (1.0 - alpha) * (g[k, i] - st[k, 2 + i])
                denom = math.sqrt(st[k, i] - st[k, 2 + i] * st[k, 2 + i]) + eps
            else:
                denom = math.sqrt(st[k, i]) + eps
            if mu > 0.0:
                st[k, 4 + i] = mu * st[k, 4 + i] + g[k, i] / denom
                th[k, i] -= lr[k] * st[k, 4 + i]
            else:
                th[k, i] -= lr[k] * (g[k, i] / denom)
            d[k, i] = st[k, 4 + i]
            d[k, 2 + i] = st[k, i]
            d[k, 4 + i] = lr[k] / denom


@njit(cache=True, nogil=True, inline="always")
def adam(hp, lr, t, u, th, st, orc, g, d, code, amsgrad, decoupled):
    """Adam (Kingma & Ba 2015), AMSGrad (Reddi et al. 2018) and AdamW (Loshchilov & Hutter 2019),
    as torch.optim.Adam / AdamW. hp: lr, beta1, beta2, eps, weight_decay.
    st[0:2]: m, st[2:4]: v, st[4:6]: max v (AMSGrad), st[6:8]: β₁ᵗ, β₂ᵗ.

    AdamW first: θ ← θ(1 − ηλ); Adam instead adds λθ to g.
    m_t = β₁ m + (1−β₁) g,  v_t = β₂ v + (1−β₂) g²  (AMSGrad: v̂ = max(v̂, v_t)),
    θ_t = θ_{t-1} − η/(1−β₁ᵗ) · m_t / (√v_t / √(1−β₂ᵗ) + ε).
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        b1, b2, eps, wd = hp[k, 1], hp[k, 2], hp[k, 3], hp[k, 4]
        b1t, b2t = running_powers(hp, k, t, st, 6)
        bc1 = 1.0 - b1t
        bc2_sqrt = math.sqrt(1.0 - b2t)
        step_size = lr[k] / bc1
        for i in range(2):
            gi = g[k, i]
            if decoupled:
                th[k, i] *= 1.0 - lr[k] * wd
            elif wd != 0.0:
                gi = gi + wd * th[k, i]
            st[k, i] += (1.0 - b1) * (gi - st[k, i])
            st[k, 2 + i] = b2 * st[k, 2 + i] + (1.0 - b2) * sq(gi, u)
            v = st[k, 2 + i]
            if amsgrad:
                st[k, 4 + i] = max(st[k, 4 + i], v)
                v = st[k, 4 + i]
            denom = math.sqrt(v) / bc2_sqrt + eps
            th[k, i] -= step_size * (st[k, i] / denom)
            d[k, i] = st[k, i]
            d[k, 2 + i] = v
            d[k, 4 + i] = lr[k] / denom


@njit(cache=True, nogil=True, inline="always")
def nadam(hp, lr, t, u, th, st, orc, g, d, code):
    """Nadam (Dozat 2016). hp: lr, beta1, beta2, eps, momentum_decay ψ, variant.
    st[0:2]: m, st[2:4]: v, st[4]: Π μ_i (pytorch variant), st[6:8]: β₁ᵗ, β₂ᵗ.

    notes:   θ_t = θ_{t-1} − η (β₁ m̂_t + (1−β₁) g_t/(1−β₁ᵗ)) / (√v̂_t + ε)
    pytorch: μ_t = β₁(1 − ½·0.96^{tψ}); θ −= η(1−μ_t)/(1−Πμ_{≤t}) · g/D; θ −= η μ_{t+1}/(1−Πμ_{≤t+1}) · m/D,
             D = √(v_t/(1−β₂ᵗ)) + ε   (torch.optim.NAdam)
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        b1, b2, eps, psi, variant = hp[k, 1], hp[k, 2], hp[k, 3], hp[k, 4], int(hp[k, 5])
        b1t, b2t = running_powers(hp, k, t, st, 6)
        bc1 = 1.0 - b1t
        bc2 = 1.0 - b2t
        mu = mu_next = mu_product_next = 0.0
        if variant == PYTORCH:
            if t == 1:
                st[k, 4] = 1.0
            mu = b1 * (1.0 - 0.5 * 0.96 ** (t * psi))
            mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
            st[k, 4] *= mu
            mu_product_next = st[k, 4] * mu_next
        for i in range(2):
            st[k, i] += (1.0 - b1) * (g[k, i] - st[k, i])
            st[k, 2 + i] = b2 * st[k, 2 + i] + (1.0 - b2) * sq(g[k, i], u)
            denom = math.sqrt(st[k, 2 + i] / bc2) + eps
            if variant == PYTORCH:
                th[k, i] += (-lr[k] * (1.0 - mu) / (1.0 - st[k, 4])) * (g[k, i] / denom)
                th[k, i] += (-lr[k] * mu_next / (1.0 - mu_product_next)) * (st[k, i] / denom)
            else:
                th[k, i] -= lr[k] * (b1 * (st[k, i] / bc1) + (1.0 - b1) * g[k, i] / bc1) / denom
            d[k, i] = st[k, i]
            d[k, 2 + i] = st[k, 2 + i]
            d[k, 4 + i] = lr[k] / denom


@njit(cache=True, nogil=True, inline="always")
def radam(hp, lr, t, u, th, st, orc, g, d, code):
    """Rectified Adam (Liu et al. 2020), as torch.optim.RAdam. hp: lr, beta1, beta2, eps, threshold.
    st[0:2]: m, st[2:4]: v, st[6:8]: β₁ᵗ, β₂ᵗ.

    ρ∞ = 2/(1−β₂) − 1,  ρ_t = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ).  If ρ_t > threshold (torch 5, paper 4):
    r_t = √((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t)),  θ_t = θ_{t-1} − η m̂_t r_t √(1−β₂ᵗ)/(√v_t + ε);
    else θ_t = θ_{t-1} − η m̂_t.
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        b1, b2, eps, threshold = hp[k, 1], hp[k, 2], hp[k, 3], hp[k, 4]
        b1t, b2t = running_powers(hp, k, t, st, 6)
        bc1 = 1.0 - b1t
        bc2 = 1.0 - b2t
        rho_inf = 2.0 / (1.0 - b2) - 1.0
        rho_t = rho_inf - 2.0 * t * b2t / bc2
        rectified = rho_t > threshold
        rect = 0.0
        if rectified:
            rect = math.sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
        for i in range(2):
            st[k, i] += (1.0 - b1) * (g[k, i] - st[k, i])
            st[k, 2 + i] = b2 * st[k, 2 + i] + (1.0 - b2) * sq(g[k, i], u)
            m_hat = st[k, i] / bc1
            if rectified:
                adaptive = math.sqrt(bc2) / (math.sqrt(st[k, 2 + i]) + eps)
                th[k, i] -= m_hat * lr[k] * adaptive * rect
                d[k, 4 + i] = lr[k] * adaptive * rect
            else:
                th[k, i] -= m_hat * lr[k]
                d[k, 4 + i] = lr[k]
            d[k, i] = st[k, i]
            d[k, 2 + i] = st[k, 2 + i]


@njit(cache=True, nogil=True, inline="always")
def _implied_step(th, k, prev0, prev1, g, d):
    """Effective per-coordinate step size −Δθ_i / g_i (NaN where g_i = 0)."""
    d[k, 4] = -(th[k, 0] - prev0) / g[k, 0] if g[k, 0] != 0.0 else np.nan
    d[k, 5] = -(th[k, 1] - prev1) / g[k, 1] if g[k, 1] != 0.0 else np.nan


@njit(cache=True, nogil=True, inline="always")
def newton(hp, lr, t, u, th, st, orc, g, d, code):
    """Damped Newton with the exact Hessian: θ_t = θ_{t-1} − η (H + λI)⁻¹ g_t.
    The lane stops (SINGULAR_HESSIAN) when |det(H + λI)| < 1e-12."""
    sid, h = orc[0], orc[1]
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        damping = hp[k, 1]
        hxx, hxy, hyy = surf.hess(sid, h, th[k, 0], th[k, 1])
        a, b, c = hxx + damping, hxy, hyy + damping
        det = a * c - b * b
        if not abs(det) >= SINGULAR_TOL:
            code[k] = SINGULAR_HESSIAN
            continue
        x0, y0 = th[k, 0], th[k, 1]
        th[k, 0] -= lr[k] * ((c * g[k, 0] - b * g[k, 1]) / det)
        th[k, 1] -= lr[k] * ((a * g[k, 1] - b * g[k, 0]) / det)
        _implied_step(th, k, x0, y0, g, d)


@njit(cache=True, nogil=True, inline="always")
def diag_newton(hp, lr, t, u, th, st, orc, g, d, code):
    """The notes' simplest quasi-Newton, B = diag(H): θ_i ← θ_i − η g_i / (H_ii + λ).
    The lane stops (ZERO_CURVATURE) when |H_ii + λ| < 1e-12."""
    sid, h = orc[0], orc[1]
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        damping = hp[k, 1]
        hxx, hxy, hyy = surf.hess(sid, h, th[k, 0], th[k, 1])
        dx, dy = hxx + damping, hyy + damping
        if not (abs(dx) >= SINGULAR_TOL and abs(dy) >= SINGULAR_TOL):
            code[k] = ZERO_CURVATURE
            continue
        th[k, 0] -= lr[k] * g[k, 0] / dx
        th[k, 1] -= lr[k] * g[k, 1] / dy
        d[k, 4] = lr[k] / dx
        d[k, 5] = lr[k] / dy


@njit(cache=True, nogil=True, inline="always")
def bfgs(hp, lr, t, u, th, st, orc, g, d, code):
    """Inverse-Hessian BFGS (Nocedal & Wright, Algorithm 6.1) with Armijo backtracking.
    st[0:4]: B (row-major, B_0 = I), st[4:6]: previous θ, st[6:8]: previous g.

    s = θ_{t-1} − θ_{t-2}, y = g_t − g_{t-1}; if yᵀs > 1e-12, ρ = 1/yᵀs and
    B ← (I − ρ s yᵀ) B (I − ρ y sᵀ) + ρ s sᵀ.  d = −B g;  α = η, η/2, … (30 halvings) until
    f(θ + αd) ≤ f(θ) + 1e-4·α·gᵀd (else the last trial);  θ_t = θ_{t-1} + α d.
    """
    grad_at(orc, th, g)
    for k in range(th.shape[0]):
        if t == 1:
            st[k, 0], st[k, 1], st[k, 2], st[k, 3] = 1.0, 0.0, 0.0, 1.0
        else:
            s0, s1 = th[k, 0] - st[k, 4], th[k, 1] - st[k, 5]
            y0, y1 = g[k, 0] - st[k, 6], g[k, 1] - st[k, 7]
            sy = s0 * y0 + s1 * y1
            if sy > BFGS_CURVATURE_TOL:
                rho = 1.0 / sy
                # A = I − ρ s yᵀ; B ← A B Aᵀ + ρ s sᵀ
                a00, a01 = 1.0 - rho * s0 * y0, -rho * s0 * y1
                a10, a11 = -rho * s1 * y0, 1.0 - rho * s1 * y1
                b00, b01, b10, b11 = st[k, 0], st[k, 1], st[k, 2], st[k, 3]
                c00, c01 = a00 * b00 + a01 * b10, a00 * b01 + a01 * b11
                c10, c11 = a10 * b00 + a11 * b10, a10 * b01 + a11 * b11
                st[k, 0] = c00 * a00 + c01 * a01 + rho * s0 * s0
                st[k, 1] = c00 * a10 + c01 * a11 + rho * s0 * s1
                st[k, 2] = c10 * a00 + c11 * a01 + rho * s1 * s0
                st[k, 3] = c10 * a10 + c11 * a11 + rho * s1 * s1
        x, y = th[k, 0], th[k, 1]
        d0 = -(st[k, 0] * g[k, 0] + st[k, 1] * g[k, 1])
        d1 = -(st[k, 2] * g[k, 0] + st[k, 3] * g[k, 1])
        f0 = loss_at(orc, k, x, y)
        slope = g[k, 0] * d0 + g[k, 1] * d1
        alpha = lr[k]
        for _ in range(ARMIJO_HALVINGS):
            if loss_at(orc, k, x + alpha * d0, y + alpha * d1) <= f0 + ARMIJO_C1 * alpha * slope:
                break
            alpha *= 0.5
        st[k, 4], st[k, 5], st[k, 6], st[k, 7] = x, y, g[k, 0], g[k, 1]
        th[k, 0] = x + alpha * d0
        th[k, 1] = y + alpha * d1
        _implied_step(th, k, x, y, g, d)


@njit(cache=True, nogil=True, inline="always")
def dispatch(oid, hp, lr, t, u, th, st, orc, g, d, code):
    """Apply optimizer ``oid``'s rule (codes as in the catalogue) to every lane."""
    if oid == 0:
        sgd(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 1:
        momentum(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 2:
        nag(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 3:
        asgd(hp, lr, t, u, th, st, orc, g, d, code)
        return  # ASGD plots its average; its raw iterate is already in d[:, 6:8]
    elif oid == 4:
        rprop(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 5:
        adagrad(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 6:
        adadelta(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 7:
        rmsprop(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 8:
        adam(hp, lr, t, u, th, st, orc, g, d, code, False, False)
    elif oid == 9:
        adam(hp, lr, t, u, th, st, orc, g, d, code, True, False)
    elif oid == 10:
        adam(hp, lr, t, u, th, st, orc, g, d, code, False, True)
    elif oid == 11:
        nadam(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 12:
        radam(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 13:
        newton(hp, lr, t, u, th, st, orc, g, d, code)
    elif oid == 14:
        diag_newton(hp, lr, t, u, th, st, orc, g, d, code)
    else:
        bfgs(hp, lr, t, u, th, st, orc, g, d, code)
    for k in range(th.shape[0]):  # the plotted point is the iterate itself
        d[k, 6] = th[k, 0]
        d[k, 7] = th[k, 1]
