"""Independent reference implementations for the optimizer engine's tests.

Slow, plain NumPy, written from the formulas of the course notes and of ``torch.optim``; this
module deliberately imports neither ``optim_core`` nor ``surfaces``. Every rule is a function

    ref_<optimizer>[_<variant>](grad, start, steps, hyper, lr_fn, **surface_extras) -> RefTrace

where ``grad(theta) -> g`` is the gradient oracle, ``lr_fn(t)`` the scheduled learning rate
η_t of step t = 1..steps, and ``hyper`` a dict of hyperparameters (missing ones take the
defaults of ``DEFAULTS``). Second-order rules also take ``hess`` (Newton family) or ``f``
(BFGS line search). ``stop(theta, raw)`` (optional) decides when a run ends; see ``escape_check``.

Notation: g_t = ∇f(θ_{t-1}), t = 1..steps, η_t the scheduled lr; products, squares, square roots
and divisions of vectors are elementwise.
"""
from __future__ import annotations

import math

import numpy as np

# ---------------------------------------------------------------------------------------------
# Hyperparameter defaults (read off the catalogue by hand; a test checks they still agree).
# ---------------------------------------------------------------------------------------------
_ADAM = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
DEFAULTS = {
    "sgd": {"lr": 0.01, "weight_decay": 0.0},
    "momentum": {"lr": 0.01, "momentum": 0.9, "dampening": 0.0, "form": "classic"},
    "nag": {"lr": 0.01, "momentum": 0.9, "variant": "notes"},
    "asgd": {"lr": 0.01, "alpha": 0.99, "t0": 10},
    "rprop": {"lr": 0.01, "eta_minus": 0.5, "eta_plus": 1.2, "step_min": 1e-6, "step_max": 50.0},
    "adagrad": {"lr": 0.1, "lr_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10,
                "eps_placement": "outside"},
    "adadelta": {"lr": 1.0, "rho": 0.9, "eps": 1e-6},
    "rmsprop": {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": False,
                "eps_placement": "outside"},
    "adam": {**_ADAM, "weight_decay": 0.0, "bias_correction": True},
    "amsgrad": {**_ADAM, "weight_decay": 0.0, "bias_correction": True},
    "adamw": {**_ADAM, "weight_decay": 0.01, "bias_correction": True},
    "nadam": {**_ADAM, "momentum_decay": 0.004, "variant": "notes"},
    "radam": {**_ADAM, "threshold": 5.0},
    "newton": {"lr": 1.0, "damping": 0.0},
    "diag_newton": {"lr": 1.0, "damping": 0.0},
    "bfgs": {"lr": 1.0},
}

DIVERGE_BOUND = 1e6
SINGULAR_DET = 1e-12
ARMIJO_C = 1e-4
ARMIJO_HALVINGS = 30
BFGS_CURVATURE_MIN = 1e-12


# ---------------------------------------------------------------------------------------------
# Surfaces
# ---------------------------------------------------------------------------------------------
class RefSurface:
    """A surface as three plain functions of θ = (x, y): value, gradient, Hessian."""

    def __init__(self, name, value, grad, hess, domain, start, params):
        self.name, self.value, self.grad, self.hess = name, value, grad, hess
        self.domain, self.start, self.params = tuple(domain), tuple(start), dict(params)

    @property
    def escape_box(self):
        """10x the plotting domain about the same centre: [c - 10h, c + 10h] per axis."""
        x0, x1, y0, y1 = self.domain
        cx, hx, cy, hy = (x0 + x1) / 2, (x1 - x0) / 2, (y0 + y1) / 2, (y1 - y0) / 2
        return (cx - 10 * hx, cx + 10 * hx, cy - 10 * hy, cy + 10 * hy)


