"""The compiled drivers, specialised per optimizer: one trajectory with diagnostics, or the final
values of many runs in blocks of lanes.

Each optimizer gets kernels of its own (``trajectory_kernel(id)``, ``grid_kernel(id)``, and the
same two for typed surfaces): the driver templates below, bound to that optimizer's rule
(``RULE``), hyperparameter and state types, where it takes its next gradient (``GRAD_POINT``) and
whether it needs the Hessian (``HESSIAN``). A kernel therefore contains one rule, not sixteen; it
is compiled on first use and cached on disk in a directory keyed by the sources it is built from
(``surfaces.jit_cache``), so editing one rule recompiles only that rule's kernels.

Both drivers advance a run through the same rule and the same stop checks, so ``run_many``
reproduces ``run`` bit for bit. The grid kernel advances a block of ``BLOCK`` runs one step at a
time, which lets the CPU overlap independent runs (a single run is a chain of dependent divisions
and square roots); ``api.run_many`` spreads blocks over one thread per core (the kernels release
the GIL).
"""
import math
import threading
import types
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numba import njit
from numba import types as nbtypes
from numba.core import cgutils
from numba.extending import intrinsic
from numba.np.unsafe.ndarray import to_fixed_tuple

from surfaces import kernels as surf
from surfaces.jit_cache import ROOT, njit_unit, unit_dir

from .oracle import noise, shuffle_epoch
from .rules import RULES
from .rules.common import OK, SINGULAR_HESSIAN, same_point
from .schedules import lr_at

BLOCK = 64   # runs advanced together in a grid kernel

RUNNING, DIVERGED, ESCAPED = -1, 1, 2
STATUS_NAMES = {0: "ok", 1: "diverged", 2: "escaped"}
# reason codes
R_NONE, R_NONFINITE, R_TOO_LARGE, R_ESCAPED, R_SINGULAR, R_ZERO_CURVATURE = 0, 1, 2, 3, 4, 5
BOUND = 1e6

# The trajectory kernel's diagnostics, one column each, in this order (``api.run`` names them).
DIAG_COLUMNS = ("grad_x", "grad_y", "update_x", "update_y", "lr", "velocity_x", "velocity_y",
                "second_moment_x", "second_moment_y", "eff_lr_x", "eff_lr_y")

# What every kernel is built from besides its rule's own module: an edit here recompiles them all.
SHARED_SOURCES = ("optim_core/engine.py", "optim_core/oracle.py", "optim_core/schedules.py",
                  "optim_core/rules/common.py", "surfaces/kernels.py", "surfaces/program.py")


class Problem(NamedTuple):
    """Everything a run sees besides its optimizer, start and seed."""
    sid: int                  # surface code
    sp: np.ndarray            # packed surface parameters (Surface.packed)
    box: tuple                # (x0, x1, y0, y1): leaving it stops a run as "escaped"
    sched: np.ndarray         # packed learning-rate schedule (schedules.pack)
    sigma: float              # gradient noise σ
    batch_size: int           # 0: the full gradient
    underflow: float
    n_samples: int            # samples of a finite-sum surface (0 otherwise)
    work_width: object        # columns of a run's work row on a typed surface; None on a built-in one
                              # (surfaces.kernels.work_width: the kernel is compiled without the interpreter)


# ---------- shared pieces, inlined into every kernel ----------

@intrinsic
def _borrowed(typingctx, arr):
    """The same array without its reference count, for what a kernel hands on every step.

    An array passed into an inlined function or built into the oracle's tuple is reference counted
    each time (two atomic operations), which was half the cost of a grid step. A borrowed view has
    no memory-info pointer, so counting it does nothing; the kernel uses it only while the array's
    owner (a kernel argument, or a local used again later) is alive: a local used only through its
    view may be freed at once (a typed surface's work rows were, before they were used directly).
    None (a built-in surface's work rows) stays None.
    """
    if isinstance(arr, nbtypes.NoneType):
        return arr(arr), lambda context, builder, sig, args: args[0]

    def codegen(context, builder, sig, args):
        ary = context.make_array(sig.args[0])(context, builder, value=args[0])
        ary.meminfo = cgutils.get_null_value(ary.meminfo.type)
        return ary._getvalue()
    return arr(arr), codegen


