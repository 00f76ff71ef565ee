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
from optim_core.api import MAX_PATH_POINTS

from .config import PlaygroundConfig
from .race import lane_hyper, run_options

QUANTILES = (0.1, 0.9)
# path points all bands of one scene keep at once (xy and loss: 24 bytes a point, ~100 MB), kept
# in a shared cache: one link with 16 optimizers × 200 seeds × 20,000 steps would otherwise hold 1.5 GB
MAX_SCENE_POINTS = 4_000_000
HEAVY_POINTS = 200_000          # above this the bands wait their turn with the grids (ui.heavy.heavy_gate)


def band_limit(cfg: PlaygroundConfig) -> int:
    """The path points one band may keep: ``run_many``'s own cap, and the scene's shared out over
    its optimizers."""
    return min(MAX_PATH_POINTS, MAX_SCENE_POINTS // max(len(cfg.optimizers), 1))


def band_points(cfg: PlaygroundConfig) -> int:
    return cfg.n_seeds * (cfg.steps + 1)


def too_many(cfg: PlaygroundConfig) -> bool:
    return band_points(cfg) > band_limit(cfg)


def heavy(cfg: PlaygroundConfig) -> bool:
    return band_points(cfg) * len(cfg.optimizers) > HEAVY_POINTS


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


def stochastic(cfg: PlaygroundConfig, surface) -> bool:
    """Whether the seed changes anything: gradient noise, or mini-batches of a finite sum."""
    options = run_options(cfg, cfg.optimizers[0] if cfg.optimizers else "sgd", surface)[0]
    return options["grad_noise"] > 0 or options["batch_size"] is not None


def seed_bands(cfg: PlaygroundConfig) -> list[SeedBand]:
    """One band per selected optimizer over seeds cfg.seed … cfg.seed + n_seeds − 1."""
    if too_many(cfg):
        raise ValueError(f"{cfg.n_seeds} seeds × {cfg.steps + 1} points × {len(cfg.optimizers)} optimizers is more "
                         f"than a scene's bands may keep ({MAX_SCENE_POINTS:,} points)")
    surf = cfg.surface_object()
    seeds = cfg.seed + np.arange(cfg.n_seeds, dtype=np.int64)
    out = []
    for oid in cfg.optimizers:
        hyper, _ = lane_hyper(cfg, oid)
        try:   # ``seeds`` overrides the options' single seed
            g = run_many(oid, surf, cfg.start, cfg.steps, hyper, seeds=seeds, paths=True,
                         **run_options(cfg, oid, surf)[0])
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