def beale(scale=1.0):
    """f = s[(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²].

    With a1 = 1.5 − x + xy, a2 = 2.25 − x + xy², a3 = 2.625 − x + xy³:
      ∂f/∂x = 2s[a1(y − 1) + a2(y² − 1) + a3(y³ − 1)]
      ∂f/∂y = 2s[a1·x + a2·2xy + a3·3xy²]
      ∂²f/∂x² = 2s[(y − 1)² + (y² − 1)² + (y³ − 1)²]
      ∂²f/∂x∂y = 2s[x(y − 1) + a1 + 2xy(y² − 1) + 2y·a2 + 3xy²(y³ − 1) + 3y²·a3]
      ∂²f/∂y² = 2s[x² + (2xy)² + 2x·a2 + (3xy²)² + 6xy·a3]
    """
    def parts(th):
        x, y = np.float64(th[0]), np.float64(th[1])   # overflow gives inf, as in the engine
        return x, y, 1.5 - x + x * y, 2.25 - x + x * y ** 2, 2.625 - x + x * y ** 3

    def value(th):
        _, _, a1, a2, a3 = parts(th)
        return scale * (a1 ** 2 + a2 ** 2 + a3 ** 2)

    def grad(th):
        x, y, a1, a2, a3 = parts(th)
        gx = 2 * (a1 * (y - 1) + a2 * (y ** 2 - 1) + a3 * (y ** 3 - 1))
        gy = 2 * (a1 * x + a2 * 2 * x * y + a3 * 3 * x * y ** 2)
        return scale * np.array([gx, gy])

    def hess(th):
        x, y, a1, a2, a3 = parts(th)
        hxx = 2 * ((y - 1) ** 2 + (y ** 2 - 1) ** 2 + (y ** 3 - 1) ** 2)
        hxy = 2 * (x * (y - 1) + a1 + 2 * x * y * (y ** 2 - 1) + 2 * y * a2
                   + 3 * x * y ** 2 * (y ** 3 - 1) + 3 * y ** 2 * a3)
        hyy = 2 * (x ** 2 + (2 * x * y) ** 2 + 2 * x * a2 + (3 * x * y ** 2) ** 2 + 6 * x * y * a3)
        return scale * np.array([[hxx, hxy], [hxy, hyy]])

    return RefSurface("beale", value, grad, hess, (-4.5, 4.5, -4.5, 4.5), (1.0, 1.5), {"scale": scale})


def saddle(scale=1.0):
    """f = s(x² − y²); ∇f = s(2x, −2y); H = s·diag(2, −2)."""
    return RefSurface(
        "saddle",
        lambda th: scale * (th[0] ** 2 - th[1] ** 2),
        lambda th: scale * np.array([2.0 * th[0], -2.0 * th[1]]),
        lambda th: scale * np.array([[2.0, 0.0], [0.0, -2.0]]),
        (-2.0, 2.0, -2.0, 2.0), (-1.5, 0.01), {"scale": scale})


def valley(scale=1.0):
    """f = s(0.1x² + 2y²); ∇f = s(0.2x, 4y); H = s·diag(0.2, 4)."""
    return RefSurface(
        "valley",
        lambda th: scale * (0.1 * th[0] ** 2 + 2.0 * th[1] ** 2),
        lambda th: scale * np.array([0.2 * th[0], 4.0 * th[1]]),
        lambda th: scale * np.array([[0.2, 0.0], [0.0, 4.0]]),
        (-6.0, 6.0, -3.0, 3.0), (-5.0, -2.0), {"scale": scale})


def bowl_centres(n_samples=200, spread=1.0, data_seed=0):
    """c_i = (1, 0.5) + spread·N(0, I), drawn with numpy's default_rng(data_seed)."""
    rng = np.random.default_rng(int(data_seed))
    return np.array([1.0, 0.5]) + spread * rng.standard_normal((int(n_samples), 2))


def noisy_bowl(scale=1.0, n_samples=200, spread=1.0, data_seed=0):
    """f = s·(1/N) Σ_i ½[1·(x − cx_i)² + 2·(y − cy_i)²]  (full batch).

    ∇f = s·(1/N) Σ_i (x − cx_i, 2(y − cy_i));  H = s·diag(1, 2).
    """
    c = bowl_centres(n_samples, spread, data_seed)

    def value(th):
        per = [0.5 * (1.0 * (th[0] - cx) ** 2 + 2.0 * (th[1] - cy) ** 2) for cx, cy in c]
        return scale * float(np.mean(per))

    def grad(th):
        per = np.array([[1.0 * (th[0] - cx), 2.0 * (th[1] - cy)] for cx, cy in c])
        return scale * per.mean(axis=0)

    return RefSurface("noisy_bowl", value, grad, lambda th: scale * np.diag([1.0, 2.0]),
                      (-3.0, 3.0, -3.0, 3.0), (-2.0, 2.5),
                      {"scale": scale, "n_samples": n_samples, "spread": spread, "data_seed": data_seed})


SURFACES = {"beale": beale, "saddle": saddle, "valley": valley, "noisy_bowl": noisy_bowl}


def make_surface(name, params=None) -> RefSurface:
    return SURFACES[name](**(params or {}))


