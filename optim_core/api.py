"""The public, validating layer: ``run`` and ``run_many``.

All checking and conversion happens here; the compiled kernels trust their inputs. Every bad
value is refused with a ``ValueError`` that names the value and what is allowed.
"""
from __future__ import annotations

import inspect
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

import surfaces

from . import engine, schedules
from .catalogue import MAX_HYPER, OPTIMIZERS, OptimizerSpec

MAX_STEPS = 20_000
MAX_RUNS = 1_048_576            # run_many: at most 1024 x 1024 runs
MAX_RUN_STEPS = 5_000_000_000   # run_many: runs x steps, about two minutes on two cores
MAX_NOISE = 10.0
MAX_SEED = 2**63 - 1

REASONS = {
    engine.R_NONE: "",
    engine.R_NONFINITE: "the loss or the point became infinite or NaN",
    engine.R_TOO_LARGE: "|θ| exceeded 1e6",
    engine.R_ESCAPED: "the point left 10× the plotting domain",
    engine.R_SINGULAR: "the Hessian H + λI is singular (|det| < 1e-12): the Newton step is undefined",
    engine.R_ZERO_CURVATURE: "a diagonal curvature H_ii + λ is zero (|·| < 1e-12): the step is undefined",
}


@dataclass
class RunResult:
    """One trajectory. Row 0 of ``xy``/``loss`` is the start; ``extra`` arrays have one row per step."""
    optimizer: str
    surface: str
    hyper: dict
    xy: np.ndarray
    loss: np.ndarray
    status: str
    status_step: int          # the step that stopped the run (0 when status is "ok")
    reason: str
    extra: dict = field(default_factory=dict)

    @property
    def steps(self) -> int:
        return len(self.xy) - 1


@dataclass
class GridResult:
    """Final values of many runs; ``status`` is 0 ok, 1 diverged, 2 escaped.

    ``steps_to_tol``: the first step t with f(θ_t) − f* ≤ tol (−1: never); ``loss_mean``: the mean
    of f(θ_0), …, f(θ_steps), the area under the loss curve per step (+inf for a run that stopped);
    ``settled_step``: the last step that moved the point more than ``settle_tol`` in x or y (0: no
    step did; the stopping step for a run that stopped). ``xy`` / ``loss``: every run's whole path,
    (n, steps + 1, 2) and (n, steps + 1), NaN after a run stopped — only with ``paths=True``."""
    final_xy: np.ndarray
    final_loss: np.ndarray
    status: np.ndarray
    steps_to_tol: np.ndarray
    loss_mean: np.ndarray
    settled_step: np.ndarray
    xy: np.ndarray | None = None
    loss: np.ndarray | None = None


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def optimizer_spec(optimizer) -> OptimizerSpec:
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[optimizer]


def _check_hyper_value(spec: OptimizerSpec, h, v) -> float:
    """The kernel's float for hyperparameter ``h`` = ``v`` (choices become their index)."""
    if h.is_choice:
        for i, c in enumerate(h.choices):
            if v == c and type(v) is type(c):
                return float(i)
        raise ValueError(f"{spec.id}: {h.name}={v!r} is not allowed; choose one of: "
                         f"{', '.join(repr(c) for c in h.choices)}")
    if not _is_number(v) or not (h.min <= v <= h.max):
        raise ValueError(f"{spec.id}: {h.name}={v!r} is out of range; allowed range is [{h.min:g}, {h.max:g}]")
    if h.integer and v != int(v):
        raise ValueError(f"{spec.id}: {h.name}={v!r} must be a whole number in [{h.min:g}, {h.max:g}]")
    return float(v)


def resolve_hyper(spec: OptimizerSpec, hyper) -> dict:
    """Catalogue defaults overridden by ``hyper``, every value checked."""
    if hyper is None:
        hyper = {}
    if not isinstance(hyper, dict):
        raise ValueError(f"hyper must be a dict of hyperparameters, not {hyper!r}")
    names = spec.hyper_names()
    unknown = [k for k in hyper if k not in names]
    if unknown:
        raise ValueError(f"{spec.id} has no hyperparameter {unknown[0]!r}; its hyperparameters are: "
                         f"{', '.join(names)}")
    out = {}
    for h in spec.hyper:
        v = hyper.get(h.name, h.default)
        _check_hyper_value(spec, h, v)
        out[h.name] = int(v) if h.integer else (float(v) if not h.is_choice else v)
    return out


