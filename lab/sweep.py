"""The Sweep page: what thousands of runs say that one cannot, computed by ``run_many`` (final
values only, never a path per setting).

Three modes, all on the Playground's scene (its surface, start, steps, schedule, noise, seed and
the hyperparameters not swept — the same sidebar):

* ``map``: one optimizer, two of its hyperparameters on a grid of up to 200 × 200 settings, one
  metric per setting (final loss, steps to the tolerance, or the status);
* ``line``: one hyperparameter, one curve per selected optimizer, each optimizer's best marked;
* ``tune``: fair tuning. Every selected optimizer gets the same budget (settings × steps): its lr
  on a log grid, optionally times a few values of its second hyperparameter; the chosen setting
  is the grid's best under a stated objective, and the robustness is the width of the lr range
  whose objective stays within a factor of the best.

The configuration is the Playground's (``base``) plus the ``sw.*`` rows of ``sweep_rows``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Iterator

import numpy as np

from optim_core import run_many
from optim_core.catalogue import OPTIMIZERS

from .config import PlaygroundConfig, custom_fallback, default_inside, playground_rows
from .fields import Choice, Field, Flag, Note, Number, Schema, under
from .race import distances, lane_hyper, run_options

MODES = ("map", "line", "tune")
METRICS = ("loss", "steps", "status")
LINE_METRICS = ("loss", "steps")
OBJECTIVES = ("loss", "distance", "steps", "auc")
MAX_RES = 200                           # settings per axis
DEFAULT_RES = 60
MAX_WORK = 200 * 200 * 1000             # settings × steps of one grid (about 1 s on two cores)
TUNE_POINTS = (24, 4, 100)              # lr values per optimizer: default, min, max
EXTRA_POINTS = (5, 2, 10)               # values of the second hyperparameter
FACTOR = (10.0, 1.1, 1000.0)            # robustness: objective within this factor of the best
STATUS_OK, STATUS_DIVERGED, STATUS_ESCAPED = 0, 1, 2


def numeric(oid: str) -> tuple:
    """The hyperparameters of ``oid`` a sweep can vary (variants are not numbers)."""
    return tuple(h.name for h in OPTIMIZERS[oid].hyper if not h.is_choice)


def hyper(oid: str, name: str):
    return next(h for h in OPTIMIZERS[oid].hyper if h.name == name)


def default_range(h) -> tuple:
    """The range a sweep of ``h`` starts with: lr over [1e-4, 1] (within its own range), a
    coefficient in [0, 1) over [0, 0.99], anything else its whole range."""
    if h.name == "lr":
        return max(h.min, 1e-4), min(h.max, 1.0)
    if h.max < 1.0 and h.min == 0.0:
        return 0.0, min(h.max, 0.99)
    return float(h.min), float(h.max)


def axis_values(h, lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` values of ``h`` from lo to hi: log-spaced where the catalogue says log, whole numbers
    for an integer hyperparameter."""
    v = np.geomspace(lo, hi, n) if h.log and lo > 0 else np.linspace(lo, hi, n)
    return np.round(v) if h.integer else v


def second_hyper(oid: str) -> str:
    """The hyperparameter tuned besides lr (β₁, momentum, ρ, α, ...): the catalogue's second
    numeric one; "" when the optimizer has none. Weight decay is never it: it changes the problem
    (where the minimum is), not how fast the problem is solved, so tuning it on the loss would only
    ever pick 0."""
    names = [n for n in numeric(oid) if n != "weight_decay"]
    return names[1] if len(names) > 1 else ""


def tune_values(h, m: int) -> np.ndarray:
    """``m`` values of a second hyperparameter for tuning: log-spaced where it is a log one; a
    coefficient in [0, 1) so that 1 − value is log-spaced from 1 down to 0.01 (0, …, 0.9, 0.99);
    else evenly over its range."""
    if h.log:
        return np.geomspace(h.min, h.max, m)
    if h.min == 0.0 and h.max < 1.0:
        return 1.0 - np.geomspace(1.0, 0.01, m)
    return np.linspace(h.min, h.max, m)