@njit(inline="always")
def _inside(x, y, box):
    return box[0] <= x <= box[1] and box[2] <= y <= box[3]  # False for NaN


@njit(inline="always")
def _status(sid, h, sp, work, row, box, x, y, failed, raw_x, raw_y):
    """(status, reason, loss) of a run after a step to (x, y) whose report said ``failed`` and
    ``raw_x``/``raw_y``; RUNNING while all is well."""
    # fast path: the escape box lies well within |θ| ≤ 1e6, and NaN fails every comparison
    if failed == OK and _inside(x, y, box) and _inside(raw_x, raw_y, box):
        f = surf.value_at(sid, h, sp, work, row, x, y)
        if math.isfinite(f):
            return RUNNING, R_NONE, f
    if failed != OK:
        return DIVERGED, (R_SINGULAR if failed == SINGULAR_HESSIAN else R_ZERO_CURVATURE), math.nan
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(raw_x) and math.isfinite(raw_y)):
        return DIVERGED, R_NONFINITE, math.nan
    f = surf.value_at(sid, h, sp, work, row, x, y)
    if not math.isfinite(f):
        return DIVERGED, R_NONFINITE, f
    if max(abs(x), abs(y), abs(raw_x), abs(raw_y)) > BOUND:
        return DIVERGED, R_TOO_LARGE, f
    return ESCAPED, R_ESCAPED, f


@njit(inline="always")
def _point_is_kept(x, y, reason):
    """A stopping step's point is kept unless the step was undefined or the point is not finite."""
    return reason < R_SINGULAR and math.isfinite(x) and math.isfinite(y)


