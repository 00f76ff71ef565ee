"""Compiled value, gradient and Hessian of every surface.

One integer code per surface selects the formula at run time, so the optimizer kernels compile
once whatever the surface. The codes have one source, ``SURFACE_IDS`` (the catalogue reads its
codes from it), and every code has its own branch in ``evaluate``: an unknown code gives NaN,
never another surface's formula.

``sp`` is the packed float64 parameter vector of ``Surface.packed``: ``sp[0]`` is the loss scale,
then the surface's own parameters, then derived constants (and, for a finite sum, the data).
The formulas take ``h = header(sp)``, the first ``HEAD`` values as a tuple of floats: a tuple
crosses a function call for free, while every array passed to a compiled function costs two
atomic reference-count updates. Only the mini-batch sums read the data array itself.

``value``, ``grad`` and ``hess`` are compile units of their own (cached once, shared by every
optimizer kernel), each computing only what it returns; the per-surface formulas are inlined
into them.
"""
import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from . import program
from .jit_cache import cached_njit

SURFACE_IDS = ("beale", "saddle", "valley", "noisy_bowl", "rosenbrock", "himmelblau", "rastrigin",
               "rotated_valley", "goldstein_price", "wavy", "double_well", "plateau", "sparse_features",
               "custom")
(BEALE, SADDLE, VALLEY, NOISY_BOWL, ROSENBROCK, HIMMELBLAU, RASTRIGIN, ROTATED_VALLEY, GOLDSTEIN_PRICE,
 WAVY, DOUBLE_WELL, PLATEAU, SPARSE_FEATURES, CUSTOM) = range(len(SURFACE_IDS))

HEAD = 10  # packed vectors are padded to at least this length
assert program.HEAD == HEAD, "a typed surface's program must start where the header ends"

# Noisy-bowl layout of sp: scale, n_samples, spread, data_seed, a, b, mean_x, mean_y,
# var_x, var_y, then the n centres' x, then their y.
BOWL_HEADER = 10

# Sparse-features layout of sp: scale, n_samples, rare_share, data_seed, the mean Hessian
# (haa, hab, hbb), the least-squares minimum (mx, my), the loss there (r0), then the n dense
# features a, the n rare features b (mostly exactly 0), the n targets c. The full loss is written
# around its minimum, f = r0 + ½ dᵀHd with d = θ − θ̂, so that near θ̂ it does not lose its
# digits to the cancellation of the expanded ½ mean (a x + b y − c)².
SPARSE_HEADER = 10

DEPS = ("surfaces/kernels.py", "surfaces/program.py")
_unit = cached_njit("surfaces", DEPS, nogil=True, error_model="numpy")   # x / 0 is inf or NaN, as in NumPy
_NAN6 = (math.nan,) * 6


@njit(inline="always")
def _beale(x, y):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y * y * y
    ax, ay = y - 1.0, x
    bx, by = y * y - 1.0, 2.0 * x * y
    cx, cy = y * y * y - 1.0, 3.0 * x * y * y
    f = a * a + b * b + c * c
    gx = 2.0 * (a * ax + b * bx + c * cx)
    gy = 2.0 * (a * ay + b * by + c * cy)
    hxx = 2.0 * (ax * ax + bx * bx + cx * cx)
    hxy = 2.0 * (ax * ay + a + bx * by + b * 2.0 * y + cx * cy + c * 3.0 * y * y)
    hyy = 2.0 * (ay * ay + by * by + b * 2.0 * x + cy * cy + c * 6.0 * x * y)
    return f, gx, gy, hxx, hxy, hyy


@njit(inline="always")
def _rosenbrock(x, y):
    r = y - x * x
    f = (1.0 - x) ** 2 + 100.0 * r * r
    return (f, -2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r,
            2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x, 200.0)


@njit(inline="always")
def _himmelblau(x, y):
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return (a * a + b * b, 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b,
            4.0 * a + 8.0 * x * x + 2.0, 4.0 * (x + y), 2.0 + 4.0 * b + 8.0 * y * y)


@njit(inline="always")
def _rastrigin(x, y, amp):
    w = 2.0 * math.pi
    f = 2.0 * amp + x * x - amp * math.cos(w * x) + y * y - amp * math.cos(w * y)
    return (f, 2.0 * x + w * amp * math.sin(w * x), 2.0 * y + w * amp * math.sin(w * y),
            2.0 + w * w * amp * math.cos(w * x), 0.0, 2.0 + w * w * amp * math.cos(w * y))