@dataclass
class SweepConfig:
    """What the Sweep page shows; attributes left None take their defaults from ``sweep_rows``."""
    base: PlaygroundConfig = field(default_factory=PlaygroundConfig)
    mode: str = None
    optimizer: str = None               # map mode: whose hyperparameters vary ("" when none is selected)
    x: str = None                       # the hyperparameter on the x axis (tune: always lr)
    x_range: tuple = None
    y: str = None                       # map mode: the one on the y axis
    y_range: tuple = None
    res: int = None                     # settings per axis (map, line)
    metric: str = None
    objective: str = None               # tune
    tune_points: int = None             # tune: lr values per optimizer
    tune_extra: bool = None             # tune: also the second hyperparameter
    extra_points: int = None
    factor: float = None                # tune: robustness factor

    def __post_init__(self):
        SWEEP.complete(self, skip=("base",))

    def key(self) -> str:
        return SWEEP.canonical(self)

    def run_key(self) -> str:
        return SWEEP.canonical(self, views=False)

    @property
    def settings(self) -> int:
        """Settings run per optimizer."""
        if self.mode == "map":
            return self.res * self.res
        if self.mode == "line":
            return self.res
        return self.tune_points * (self.extra_points if self.tune_extra else 1)


# ---------------------------------------------------------------- the table

def _common_numeric(optimizers) -> tuple:
    names = [numeric(oid) for oid in optimizers]
    return tuple(n for n in names[0] if all(n in other for other in names[1:])) if names else ("lr",)


def sweep_rows(v) -> Iterator[Field]:
    """The Playground's rows, then the sweep's own."""
    yield from under(playground_rows(v), "base")
    yield Field("sw.mode", "mode", "map", Choice(MODES))
    mode, opts = v["sw.mode"], v["opt"]
    yield Field("sw.opt", "optimizer", default_inside(opts), Choice(tuple(opts)), applies=mode == "map")
    oid = v["sw.opt"]
    if mode == "map" and oid:
        names = numeric(oid)
    elif mode == "line":
        names = _common_numeric(opts)
    else:
        names = ("lr",)
    yield Field("sw.x", "x", "lr", Choice(names), applies=mode != "tune")
    # the lr of the x axis: an optimizer's own range (newton's is [0.01, 2]); in line and tune
    # modes the widest (sgd's), each optimizer then runs the part inside its own range
    owner = oid if mode == "map" and oid else "sgd"
    hx = hyper(owner, v["sw.x"]) if v["sw.x"] in numeric(owner) else hyper(opts[0], v["sw.x"])
    lo, hi = default_range(hx)
    yield Field("sw.x.lo", "x_range.0", lo, Number(hx.min, hx.max, hx.integer, hx.log), group="sw.x")
    yield Field("sw.x.hi", "x_range.1", hi, Number(hx.min, hx.max, hx.integer, hx.log), group="sw.x")
    in_map = mode == "map" and bool(oid)
    others = tuple(n for n in (numeric(oid) if oid else ()) if n != v["sw.x"])
    yield Field("sw.y", "y", others[0] if others else "", Choice(others or ("",)), applies=in_map)
    hy = hyper(oid, v["sw.y"]) if in_map and v["sw.y"] else hx
    lo, hi = default_range(hy)
    yield Field("sw.y.lo", "y_range.0", lo, Number(hy.min, hy.max, hy.integer, hy.log), group="sw.y",
                applies=in_map)
    yield Field("sw.y.hi", "y_range.1", hi, Number(hy.min, hy.max, hy.integer, hy.log), group="sw.y",
                applies=in_map)
    yield Field("sw.res", "res", DEFAULT_RES, Number(2, MAX_RES, integer=True), applies=mode != "tune")
    yield Field("sw.metric", "metric", "loss", Choice(METRICS if mode == "map" else LINE_METRICS),
                applies=mode != "tune")
    tuning = mode == "tune"
    yield Field("sw.obj", "objective", "loss", Choice(OBJECTIVES), applies=tuning)
    yield Field("sw.n", "tune_points", TUNE_POINTS[0], Number(*TUNE_POINTS[1:], integer=True), applies=tuning)
    yield Field("sw.extra", "tune_extra", False, Flag(), applies=tuning)
    yield Field("sw.m", "extra_points", EXTRA_POINTS[0], Number(*EXTRA_POINTS[1:], integer=True),
                applies=tuning and v["sw.extra"])
    yield Field("sw.factor", "factor", FACTOR[0], Number(*FACTOR[1:], log=True), applies=tuning)


SWEEP = Schema(sweep_rows, lambda d: SweepConfig(base=PlaygroundConfig(**d.pop("base")), **d),
               prepare=custom_fallback)


def encode(sc: SweepConfig) -> dict:
    return SWEEP.encode(sc)


