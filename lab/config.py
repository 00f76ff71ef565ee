"""The Playground configuration as data, and its table of settings (``lab.fields``): the URL
form, the defaults and the widget binding all come from ``playground_rows``.

``encode`` writes only the values that differ from the defaults, so a fresh page has a clean
URL and a copied URL reproduces the exact view. ``decode`` never raises: a missing value takes
its default, a malformed one (unknown id, not a number, out of range, too long) takes its
default too and adds a :class:`Note`, which the page shows. Notes carry the parameter's name
(sanitised) and the kind of problem, never the raw value.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

import surfaces
from optim_core.api import MAX_NOISE, MAX_STEPS
from optim_core.catalogue import OPTIMIZERS
from optim_core.schedules import KINDS as SCHEDULE_KINDS
from optim_core.schedules import PARAMS as SCHEDULE_PARAMS
from optim_core.schedules import WARMUP

from .fields import (MAX_VALUE_CHARS, BadValue, Choice, Field, Flag, IdList, Note, Number, Schema, fmt,  # noqa: F401
                     parse_choice, parse_number, safe_key)

LANGS = ("en", "zh")
CUSTOM = "custom"                       # the typed surface (surfaces.custom)
SURFACE_CHOICES = tuple(surfaces.SURFACES) + (CUSTOM,)
DEFAULT_EXPR = "sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2)"
DEFAULT_DOMAIN = (-3.0, 3.0, -3.0, 3.0)
CLASSROOM = ("sgd", "momentum", "nag", "adagrad", "rmsprop", "adam")
# "lookahead": from θ to where NAG (notes form) takes its next gradient; other lanes draw none
ARROWS = ("grad", "velocity", "update", "lookahead")
LR_MODES = ("own", "shared")
DEFAULT_SURFACE = "valley"
DEFAULT_STEPS = 300
MAX_SEED = 2**31 - 1                    # the URL keeps seeds short; the engine takes up to 2**63 - 1
_LR = OPTIMIZERS["sgd"].hyper[0]        # the engine's usual lr range (adadelta, newton, bfgs clip it)
SHARED_LR = (_LR.default, _LR.min, _LR.max)   # default, min, max
TOL = (1e-4, 1e-12, 1e3)
DEFAULT_BANDS = 14                      # contour bands of the map
BANDS = (4, 40)
SEED_RUNS = (20, 2, 200)                # runs over seeds: default, min, max
# g² below this enters the second moments as 0 (the engine's float16 simulation); 0: off. float16's
# smallest normal number is 6.1e-5; 1e-2 is already far past any real format's limit
MAX_UNDERFLOW = 1e-2
PATIENCE = (20, 1, 1000)                # early stopping's patience (steps): default, min, max
MIN_DELTA = (0.0, 0.0, 1.0)             # early stopping's min_delta: default, min, max


@dataclass
class PlaygroundConfig:
    """What the Playground shows. An attribute left None (or a dict missing some entries) takes
    its default from the table, ``playground_rows``: the one place defaults are written."""
    lang: str = None
    surface: str = None                 # a catalogue id, or CUSTOM
    surface_params: dict = None         # name -> value, complete
    expr: str = None                    # the typed function (used when surface is CUSTOM)
    domain: tuple = None                # its plotting domain (x0, x1, y0, y1)
    optimizers: tuple = None
    hyper: dict = None                  # optimizer id -> {name: value}, complete
    lr_mode: str = None                 # "own" | "shared"
    shared_lr: float = None
    schedule: dict = None               # {"kind": ..., its parameters, "warmup"}
    noise: float = None
    underflow: float = None             # squared gradients below it become 0 (a float16 simulation)
    seed: int = None
    steps: int = None
    start: tuple = None                 # default: the surface's own start
    bands: int = None                   # contour bands drawn on the map
    batch: int = None                   # 0: full batch (finite-sum surfaces only)
    arrows: tuple = None
    view3d: bool = None
    inside: str = None                  # whose state the "inside" panel shows; "": no panel
    step: int = None                    # shown step; -1: the last one
    tol: float = None
    over_seeds: bool = None             # also run every optimizer over n_seeds seeds (bands, faint paths)
    n_seeds: int = None
    present: bool = None                # presentation mode (the projector)
    early_stop: bool = None             # show where each run would stop by early stopping (the run goes on)
    patience: int = None                # ... after this many steps in a row without improvement
    min_delta: float = None             # ... where an improvement is a fall of more than this

    def __post_init__(self):
        PLAYGROUND.complete(self)
        spec = surfaces.SURFACES.get(self.surface) or _custom_surface(self.expr, self.domain, 1.0).spec
        self.surface_params = surfaces.resolve_params(spec, self.surface_params)

    @property
    def surface_key(self) -> tuple:
        """What identifies the surface (``surfaces.from_key`` makes it): id and parameters, or the
        typed expression, its domain and scale."""
        if self.surface == CUSTOM:
            return (CUSTOM, self.expr, tuple(self.domain), float(self.surface_params["scale"]))
        return (self.surface, tuple(sorted(self.surface_params.items())))

    def surface_object(self) -> surfaces.Surface:
        return surfaces.from_key(self.surface_key)

    def one_run(self, oid: str, hyper: dict, start=None) -> "PlaygroundConfig":
        """This scene with only ``oid`` at ``hyper`` (its own lr; from ``start`` when given): what a
        cell of a sweep or a start of a basin map opens in the Playground."""
        more = {} if start is None else {"start": (float(start[0]), float(start[1]))}
        return replace(self, optimizers=(oid,), hyper={oid: dict(hyper)}, lr_mode="own", inside="", step=-1, **more)

    @property
    def inside_optimizer(self) -> str:
        """The optimizer of the "inside" panel; "" when there is none (the map alone: the lighter
        first page)."""
        return self.inside if self.inside in self.optimizers else ""

    @property
    def early_stop_rule(self) -> tuple | None:
        """(patience, min_delta) of early stopping (``lab.early_stop``) when it is on, else None."""
        return (self.patience, self.min_delta) if self.early_stop else None

    @property
    def shown_step(self) -> int:
        return self.steps if self.step < 0 else min(self.step, self.steps)

    def key(self) -> str:
        """Everything this configuration says, as one string (a cache key of what it shows)."""
        return PLAYGROUND.canonical(self)

    def run_key(self) -> str:
        """A string naming everything a race depends on (the ``view`` rows left out)."""
        return PLAYGROUND.canonical(self, views=False)


def default_inside(optimizers) -> str:
    """The optimizer whose state is the most telling: Adam when selected, else the first one with
    a second moment, else the first selected; "" when none is selected."""
    if "adam" in optimizers:
        return "adam"
    for oid in optimizers:
        if "second_moment" in OPTIMIZERS[oid].diagnostics:
            return oid
    return optimizers[0] if optimizers else ""


# ---------------------------------------------------------------- the table

def hyper_kind(h):
    """The kind of value of a catalogue hyperparameter."""
    return Choice(tuple(h.choices)) if h.is_choice else Number(h.min, h.max, h.integer, h.log)


def schedule_params(kind: str):
    """(name, (default, lo, hi, integer)) of schedule ``kind``, warm-up included."""
    return list(SCHEDULE_PARAMS[kind].items()) + [("warmup", WARMUP)]


def _shown_step(value, v):
    return v["steps"] if value < 0 else min(value, v["steps"])


def _step_from_widget(w, v):
    return -1 if int(w) >= v["steps"] else int(w)


# ---------------------------------------------------------------- the typed surface's two settings

def _custom_surface(expr, domain, scale):
    return surfaces.custom(expr, domain, scale=scale)


@dataclass(frozen=True)
class Expression:
    """A typed function of x and y that the parser accepts (``surfaces.expression``); a refused
    one is a BadValue ``expr_<code>`` with its safe detail and position."""
    max_chars = surfaces.expression.MAX_LENGTH
    text_widget = True

    def parse(self, raw: str) -> str:
        try:
            surfaces.expression.parse(raw)
        except surfaces.ExpressionError as e:
            raise BadValue("expr_" + e.code, detail=e.detail, at=0 if e.position is None else e.position + 1) from None
        return raw.strip()

    def accepts(self, v) -> bool:
        try:
            return isinstance(v, str) and self.parse(v) == v
        except BadValue:
            return False

    def take(self, w) -> str:
        return str(w).strip()

    format = staticmethod(str)


@dataclass(frozen=True)
class Domain:
    """The plotting box "x0,x1,y0,y1" (``surfaces.custom.check_domain``); its widget is that text."""
    text_widget = True

    def parse(self, raw: str) -> tuple:
        parts = raw.replace(" ", "").split(",")
        try:
            return surfaces.custom_domain(parts)
        except ValueError:
            raise BadValue("domain") from None

    def accepts(self, v) -> bool:
        try:
            return isinstance(v, tuple) and surfaces.custom_domain(v) == v
        except ValueError:
            return False

    def take(self, w) -> tuple:
        try:
            return self.parse(w) if isinstance(w, str) else tuple(float(c) for c in w)
        except BadValue:
            raise ValueError(f"not a plotting box: {w!r}") from None

    @staticmethod
    def format(v) -> str:
        return ",".join(fmt(float(c)) for c in v)


def domain_text(value, v) -> str:
    return Domain.format(value).replace(",", ", ")


DOMAIN_WIDGET = (domain_text, lambda w, v: Domain().take(w))    # the box's widget is its text


def custom_fallback(q: dict, notes: list) -> dict:
    """A link to a typed surface whose expression or domain is refused opens the default
    surface instead (with a note naming the problem), not the typed one with another function."""
    if q.get("surface", "").lower() != CUSTOM:
        return q
    return typed_fallback(q, notes, ("surface", "expr", "domain", "x0", "y0"), "custom_fallback")


def typed_fallback(q: dict, notes: list, drop: tuple, note: str) -> dict:
    """``q`` without the keys ``drop`` when its typed function (``expr``) or box (``domain``) is
    refused, with a note naming the problem and the note ``note`` saying what is shown instead."""
    for key, kind in (("expr", Expression()), ("domain", Domain())):
        if key in q:
            try:
                if len(q[key]) > getattr(kind, "max_chars", MAX_VALUE_CHARS):
                    raise BadValue("too_long")
                kind.parse(q[key])
            except BadValue as bad:
                notes.append(Note(key, bad.problem, bad.detail, bad.at))
                notes.append(Note("surface", note))
                return {k: val for k, val in q.items() if k not in drop}
    return q


def playground_rows(v) -> Iterator[Field]:
    """The Playground's settings, in the order they are decoded (a row may depend on those before)."""
    yield Field("lang", "lang", "en", Choice(LANGS), view=True)
    yield Field("surface", "surface", DEFAULT_SURFACE, Choice(SURFACE_CHOICES))
    typed = v["surface"] == CUSTOM
    yield Field("expr", "expr", DEFAULT_EXPR, Expression(), group="surface", applies=typed)
    yield Field("domain", "domain", DEFAULT_DOMAIN, Domain(), group="surface", applies=typed,
                widget=DOMAIN_WIDGET)
    sspec = _custom_surface(v["expr"], v["domain"], 1.0).spec if typed else surfaces.SURFACES[v["surface"]]
    for p in sspec.all_params:
        yield Field(f"s.{p.name}", f"surface_params.{p.name}", p.default, Number(p.min, p.max, p.integer, p.log),
                    group="surface")
    yield Field("opt", "optimizers", CLASSROOM, IdList(tuple(OPTIMIZERS), lenient=True))
    for oid in v["opt"]:
        for h in OPTIMIZERS[oid].hyper:
            yield Field(f"h.{oid}.{h.name}", f"hyper.{oid}.{h.name}", h.default, hyper_kind(h), group="hyper")
    yield Field("lrmode", "lr_mode", "own", Choice(LR_MODES))
    yield Field("lr", "shared_lr", SHARED_LR[0], Number(SHARED_LR[1], SHARED_LR[2], log=True), group="hyper")
    yield Field("sched", "schedule.kind", "constant", Choice(tuple(SCHEDULE_KINDS)))
    for name, (default, lo, hi, integer) in schedule_params(v["sched"]):
        yield Field(f"sched.{name}", f"schedule.{name}", default, Number(lo, hi, integer))
    yield Field("noise", "noise", 0.0, Number(0.0, MAX_NOISE))
    yield Field("underflow", "underflow", 0.0, Number(0.0, MAX_UNDERFLOW))
    yield Field("seed", "seed", 0, Number(0, MAX_SEED, integer=True))
    yield Field("seeds.on", "over_seeds", False, Flag())
    yield Field("seeds.k", "n_seeds", SEED_RUNS[0], Number(*SEED_RUNS[1:], integer=True), applies=v["seeds.on"])
    yield Field("steps", "steps", DEFAULT_STEPS, Number(1, MAX_STEPS, integer=True))
    # mini-batches exist only on a finite sum; elsewhere only 0 (the full batch) is in range
    yield Field("batch", "batch", 0, Number(0, v.get("s.n_samples", 0), integer=True), group="surface")
    x0, x1, y0, y1 = sspec.domain
    yield Field("x0", "start.0", float(sspec.start[0]), Number(x0, x1), group="surface")
    yield Field("y0", "start.1", float(sspec.start[1]), Number(y0, y1), group="surface")
    # how the result is shown: not part of the race
    yield Field("bands", "bands", DEFAULT_BANDS, Number(*BANDS, integer=True), view=True)
    yield Field("arrows", "arrows", (), IdList(ARROWS, ordered=True), view=True)
    yield Field("view3d", "view3d", False, Flag(), view=True)
    yield Field("inside", "inside", "", Choice(tuple(v["opt"])), view=True)
    yield Field("step", "step", -1, Number(-1, v["steps"], integer=True), view=True,
                widget=(_shown_step, _step_from_widget))
    yield Field("tol", "tol", TOL[0], Number(TOL[1], TOL[2], log=True), view=True)
    # early stopping marks where each run would stop; the race itself is not cut short
    yield Field("es.on", "early_stop", False, Flag(), view=True)
    yield Field("es.patience", "patience", PATIENCE[0], Number(*PATIENCE[1:], integer=True), view=True,
                applies=v["es.on"])
    yield Field("es.delta", "min_delta", MIN_DELTA[0], Number(*MIN_DELTA[1:]), view=True, applies=v["es.on"])
    yield Field("present", "present", False, Flag(), view=True)


PLAYGROUND = Schema(playground_rows, lambda d: PlaygroundConfig(**d), prepare=custom_fallback)


def encode(cfg: PlaygroundConfig) -> dict:
    """The query parameters of ``cfg``: only values that differ from the defaults."""
    return PLAYGROUND.encode(cfg)


def decode(query) -> tuple[PlaygroundConfig, list[Note]]:
    """The configuration a query (mapping key -> str, or key -> list of str) describes, and the
    notes on every value that could not be used. Never raises."""
    return PLAYGROUND.decode(query)
