"""The compiled drivers: one trajectory with diagnostics, or many final points in parallel.

Both drivers advance runs through the same ``_step`` on a block of lanes (``rules``), so
``run_many`` reproduces ``run`` bit for bit. ``run`` is a block of one lane; ``run_many`` gives
each thread blocks of ``BLOCK`` lanes, which lets the CPU overlap independent runs (a single
run is a chain of dependent divisions and square roots). Optimizer and surface are integer
codes: the whole engine compiles once.
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
BLOCK = 64   # lanes per block in run_many

RUNNING, DIVERGED, ESCAPED = -1, 1, 2
STATUS_NAMES = {0: "ok", 1: "diverged", 2: "escaped"}
# reason codes
R_NONE, R_NONFINITE, R_TOO_LARGE, R_ESCAPED, R_SINGULAR, R_ZERO_CURVATURE = 0, 1, 2, 3, 4, 5
BOUND = 1e6


@njit(cache=True, nogil=True)
def _workspace(starts, n_samples):
    """Per-lane arrays: θ, state, gradient, diagnostics, lr, noise, sample order, status code."""
    k = starts.shape[0]
    order = np.empty((k, n_samples), dtype=np.int64)
    return (starts.copy(), np.zeros((k, N_STATE)), np.zeros((k, 2)), np.zeros((k, 8)), np.zeros(k),
            np.zeros((k, 2)), order, np.zeros(k, dtype=np.int64))


@njit(cache=True, nogil=True, inline="always")
def _step(oid, hp, sid, h, sp, sched, sigma, seeds, bsize, u, t, ws):
    """Step t for every lane. Noise and batch depend only on (seed, t), never on the optimizer
    (common random numbers)."""
    th, st, g, d, lr, noise, order, code = ws
    lanes = th.shape[0]
    lo = hi = 0
    if bsize > 0:
        per_epoch = order.shape[1] // bsize
        epoch, j = divmod(t - 1, per_epoch)
        if j == 0:
            for k in range(lanes):
                shuffle_epoch(seeds[k], epoch, order[k])
        lo, hi = j * bsize, (j + 1) * bsize
    if sigma > 0.0:
        for k in range(lanes):
            z0, z1 = normal_pair(seeds[k], t)
            noise[k, 0] = sigma * z0
            noise[k, 1] = sigma * z1
    factor = lr_at(sched, 1.0, t)  # the schedule's factor is the same for every lane
    for k in range(lanes):
        lr[k] = hp[k, 0] * factor
        code[k] = OK
    dispatch(oid, hp, lr, t, u, th, st, (sid, h, sp, order, lo, hi, noise), g, d, code)


@njit(cache=True, nogil=True, inline="always")
def _inside(x, y, box):
    return box[0] <= x <= box[1] and box[2] <= y <= box[3]  # False for NaN


@njit(cache=True, nogil=True, inline="always")
def _lane_status(sid, h, box, ws, k):
    """(status, reason, loss) of lane k after a step; status RUNNING while all is well."""
    th, d, code = ws[0], ws[3], ws[7]
    x, y, rx, ry = th[k, 0], th[k, 1], d[k, 6], d[k, 7]
    # fast path: the escape box lies well within |θ| ≤ 1e6, and NaN fails every comparison
    if code[k] == OK and _inside(x, y, box) and _inside(rx, ry, box):
        f = surf.value(sid, h, x, y)
        if math.isfinite(f):
            return RUNNING, R_NONE, f
    if code[k] != OK:
        return DIVERGED, (R_SINGULAR if code[k] == SINGULAR_HESSIAN else R_ZERO_CURVATURE), math.nan
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(rx) and math.isfinite(ry)):
        return DIVERGED, R_NONFINITE, math.nan
    f = surf.value(sid, h, x, y)
    if not math.isfinite(f):
        return DIVERGED, R_NONFINITE, f
    if max(abs(x), abs(y), abs(rx), abs(ry)) > BOUND:
        return DIVERGED, R_TOO_LARGE, f
    return ESCAPED, R_ESCAPED, f


@njit(cache=True, nogil=True, inline="always")
def _point_is_kept(ws, k, reason):
    """A stopping step's point is kept unless the step was undefined or the point is not finite."""
    th = ws[0]
    return reason < R_SINGULAR and math.isfinite(th[k, 0]) and math.isfinite(th[k, 1])


