"""The Basins page: from every start of a grid over the map, which minimum does an optimizer
reach, and how soon? One ``run_many`` per panel (final values only).

A run belongs to the nearest *listed* minimum of the surface (``Surface.minima``) when it ends
within ``radius`` of it — ``radius`` is a fraction of the map's diagonal, stated on the page; a
run that ends anywhere else is "other", and runs that diverged or escaped are labelled so. The
shade is the step at which the run settled: its last step longer than ``SETTLE`` of the map's
diagonal.

The configuration is the Playground's (``base``: surface, steps, schedule, noise, seed) plus one
or two panels, each an optimizer with its own hyperparameters (GD vs Adam, or one optimizer at
two learning rates), and the grid's size and the radius (``basins_rows``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Iterator

import numpy as np

from optim_core import run_many

from .compare import panel_rows
from .config import PlaygroundConfig, custom_fallback, playground_rows
from .race import run_options
from .fields import Field, Note, Number, Schema, under

DEFAULT_SURFACE = "himmelblau"          # four minima: the page's first picture should have basins
DEFAULT_PANELS = (("sgd", {"lr": 0.01}), ("adam", {"lr": 0.1}))
MAX_PANELS = 2
MAX_RES = 300
DEFAULT_RES = 150
RADIUS = (0.01, 1e-4, 0.2)              # default, min, max: a fraction of the map's diagonal
SETTLE = 1e-6                           # a step shorter than this fraction of the diagonal is "still"
MAX_WORK = 300 * 300 * 2000             # starts × steps of one panel
OTHER, DIVERGED, ESCAPED = -1, -2, -3   # labels besides a minimum's index


@dataclass
class BasinsConfig:
    """What the Basins page shows; attributes left None take their defaults from ``basins_rows``."""
    base: PlaygroundConfig = field(default_factory=PlaygroundConfig)
    n_panels: int = None
    settings: tuple = None              # (optimizer id, hyper) per panel
    res: int = None                     # starts per axis
    radius: float = None                # fraction of the diagonal

    def __post_init__(self):
        BASINS.complete(self, skip=("base",))

    def key(self) -> str:
        return BASINS.canonical(self)

    def run_key(self) -> str:
        return BASINS.canonical(self, views=False)


def _with_default_surface(rows: Iterator[Field]) -> Iterator[Field]:
    for f in rows:
        yield replace(f, default=DEFAULT_SURFACE) if f.key == "surface" else f


def basins_rows(v) -> Iterator[Field]:
    """The Playground's rows (Himmelblau by default), then the panels and the grid."""
    yield from under(_with_default_surface(playground_rows(v)), "base")
    yield Field("bas.n", "n_panels", MAX_PANELS, Number(1, MAX_PANELS, integer=True))
    yield from panel_rows(v, "bas", v["bas.n"], DEFAULT_PANELS)
    yield Field("bas.res", "res", DEFAULT_RES, Number(10, MAX_RES, integer=True))
    yield Field("bas.radius", "radius", RADIUS[0], Number(*RADIUS[1:], log=True))


BASINS = Schema(basins_rows, lambda d: BasinsConfig(base=PlaygroundConfig(**d.pop("base")), **d),
                prepare=custom_fallback)


def encode(bc: BasinsConfig) -> dict:
    return BASINS.encode(bc)


def decode(query) -> tuple[BasinsConfig, list[Note]]:
    """The Basins configuration a query describes, and notes on every value not used. Never raises."""
    return BASINS.decode(query)


def diagonal(domain) -> float:
    x0, x1, y0, y1 = domain
    return math.hypot(x1 - x0, y1 - y0)


def start_grid(domain, res: int) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres of a res × res grid over the domain: (xs, ys)."""
    x0, x1, y0, y1 = domain
    xs = x0 + (np.arange(res) + 0.5) * (x1 - x0) / res
    ys = y0 + (np.arange(res) + 0.5) * (y1 - y0) / res
    return xs, ys


def label_points(final_xy: np.ndarray, status: np.ndarray, minima, radius: float) -> np.ndarray:
    """Per run: the index of the nearest listed minimum when it ended within ``radius`` of it,
    else OTHER; DIVERGED / ESCAPED by its status."""
    labels = np.full(len(final_xy), OTHER, dtype=np.int64)
    if len(minima):
        m = np.asarray(minima, dtype=np.float64)
        d = np.sqrt(((final_xy[:, None, :] - m[None, :, :]) ** 2).sum(axis=2))
        near = d.argmin(axis=1)
        close = d[np.arange(len(final_xy)), near] <= radius
        labels[close] = near[close]
    labels[status == 1] = DIVERGED
    labels[status == 2] = ESCAPED
    return labels


@dataclass
class BasinMap:
    """One panel: arrays are (res, res), row j is y = ys[j]."""
    optimizer: str
    hyper: dict
    xs: np.ndarray
    ys: np.ndarray
    label: np.ndarray
    settled: np.ndarray                # the step each run settled (its last long step)
    steps: int
    radius: float                      # in the map's units

    def shares(self, n_minima: int) -> dict:
        """Fraction of starts per label: each minimum's index, OTHER, DIVERGED, ESCAPED."""
        total = self.label.size
        keys = list(range(n_minima)) + [OTHER, DIVERGED, ESCAPED]
        return {k: float((self.label == k).sum()) / total for k in keys}

    def mean_settled(self, label: int) -> float:
        sel = self.label == label
        return float(self.settled[sel].mean()) if sel.any() else math.nan


def basin_map(bc: BasinsConfig, panel: int, surf=None) -> BasinMap:
    """Panel ``panel`` (0-based): its optimizer from every start of the grid."""
    base = bc.base
    surf = surf or base.surface_object()
    oid, hp = bc.settings[panel]
    xs, ys = start_grid(surf.domain, bc.res)
    X, Y = np.meshgrid(xs, ys)
    starts = np.column_stack([X.ravel(), Y.ravel()])
    diag = diagonal(surf.domain)
    g = run_many(oid, surf, starts, base.steps, hp, settle_tol=SETTLE * diag, **run_options(base, oid, surf)[0])
    radius = bc.radius * diag
    labels = label_points(g.final_xy, g.status, surf.minima, radius)
    return BasinMap(oid, dict(hp), xs, ys, labels.reshape(X.shape), g.settled_step.reshape(X.shape), base.steps,
                    radius)


def basin_maps(bc: BasinsConfig) -> list[BasinMap]:
    surf = bc.base.surface_object()
    return [basin_map(bc, i, surf) for i in range(bc.n_panels)]


def too_heavy(bc: BasinsConfig) -> bool:
    return bc.res * bc.res * bc.base.steps > MAX_WORK


def playground_scene(bc: BasinsConfig, panel: int, start) -> PlaygroundConfig:
    """The Playground scene of one start of panel ``panel``."""
    oid, hp = bc.settings[panel]
    x0, x1, y0, y1 = bc.base.surface_object().domain
    return bc.base.one_run(oid, hp, (min(max(float(start[0]), x0), x1), min(max(float(start[1]), y0), y1)))