@njit(inline="always")
def _batch(seed, t, batch_size, orders, row):
    """(start, end) of step t's mini-batch in ``orders[row]``, reshuffled at each epoch; (0, 0): the
    full batch. The order depends only on (seed, epoch), never on the optimizer (common random
    numbers)."""
    if batch_size == 0:
        return 0, 0
    epoch, j = divmod(t - 1, orders.shape[1] // batch_size)
    if j == 0:
        shuffle_epoch(seed, epoch, orders[row])
    return j * batch_size, (j + 1) * batch_size


# ---------- driver templates: RULE, Hyper, State, N_HYPER, N_STATE are bound per optimizer ----------

def _trajectory(problem, hp_row, start, steps, seed, xy, loss, diag, raw):
    """One run filling xy/loss/raw (steps + 1 rows) and diag (steps rows, DIAG_COLUMNS).
    Returns (k, status, status_step, reason): k steps are stored."""
    sid, sp, box, sched, sigma, batch_size, u, n_samples, work_width = problem
    h = surf.header(sp)
    hp = Hyper(*to_fixed_tuple(hp_row, N_HYPER))  # noqa: F821 (bound per optimizer)
    s = State(*to_fixed_tuple(np.zeros(N_STATE), N_STATE))  # noqa: F821
    order = np.empty((1, n_samples), dtype=np.int64)
    work = surf.new_work(work_width, 1)     # not borrowed: nothing else would keep it alive
    sp_, order_, sched_ = _borrowed(sp), _borrowed(order), _borrowed(sched)
    x, y = start[0], start[1]
    xy[0, 0], xy[0, 1] = x, y
    raw[0, 0], raw[0, 1] = x, y
    loss[0] = surf.value_at(sid, h, sp_, work, 0, x, y)
    for t in range(1, steps + 1):
        lo, hi = _batch(seed, t, batch_size, order, 0)
        nx, ny = noise(seed, t, sigma)
        lr = hp.lr * lr_at(sched_, 1.0, t)
        x1, y1, s, r = RULE(hp, s, x, y, t, lr, (sid, h, sp_, work, order_, 0, lo, hi, nx, ny), u)  # noqa: F821
        status, reason, f = _status(sid, h, sp_, work, 0, box, x1, y1, r.failed, r.raw_x, r.raw_y)
        if status != RUNNING and not _point_is_kept(x1, y1, reason):
            return t - 1, status, t, reason
        xy[t, 0], xy[t, 1] = x1, y1
        raw[t, 0], raw[t, 1] = r.raw_x, r.raw_y
        loss[t] = f
        row = t - 1   # (indexing, not a row view: a view would be reference counted every step)
        diag[row, 0], diag[row, 1], diag[row, 2], diag[row, 3] = r.grad_x, r.grad_y, x1 - x, y1 - y
        diag[row, 4], diag[row, 5], diag[row, 6] = lr, r.velocity_x, r.velocity_y
        diag[row, 7], diag[row, 8] = r.second_moment_x, r.second_moment_y
        diag[row, 9], diag[row, 10] = r.eff_lr_x, r.eff_lr_y
        x, y = x1, y1
        if status != RUNNING:
            return t, status, t, reason
    return steps, 0, 0, R_NONE


def _grid(problem, hps, starts, seeds, steps, f_star, tol, settle_tol, final_xy, final_loss, status_out, tol_steps,
          loss_mean, settled):
    """``_trajectory`` for n runs without storage, BLOCK runs advanced together: row r uses hps[r],
    starts[r] and seeds[r]. Fills the final point, loss, status, the first step t with
    f(θ_t) − f_star ≤ tol (−1: never, or f_star is NaN), the mean loss over θ_0..θ_steps (+inf for
    a run that stopped: the area under its loss curve is unbounded) and the last step that moved
    more than ``settle_tol`` in x or y (0: none did)."""
    sid, sp, box, sched, sigma, batch_size, u, n_samples, work_width = problem
    h = surf.header(sp)
    n = starts.shape[0]
    for r0 in range(0, n, BLOCK):
        lanes = min(BLOCK, n - r0)
        xs = starts[r0:r0 + lanes].copy()
        # hyperparameters and states as lists of tuples: no array views (reference counts) per step
        hp = [Hyper(*to_fixed_tuple(hps[r0 + k, :N_HYPER], N_HYPER)) for k in range(lanes)]  # noqa: F821
        zero = State(*to_fixed_tuple(np.zeros(N_STATE), N_STATE))  # noqa: F821
        st = [zero for _ in range(lanes)]
        order = np.empty((lanes, n_samples), dtype=np.int64)
        work = surf.new_work(work_width, lanes)
        sp_, work_, order_, sched_ = _borrowed(sp), _borrowed(work), _borrowed(order), _borrowed(sched)
        alive = np.ones(lanes, dtype=np.bool_)
        for k in range(lanes):
            r = r0 + k
            f = surf.value_at(sid, h, sp_, work_, k, xs[k, 0], xs[k, 1])
            tol_steps[r] = 0 if f - f_star <= tol else -1
            status_out[r] = 0
            final_xy[r, 0], final_xy[r, 1], final_loss[r] = xs[k, 0], xs[k, 1], f
            loss_mean[r] = f
            settled[r] = 0
        n_alive = lanes
        failed = np.zeros(lanes, dtype=np.int64)
        raw = np.empty((lanes, 2))
        at = np.empty((lanes, 2))      # where each run takes its next gradient (GRAD_POINT)
        for t in range(1, steps + 1):
            factor = lr_at(sched_, 1.0, t)  # the same for every run
            for k in range(lanes):
                if not alive[k]:
                    continue
                r = r0 + k
                lo, hi = _batch(seeds[r], t, batch_size, order, k)
                nx, ny = noise(seeds[r], t, sigma)
                x1, y1, st[k], rep = RULE(hp[k], st[k], xs[k, 0], xs[k, 1], t, hp[k].lr * factor,  # noqa: F821
                                          (sid, h, sp_, work_, order_, k, lo, hi, nx, ny), u)
                xs[k, 0], xs[k, 1] = x1, y1
                failed[k], raw[k, 0], raw[k, 1] = rep.failed, rep.raw_x, rep.raw_y
                at[k, 0], at[k, 1] = GRAD_POINT(hp[k], st[k], x1, y1)  # noqa: F821
            # a typed surface: the next gradient (and Hessian) and the new loss of every run in one
            # pass over the block (``work`` itself, not the borrowed view: this use keeps it alive)
            surf.prefill(sp_, work, xs, at, alive, HESSIAN)  # noqa: F821
            for k in range(lanes):
                if not alive[k]:
                    continue
                r = r0 + k
                x1, y1 = xs[k, 0], xs[k, 1]
                status, reason, f = _status(sid, h, sp_, work_, k, box, x1, y1, failed[k], raw[k, 0], raw[k, 1])
                if status != RUNNING:
                    alive[k] = False
                    n_alive -= 1
                    status_out[r] = status
                    loss_mean[r] = math.inf
                    settled[r] = t
                    if _point_is_kept(x1, y1, reason):
                        final_xy[r, 0], final_xy[r, 1], final_loss[r] = x1, y1, f
                    continue
                if max(abs(x1 - final_xy[r, 0]), abs(y1 - final_xy[r, 1])) > settle_tol:
                    settled[r] = t
                final_xy[r, 0], final_xy[r, 1], final_loss[r] = x1, y1, f
                loss_mean[r] += f
                if tol_steps[r] < 0 and f - f_star <= tol:
                    tol_steps[r] = t
            if n_alive == 0:
                break
        for k in range(lanes):
            if alive[k]:
                loss_mean[r0 + k] /= steps + 1


# ---------- binding a template to one optimizer ----------

_LOCK = threading.Lock()
_KERNELS: dict = {}


def kernel_sources(optimizer: str) -> tuple:
    """The source files (relative to the checkout) that ``optimizer``'s kernels are built from."""
    module = Path(RULES[optimizer].module).resolve().relative_to(ROOT).as_posix()
    return SHARED_SOURCES + (module,)


def _bind(template, optimizer: str, kind: str):
    """A copy of ``template`` whose globals name ``optimizer``'s rule and types, as its own
    compile unit (own name, own cache directory)."""
    rule = RULES[optimizer]
    env = dict(template.__globals__, RULE=rule.step, Hyper=rule.Hyper, State=rule.State,
               N_HYPER=len(rule.Hyper._fields), N_STATE=len(rule.State._fields),
               GRAD_POINT=rule.grad_point or same_point, HESSIAN=rule.hessian)
    fn = types.FunctionType(template.__code__, env, f"{kind}_{optimizer}", template.__defaults__)
    fn.__qualname__ = fn.__name__
    fn.__doc__ = template.__doc__
    return njit_unit(fn, optimizer, kernel_sources(optimizer), nogil=True)


def _kernel(template, optimizer: str, kind: str):
    key = (optimizer, kind)
    with _LOCK:
        if key not in _KERNELS:
            _KERNELS[key] = _bind(template, optimizer, kind)
        return _KERNELS[key]


# A built-in and a typed surface run different kernels (``Problem.work_width`` None or not): a
# built-in kernel holds no interpreter, so a fresh start's first map waits for no interpreter code;
# each is its own function with its own cache entry, so two workers compiling both never race.
KINDS = ("trajectory", "grid", "typed_trajectory", "typed_grid")


def trajectory_kernel(optimizer: str, typed: bool = False):
    """``optimizer``'s compiled trajectory driver for a built-in (or a ``typed``) surface, compiled
    or loaded from disk on first call."""
    return _kernel(_trajectory, optimizer, "typed_trajectory" if typed else "trajectory")


def grid_kernel(optimizer: str, typed: bool = False):
    """``optimizer``'s compiled grid driver (see ``trajectory_kernel``)."""
    return _kernel(_grid, optimizer, "typed_grid" if typed else "grid")


def typed_kind(kind: str) -> str:
    """The kernel kind that serves ``kind`` ("trajectory" or "grid") on a typed surface."""
    return kind if kind.startswith("typed_") else "typed_" + kind


def ready_marker(optimizer: str, kind: str) -> Path:
    """A file that exists once ``optimizer``'s ``kind`` kernel is compiled into its cache directory
    (written by whoever compiled it: ``lab.warmup``). Keyed like the cache, so an edit that makes
    the cache stale also makes the marker absent."""
    return unit_dir(optimizer, kernel_sources(optimizer)) / f"{kind}.ready"