@njit(cache=True, nogil=True)
def trajectory(oid, hp, sid, sp, start, steps, sched, sigma, seeds, bsize, u, box, n_samples,
               xy, loss, diag, raw):
    """One run (hp (1, H), start (1, 2), seeds (1,)) filling xy/loss/raw (steps+1 rows) and
    diag (steps rows). Returns (k, status, status_step, reason): k steps are stored."""
    ws = _workspace(start, n_samples)
    th, g, d, lr = ws[0], ws[2], ws[3], ws[4]
    h = surf.header(sp)
    xy[0, 0], xy[0, 1] = th[0, 0], th[0, 1]
    raw[0, 0], raw[0, 1] = th[0, 0], th[0, 1]
    loss[0] = surf.value(sid, h, th[0, 0], th[0, 1])
    for t in range(1, steps + 1):
        px, py = th[0, 0], th[0, 1]
        _step(oid, hp, sid, h, sp, sched, sigma, seeds, bsize, u, t, ws)
        status, reason, f = _lane_status(sid, h, box, ws, 0)
        if status != RUNNING and not _point_is_kept(ws, 0, reason):
            return t - 1, status, t, reason
        xy[t, 0], xy[t, 1] = th[0, 0], th[0, 1]
        raw[t, 0], raw[t, 1] = d[0, 6], d[0, 7]
        loss[t] = f
        r = t - 1
        diag[r, 0], diag[r, 1] = g[0, 0], g[0, 1]
        diag[r, 2], diag[r, 3] = th[0, 0] - px, th[0, 1] - py
        diag[r, 4] = lr[0]
        for j in range(6):
            diag[r, 5 + j] = d[0, j]
        if status != RUNNING:
            return t, status, t, reason
    return steps, 0, 0, R_NONE


@njit(cache=True, nogil=True)
def _block(oid, hp, sid, sp, starts, steps, sched, sigma, seeds, bsize, u, box, n_samples,
           f_star, tol, final_xy, final_loss, status_out, tol_steps):
    """``trajectory`` for a block of lanes without storage: final point, loss, status and the
    first step t with f(θ_t) − f_star ≤ tol (−1: never, or f_star is NaN)."""
    ws = _workspace(starts, n_samples)
    th = ws[0]
    h = surf.header(sp)
    lanes = th.shape[0]
    alive = np.ones(lanes, dtype=np.bool_)
    f = np.empty(lanes)
    for k in range(lanes):
        f[k] = surf.value(sid, h, th[k, 0], th[k, 1])
        tol_steps[k] = 0 if f[k] - f_star <= tol else -1
        status_out[k] = 0
        final_xy[k, 0], final_xy[k, 1], final_loss[k] = th[k, 0], th[k, 1], f[k]
    n_alive = lanes
    for t in range(1, steps + 1):
        _step(oid, hp, sid, h, sp, sched, sigma, seeds, bsize, u, t, ws)
        for k in range(lanes):
            if not alive[k]:
                continue
            status, reason, fk = _lane_status(sid, h, box, ws, k)
            if status != RUNNING:
                alive[k] = False
                n_alive -= 1
                status_out[k] = status
                if _point_is_kept(ws, k, reason):
                    final_xy[k, 0], final_xy[k, 1], final_loss[k] = th[k, 0], th[k, 1], fk
                continue
            final_xy[k, 0], final_xy[k, 1], final_loss[k] = th[k, 0], th[k, 1], fk
            if tol_steps[k] < 0 and fk - f_star <= tol:
                tol_steps[k] = t
        if n_alive == 0:
            break


@njit(cache=True, nogil=True, parallel=True)
def grid(oid, hps, sid, sp, starts, steps, lr_schedule, sigma, seeds, bsize, u, box, n_samples,
         f_star, tol, final_xy, final_loss, status_out, tol_steps):
    """n independent runs in parallel, in blocks of BLOCK lanes: row r uses hps[r], starts[r]
    and seeds[r].

    (The schedule argument is not called ``sched``: Numba 0.68's parfor lowering turns that name
    into a duplicate gufunc argument and fails with a SyntaxError.)
    """
    n = starts.shape[0]
    for b in prange((n + BLOCK - 1) // BLOCK):
        r0 = b * BLOCK
        r1 = min(n, r0 + BLOCK)
        _block(oid, hps[r0:r1], sid, sp, starts[r0:r1], steps, lr_schedule, sigma, seeds[r0:r1], bsize, u,
               box, n_samples, f_star, tol, final_xy[r0:r1], final_loss[r0:r1], status_out[r0:r1],
               tol_steps[r0:r1])