@njit(inline="always")
def _goldstein_price(x, y):
    s = x + y + 1.0
    q = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    qd = -14.0 + 6.0 * x + 6.0 * y            # dq/dx == dq/dy
    p = 1.0 + s * s * q
    pd = 2.0 * s * q + s * s * qd             # dp/dx == dp/dy
    p2 = 2.0 * q + 4.0 * s * qd + 6.0 * s * s  # every second derivative of p
    w = 2.0 * x - 3.0 * y
    t = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    tx = -32.0 + 24.0 * x - 36.0 * y
    ty = 48.0 - 36.0 * x + 54.0 * y
    r = 30.0 + w * w * t
    rx = 4.0 * w * t + w * w * tx
    ry = -6.0 * w * t + w * w * ty
    rxx = 8.0 * t + 8.0 * w * tx + 24.0 * w * w
    rxy = -12.0 * t + 4.0 * w * ty - 6.0 * w * tx - 36.0 * w * w
    ryy = 18.0 * t - 12.0 * w * ty + 54.0 * w * w
    return (p * r, pd * r + p * rx, pd * r + p * ry,
            p2 * r + 2.0 * pd * rx + p * rxx,
            p2 * r + pd * ry + pd * rx + p * rxy,
            p2 * r + 2.0 * pd * ry + p * ryy)


@njit(inline="always")
def _plateau(x, y, width):
    w2 = width * width
    e = math.exp(-(x * x + y * y) / (2.0 * w2))
    return (1.0 - e, x * e / w2, y * e / w2,
            e / w2 - x * x * e / (w2 * w2), -x * y * e / (w2 * w2), e / w2 - y * y * e / (w2 * w2))


@njit(inline="always")
def header(sp):
    """The first HEAD packed values as a tuple (see the module docstring)."""
    return (sp[0], sp[1], sp[2], sp[3], sp[4], sp[5], sp[6], sp[7], sp[8], sp[9])


# Inlined into value/grad/hess so that each computes only what it returns (a value call does
# not pay for the Hessian): measured 67 -> 38 ns per SGD lane-step.
@njit(inline="always")
def evaluate(sid, h, x, y):
    """(f, df/dx, df/dy, d2f/dx2, d2f/dxdy, d2f/dy2) of surface ``sid`` at (x, y), scaled."""
    if sid == BEALE:
        f, gx, gy, hxx, hxy, hyy = _beale(x, y)
    elif sid == SADDLE:
        f, gx, gy, hxx, hxy, hyy = x * x - y * y, 2.0 * x, -2.0 * y, 2.0, 0.0, -2.0
    elif sid == VALLEY:
        f, gx, gy, hxx, hxy, hyy = 0.1 * x * x + 2.0 * y * y, 0.2 * x, 4.0 * y, 0.2, 0.0, 4.0
    elif sid == NOISY_BOWL:
        a, b = h[4], h[5]
        dx, dy = x - h[6], y - h[7]
        f = 0.5 * (a * (dx * dx + h[8]) + b * (dy * dy + h[9]))
        gx, gy, hxx, hxy, hyy = a * dx, b * dy, a, 0.0, b
    elif sid == ROSENBROCK:
        f, gx, gy, hxx, hxy, hyy = _rosenbrock(x, y)
    elif sid == HIMMELBLAU:
        f, gx, gy, hxx, hxy, hyy = _himmelblau(x, y)
    elif sid == RASTRIGIN:
        f, gx, gy, hxx, hxy, hyy = _rastrigin(x, y, h[1])
    elif sid == ROTATED_VALLEY:
        kappa, c, s = h[1], h[3], h[4]
        u = c * x + s * y
        v = -s * x + c * y
        f = 0.1 * (u * u + kappa * v * v)
        gx = 0.2 * (u * c - kappa * v * s)
        gy = 0.2 * (u * s + kappa * v * c)
        hxx = 0.2 * (c * c + kappa * s * s)
        hxy = 0.2 * c * s * (1.0 - kappa)
        hyy = 0.2 * (s * s + kappa * c * c)
    elif sid == GOLDSTEIN_PRICE:
        f, gx, gy, hxx, hxy, hyy = _goldstein_price(x, y)
    elif sid == WAVY:
        k = h[1]
        ck, sk = math.cos(k * x), math.sin(k * x)
        f = x * ck + y * y
        gx, gy = ck - k * x * sk, 2.0 * y
        hxx, hxy, hyy = -2.0 * k * sk - k * k * x * ck, 0.0, 2.0
    elif sid == DOUBLE_WELL:
        tilt = h[1]
        q = x * x - 1.0
        f = q * q + tilt * x + y * y
        gx, gy = 4.0 * x * q + tilt, 2.0 * y
        hxx, hxy, hyy = 12.0 * x * x - 4.0, 0.0, 2.0
    elif sid == PLATEAU:
        f, gx, gy, hxx, hxy, hyy = _plateau(x, y, h[1])
    elif sid == SPARSE_FEATURES:
        hxx, hxy, hyy = h[4], h[5], h[6]
        dx, dy = x - h[7], y - h[8]
        gx, gy = hxx * dx + hxy * dy, hxy * dx + hyy * dy
        f = h[9] + 0.5 * (dx * gx + dy * gy)
    else:
        return _NAN6
    s = h[0]
    return s * f, s * gx, s * gy, s * hxx, s * hxy, s * hyy


