"""Runs over seeds: every optimizer of a Playground scene from the same start over K seeds, the
same seeds for every optimizer (common random numbers: a difference between two optimizers is
then theirs, not the luck of their draws). One ``run_many(paths=True)`` per optimizer.

The bands are the 10 % and 90 % quantiles of the loss over the seeds at each step, the curve
their mean; a run that stopped (diverged, escaped) leaves the statistics from that step on.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from optim_core import run_many
from optim_core.catalogue import OPTIMIZERS

from .config import PlaygroundConfig
from .race import lane_hyper

QUANTILES = (0.1, 0.9)


@dataclass
class SeedBand:
    optimizer: str
    seeds: np.ndarray                  # (K,)
    xy: np.ndarray                     # (K, steps + 1, 2), NaN after a run stopped
    loss: np.ndarray                   # (K, steps + 1)
    mean_loss: np.ndarray              # (steps + 1,) over the runs still going
    low: np.ndarray                    # the 10 % quantile
    high: np.ndarray                   # the 90 % quantile
    mean_path: np.ndarray              # (steps + 1, 2)
    stopped: int                       # runs that diverged or escaped


def stochastic(cfg: PlaygroundConfig) -> bool:
    """Whether the seed changes anything: gradient noise, or mini-batches of a finite sum."""
    finite_sum = cfg.surface_object().spec.finite_sum
    return cfg.noise > 0 or (finite_sum and cfg.batch > 0)


def seed_bands(cfg: PlaygroundConfig) -> list[SeedBand]:
    """One band per selected optimizer over seeds cfg.seed … cfg.seed + n_seeds − 1."""
    surf = cfg.surface_object()
    seeds = cfg.seed + np.arange(cfg.n_seeds, dtype=np.int64)
    batch = cfg.batch if surf.spec.finite_sum and cfg.batch > 0 else None
    out = []
    for oid in cfg.optimizers:
        spec = OPTIMIZERS[oid]
        hyper, _ = lane_hyper(cfg, oid)
        try:
            g = run_many(oid, surf, cfg.start, cfg.steps, hyper, seeds=seeds, paths=True, grad_noise=cfg.noise,
                         batch_size=batch, schedule=cfg.schedule if spec.schedulable else None)
        except ValueError:     # the single run says why on the page; nothing to band
            continue
        with warnings.catch_warnings():          # steps after every run stopped: all NaN, said as NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            stopped = np.isnan(g.loss).any()     # nanquantile is ~100× slower: only when a run stopped
            mean = np.nanmean(g.loss, axis=0) if stopped else g.loss.mean(axis=0)
            low, high = (np.nanquantile if stopped else np.quantile)(g.loss, QUANTILES, axis=0)
            path = np.nanmean(g.xy, axis=0) if stopped else g.xy.mean(axis=0)
        out.append(SeedBand(oid, seeds, g.xy, g.loss, mean, low, high, path, int((g.status != 0).sum())))
    return out