def _pack_hyper(spec: OptimizerSpec, resolved: dict) -> np.ndarray:
    hp = np.zeros(MAX_HYPER)
    for i, h in enumerate(spec.hyper):
        hp[i] = _check_hyper_value(spec, h, resolved[h.name])
    return hp


def _check_start(start) -> np.ndarray:
    try:
        a = np.asarray(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"start={start!r} must be two finite numbers (x, y)") from None
    if a.shape != (2,) or not np.all(np.isfinite(a)):
        raise ValueError(f"start={start!r} must be two finite numbers (x, y)")
    return a.copy()


def _check_int(name, v, lo, hi) -> int:
    if not isinstance(v, (int, np.integer)) or isinstance(v, (bool, np.bool_)) or not lo <= v <= hi:
        raise ValueError(f"{name}={v!r} is out of range; allowed: a whole number in [{lo}, {hi}]")
    return int(v)


def _check_float(name, v, lo, hi) -> float:
    if not _is_number(v) or not lo <= v <= hi:
        raise ValueError(f"{name}={v!r} is out of range; allowed range is [{lo:g}, {hi:g}]")
    return float(v)


def _check_names(what: str, d) -> None:
    """Every key of the dict ``d`` is a name (a str): the checks after this sort and compare them,
    and pass them on as keyword arguments."""
    for k in d if isinstance(d, dict) else ():
        if not isinstance(k, str):
            raise ValueError(f"{what} has the key {k!r}; its keys must be names (str)")


def _common(optimizer, surface, steps, hyper, schedule, surface_params, grad_noise, batch_size,
            underflow, max_steps):
    """Validate everything run and run_many share; returns the kernels' arguments."""
    spec = optimizer_spec(optimizer)
    resolved = resolve_hyper(spec, hyper)
    if surface_params is not None and not isinstance(surface_params, dict):
        raise ValueError(f"surface_params must be a dict, not {surface_params!r}")
    _check_names("surface_params", surface_params)
    _check_names("schedule", schedule)
    if isinstance(surface, surfaces.Surface):     # e.g. surfaces.custom(...): parameters are fixed
        if surface_params:
            raise ValueError(f"surface_params={surface_params!r}: a Surface object has its parameters "
                             f"already; pass surface_params only with a surface id")
        surf = surface
    else:
        surf = surfaces.get(surface, **(surface_params or {}))
    steps = _check_int("steps", steps, 1, max_steps)
    sched = schedules.pack(schedule)
    if not spec.schedulable and not schedules.is_constant(sched):
        raise ValueError(f"{spec.id} takes no learning-rate schedule: its lr is only the initial step "
                         f"size; use schedule=None")
    sigma = _check_float("grad_noise", grad_noise, 0.0, MAX_NOISE)
    n_samples = int(surf.params.get("n_samples", 0))
    if batch_size is None:
        bsize = 0
    elif not surf.spec.finite_sum:
        raise ValueError(f"batch_size={batch_size!r}: surface {surf.id!r} is not a finite sum; "
                         f"use batch_size=None (mini-batches exist on: "
                         f"{', '.join(k for k, s in surfaces.SURFACES.items() if s.finite_sum)})")
    else:
        bsize = _check_int("batch_size", batch_size, 1, n_samples)
        if bsize == n_samples:
            bsize = 0  # the full batch is the exact gradient
    u = _check_float("underflow", underflow, 0.0, 1.0)
    problem = engine.Problem(surf.code, surf.packed, tuple(map(float, surf.escape_box)), sched, sigma, bsize,
                             u, n_samples, surfaces.kernels.work_width(surf.code, surf.packed))
    return spec, resolved, surf, steps, problem