def decode(query) -> tuple[SweepConfig, list[Note]]:
    """The Sweep configuration a query describes, and notes on every value not used. Never raises."""
    return SWEEP.decode(query)


# ---------------------------------------------------------------- checks

class SweepRefused(ValueError):
    """A sweep that will not be run as asked; ``key`` is the string-catalogue key of the reason
    (shown next to the widget ``widget``), ``values`` fills its placeholders."""

    def __init__(self, key: str, widget: str, **args):
        super().__init__(key)
        self.key, self.widget, self.values = key, widget, args


def check(sc: SweepConfig) -> None:
    """Refuse what cannot be run: an empty range, a grid too heavy for the steps, an objective
    the surface cannot measure."""
    if sc.mode == "map" and not sc.optimizer:
        raise SweepRefused("sw_need_optimizer", "opt")
    if sc.mode == "map" and not sc.y:
        raise SweepRefused("sw_need_two", "sw.x")
    if not sc.base.optimizers:
        raise SweepRefused("sw_need_optimizer", "opt")
    ranges = [("sw.x", sc.x_range)] + ([("sw.y", sc.y_range)] if sc.mode == "map" else [])
    for key, (lo, hi) in ranges:
        if not lo < hi:
            raise SweepRefused("sw_bad_range", key + ".lo", lo=lo, hi=hi)
    work = sc.settings * sc.base.steps
    if work > MAX_WORK:
        raise SweepRefused("sw_too_heavy", "sw.n" if sc.mode == "tune" else "sw.res", settings=sc.settings,
                           steps=sc.base.steps, work=work, limit=MAX_WORK)
    if sc.mode == "tune":
        surf = sc.base.surface_object()
        if sc.objective == "distance" and not len(surf.minima):
            raise SweepRefused("sw_no_minima", "sw.obj")
        if sc.objective == "steps" and not math.isfinite(surf.f_min):
            raise SweepRefused("sw_no_fmin", "sw.obj")


# ---------------------------------------------------------------- running grids

def _grid(base: PlaygroundConfig, oid: str, fixed: dict, grid: dict, surf) -> object:
    """``run_many`` of ``oid`` over the settings ``grid`` (name -> values), the other
    hyperparameters ``fixed``, on the base's scene (the same seed for every setting)."""
    return run_many(oid, surf, base.start, base.steps, fixed, hyper_grid=grid, tol=base.tol,
                    **run_options(base, oid, surf)[0])


def _gap(loss, f_min):
    return loss - f_min if math.isfinite(f_min) else loss


@dataclass
class SweepMap:
    """One optimizer over a grid of two hyperparameters: arrays are (len(ys), len(xs))."""
    optimizer: str
    x: str
    y: str
    xs: np.ndarray
    ys: np.ndarray
    final_loss: np.ndarray
    gap: np.ndarray                    # final loss − f* (the loss itself when f* is unknown)
    steps: np.ndarray                  # steps to the tolerance, −1: never
    status: np.ndarray                 # 0 ok, 1 diverged, 2 escaped
    fixed: dict                        # the hyperparameters not swept
    edge: float = math.nan             # plain GD on lr: 2/L at the minimum (the stability edge)


def gd_edge(surf) -> float:
    """2/L, L the largest Hessian eigenvalue at the (first) listed minimum: above this lr plain
    gradient descent moves away from the minimum instead of towards it. NaN without a minimum or
    with no positive curvature there."""
    if not len(surf.minima):
        return math.nan
    h = np.asarray(surf.hess(*surf.minima[0]), dtype=np.float64)
    if not np.all(np.isfinite(h)):
        return math.nan
    top = float(np.linalg.eigvalsh(h).max())
    return 2.0 / top if top > 0 else math.nan


def sweep_map(sc: SweepConfig) -> SweepMap:
    base, oid = sc.base, sc.optimizer
    surf = base.surface_object()
    hx, hy = hyper(oid, sc.x), hyper(oid, sc.y)
    xs = axis_values(hx, *sc.x_range, sc.res)
    ys = axis_values(hy, *sc.y_range, sc.res)
    X, Y = np.meshgrid(xs, ys)
    fixed, _ = lane_hyper(base, oid)
    g = _grid(base, oid, fixed, {sc.x: X.ravel(), sc.y: Y.ravel()}, surf)
    shape = X.shape
    loss = g.final_loss.reshape(shape)
    edge = gd_edge(surf) if oid == "sgd" and "lr" in (sc.x, sc.y) else math.nan
    return SweepMap(oid, sc.x, sc.y, xs, ys, loss, _gap(loss, surf.f_min), g.steps_to_tol.reshape(shape),
                    g.status.reshape(shape), {k: v for k, v in fixed.items() if k not in (sc.x, sc.y)}, edge)


