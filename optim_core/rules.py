"""One compiled update rule per optimizer, each reading like its formula.

Every rule has the same shape::

    rule(hp, lr, t, u, th, st, orc, g, d) -> status code

- ``hp``: the optimizer's hyperparameters in catalogue order (``hp[0]`` is the base lr);
- ``lr``: the scheduled learning rate of this step, ``t``: the step number (1-based);
- ``u``: the underflow threshold (squared gradients below it enter accumulators as 0);
- ``th``: the point θ (2,), updated in place; ``st``: the optimizer's state (zeros at t = 1),
  slots documented per rule;
- ``orc``: the gradient oracle (see ``oracle.grad_at``); ``g``: receives the gradient used;
- ``d``: receives the diagnostics: velocity d[0:2], second moment d[2:4], effective
  per-coordinate step size d[4:6], and for ASGD the raw SGD iterate d[6:8].

Conventions follow torch.optim (names, where ε sits, bias corrections); where the course notes
differ the variant is an explicit option.
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


@njit(cache=True, nogil=True)
def sq(gi, u):
    """g², flushed to zero below the underflow threshold u (a float16 simulation when u > 0)."""
    s = gi * gi
    return 0.0 if s < u else s


@njit(cache=True, nogil=True)
def running_powers(hp, t, st, slot):
    """β₁ᵗ and β₂ᵗ (hp[1], hp[2]) kept as running products in st[slot], st[slot+1].

    A product per step instead of ``β ** t``: the two powers were ~45% of an Adam step, and the
    products differ from ``pow`` by under t ulps (2e-12 relative at 20,000 steps).
    """
    if t == 1:
        st[slot], st[slot + 1] = hp[1], hp[2]
    else:
        st[slot] *= hp[1]
        st[slot + 1] *= hp[2]
    return st[slot], st[slot + 1]


@njit(cache=True, nogil=True)
def _sign(v):
    return 1.0 if v > 0 else (-1.0 if v < 0 else 0.0)


@njit(cache=True, nogil=True)
def sgd(hp, lr, t, u, th, st, orc, g, d):
    """Gradient descent (GD, SGD and mini-batch GD differ only in the oracle).

    θ_t = θ_{t-1} − η g_t.
    """
    grad_at(orc, th[0], th[1], g)
    for i in range(2):
        th[i] -= lr * g[i]
        d[4 + i] = lr
    return OK


@njit(cache=True, nogil=True)
def momentum(hp, lr, t, u, th, st, orc, g, d):
    """Heavy-ball momentum (Polyak 1964). hp: lr, momentum μ, dampening d, form. st[0:2]: v.

    classic (torch.optim.SGD): v_1 = g_1, v_t = μ v_{t-1} + (1−d) g_t, θ_t = θ_{t-1} − η v_t
    ema (notes):               v_t = μ v_{t-1} + (1−μ) g_t,              θ_t = θ_{t-1} − η v_t
    lr_inside (notes):         v_t = μ v_{t-1} + η g_t,                  θ_t = θ_{t-1} − v_t
    """
    mu, damp, form = hp[1], hp[2], int(hp[3])
    grad_at(orc, th[0], th[1], g)
    for i in range(2):
        if form == CLASSIC:
            if mu == 0.0 or t == 1:  # torch keeps no buffer at μ = 0 and starts it at g_1
                v = g[i]
            else:
                v = mu * st[i] + (1.0 - damp) * g[i]
            th[i] -= lr * v
        elif form == EMA:
            v = mu * st[i] + (1.0 - mu) * g[i]
            th[i] -= lr * v
        else:
            v = mu * st[i] + lr * g[i]
            th[i] -= v
        st[i] = v
        d[i] = v
        d[4 + i] = lr
    return OK


@njit(cache=True, nogil=True)
def nag(hp, lr, t, u, th, st, orc, g, d):
    """Nesterov accelerated gradient (Nesterov 1983; Sutskever et al. 2013). st[0:2]: v or b.

    notes:   v_t = μ v_{t-1} + η ∇f(θ_{t-1} − μ v_{t-1}),  θ_t = θ_{t-1} − v_t
    pytorch: b_1 = g_1, b_t = μ b_{t-1} + g_t,  θ_t = θ_{t-1} − η (g_t + μ b_t)
    """
    mu, variant = hp[1], int(hp[2])
    if variant == NOTES:
        grad_at(orc, th[0] - mu * st[0], th[1] - mu * st[1], g)
        for i in range(2):
            st[i] = mu * st[i] + lr * g[i]
            th[i] -= st[i]
    else:
        grad_at(orc, th[0], th[1], g)
        for i in range(2):
            st[i] = g[i] if t == 1 else mu * st[i] + g[i]
            th[i] -= lr * (g[i] + mu * st[i])
    for i in range(2):
        d[i] = st[i]
        d[4 + i] = lr
    return OK


@njit(cache=True, nogil=True)
def asgd(hp, lr, t, u, th, st, orc, g, d):
    """Averaged SGD of the notes (Polyak & Juditsky 1992). hp: lr, alpha α, t0. st[0:2]: raw θ.

    θ_t = θ_{t-1} − η g(θ_{t-1});  θ̄_t = θ_t for t < t0, then θ̄_t = α θ̄_{t-1} + (1−α) θ_t,
    or for α = 0 the arithmetic mean of θ_{t0}, …, θ_t. ``th`` is the average θ̄.
    """
    alpha, t0 = hp[1], int(hp[2])
    if t == 1:
        st[0], st[1] = th[0], th[1]
    grad_at(orc, st[0], st[1], g)
    for i in range(2):
        st[i] -= lr * g[i]
        if t < t0:
            th[i] = st[i]
        elif alpha == 0.0:
            th[i] += (st[i] - th[i]) / (t - t0 + 1)
        else:
            th[i] = alpha * th[i] + (1.0 - alpha) * st[i]
        d[4 + i] = lr
        d[6 + i] = st[i]
    return OK


@njit(cache=True, nogil=True)
def rprop(hp, lr, t, u, th, st, orc, g, d):
    """Resilient backprop (Riedmiller & Braun 1993), as torch.optim.Rprop.

    hp: lr (initial step), eta_minus, eta_plus, step_min, step_max. st[0:2]: previous g,
    st[2:4]: step sizes Δ. Δ ← clip(Δ·{η⁺ if g·g_prev > 0, η⁻ if < 0, 1}); where the sign
    flipped g is set to 0 (no move, and no flip next time); θ ← θ − sign(g)·Δ.
    """
    eta_minus, eta_plus, step_min, step_max = hp[1], hp[2], hp[3], hp[4]
    if t == 1:
        st[2] = st[3] = hp[0]
    grad_at(orc, th[0], th[1], g)
    for i in range(2):
        p = g[i] * st[i]
        factor = eta_plus if p > 0 else (eta_minus if p < 0 else 1.0)
        step = min(max(st[2 + i] * factor, step_min), step_max)
        gi = 0.0 if p < 0 else g[i]
        th[i] -= _sign(gi) * step
        st[i] = gi
        st[2 + i] = step
        d[4 + i] = step
    return OK


@njit(cache=True, nogil=True)
def adagrad(hp, lr, t, u, th, st, orc, g, d):
    """AdaGrad (Duchi et al. 2011), as torch.optim.Adagrad. st[0:2]: G, the sum of g².

    η'_t = η / (1 + (t−1)·lr_decay),  G_t = G_{t-1} + g_t²  (G_0 = initial_accumulator_value),
    θ_t = θ_{t-1} − η'_t g_t / (√G_t + ε).
    """
    lr_decay, eps = hp[1], hp[3]
    if t == 1:
        st[0] = st[1] = hp[2]
    clr = lr / (1.0 + (t - 1) * lr_decay)
    grad_at(orc, th[0], th[1], g)
    for i in range(2):
        st[i] += sq(g[i], u)
        denom = math.sqrt(st[i]) + eps
        th[i] -= clr * (g[i] / denom)
        d[2 + i] = st[i]
        d[4 + i] = clr / denom
    return OK


@njit(cache=True, nogil=True)
def adadelta(hp, lr, t, u, th, st, orc, g, d):
    """AdaDelta (Zeiler 2012), as torch.optim.Adadelta. st[0:2]: v (avg g²), st[2:4]: u (avg Δ²).

    v_t = ρ v + (1−ρ) g²,  Δ_t = √(u_{t-1}+ε) / √(v_t+ε) · g_t,  u_t = ρ u + (1−ρ) Δ_t²,
    θ_t = θ_{t-1} − η Δ_t  (η = 1 is the notes' rule).
    """
    rho, eps = hp[1], hp[2]
    grad_at(orc, th[0], th[1], g)
    for i in range(2):
        st[i] = rho * st[i] + (1.0 - rho) * sq(g[i], u)
        std = math.sqrt(st[i] + eps)
        scale = math.sqrt(st[2 + i] + eps) / std
        delta = scale * g[i]
        st[2 + i] = rho * st[2 + i] + (1.0 - rho) * delta * delta
        th[i] -= lr * delta
        d[2 + i] = st[i]
        d[4 + i] = lr * scale
    return OK


@njit(cache=True, nogil=True)
def rmsprop(hp, lr, t, u, th, st, orc, g, d):
    """RMSProp (Hinton 2012), as torch.optim.RMSprop. hp: lr, alpha, eps, momentum, centered.

    st[0:2]: v (avg g²), st[2:4]: ḡ (avg g, centered), st[4:6]: momentum buffer b.
    v_t = α v + (1−α) g²;  D = √v_t + ε  (centered: √(v_t − ḡ_t²) + ε);
    θ_t = θ_{t-1} − η g/D, or with momentum b_t = μ b + g/D, θ_t = θ_{t-1} − η b_t.
    """
    alpha, eps, mu, centered = hp[1], hp[2], hp[3], hp[4] != 0.0
    grad_at(orc, th[0], th[1], g)
    for i in range(2):
        st[i] = alpha * st[i] + (1.0 - alpha) * sq(g[i], u)
        if centered:
            st[2 + i] += (1.0 - alpha) * (g[i] - st[2 + i])
            denom = math.sqrt(st[i] - st[2 + i] * st[2 + i]) + eps
        else:
            denom = math.sqrt(st[i]) + eps
        if mu > 0.0:
            st[4 + i] = mu * st[4 + i] + g[i] / denom
            th[i] -= lr * st[4 + i]
        else:
            th[i] -= lr * (g[i] / denom)
        d[i] = st[4 + i]
        d[2 + i] = st[i]
        d[4 + i] = lr / denom
    return OK


@njit(cache=True, nogil=True)
def adam(hp, lr, t, u, th, st, orc, g, d, amsgrad, decoupled):
    """Adam (Kingma & Ba 2015), AMSGrad (Reddi et al. 2018) and AdamW (Loshchilov & Hutter 2019),
    as torch.optim.Adam / AdamW. hp: lr, beta1, beta2, eps, weight_decay.
    st[0:2]: m, st[2:4]: v, st[4:6]: max v (AMSGrad), st[6:8]: β₁ᵗ, β₂ᵗ.

    AdamW first: θ ← θ(1 − ηλ); Adam instead adds λθ to g.
    m_t = β₁ m + (1−β₁) g,  v_t = β₂ v + (1−β₂) g²  (AMSGrad: v̂ = max(v̂, v_t)),
    θ_t = θ_{t-1} − η/(1−β₁ᵗ) · m_t / (√v_t / √(1−β₂ᵗ) + ε).
    """
    b1, b2, eps, wd = hp[1], hp[2], hp[3], hp[4]
    grad_at(orc, th[0], th[1], g)
    b1t, b2t = running_powers(hp, t, st, 6)
    bc1 = 1.0 - b1t
    bc2_sqrt = math.sqrt(1.0 - b2t)
    step_size = lr / bc1
    for i in range(2):
        gi = g[i]
        if decoupled:
            th[i] *= 1.0 - lr * wd
        elif wd != 0.0:
            gi = gi + wd * th[i]
        st[i] += (1.0 - b1) * (gi - st[i])
        st[2 + i] = b2 * st[2 + i] + (1.0 - b2) * sq(gi, u)
        v = st[2 + i]
        if amsgrad:
            st[4 + i] = max(st[4 + i], v)
            v = st[4 + i]
        denom = math.sqrt(v) / bc2_sqrt + eps
        th[i] -= step_size * (st[i] / denom)
        d[i] = st[i]
        d[2 + i] = v
        d[4 + i] = lr / denom
    return OK


@njit(cache=True, nogil=True)
def nadam(hp, lr, t, u, th, st, orc, g, d):
    """Nadam (Dozat 2016). hp: lr, beta1, beta2, eps, momentum_decay ψ, variant.
    st[0:2]: m, st[2:4]: v, st[4]: Π μ_i (pytorch variant), st[6:8]: β₁ᵗ, β₂ᵗ.

    notes:   θ_t = θ_{t-1} − η (β₁ m̂_t + (1−β₁) g_t/(1−β₁ᵗ)) / (√v̂_t + ε)
    pytorch: μ_t = β₁(1 − ½·0.96^{tψ}); θ −= η(1−μ_t)/(1−Πμ_{≤t}) · g/D; θ −= η μ_{t+1}/(1−Πμ_{≤t+1}) · m/D,
             D = √(v_t/(1−β₂ᵗ)) + ε   (torch.optim.NAdam)
    """
    b1, b2, eps, psi, variant = hp[1], hp[2], hp[3], hp[4], int(hp[5])
    grad_at(orc, th[0], th[1], g)
    b1t, b2t = running_powers(hp, t, st, 6)
    bc1 = 1.0 - b1t
    bc2 = 1.0 - b2t
    if variant == PYTORCH:
        if t == 1:
            st[4] = 1.0
        mu = b1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        st[4] *= mu
        mu_product_next = st[4] * mu_next
    for i in range(2):
        st[i] += (1.0 - b1) * (g[i] - st[i])
        st[2 + i] = b2 * st[2 + i] + (1.0 - b2) * sq(g[i], u)
        if variant == PYTORCH:
            denom = math.sqrt(st[2 + i] / bc2) + eps
            th[i] += (-lr * (1.0 - mu) / (1.0 - st[4])) * (g[i] / denom)
            th[i] += (-lr * mu_next / (1.0 - mu_product_next)) * (st[i] / denom)
        else:
            denom = math.sqrt(st[2 + i] / bc2) + eps
            th[i] -= lr * (b1 * (st[i] / bc1) + (1.0 - b1) * g[i] / bc1) / denom
        d[i] = st[i]
        d[2 + i] = st[2 + i]
        d[4 + i] = lr / denom
    return OK


@njit(cache=True, nogil=True)
def radam(hp, lr, t, u, th, st, orc, g, d):
    """Rectified Adam (Liu et al. 2020), as torch.optim.RAdam. hp: lr, beta1, beta2, eps, threshold.
    st[0:2]: m, st[2:4]: v, st[6:8]: β₁ᵗ, β₂ᵗ.

    ρ∞ = 2/(1−β₂) − 1,  ρ_t = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ).  If ρ_t > threshold (torch 5, paper 4):
    r_t = √((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t)),  θ_t = θ_{t-1} − η m̂_t r_t √(1−β₂ᵗ)/(√v_t + ε);
    else θ_t = θ_{t-1} − η m̂_t.
    """
    b1, b2, eps, threshold = hp[1], hp[2], hp[3], hp[4]
    grad_at(orc, th[0], th[1], g)
    b1t, b2t = running_powers(hp, t, st, 6)
    bc1 = 1.0 - b1t
    bc2 = 1.0 - b2t
    rho_inf = 2.0 / (1.0 - b2) - 1.0
    rho_t = rho_inf - 2.0 * t * b2t / bc2
    rectified = rho_t > threshold
    if rectified:
        rect = math.sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
    for i in range(2):
        st[i] += (1.0 - b1) * (g[i] - st[i])
        st[2 + i] = b2 * st[2 + i] + (1.0 - b2) * sq(g[i], u)
        m_hat = st[i] / bc1
        if rectified:
            adaptive = math.sqrt(bc2) / (math.sqrt(st[2 + i]) + eps)
            th[i] -= m_hat * lr * adaptive * rect
            d[4 + i] = lr * adaptive * rect
        else:
            th[i] -= m_hat * lr
            d[4 + i] = lr
        d[i] = st[i]
        d[2 + i] = st[2 + i]
    return OK


@njit(cache=True, nogil=True)
def _implied_step(th, prev0, prev1, g, d):
    """Effective per-coordinate step size −Δθ_i / g_i (NaN where g_i = 0)."""
    d[4] = -(th[0] - prev0) / g[0] if g[0] != 0.0 else np.nan
    d[5] = -(th[1] - prev1) / g[1] if g[1] != 0.0 else np.nan


@njit(cache=True, nogil=True)
def newton(hp, lr, t, u, th, st, orc, g, d):
    """Damped Newton with the exact Hessian: θ_t = θ_{t-1} − η (H + λI)⁻¹ g_t.
    Stops (SINGULAR_HESSIAN) when |det(H + λI)| < 1e-12."""
    damping = hp[1]
    sid, sp = orc[0], orc[1]
    grad_at(orc, th[0], th[1], g)
    hxx, hxy, hyy = surf.hess(sid, sp, th[0], th[1])
    a, b, c = hxx + damping, hxy, hyy + damping
    det = a * c - b * b
    if not abs(det) >= SINGULAR_TOL:
        return SINGULAR_HESSIAN
    x0, y0 = th[0], th[1]
    th[0] -= lr * ((c * g[0] - b * g[1]) / det)
    th[1] -= lr * ((a * g[1] - b * g[0]) / det)
    _implied_step(th, x0, y0, g, d)
    return OK


@njit(cache=True, nogil=True)
def diag_newton(hp, lr, t, u, th, st, orc, g, d):
    """The notes' simplest quasi-Newton, B = diag(H): θ_i ← θ_i − η g_i / (H_ii + λ).
    Stops (ZERO_CURVATURE) when |H_ii + λ| < 1e-12."""
    damping = hp[1]
    sid, sp = orc[0], orc[1]
    grad_at(orc, th[0], th[1], g)
    hxx, hxy, hyy = surf.hess(sid, sp, th[0], th[1])
    dx, dy = hxx + damping, hyy + damping
    if not (abs(dx) >= SINGULAR_TOL and abs(dy) >= SINGULAR_TOL):
        return ZERO_CURVATURE
    th[0] -= lr * g[0] / dx
    th[1] -= lr * g[1] / dy
    d[4] = lr / dx
    d[5] = lr / dy
    return OK


@njit(cache=True, nogil=True)
def bfgs(hp, lr, t, u, th, st, orc, g, d):
    """Inverse-Hessian BFGS (Nocedal & Wright, Algorithm 6.1) with Armijo backtracking.
    st[0:4]: B (row-major, B_0 = I), st[4:6]: previous θ, st[6:8]: previous g.

    s = θ_{t-1} − θ_{t-2}, y = g_t − g_{t-1}; if yᵀs > 1e-12, ρ = 1/yᵀs and
    B ← (I − ρ s yᵀ) B (I − ρ y sᵀ) + ρ s sᵀ.  d = −B g;  α = η, η/2, … (30 halvings) until
    f(θ + αd) ≤ f(θ) + 1e-4·α·gᵀd (else the last trial);  θ_t = θ_{t-1} + α d.
    """
    grad_at(orc, th[0], th[1], g)
    if t == 1:
        st[0], st[1], st[2], st[3] = 1.0, 0.0, 0.0, 1.0
    else:
        s0, s1 = th[0] - st[4], th[1] - st[5]
        y0, y1 = g[0] - st[6], g[1] - st[7]
        sy = s0 * y0 + s1 * y1
        if sy > BFGS_CURVATURE_TOL:
            rho = 1.0 / sy
            # A = I − ρ s yᵀ; B ← A B Aᵀ + ρ s sᵀ
            a00, a01 = 1.0 - rho * s0 * y0, -rho * s0 * y1
            a10, a11 = -rho * s1 * y0, 1.0 - rho * s1 * y1
            b00, b01, b10, b11 = st[0], st[1], st[2], st[3]
            c00, c01 = a00 * b00 + a01 * b10, a00 * b01 + a01 * b11
            c10, c11 = a10 * b00 + a11 * b10, a10 * b01 + a11 * b11
            st[0] = c00 * a00 + c01 * a01 + rho * s0 * s0
            st[1] = c00 * a10 + c01 * a11 + rho * s0 * s1
            st[2] = c10 * a00 + c11 * a01 + rho * s1 * s0
            st[3] = c10 * a10 + c11 * a11 + rho * s1 * s1
    d0 = -(st[0] * g[0] + st[1] * g[1])
    d1 = -(st[2] * g[0] + st[3] * g[1])
    f0 = loss_at(orc, th[0], th[1])
    slope = g[0] * d0 + g[1] * d1
    alpha = lr
    for _ in range(ARMIJO_HALVINGS):
        if loss_at(orc, th[0] + alpha * d0, th[1] + alpha * d1) <= f0 + ARMIJO_C1 * alpha * slope:
            break
        alpha *= 0.5
    st[4], st[5], st[6], st[7] = th[0], th[1], g[0], g[1]
    th[0] += alpha * d0
    th[1] += alpha * d1
    _implied_step(th, st[4], st[5], g, d)
    return OK


@njit(cache=True, nogil=True, inline="always")
def dispatch(oid, hp, lr, t, u, th, st, orc, g, d):
    """Apply optimizer ``oid``'s rule (codes as in the catalogue)."""
    if oid == 0:
        code = sgd(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 1:
        code = momentum(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 2:
        code = nag(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 3:
        return asgd(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 4:
        code = rprop(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 5:
        code = adagrad(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 6:
        code = adadelta(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 7:
        code = rmsprop(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 8:
        code = adam(hp, lr, t, u, th, st, orc, g, d, False, False)
    elif oid == 9:
        code = adam(hp, lr, t, u, th, st, orc, g, d, True, False)
    elif oid == 10:
        code = adam(hp, lr, t, u, th, st, orc, g, d, False, True)
    elif oid == 11:
        code = nadam(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 12:
        code = radam(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 13:
        code = newton(hp, lr, t, u, th, st, orc, g, d)
    elif oid == 14:
        code = diag_newton(hp, lr, t, u, th, st, orc, g, d)
    else:
        code = bfgs(hp, lr, t, u, th, st, orc, g, d)
    d[6] = th[0]  # the plotted point is the iterate itself (only ASGD plots an average)
    d[7] = th[1]
    return code