def _refuse_unknown_options(fn, unknown: dict) -> None:
    if unknown:
        allowed = [p.name for p in inspect.signature(fn).parameters.values() if p.kind is p.KEYWORD_ONLY]
        raise ValueError(f"{fn.__name__}() has no option {next(iter(unknown))!r}; its options are: "
                         f"{', '.join(allowed)}")


def run(optimizer, surface, start, steps, hyper=None, *, schedule=None, surface_params=None,
        grad_noise=0.0, batch_size=None, seed=0, underflow=0.0, **unknown) -> RunResult:
    """Run ``optimizer`` on ``surface`` (an id, or a ``Surface`` object such as
    ``surfaces.custom(...)``) from ``start`` for ``steps`` steps (1..20000).

    ``hyper`` overrides catalogue defaults; ``schedule`` is None or a dict (see ``schedules``);
    ``grad_noise`` σ adds seeded N(0, σ²) to each gradient component; ``batch_size`` walks
    shuffled mini-batches of a finite-sum surface; ``underflow`` flushes squared gradients below
    it to zero before they enter second-moment accumulators (a float16 simulation).
    """
    _refuse_unknown_options(run, unknown)
    spec, resolved, surf, steps, problem = _common(
        optimizer, surface, steps, hyper, schedule, surface_params, grad_noise, batch_size, underflow,
        MAX_STEPS)
    x0 = _check_start(start)
    seed = _check_int("seed", seed, 0, MAX_SEED)
    hp = _pack_hyper(spec, resolved)
    xy = np.empty((steps + 1, 2))
    raw = np.empty((steps + 1, 2))
    loss = np.empty(steps + 1)
    diag = np.empty((steps, len(engine.DIAG_COLUMNS)))
    kernel = engine.trajectory_kernel(spec.id, problem.work_width is not None)
    k, status, status_step, reason = kernel(problem, hp[:len(spec.hyper)], x0, steps, seed, xy, loss, diag, raw)
    if not math.isfinite(loss[0]):
        # undefined at the start (a typed log(x) at x <= 0): the kernels check each step's loss,
        # not the start's, so the run would be "ok" with a NaN or inf as its first loss
        k, status, status_step, reason = 0, engine.DIVERGED, 1, engine.R_NONFINITE
    extra = {name: diag[:k, cols] for name, cols in _extra_columns(spec).items()}
    if "raw_xy" in spec.diagnostics:
        extra["raw_xy"] = raw[:k + 1]
    return RunResult(spec.id, surf.id, resolved, xy[:k + 1], loss[:k + 1],
                     engine.STATUS_NAMES[int(status)], int(status_step), REASONS[int(reason)], extra)


_ALWAYS = ("grad", "update", "lr", "eff_lr")


def _extra_columns(spec: OptimizerSpec) -> dict:
    """``res.extra`` name -> the diagnostics columns it takes (a slice, or one column for lr)."""
    col = engine.DIAG_COLUMNS.index
    out = {}
    for name in _ALWAYS + tuple(d for d in spec.diagnostics if d in ("velocity", "second_moment")):
        out[name] = col(name) if name == "lr" else slice(col(name + "_x"), col(name + "_y") + 1)
    return out


