"""Running every selected optimizer on one surface, and the numbers the page shows about them.

A :class:`Lane` is one optimizer's run with the settings it actually used (the shared learning
rate clipped to its range, the schedule it accepted) and any refusal from the engine as a
readable message instead of a traceback.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

import surfaces
from optim_core import run
from optim_core.catalogue import OPTIMIZERS

from .config import PlaygroundConfig
from .early_stop import early_stop_step


@dataclass
class Lane:
    optimizer: str
    hyper: dict                     # the hyperparameters used
    result: object = None           # optim_core.RunResult, or None when the engine refused
    error: str = ""                 # the engine's ValueError message
    notes: tuple = ()               # string-catalogue keys: lr_clipped, no_schedule

    @property
    def ok(self) -> bool:
        return self.result is not None

    @property
    def lr(self) -> float:
        return float(self.hyper["lr"])


def lane_hyper(cfg: PlaygroundConfig, oid: str) -> tuple[dict, tuple]:
    """The hyperparameters ``oid`` runs with under ``cfg``, and notes on what was adjusted."""
    spec = OPTIMIZERS[oid]
    hyper = dict(cfg.hyper[oid])
    notes = []
    if cfg.lr_mode == "shared":
        lr_h = spec.hyper[0]
        lr = min(max(cfg.shared_lr, lr_h.min), lr_h.max)
        if lr != cfg.shared_lr:
            notes.append("lr_clipped")
        hyper["lr"] = lr
    return hyper, tuple(notes)


def run_options(cfg: PlaygroundConfig, oid: str, surface) -> tuple[dict, tuple]:
    """The engine options of ``oid``'s runs in ``cfg``'s scene (schedule, noise, underflow, mini-batch, seed),
    for ``run`` and ``run_many`` alike, and notes on what was dropped: an optimizer that takes no
    schedule runs without one."""
    schedule, notes = cfg.schedule, ()
    if not OPTIMIZERS[oid].schedulable and (cfg.schedule.get("kind", "constant") != "constant"
                                            or cfg.schedule.get("warmup", 0)):
        schedule, notes = None, ("no_schedule",)
    batch = cfg.batch if surface.spec.finite_sum and cfg.batch > 0 else None
    return {"schedule": schedule, "grad_noise": cfg.noise, "underflow": cfg.underflow, "batch_size": batch,
            "seed": cfg.seed}, notes


def run_lanes(cfg: PlaygroundConfig) -> list[Lane]:
    """One Lane per selected optimizer, in the order selected."""
    surface = cfg.surface_object()
    lanes = []
    for oid in cfg.optimizers:
        hyper, notes = lane_hyper(cfg, oid)
        options, dropped = run_options(cfg, oid, surface)
        notes += dropped
        try:
            res = run(oid, surface, cfg.start, cfg.steps, hyper, **options)
            lanes.append(Lane(oid, hyper, res, "", notes))
        except ValueError as e:
            lanes.append(Lane(oid, hyper, None, str(e), notes))
    return lanes


def distances(xy: np.ndarray, minima) -> np.ndarray:
    """Distance of each point of ``xy`` (n, 2) to the nearest of ``minima``; NaN when there are none."""
    if not len(minima):
        return np.full(len(xy), np.nan)
    m = np.asarray(minima, dtype=np.float64)
    d = np.sqrt(((xy[:, None, :] - m[None, :, :]) ** 2).sum(axis=2))
    return d.min(axis=1)


def step_lengths(xy: np.ndarray) -> np.ndarray:
    """|θ_t − θ_{t−1}| for t = 1..k."""
    return np.sqrt((np.diff(xy, axis=0) ** 2).sum(axis=1))


def steps_to_tol(loss: np.ndarray, f_min: float, tol: float) -> int:
    """The first step t with f(θ_t) − f* ≤ tol; −1 when never (or f* unknown)."""
    if not math.isfinite(f_min):
        return -1
    hit = np.nonzero(np.asarray(loss) - f_min <= tol)[0]
    return int(hit[0]) if hit.size else -1


@dataclass
class Row:
    optimizer: str
    lr: float
    final_loss: float
    gap: float                      # final loss − f*
    distance: float                 # final distance to the nearest minimum
    steps_to_tol: int
    status: str                     # ok | diverged | escaped | error
    status_step: int
    reason: str = ""
    extras: dict = field(default_factory=dict)
    stop_step: int = -1             # where early stopping would end the run (−1: never, or not asked)
    stop_loss: float = math.nan     # the loss at that step

    @property
    def after_stop(self) -> float:
        """Final loss − loss at the early stop, signed: < 0 is what stopping would have lost (the
        run went on improving), > 0 what it would have saved; NaN when it never stops."""
        return self.final_loss - self.stop_loss if self.stop_step >= 0 else math.nan


def leaderboard(lanes: list[Lane], surface: surfaces.Surface, tol: float,
                early_stop: tuple | None = None) -> list[Row]:
    """Rows sorted best first: runs that reached the tolerance by steps, then by final gap;
    diverged, escaped and refused runs last. ``early_stop``: (patience, min_delta) — each row then
    also says where early stopping would end its run and the loss there
    (``PlaygroundConfig.early_stop_rule``)."""
    rows = []
    for lane in lanes:
        if not lane.ok:
            rows.append(Row(lane.optimizer, lane.lr, math.nan, math.nan, math.nan, -1, "error", 0, lane.error))
            continue
        r = lane.result
        final = float(r.loss[-1])
        gap = final - surface.f_min if math.isfinite(surface.f_min) else math.nan
        d = distances(r.xy[-1:], surface.minima)[0]
        row = Row(lane.optimizer, lane.lr, final, gap, float(d), steps_to_tol(r.loss, surface.f_min, tol),
                  r.status, r.status_step, r.reason)
        if early_stop is not None:
            row.stop_step = early_stop_step(r.loss, *early_stop)
            row.stop_loss = float(r.loss[row.stop_step]) if row.stop_step >= 0 else math.nan
        rows.append(row)

    def order(row: Row):
        bad = row.status != "ok"
        reached = row.steps_to_tol >= 0
        key2 = row.steps_to_tol if reached else math.inf
        key3 = row.gap if math.isfinite(row.gap) else (row.final_loss if math.isfinite(row.final_loss) else math.inf)
        return (bad, not reached, key2, key3)
    return sorted(rows, key=order)