@dataclass
class SweepLine:
    """One optimizer along one hyperparameter (values outside its own range are left out)."""
    optimizer: str
    values: np.ndarray
    final_loss: np.ndarray
    gap: np.ndarray
    steps: np.ndarray
    status: np.ndarray
    best: int                          # index of the best value under the metric (−1: none ran well)


def best_index(metric: str, gap, steps, status) -> int:
    """The best setting: the lowest final gap, or the fewest steps to the tolerance (ties: the
    lower gap); only runs that ended ok count. −1 when none did."""
    ok = status == STATUS_OK
    if metric == "steps":
        ok = ok & (steps >= 0)
    if not ok.any():
        return -1
    primary = np.where(ok, steps if metric == "steps" else gap, np.inf).astype(np.float64)
    secondary = np.where(ok, gap, np.inf)
    return int(np.lexsort((secondary, primary))[0])


def sweep_lines(sc: SweepConfig) -> list[SweepLine]:
    base = sc.base
    surf = base.surface_object()
    out = []
    for oid in base.optimizers:
        h = hyper(oid, sc.x)
        lo, hi = max(sc.x_range[0], h.min), min(sc.x_range[1], h.max)
        if not lo < hi:
            continue
        xs = axis_values(h, *sc.x_range, sc.res)
        xs = xs[(xs >= h.min) & (xs <= h.max)]
        fixed, _ = lane_hyper(base, oid)
        g = _grid(base, oid, fixed, {sc.x: xs}, surf)
        gap = _gap(g.final_loss, surf.f_min)
        out.append(SweepLine(oid, xs, g.final_loss, gap, g.steps_to_tol, g.status,
                             best_index(sc.metric, gap, g.steps_to_tol, g.status)))
    return out


# ---------------------------------------------------------------- fair tuning

def objective_values(objective: str, g, surf) -> np.ndarray:
    """Lower is better; +inf for a run that diverged or escaped (or never reached the tolerance,
    under "steps")."""
    ok = g.status == STATUS_OK
    if objective == "loss":
        v = _gap(g.final_loss, surf.f_min)
    elif objective == "distance":
        v = distances(g.final_xy, surf.minima)
    elif objective == "steps":
        v = np.where(g.steps_to_tol >= 0, g.steps_to_tol, np.inf).astype(np.float64)
    elif objective == "auc":
        v = _gap(g.loss_mean, surf.f_min)
    else:
        raise ValueError(f"unknown objective {objective!r}; choose one of: {', '.join(OBJECTIVES)}")
    return np.where(ok & ~np.isnan(v), v, np.inf)


def within(objective: str, values: np.ndarray, best: float, factor: float, tol: float) -> np.ndarray:
    """The settings whose objective is within ``factor`` of the best: at most factor × best (and,
    for the loss-like objectives, anything at or below the tolerance counts as good as the best,
    since the grid cannot tell such values apart in practice)."""
    if not math.isfinite(best):
        return np.zeros(values.shape, dtype=bool)
    limit = factor * best if objective == "steps" else max(factor * best, tol)
    return values <= limit


@dataclass
class Tuned:
    """One optimizer's tuning: the grid it searched, the setting chosen, its robustness."""
    optimizer: str
    lrs: np.ndarray                    # the lr grid (inside its own range)
    extra: str                         # the second hyperparameter, "" when none
    extra_values: np.ndarray           # its values (one NaN when none)
    objective: np.ndarray              # (len(extra_values), len(lrs)), lower is better
    runs: int                          # settings run
    best: dict                         # the chosen hyperparameters (all of them)
    best_value: float                  # its objective (+inf: no setting ran well)
    robust: tuple                      # (lr_lo, lr_hi): the contiguous lr range around the best within the factor
    base_value: float                  # the objective at the Playground's own setting

    @property
    def robust_decades(self) -> float:
        lo, hi = self.robust
        return math.log10(hi / lo) if lo > 0 and math.isfinite(hi) and math.isfinite(lo) else math.nan