def run_many(optimizer, surface, starts, steps, hyper=None, *, hyper_grid=None, tol=1e-6, seeds=None,
             schedule=None, surface_params=None, grad_noise=0.0, batch_size=None, seed=0,
             underflow=0.0, settle_tol=1e-6, paths=False, **unknown) -> GridResult:
    """``run`` for n independent runs in parallel, keeping only final values (and, with
    ``paths=True``, every run's path and loss curve as well).

    ``starts``: an (n, 2) array, or one (x, y) for all. ``hyper_grid``: name -> n values (numeric
    hyperparameters only). ``seeds``: n seeds, or None for ``seed`` everywhere. Caps: n ≤ 1,048,576,
    steps ≤ 20,000, n × steps ≤ 5·10⁹; with paths, n × (steps + 1) ≤ 4·10⁶ points.
    ``steps_to_tol``: first t with f(θ_t) − f* ≤ tol (−1: never); ``settled_step``: the last step
    longer than ``settle_tol`` in x or y (see ``GridResult``).
    """
    _refuse_unknown_options(run_many, unknown)
    spec, resolved, surf, steps, problem = _common(
        optimizer, surface, steps, hyper, schedule, surface_params, grad_noise, batch_size, underflow,
        MAX_STEPS)
    lengths = {}
    try:
        st_arr = np.asarray(starts, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("starts must be an (n, 2) array of finite numbers or one (x, y)") from None
    if st_arr.shape == (2,):
        st_arr = st_arr[None, :]
    elif st_arr.ndim == 2 and st_arr.shape[1] == 2 and st_arr.shape[0] >= 1:
        lengths["starts"] = st_arr.shape[0]
    else:
        raise ValueError(f"starts has shape {st_arr.shape}; allowed: (n, 2) or (2,)")
    if not np.all(np.isfinite(st_arr)):
        raise ValueError("starts must be finite numbers; found NaN or infinity")
    hyper_grid = hyper_grid or {}
    if not isinstance(hyper_grid, dict):
        raise ValueError(f"hyper_grid must be a dict name -> values, not {hyper_grid!r}")
    grid_cols = {}
    for name, values in hyper_grid.items():
        h = next((h for h in spec.hyper if h.name == name), None)
        if h is None:
            raise ValueError(f"{spec.id} has no hyperparameter {name!r}; its hyperparameters are: "
                             f"{', '.join(spec.hyper_names())}")
        if h.is_choice:
            raise ValueError(f"{spec.id}: {name} is a variant and cannot vary in hyper_grid; "
                             f"run one grid per variant")
        try:
            arr = np.asarray(values, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise ValueError(f"{spec.id}: hyper_grid {name}={values!r:.60} is not a list of numbers; "
                             f"allowed range is [{h.min:g}, {h.max:g}]") from None
        bad = ~((arr >= h.min) & (arr <= h.max))
        if h.integer:
            bad |= arr != np.round(arr)
        if bad.any():
            raise ValueError(f"{spec.id}: hyper_grid {name}={float(arr[bad][0])!r} is out of range; "
                             f"allowed range is [{h.min:g}, {h.max:g}]")
        lengths[f"hyper_grid[{name!r}]"] = arr.size
        grid_cols[name] = arr
    if seeds is not None:
        seeds_arr = np.asarray(seeds).ravel()
        if seeds_arr.dtype.kind not in "iu" or (seeds_arr < 0).any() or (seeds_arr > MAX_SEED).any():
            raise ValueError(f"seeds must be whole numbers in [0, {MAX_SEED}]")
        lengths["seeds"] = seeds_arr.size
    if len(set(lengths.values())) > 1:
        raise ValueError("mismatched lengths: " + ", ".join(f"{k} has {v}" for k, v in lengths.items())
                         + "; all must have the same length n")
    n = next(iter(lengths.values()), 1)
    if n > MAX_RUNS:
        raise ValueError(f"n={n} runs is too many; allowed: at most {MAX_RUNS}")
    if n * steps > MAX_RUN_STEPS:
        raise ValueError(f"n × steps = {n * steps} is too large; allowed: at most {MAX_RUN_STEPS}")
    seed = _check_int("seed", seed, 0, MAX_SEED)
    seeds_arr = (np.full(n, seed, dtype=np.int64) if seeds is None
                 else seeds_arr.astype(np.uint64).astype(np.int64))
    # always a writable copy: a read-only view (broadcast_to's, whenever no copy is needed) is
    # another Numba signature, compiled again at run time instead of loaded from the warmed cache
    starts_arr = np.array(np.broadcast_to(st_arr, (n, 2)), order="C")
    hps = np.tile(_pack_hyper(spec, resolved), (n, 1))
    for name, arr in grid_cols.items():
        hps[:, spec.hyper_names().index(name)] = arr
    tol = _check_float("tol", tol, 0.0, math.inf)
    settle_tol = _check_float("settle_tol", settle_tol, 0.0, math.inf)
    if not isinstance(paths, (bool, np.bool_)):
        raise ValueError(f"paths={paths!r} must be True or False")
    if paths and n * (steps + 1) > MAX_PATH_POINTS:
        raise ValueError(f"paths for n × (steps + 1) = {n * (steps + 1)} points is too many; allowed: at most "
                         f"{MAX_PATH_POINTS} (fewer runs or steps, or paths=False for final values only)")
    final_xy = np.empty((n, 2))
    final_loss = np.empty(n)
    status = np.empty(n, dtype=np.int8)
    tol_steps = np.empty(n, dtype=np.int64)
    loss_mean = np.empty(n)
    settled = np.empty(n, dtype=np.int64)
    kernel = engine.grid_kernel(spec.id, problem.work_width is not None)

    def rows(r0, r1):
        kernel(problem, hps[r0:r1], starts_arr[r0:r1], seeds_arr[r0:r1], steps, surf.f_min, tol, settle_tol,
               final_xy[r0:r1], final_loss[r0:r1], status[r0:r1], tol_steps[r0:r1], loss_mean[r0:r1],
               settled[r0:r1])

    _in_parallel(rows, n)
    out = GridResult(final_xy, final_loss, status, tol_steps, loss_mean, settled)
    if paths:
        out.xy, out.loss = _paths(spec, problem, hps, starts_arr, seeds_arr, steps)
    _stop_undefined_starts(out, surf, starts_arr)
    return out


def _stop_undefined_starts(out: GridResult, surf, starts: np.ndarray) -> None:
    """Runs whose start has no finite loss diverged at step 1 without moving, as ``run`` reports
    them (the grid kernel checks each step's loss, not the start's)."""
    f0 = np.asarray(surf.value(starts[:, 0], starts[:, 1]), dtype=np.float64).reshape(-1)
    bad = ~np.isfinite(f0)
    if not bad.any():
        return
    out.status[bad] = engine.DIVERGED
    out.final_xy[bad], out.final_loss[bad] = starts[bad], f0[bad]
    out.steps_to_tol[bad], out.loss_mean[bad], out.settled_step[bad] = -1, math.inf, 1
    if out.xy is not None:
        out.xy[bad, 1:], out.loss[bad, 1:] = math.nan, math.nan


MAX_PATH_POINTS = 4_000_000      # run_many(paths=True): 96 MB of paths and losses


def _paths(spec, problem, hps, starts, seeds, steps):
    """Every run's path and loss curve by the trajectory kernel (the one ``run`` uses), NaN after a
    run stopped."""
    n = starts.shape[0]
    xy = np.full((n, steps + 1, 2), np.nan)
    loss = np.full((n, steps + 1), np.nan)
    kernel = engine.trajectory_kernel(spec.id, problem.work_width is not None)
    n_hyper = len(spec.hyper)

    def rows(r0, r1):
        diag = np.empty((steps, len(engine.DIAG_COLUMNS)))
        raw = np.empty((steps + 1, 2))
        for r in range(r0, r1):
            kernel(problem, hps[r, :n_hyper], starts[r], steps, int(seeds[r]), xy[r], loss[r], diag, raw)
            # the kernel writes rows 0..k; a stopped run's rows after k keep their NaN

    _in_parallel(rows, n)
    return xy, loss


_THREADS = os.cpu_count() or 1
_POOL = ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="optim_core")


def _in_parallel(rows, n: int) -> None:
    """rows(r0, r1) over [0, n) in chunks of whole blocks, one thread per core (the kernels release
    the GIL). A few chunks per thread balance blocks whose runs stop early. One pool for the whole
    process, so concurrent callers (app sessions) share the cores instead of oversubscribing them."""
    per = engine.BLOCK * max(1, -(-n // (engine.BLOCK * _THREADS * 4)))
    chunks = [(r0, min(n, r0 + per)) for r0 in range(0, n, per)]
    if len(chunks) == 1:
        rows(*chunks[0])
        return
    for f in [_POOL.submit(rows, r0, r1) for r0, r1 in chunks]:
        f.result()