# A typed surface (CUSTOM) is a program in sp, run by ``surfaces.program``; it needs a work row
# w[row] of its own (the interpreter's stack), which also keeps a memo (``program.G_AT`` …): the
# engine asks for the loss at the new point and the rule then for the gradient at the same point,
# and one pass gives both; a grid kernel fills the memos of a whole block in one pass
# (``prefill``).
#
# A kernel for built-in surfaces is compiled with ``w = None`` and one for typed surfaces with a
# work array (``optim_core.engine``): the functions the engine calls below are overloaded on that
# type, so a built-in kernel holds no interpreter at all (it compiles as fast as before typed
# surfaces existed: the first map of a fresh start waits for nothing else), and a typed kernel no
# built-in formula.

def work_width(sid, sp):
    """Columns of a work row for surface ``sid``; None for a built-in surface, which needs none."""
    return program.work_width(sp) if sid == CUSTOM else None


G, H, V = program.G_AT, program.H_AT, program.V_AT


@njit(inline="always")
def _holds(w, row, m, x, y):
    """Memo entry m (G, H or V) of work row ``row`` is the point (x, y): never true for NaN, nor
    for a fresh (NaN) row."""
    return w[row, m] == x and w[row, m + 1] == y


@njit(inline="always")
def _fill_g(sp, w, row, x, y, calls):
    """(f, fx, fy) of the program in sp at (x, y), computed and kept in memo entry G; ``calls`` (a
    constant where it is inlined) picks the interpreter variant, so each unit below holds one."""
    if calls:
        f, gx, gy = program.value_grad(sp, w, row, x, y)
    else:
        f, gx, gy = program.value_grad_call_free(sp, w, row, x, y)
    w[row, G], w[row, G + 1], w[row, G + 2], w[row, G + 3], w[row, G + 4] = x, y, f, gx, gy
    return f, gx, gy


@_unit
def value(sid, h, x, y):
    return evaluate(sid, h, x, y)[0]


@_unit
def grad(sid, h, x, y):
    r = evaluate(sid, h, x, y)
    return r[1], r[2]


@_unit
def hess(sid, h, x, y):
    r = evaluate(sid, h, x, y)
    return r[3], r[4], r[5]


# The interpreter's units, called on a memo miss only: the memos are read where they are asked
# for (``value_at``, ``grad_at``, ``hess_at`` below), inside the kernel, since a call for a hit
# cost more than the hit (it counts the references of the arrays it is handed).

@_unit
def custom_value_grad(h, sp, w, row, x, y):
    f, gx, gy = _fill_g(sp, w, row, x, y, True)
    return h[0] * f, h[0] * gx, h[0] * gy


@_unit
def custom_value_grad_call_free(h, sp, w, row, x, y):
    f, gx, gy = _fill_g(sp, w, row, x, y, False)
    return h[0] * f, h[0] * gx, h[0] * gy


