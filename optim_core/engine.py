"""The compiled drivers: one trajectory with diagnostics, or many final points in parallel.

Both drivers advance a run through the same ``_advance`` step, so ``run_many`` reproduces
``run`` bit for bit. Optimizer and surface are integer codes: the whole engine compiles once.
"""
import math

import numpy as np
from numba import njit, prange

from surfaces import kernels as surf

from .oracle import normal_pair, shuffle_epoch
from .rules import OK, SINGULAR_HESSIAN, dispatch
from .schedules import lr_at

N_STATE = 16
N_DIAG = 11  # grad(2) update(2) lr velocity(2) second_moment(2) eff_lr(2)

RUNNING, DIVERGED, ESCAPED = -1, 1, 2
STATUS_NAMES = {0: "ok", 1: "diverged", 2: "escaped"}
# reason codes
R_NONE, R_NONFINITE, R_TOO_LARGE, R_ESCAPED, R_SINGULAR, R_ZERO_CURVATURE = 0, 1, 2, 3, 4, 5
BOUND = 1e6


@njit(cache=True, nogil=True)
def _draw_noise(seed, t, sigma, noise):
    z0, z1 = normal_pair(seed, t)
    noise[0] = sigma * z0
    noise[1] = sigma * z1


@njit(cache=True, nogil=True)
def _batch_bounds(t, seed, bsize, perm):
    """Step t's batch is perm[lo:hi]; perm is reshuffled at the start of each epoch."""
    per_epoch = perm.shape[0] // bsize
    epoch, j = divmod(t - 1, per_epoch)
    if j == 0:
        shuffle_epoch(seed, epoch, perm)
    return j * bsize, (j + 1) * bsize


@njit(cache=True, nogil=True, inline="always")
def _outside(x, y, box):
    return x < box[0] or x > box[1] or y < box[2] or y > box[3]


@njit(cache=True, nogil=True, inline="always")
def _advance(oid, hp, sid, sp, sched, sigma, seed, bsize, u, box, t, th, st, g, d, noise, perm):
    """One step t in place. Returns (status, reason, loss): status RUNNING while all is well."""
    # Noise and batch depend only on (seed, t), never on the optimizer (common random numbers).
    # The helpers are called behind these tests, not inlined: inlined, their code cost ~40 ns
    # a step even when unused.
    if sigma > 0.0:
        _draw_noise(seed, t, sigma, noise)
    lo = hi = 0
    if bsize > 0:
        lo, hi = _batch_bounds(t, seed, bsize, perm)
    lr = lr_at(sched, hp[0], t)
    code = dispatch(oid, hp, lr, t, u, th, st, (sid, sp, perm, lo, hi, noise), g, d)
    if code != OK:
        return DIVERGED, (R_SINGULAR if code == SINGULAR_HESSIAN else R_ZERO_CURVATURE), math.nan
    x, y, rx, ry = th[0], th[1], d[6], d[7]
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(rx) and math.isfinite(ry)):
        return DIVERGED, R_NONFINITE, math.nan
    f = surf.value(sid, sp, x, y)
    if not math.isfinite(f):
        return DIVERGED, R_NONFINITE, f
    if max(abs(x), abs(y), abs(rx), abs(ry)) > BOUND:
        return DIVERGED, R_TOO_LARGE, f
    if _outside(x, y, box) or _outside(rx, ry, box):
        return ESCAPED, R_ESCAPED, f
    return RUNNING, R_NONE, f


@njit(cache=True, nogil=True)
def trajectory(oid, hp, sid, sp, start, steps, sched, sigma, seed, bsize, u, box, n_samples,
               xy, loss, diag, raw):
    """Run ``steps`` steps from ``start``, filling xy/loss/raw (steps+1 rows) and diag (steps rows).

    Returns (k, status, status_step, reason): k steps are stored.
    """
    th = start.copy()
    st = np.zeros(N_STATE)
    g = np.zeros(2)
    d = np.zeros(8)
    noise = np.zeros(2)
    perm = np.arange(n_samples)
    xy[0] = th
    raw[0] = th
    loss[0] = surf.value(sid, sp, th[0], th[1])
    for t in range(1, steps + 1):
        px, py = th[0], th[1]
        for j in range(8):
            d[j] = 0.0
        status, reason, f = _advance(oid, hp, sid, sp, sched, sigma, seed, bsize, u, box,
                                     t, th, st, g, d, noise, perm)
        if reason == R_SINGULAR or reason == R_ZERO_CURVATURE:
            return t - 1, status, t, reason
        if reason == R_NONFINITE and not (math.isfinite(th[0]) and math.isfinite(th[1])):
            return t - 1, status, t, reason
        xy[t, 0], xy[t, 1] = th[0], th[1]
        raw[t, 0], raw[t, 1] = d[6], d[7]
        loss[t] = f
        r = t - 1
        diag[r, 0], diag[r, 1] = g[0], g[1]
        diag[r, 2], diag[r, 3] = th[0] - px, th[1] - py
        diag[r, 4] = lr_at(sched, hp[0], t)
        for j in range(6):
            diag[r, 5 + j] = d[j]
        if status != RUNNING:
            return t, status, t, reason
    return steps, 0, 0, R_NONE


@njit(cache=True, nogil=True)
def final_point(oid, hp, sid, sp, start, steps, sched, sigma, seed, bsize, u, box, n_samples, f_star, tol):
    """``trajectory`` without storage: (x, y, loss, status, steps_to_tol) of one run.

    steps_to_tol is the first step t with f(θ_t) − f_star ≤ tol (−1: never, or f_star is NaN).
    """
    th = start.copy()
    st = np.zeros(N_STATE)
    g = np.zeros(2)
    d = np.zeros(8)
    noise = np.zeros(2)
    perm = np.arange(n_samples)
    f = surf.value(sid, sp, th[0], th[1])
    hit = 0 if f - f_star <= tol else -1
    for t in range(1, steps + 1):
        px, py, pf = th[0], th[1], f
        status, reason, f = _advance(oid, hp, sid, sp, sched, sigma, seed, bsize, u, box,
                                     t, th, st, g, d, noise, perm)
        if status != RUNNING:
            if reason >= R_SINGULAR or not (math.isfinite(th[0]) and math.isfinite(th[1])):
                return px, py, pf, status, hit   # the stopping point is not kept
            return th[0], th[1], f, status, hit
        if hit < 0 and f - f_star <= tol:
            hit = t
    return th[0], th[1], f, 0, hit


@njit(cache=True, nogil=True, parallel=True)
def grid(oid, hps, sid, sp, starts, steps, lr_schedule, sigma, seeds, bsize, u, box, n_samples,
         f_star, tol, final_xy, final_loss, status_out, tol_steps):
    """``final_point`` for n independent runs in parallel: row r uses hps[r], starts[r], seeds[r].

    (The schedule argument is not called ``sched``: Numba 0.68's parfor lowering turns that name
    into a duplicate gufunc argument and fails with a SyntaxError.)
    """
    for r in prange(starts.shape[0]):
        x, y, f, status, hit = final_point(oid, hps[r], sid, sp, starts[r], steps, lr_schedule, sigma, seeds[r],
                                           bsize, u, box, n_samples, f_star, tol)
        final_xy[r, 0] = x
        final_xy[r, 1] = y
        final_loss[r] = f
        status_out[r] = status
        tol_steps[r] = hit