# ---------------------------------------------------------------------------------------------
# Schedules
# ---------------------------------------------------------------------------------------------
def schedule_lr(lr0, schedule, t):
    """η_t for t = 1..steps.

    constant: η0;  step: η0·γ^⌊(t−1)/N⌋;  exponential: η0·e^(−λ(t−1));
    polynomial: η0·(1 + λ(t−1))^(−α);  each times min(1, t/W) when warmup W > 0.
    Defaults: step N=100, γ=0.5; exponential λ=0.01; polynomial λ=0.01, α=0.5.
    """
    s = dict(schedule or {})
    kind = s.get("kind", "constant")
    if kind == "constant":
        f = 1.0
    elif kind == "step":
        f = s.get("gamma", 0.5) ** ((t - 1) // int(s.get("every", 100)))
    elif kind == "exponential":
        f = math.exp(-s.get("decay", 0.01) * (t - 1))
    elif kind == "polynomial":
        f = (1.0 + s.get("decay", 0.01) * (t - 1)) ** (-s.get("power", 0.5))
    else:
        raise ValueError(kind)
    w = s.get("warmup", 0)
    if w > 0:
        f *= min(1.0, t / w)
    return lr0 * f


# ---------------------------------------------------------------------------------------------
# Trajectory bookkeeping
# ---------------------------------------------------------------------------------------------
class RefTrace:
    """Trajectory and per-step diagnostics. ``xy`` (k+1, 2); ``extra[key]`` k rows."""

    def __init__(self, start, stop=None):
        self.points = [np.array(start, dtype=np.float64)]
        self.raw = [np.array(start, dtype=np.float64)]
        self.rows = {}
        self.status = "ok"
        self.stop = stop

    def push(self, theta, *, raw=None, **diag) -> bool:
        """Record one step; True when the run ends here (the stopping point may be dropped)."""
        status, keep = self.stop(theta, raw) if self.stop else (None, True)
        if keep:
            self.points.append(np.array(theta, dtype=np.float64))
            self.raw.append(np.array(theta if raw is None else raw, dtype=np.float64))
            for key, v in diag.items():
                self.rows.setdefault(key, []).append(np.array(v, dtype=np.float64))
        if status is not None:
            self.status = status
            return True
        return False

    def abort(self, status):
        self.status = status

    @property
    def xy(self):
        return np.array(self.points)

    @property
    def k(self):
        return len(self.points) - 1

    @property
    def extra(self):
        xy = self.xy
        out = {key: np.array(v).reshape(len(v), *np.shape(v[0])) for key, v in self.rows.items()}
        out["update"] = np.diff(xy, axis=0)          # update_t = θ_t − θ_{t−1}
        return out


def escape_check(surface: RefSurface):
    """stop(θ, raw) → (status or None, keep the point?).

    θ or raw non-finite → ("diverged", dropped); f(θ) non-finite or max|θ|, max|raw| > 1e6 →
    ("diverged", kept); θ or raw outside 10× the plotting domain → ("escaped", kept).
    """
    x0, x1, y0, y1 = surface.escape_box

    def stop(theta, raw):
        pts = [np.asarray(theta)] + ([np.asarray(raw)] if raw is not None else [])
        if not all(np.all(np.isfinite(p)) for p in pts):
            return "diverged", False
        if not math.isfinite(surface.value(theta)):
            return "diverged", True
        if max(float(np.max(np.abs(p))) for p in pts) > DIVERGE_BOUND:
            return "diverged", True
        if any(p[0] < x0 or p[0] > x1 or p[1] < y0 or p[1] > y1 for p in pts):
            return "escaped", True
        return None, True

    return stop


def _hp(name, hyper):
    return {**DEFAULTS[name], **(hyper or {})}


def _sq(g, underflow):
    """g² as it enters a second-moment accumulator: entries with g² < u are flushed to 0."""
    g2 = g * g
    return np.where(g2 < underflow, 0.0, g2)


def _start(start):
    return np.array(start, dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# First-order rules
# ---------------------------------------------------------------------------------------------
def ref_sgd(grad, start, steps, hyper, lr_fn, *, stop=None, **_):
    """torch.optim.SGD(weight_decay=wd): θ_t = θ_{t−1} − η_t(g_t + wd·θ_{t−1}).
    grad = g_t (before decay), eff_lr = η_t."""
    wd = _hp("sgd", hyper)["weight_decay"]
    th, tr = _start(start), RefTrace(start, stop)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        th = th - eta * (g + wd * th if wd else g)
        if tr.push(th, grad=g, lr=eta, eff_lr=[eta, eta]):
            break
    return tr


def ref_momentum_classic(grad, start, steps, hyper, lr_fn, *, stop=None, **_):
    """torch.optim.SGD(momentum=μ, dampening=d): v_1 = g_1, v_t = μv_{t−1} + (1−d)g_t;
    θ_t = θ_{t−1} − η_t v_t.  With μ = 0 the step is η_t g_t.  velocity = v, eff_lr = η_t."""
    h = _hp("momentum", hyper)
    mu, d = h["momentum"], h["dampening"]
    th, tr, v = _start(start), RefTrace(start, stop), None
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        if mu == 0:
            v = g
        elif t == 1:
            v = g.copy()
        else:
            v = mu * v + (1 - d) * g
        th = th - eta * v
        if tr.push(th, grad=g, lr=eta, eff_lr=[eta, eta], velocity=v):
            break
    return tr


def ref_momentum_ema(grad, start, steps, hyper, lr_fn, *, stop=None, **_):
    """v_t = μv_{t−1} + (1−μ)g_t (v_0 = 0); θ_t = θ_{t−1} − η_t v_t.  eff_lr = η_t."""
    mu = _hp("momentum", hyper)["momentum"]
    th, tr, v = _start(start), RefTrace(start, stop), np.zeros(2)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        v = mu * v + (1 - mu) * g
        th = th - eta * v
        if tr.push(th, grad=g, lr=eta, eff_lr=[eta, eta], velocity=v):
            break
    return tr


def ref_momentum_lr_inside(grad, start, steps, hyper, lr_fn, *, stop=None, **_):
    """v_t = μv_{t−1} + η_t g_t (v_0 = 0); θ_t = θ_{t−1} − v_t.  eff_lr = η_t."""
    mu = _hp("momentum", hyper)["momentum"]
    th, tr, v = _start(start), RefTrace(start, stop), np.zeros(2)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        v = mu * v + eta * g
        th = th - v
        if tr.push(th, grad=g, lr=eta, eff_lr=[eta, eta], velocity=v):
            break
    return tr


def ref_nag_notes(grad, start, steps, hyper, lr_fn, *, stop=None, **_):
    """Look-ahead NAG of the notes: v_t = μv_{t−1} + η_t ∇f(θ_{t−1} − μv_{t−1}) (v_0 = 0);
    θ_t = θ_{t−1} − v_t.  grad = the look-ahead gradient, velocity = v, eff_lr = η_t."""
    mu = _hp("nag", hyper)["momentum"]
    th, tr, v = _start(start), RefTrace(start, stop), np.zeros(2)
    for t in range(1, steps + 1):
        eta = lr_fn(t)
        g = grad(th - mu * v)
        v = mu * v + eta * g
        th = th - v
        if tr.push(th, grad=g, lr=eta, eff_lr=[eta, eta], velocity=v):
            break
    return tr


def ref_nag_pytorch(grad, start, steps, hyper, lr_fn, *, stop=None, **_):
    """torch.optim.SGD(nesterov=True): b_1 = g_1, b_t = μb_{t−1} + g_t;
    θ_t = θ_{t−1} − η_t(g_t + μb_t).  velocity = b, eff_lr = η_t."""
    mu = _hp("nag", hyper)["momentum"]
    th, tr, b = _start(start), RefTrace(start, stop), None
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        b = g.copy() if t == 1 else mu * b + g
        th = th - eta * (g + mu * b)
        if tr.push(th, grad=g, lr=eta, eff_lr=[eta, eta], velocity=b):
            break
    return tr


def ref_asgd(grad, start, steps, hyper, lr_fn, *, stop=None, **_):
    """Averaged SGD. Raw iterate θ_t = θ_{t−1} − η_t g_t (g at the raw θ_{t−1}).
    Average: θ̄_0 = θ_0; θ̄_t = θ_t for t < t0; for t ≥ t0, θ̄_t = αθ̄_{t−1} + (1−α)θ_t, or,
    when α = 0, θ̄_t = mean(θ_{t0}, …, θ_t).  The recorded path is θ̄ (raw = θ), eff_lr = η_t."""
    h = _hp("asgd", hyper)
    alpha, t0 = h["alpha"], int(h["t0"])
    th, tr = _start(start), RefTrace(start, stop)
    avg = th.copy()
    since_t0 = []
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        th = th - eta * g
        if t < t0:
            avg = th.copy()
        elif alpha == 0:
            since_t0.append(th.copy())
            avg = np.mean(since_t0, axis=0)
        else:
            avg = alpha * avg + (1 - alpha) * th
        if tr.push(avg, raw=th, grad=g, lr=eta, eff_lr=[eta, eta]):
            break
    return tr


def ref_rprop(grad, start, steps, hyper, lr_fn, *, stop=None, **_):
    """torch.optim.Rprop: prev_0 = 0, Δ_0 = lr.  s = sign(g_t·prev);
    Δ_t = clip(Δ_{t−1}·{η⁺ if s>0, η⁻ if s<0, 1 if s=0}, step_min, step_max);
    g̃ = g_t with entries where s<0 set to 0; θ_t = θ_{t−1} − sign(g̃)·Δ_t; prev = g̃.
    grad = g_t (before zeroing), eff_lr = Δ_t."""
    h = _hp("rprop", hyper)
    th, tr = _start(start), RefTrace(start, stop)
    prev = np.zeros(2)
    step = np.full(2, float(h["lr"]))
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        gz = g.copy()
        for i in range(2):
            s = np.sign(g[i] * prev[i])
            factor = h["eta_plus"] if s > 0 else (h["eta_minus"] if s < 0 else 1.0)
            step[i] = min(max(step[i] * factor, h["step_min"]), h["step_max"])
            if s < 0:
                gz[i] = 0.0
        th = th - np.sign(gz) * step
        prev = gz
        if tr.push(th, grad=g, lr=eta, eff_lr=step.copy()):
            break
    return tr


def ref_adagrad(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """torch.optim.Adagrad: clr_t = η_t/(1 + (t−1)·lr_decay); G_t = G_{t−1} + g_t²
    (G_0 = initial_accumulator_value); θ_t = θ_{t−1} − clr_t·g_t/D with D = √G_t + ε, or
    D = √(G_t + ε) when eps_placement is "inside" (the notes).
    second_moment = G, eff_lr = clr_t/D."""
    h = _hp("adagrad", hyper)
    th, tr = _start(start), RefTrace(start, stop)
    G = np.full(2, float(h["initial_accumulator_value"]))
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        clr = eta / (1 + (t - 1) * h["lr_decay"])
        G = G + _sq(g, underflow)
        if h["eps_placement"] == "inside":
            denom = np.sqrt(G + h["eps"])
        else:
            denom = np.sqrt(G) + h["eps"]
        th = th - clr * g / denom
        if tr.push(th, grad=g, lr=eta, eff_lr=clr / denom, second_moment=G):
            break
    return tr


def ref_adadelta(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """torch.optim.Adadelta: v_t = ρv_{t−1} + (1−ρ)g_t²; Δ_t = √(u_{t−1}+ε)/√(v_t+ε)·g_t;
    u_t = ρu_{t−1} + (1−ρ)Δ_t²; θ_t = θ_{t−1} − η_t Δ_t.
    second_moment = v, eff_lr = η_t√(u_{t−1}+ε)/√(v_t+ε)."""
    h = _hp("adadelta", hyper)
    rho, eps = h["rho"], h["eps"]
    th, tr = _start(start), RefTrace(start, stop)
    v, u = np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        v = rho * v + (1 - rho) * _sq(g, underflow)
        ratio = np.sqrt(u + eps) / np.sqrt(v + eps)
        delta = ratio * g
        u = rho * u + (1 - rho) * delta * delta
        th = th - eta * delta
        if tr.push(th, grad=g, lr=eta, eff_lr=eta * ratio, second_moment=v):
            break
    return tr


def ref_rmsprop(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """torch.optim.RMSprop: v_t = αv_{t−1} + (1−α)g_t²;
    centered: ḡ_t = ḡ_{t−1} + (1−α)(g_t − ḡ_{t−1}), D = √(v_t − ḡ_t²) + ε; else D = √v_t + ε;
    eps_placement "inside" (the notes): D = √(v_t − ḡ_t² + ε), resp. √(v_t + ε).
    μ > 0: b_t = μb_{t−1} + g_t/D, θ_t = θ_{t−1} − η_t b_t; else θ_t = θ_{t−1} − η_t g_t/D.
    velocity = b (0 without momentum), second_moment = v, eff_lr = η_t/D."""
    h = _hp("rmsprop", hyper)
    a, mu, eps = h["alpha"], h["momentum"], h["eps"]
    th, tr = _start(start), RefTrace(start, stop)
    v, gbar, b = np.zeros(2), np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        v = a * v + (1 - a) * _sq(g, underflow)
        inside = h["eps_placement"] == "inside"
        if h["centered"]:
            gbar = gbar + (1 - a) * (g - gbar)
            D = np.sqrt(v - gbar * gbar + eps) if inside else np.sqrt(v - gbar * gbar) + eps
        else:
            D = np.sqrt(v + eps) if inside else np.sqrt(v) + eps
        if mu > 0:
            b = mu * b + g / D
            th = th - eta * b
        else:
            th = th - eta * g / D
        if tr.push(th, grad=g, lr=eta, eff_lr=eta / D, velocity=b, second_moment=v):
            break
    return tr


def _adam_like(name, grad, start, steps, hyper, lr_fn, stop, underflow, *, amsgrad=False, decoupled=False):
    """torch.optim.Adam / AdamW.
    coupled decay (adam, amsgrad): g' = g_t + wd·θ_{t−1}; decoupled (adamw): θ ← θ(1 − η_t·wd)
    first and g' = g_t.  m_t = β1 m + (1−β1)g'; v_t = β2 v + (1−β2)g'²;
    amsgrad: v̂_t = max(v̂_{t−1}, v_t) replaces v_t below.
    D = √v_t/√(1−β2^t) + ε; θ_t = θ − (η_t/(1−β1^t))·m_t/D.
    bias_correction False (no torch equivalent): D = √v_t + ε; θ_t = θ − η_t·m_t/D.
    grad = g_t (before decay), velocity = m, second_moment = v (v̂ for amsgrad), eff_lr = η_t/D."""
    h = _hp(name, hyper)
    b1, b2, eps, wd = h["beta1"], h["beta2"], h["eps"], h["weight_decay"]
    th, tr = _start(start), RefTrace(start, stop)
    m, v, vmax = np.zeros(2), np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        if decoupled:
            th = th * (1 - eta * wd)
            gp = g
        else:
            gp = g + wd * th if wd else g
        m = b1 * m + (1 - b1) * gp
        v = b2 * v + (1 - b2) * _sq(gp, underflow)
        vmax = np.maximum(vmax, v)
        second = vmax if amsgrad else v
        if h["bias_correction"]:
            D = np.sqrt(second) / math.sqrt(1 - b2 ** t) + eps
            th = th - (eta / (1 - b1 ** t)) * m / D
        else:
            D = np.sqrt(second) + eps
            th = th - eta * m / D
        if tr.push(th, grad=g, lr=eta, eff_lr=eta / D, velocity=m, second_moment=second):
            break
    return tr


def ref_adam(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """Adam, see ``_adam_like``."""
    return _adam_like("adam", grad, start, steps, hyper, lr_fn, stop, underflow)


def ref_amsgrad(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """Adam(amsgrad=True), see ``_adam_like``."""
    return _adam_like("amsgrad", grad, start, steps, hyper, lr_fn, stop, underflow, amsgrad=True)


def ref_adamw(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """AdamW, see ``_adam_like``."""
    return _adam_like("adamw", grad, start, steps, hyper, lr_fn, stop, underflow, decoupled=True)


def ref_nadam_notes(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """Nadam of the notes: m, v as Adam; m̂ = m/(1−β1^t), v̂ = v/(1−β2^t);
    θ_t = θ_{t−1} − η_t(β1 m̂ + (1−β1)g_t/(1−β1^t))/(√v̂ + ε).  eff_lr = η_t/(√v̂ + ε)."""
    h = _hp("nadam", hyper)
    b1, b2, eps = h["beta1"], h["beta2"], h["eps"]
    th, tr = _start(start), RefTrace(start, stop)
    m, v = np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * _sq(g, underflow)
        mhat = m / (1 - b1 ** t)
        vhat = v / (1 - b2 ** t)
        D = np.sqrt(vhat) + eps
        th = th - eta * (b1 * mhat + (1 - b1) * g / (1 - b1 ** t)) / D
        if tr.push(th, grad=g, lr=eta, eff_lr=eta / D, velocity=m, second_moment=v):
            break
    return tr


def ref_nadam_pytorch(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """torch.optim.NAdam: μ_t = β1(1 − ½·0.96^(tψ)), P_t = Π_{i≤t} μ_i; m, v as Adam;
    D = √(v_t/(1−β2^t)) + ε;
    θ_t = θ_{t−1} − η_t(1−μ_t)/(1−P_t)·g_t/D − η_t μ_{t+1}/(1−P_t μ_{t+1})·m_t/D.
    eff_lr = η_t/D."""
    h = _hp("nadam", hyper)
    b1, b2, eps, psi = h["beta1"], h["beta2"], h["eps"], h["momentum_decay"]
    th, tr = _start(start), RefTrace(start, stop)
    m, v, P = np.zeros(2), np.zeros(2), 1.0

    def mu(t):
        return b1 * (1 - 0.5 * 0.96 ** (t * psi))

    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        P *= mu(t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * _sq(g, underflow)
        D = np.sqrt(v / (1 - b2 ** t)) + eps
        th = (th - eta * (1 - mu(t)) / (1 - P) * g / D
              - eta * mu(t + 1) / (1 - P * mu(t + 1)) * m / D)
        if tr.push(th, grad=g, lr=eta, eff_lr=eta / D, velocity=m, second_moment=v):
            break
    return tr


def ref_radam(grad, start, steps, hyper, lr_fn, *, stop=None, underflow=0.0, **_):
    """torch.optim.RAdam: m, v as Adam; m̂ = m/(1−β1^t); ρ∞ = 2/(1−β2) − 1;
    ρ_t = ρ∞ − 2tβ2^t/(1−β2^t).  If ρ_t > threshold:
    r_t = √((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t)),
    θ_t = θ_{t−1} − η_t m̂ r_t √(1−β2^t)/(√v_t + ε)  (eff_lr = η_t r_t √(1−β2^t)/(√v_t + ε));
    else θ_t = θ_{t−1} − η_t m̂ (eff_lr = η_t)."""
    h = _hp("radam", hyper)
    b1, b2, eps, thr = h["beta1"], h["beta2"], h["eps"], h["threshold"]
    th, tr = _start(start), RefTrace(start, stop)
    m, v = np.zeros(2), np.zeros(2)
    rho_inf = 2 / (1 - b2) - 1
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * _sq(g, underflow)
        mhat = m / (1 - b1 ** t)
        rho_t = rho_inf - 2 * t * b2 ** t / (1 - b2 ** t)
        if rho_t > thr:
            r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            eff = eta * r * math.sqrt(1 - b2 ** t) / (np.sqrt(v) + eps)
        else:
            eff = np.array([eta, eta])
        th = th - mhat * eff
        if tr.push(th, grad=g, lr=eta, eff_lr=eff, velocity=m, second_moment=v):
            break
    return tr


# ---------------------------------------------------------------------------------------------
# Second-order rules
# ---------------------------------------------------------------------------------------------
def ref_newton(grad, start, steps, hyper, lr_fn, *, hess, stop=None, **_):
    """θ_t = θ_{t−1} − η_t(H + λI)⁻¹g_t with the exact Hessian at θ_{t−1}.
    |det(H + λI)| < 1e-12 ends the run "diverged" before the step (the point is not kept).
    eff_lr = −update/g elementwise."""
    lam = _hp("newton", hyper)["damping"]
    th, tr = _start(start), RefTrace(start, stop)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        A = hess(th) + lam * np.eye(2)
        if abs(np.linalg.det(A)) < SINGULAR_DET:
            tr.abort("diverged")
            break
        new = th - eta * np.linalg.solve(A, g)
        with np.errstate(divide="ignore", invalid="ignore"):
            eff = -(new - th) / g
        th = new
        if tr.push(th, grad=g, lr=eta, eff_lr=eff):
            break
    return tr


def ref_diag_newton(grad, start, steps, hyper, lr_fn, *, hess, stop=None, **_):
    """θ_{t,i} = θ_{t−1,i} − η_t g_{t,i}/(H_ii + λ).  |H_ii + λ| < 1e-12 ends the run "diverged"
    before the step.  eff_lr = η_t/(H_ii + λ)."""
    lam = _hp("diag_newton", hyper)["damping"]
    th, tr = _start(start), RefTrace(start, stop)
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        c = np.diag(hess(th)) + lam
        if np.any(np.abs(c) < SINGULAR_DET):
            tr.abort("diverged")
            break
        th = th - eta * g / c
        if tr.push(th, grad=g, lr=eta, eff_lr=eta / c):
            break
    return tr


def ref_bfgs(grad, start, steps, hyper, lr_fn, *, f, stop=None, **_):
    """BFGS with an Armijo line search.  B_0 = I (inverse-Hessian estimate).  At step t ≥ 2:
    s = θ_{t−1} − θ_{t−2}, y = g_t − g_{t−1}; if yᵀs > 1e-12: ρ = 1/yᵀs,
    B ← (I − ρsyᵀ)B(I − ρysᵀ) + ρssᵀ.  d = −Bg_t; α is the first of η_t, η_t/2, …, η_t/2³⁰
    with f(θ + αd) ≤ f(θ) + 1e-4·α·g_tᵀd (else η_t/2³⁰); θ_t = θ_{t−1} + αd.
    eff_lr = −update/g elementwise."""
    th, tr = _start(start), RefTrace(start, stop)
    B = np.eye(2)
    I = np.eye(2)
    prev_th = prev_g = None
    for t in range(1, steps + 1):
        g, eta = grad(th), lr_fn(t)
        if t >= 2:
            s, y = th - prev_th, g - prev_g
            ys = float(y @ s)
            if ys > BFGS_CURVATURE_MIN:
                rho = 1.0 / ys
                B = (I - rho * np.outer(s, y)) @ B @ (I - rho * np.outer(y, s)) + rho * np.outer(s, s)
        d = -(B @ g)
        f0, slope = f(th), float(g @ d)
        alpha = eta
        for j in range(ARMIJO_HALVINGS + 1):
            alpha = eta / 2 ** j
            if not f(th + alpha * d) > f0 + ARMIJO_C * alpha * slope:
                break
        new = th + alpha * d
        with np.errstate(divide="ignore", invalid="ignore"):
            eff = -(new - th) / g
        prev_th, prev_g = th, g
        th = new
        if tr.push(th, grad=g, lr=eta, eff_lr=eff):
            break
    return tr


# ---------------------------------------------------------------------------------------------
# Dispatch and a full run
# ---------------------------------------------------------------------------------------------
VARIANT_KEY = {"momentum": "form", "nag": "variant", "nadam": "variant"}

RULES = {
    ("sgd", None): ref_sgd,
    ("momentum", "classic"): ref_momentum_classic,
    ("momentum", "ema"): ref_momentum_ema,
    ("momentum", "lr_inside"): ref_momentum_lr_inside,
    ("nag", "notes"): ref_nag_notes,
    ("nag", "pytorch"): ref_nag_pytorch,
    ("asgd", None): ref_asgd,
    ("rprop", None): ref_rprop,
    ("adagrad", None): ref_adagrad,
    ("adadelta", None): ref_adadelta,
    ("rmsprop", None): ref_rmsprop,
    ("adam", None): ref_adam,
    ("amsgrad", None): ref_amsgrad,
    ("adamw", None): ref_adamw,
    ("nadam", "notes"): ref_nadam_notes,
    ("nadam", "pytorch"): ref_nadam_pytorch,
    ("radam", None): ref_radam,
    ("newton", None): ref_newton,
    ("diag_newton", None): ref_diag_newton,
    ("bfgs", None): ref_bfgs,
}

# which diagnostics each optimizer reports besides grad/update/lr/eff_lr
DIAGNOSTICS = {
    "momentum": ("velocity",), "nag": ("velocity",), "adagrad": ("second_moment",),
    "adadelta": ("second_moment",), "rmsprop": ("velocity", "second_moment"),
    **{o: ("velocity", "second_moment") for o in ("adam", "amsgrad", "adamw", "nadam", "radam")},
}


def rule_for(optimizer, hyper=None):
    h = _hp(optimizer, hyper)
    key = VARIANT_KEY.get(optimizer)
    return RULES[(optimizer, h[key] if key else None)]


class RefResult:
    def __init__(self, xy, loss, status, extra):
        self.xy, self.loss, self.status, self.extra = xy, loss, status, extra


def reference_run(optimizer, surface, start=None, steps=200, hyper=None, *, schedule=None,
                  surface_params=None, underflow=0.0, grad=None) -> RefResult:
    """The whole run, mirroring the engine's ``run`` (full-batch, noise-free).

    ``grad`` replaces the surface's gradient oracle (e.g. to replay recorded noisy gradients).
    """
    surf = make_surface(surface, surface_params)
    h = _hp(optimizer, hyper)
    start = surf.start if start is None else start
    rule = rule_for(optimizer, h)
    with np.errstate(over="ignore", invalid="ignore"):
        tr = rule(grad or surf.grad, start, steps, h, lambda t: schedule_lr(h["lr"], schedule, t),
                  stop=escape_check(surf), underflow=underflow, hess=surf.hess, f=surf.value)
        xy = tr.xy
        loss = np.array([surf.value(p) for p in xy])
    extra = tr.extra
    if tr.k == 0:   # stopped at step 1: empty per-step arrays
        extra = {"grad": np.zeros((0, 2)), "update": np.zeros((0, 2)), "lr": np.zeros(0),
                 "eff_lr": np.zeros((0, 2)), "velocity": np.zeros((0, 2)),
                 "second_moment": np.zeros((0, 2))}
    keep = {"grad", "update", "lr", "eff_lr", *DIAGNOSTICS.get(optimizer, ())}
    extra = {k: v for k, v in extra.items() if k in keep}
    if optimizer == "asgd":
        extra["raw_xy"] = np.array(tr.raw)
    return RefResult(xy, loss, tr.status, extra)