@_unit
def custom_hess(h, sp, w, row, x, y):
    """The Hessian, computed and kept in memo entry H (and the gradient in G)."""
    f, fx, fy, fxx, fxy, fyy = program.hessian_at(sp, w, row, x, y)
    w[row, G], w[row, G + 1], w[row, G + 2], w[row, G + 3], w[row, G + 4] = x, y, f, fx, fy
    w[row, H], w[row, H + 1], w[row, H + 2], w[row, H + 3], w[row, H + 4] = x, y, fxx, fxy, fyy
    return h[0] * fxx, h[0] * fxy, h[0] * fyy


@_unit
def custom_prefill(sp, w, xs, gp, alive, hessian):
    """The memos of a block's live runs after a step: the gradient (and with ``hessian`` the
    Hessian) at gp[k], where run k takes its next gradient, and the loss at its new point xs[k]
    when that is elsewhere (NAG's look-ahead): one pass per quantity for the whole block."""
    # a run that did not move (a converged BFGS or Newton run: its step is below half an ulp) finds
    # its point in the memo already
    lanes = xs.shape[0]
    moved = np.zeros(lanes, np.bool_)
    any_moved = False
    for k in range(lanes):
        if alive[k] and not (_holds(w, k, G, gp[k, 0], gp[k, 1])
                             and (not hessian or _holds(w, k, H, gp[k, 0], gp[k, 1]))):
            moved[k] = any_moved = True
    if any_moved:
        if hessian:
            program.value_grad_hess_lanes(sp, w, gp, moved)
        else:
            program.value_grad_lanes(sp, w, gp, moved)
    elsewhere = np.zeros(lanes, np.bool_)
    any_elsewhere = False
    for k in range(lanes):
        if alive[k] and not (gp[k, 0] == xs[k, 0] and gp[k, 1] == xs[k, 1]):
            elsewhere[k] = any_elsewhere = True
    if any_elsewhere:
        program.value_lanes(sp, w, xs, elsewhere)


# What the engine calls (``w`` None: a built-in kernel; an array: a typed one). A built-in call
# stays as lean as before typed surfaces existed (their extra arguments cost a built-in run 25 %
# when passed on).

def value_at(sid, h, sp, w, row, x, y):
    """The loss at (x, y); ``sp``, ``w`` and ``row`` serve a typed surface (see above)."""


def grad_at(sid, h, sp, w, row, x, y):
    """The gradient at (x, y)."""


def hess_at(sid, h, sp, w, row, x, y):
    """The Hessian (hxx, hxy, hyy) at (x, y)."""


def prefill(sp, w, xs, gp, alive, hessian):
    """A grid kernel's block pass after each step (``custom_prefill``); nothing on a built-in surface."""


def new_work(width, rows):
    """The work rows of ``rows`` runs (None on a built-in surface, whose ``width`` is None)."""


@overload(value_at, inline="always")
def _value_at(sid, h, sp, w, row, x, y):
    if isinstance(w, types.NoneType):
        return lambda sid, h, sp, w, row, x, y: value(sid, h, x, y)

    def typed(sid, h, sp, w, row, x, y):
        if _holds(w, row, V, x, y):
            return h[0] * w[row, V + 2]
        if _holds(w, row, G, x, y):
            return h[0] * w[row, G + 2]
        if sp[3] == 0.0:
            return custom_value_grad_call_free(h, sp, w, row, x, y)[0]
        return custom_value_grad(h, sp, w, row, x, y)[0]
    return typed


@overload(grad_at, inline="always")
def _grad_at(sid, h, sp, w, row, x, y):
    if isinstance(w, types.NoneType):
        return lambda sid, h, sp, w, row, x, y: grad(sid, h, x, y)

    def typed(sid, h, sp, w, row, x, y):
        if _holds(w, row, G, x, y):
            return h[0] * w[row, G + 3], h[0] * w[row, G + 4]
        r = custom_value_grad_call_free(h, sp, w, row, x, y) if sp[3] == 0.0 else custom_value_grad(h, sp, w, row, x, y)
        return r[1], r[2]
    return typed


@overload(hess_at, inline="always")
def _hess_at(sid, h, sp, w, row, x, y):
    if isinstance(w, types.NoneType):
        return lambda sid, h, sp, w, row, x, y: hess(sid, h, x, y)

    def typed(sid, h, sp, w, row, x, y):
        if _holds(w, row, H, x, y):
            return h[0] * w[row, H + 2], h[0] * w[row, H + 3], h[0] * w[row, H + 4]
        return custom_hess(h, sp, w, row, x, y)
    return typed