def _contiguous(mask: np.ndarray, i: int) -> tuple[int, int]:
    lo = hi = i
    while lo > 0 and mask[lo - 1]:
        lo -= 1
    while hi < len(mask) - 1 and mask[hi + 1]:
        hi += 1
    return lo, hi


def tune_one(sc: SweepConfig, oid: str, surf) -> Tuned:
    """Search ``oid``'s lr (and its second hyperparameter) under the sweep's budget."""
    base = sc.base
    h = hyper(oid, "lr")
    extra = second_hyper(oid) if sc.tune_extra else ""
    n_lr = sc.settings if not extra else sc.tune_points     # the same budget when there is no second one
    lo, hi = max(sc.x_range[0], h.min), min(sc.x_range[1], h.max)
    lrs = np.geomspace(lo, hi, n_lr) if lo < hi else np.array([lo])
    if extra:
        extra_values = tune_values(hyper(oid, extra), sc.extra_points)
    else:
        extra_values = np.array([math.nan])
    fixed, _ = lane_hyper(base, oid)
    L, E = np.meshgrid(lrs, extra_values)
    grid = {"lr": L.ravel()} | ({extra: E.ravel()} if extra else {})
    g = _grid(base, oid, fixed, grid, surf)
    obj = objective_values(sc.objective, g, surf).reshape(L.shape)
    gap = _gap(g.final_loss, surf.f_min).reshape(L.shape)
    order = np.lexsort((np.where(np.isnan(gap), np.inf, gap).ravel(), obj.ravel()))
    j, i = np.unravel_index(order[0], L.shape)
    best_value = float(obj[j, i])
    best = dict(fixed, lr=float(lrs[i]))
    if extra:
        best[extra] = float(extra_values[j])
    if math.isfinite(best_value):
        a, b = _contiguous(within(sc.objective, obj[j], best_value, sc.factor, base.tol), i)
        robust = (float(lrs[a]), float(lrs[b]))
    else:
        robust = (math.nan, math.nan)
    at_base = _grid(base, oid, fixed, {"lr": np.array([fixed["lr"]])}, surf)
    base_value = float(objective_values(sc.objective, at_base, surf)[0])
    return Tuned(oid, lrs, extra, extra_values, obj, int(L.size), best, best_value, robust, base_value)


@dataclass
class Tuning:
    objective: str
    steps: int
    runs: int                          # settings per optimizer (the same for all)
    factor: float
    results: list                      # Tuned, in the order selected
    tol: float = 0.0                   # loss-like values at or below it tie (the grid cannot tell them apart)

    @property
    def budget(self) -> int:
        """Steps per optimizer: settings × steps."""
        return self.runs * self.steps

    def ranking(self, tuned: bool) -> list[str]:
        """Optimizers best first, at their tuned settings or at the Playground's own. Loss-like
        objectives at or below the tolerance tie; a tie goes to the wider good lr range (the
        easier optimizer to tune), then to the order selected."""
        floor = 0.0 if self.objective == "steps" else self.tol

        def key(r):
            v = r.best_value if tuned else r.base_value
            width = r.robust_decades
            return (max(v, floor), -(width if math.isfinite(width) else -1.0))
        return [r.optimizer for r in sorted(self.results, key=key)]

    @property
    def disagree(self) -> bool:
        """Whether tuning changes the winner."""
        return bool(self.results) and self.ranking(True)[0] != self.ranking(False)[0]


def tune(sc: SweepConfig) -> Tuning:
    surf = sc.base.surface_object()
    results = [tune_one(sc, oid, surf) for oid in sc.base.optimizers]
    return Tuning(sc.objective, sc.base.steps, sc.settings, sc.factor, results, sc.base.tol)


def tuned_config(sc: SweepConfig, tuning: Tuning) -> PlaygroundConfig:
    """The Playground scene with every optimizer at its tuned setting."""
    hyper_ = {r.optimizer: r.best for r in tuning.results}
    return replace(sc.base, lr_mode="own", hyper={**sc.base.hyper, **hyper_})


def playground_scene(sc: SweepConfig, oid: str, setting: dict) -> PlaygroundConfig:
    """The Playground scene of one sweep setting: the base's, with only ``oid`` at ``setting``."""
    hp = dict(lane_hyper(sc.base, oid)[0], **setting)
    for h in OPTIMIZERS[oid].hyper:
        if not h.is_choice:
            v = min(max(float(hp[h.name]), h.min), h.max)
            hp[h.name] = int(round(v)) if h.integer else v
    return sc.base.one_run(oid, hp)