@overload(prefill, inline="always")
def _prefill(sp, w, xs, gp, alive, hessian):
    if isinstance(w, types.NoneType):
        return lambda sp, w, xs, gp, alive, hessian: None
    return lambda sp, w, xs, gp, alive, hessian: custom_prefill(sp, w, xs, gp, alive, hessian)


@overload(new_work, inline="always")
def _new_work(width, rows):
    if isinstance(width, types.NoneType):
        return lambda width, rows: None
    return lambda width, rows: np.full((rows, width), np.nan)


@njit(inline="always")
def _bowl_batch(sp, idx, lo, hi, x, y):
    """(loss, gx, gy) of the noisy bowl's mini-batch idx[lo:hi]: means over its samples."""
    n = int(sp[1])
    a, b = sp[4], sp[5]
    f = gx = gy = 0.0
    for j in range(lo, hi):
        i = idx[j]
        dx = x - sp[BOWL_HEADER + i]
        dy = y - sp[BOWL_HEADER + n + i]
        f += a * dx * dx + b * dy * dy
        gx += dx
        gy += dy
    m = hi - lo
    return sp[0] * 0.5 * f / m, sp[0] * a * gx / m, sp[0] * b * gy / m


@njit(inline="always")
def _sparse_batch(sp, idx, lo, hi, x, y):
    """(loss, gx, gy) of the sparse-features mini-batch idx[lo:hi]: means over its samples of
    ½ r², r (a, b) with r = a x + b y − c. A batch without a rare sample has b = 0 throughout, so
    its gy is exactly 0."""
    n = int(sp[1])
    f = gx = gy = 0.0
    for j in range(lo, hi):
        i = idx[j]
        a, b = sp[SPARSE_HEADER + i], sp[SPARSE_HEADER + n + i]
        r = a * x + b * y - sp[SPARSE_HEADER + 2 * n + i]
        f += r * r
        gx += r * a
        gy += r * b
    m = hi - lo
    return sp[0] * 0.5 * f / m, sp[0] * gx / m, sp[0] * gy / m


@njit(inline="always")
def _is_finite_sum(sid):
    return sid == NOISY_BOWL or sid == SPARSE_FEATURES


@njit(inline="always")
def _finite_sum_batch(sid, sp, idx, lo, hi, x, y):
    if sid == NOISY_BOWL:
        return _bowl_batch(sp, idx, lo, hi, x, y)
    return _sparse_batch(sp, idx, lo, hi, x, y)


@_unit
def batch_value(sid, h, sp, idx, lo, hi, x, y):
    """Loss of the mini-batch idx[lo:hi] (sample indices) of a finite-sum (built-in) surface; an
    empty batch means the full loss."""
    if hi == lo or not _is_finite_sum(sid):
        return value(sid, h, x, y)
    return _finite_sum_batch(sid, sp, idx, lo, hi, x, y)[0]


@_unit
def batch_grad(sid, h, sp, idx, lo, hi, x, y):
    """Gradient of the mini-batch idx[lo:hi]: the mean of the per-sample gradients."""
    if hi == lo or not _is_finite_sum(sid):
        return grad(sid, h, x, y)
    r = _finite_sum_batch(sid, sp, idx, lo, hi, x, y)
    return r[1], r[2]


# The vectorised forms call the shared units rather than inline ``evaluate`` once more: each
# inlined copy of the fourteen formulas cost ~2 s of a fresh start's compile (the map waits for
# ``value_many``, which then costs only the ``value`` every kernel needs anyway).

@_unit
def value_many(sid, sp, xs, ys, out):
    """out[i] = f(xs[i], ys[i]) over flat arrays (a map of the surface)."""
    h = header(sp)
    for i in range(xs.shape[0]):
        out[i] = value(sid, h, xs[i], ys[i])


@_unit
def evaluate_many(sid, sp, xs, ys, out):
    """Vectorised ``evaluate`` over flat arrays: out[i] = (f, gx, gy, hxx, hxy, hyy)."""
    h = header(sp)
    for i in range(xs.shape[0]):
        out[i, 0] = value(sid, h, xs[i], ys[i])
        out[i, 1], out[i, 2] = grad(sid, h, xs[i], ys[i])
        out[i, 3], out[i, 4], out[i, 5] = hess(sid, h, xs[i], ys[i])
