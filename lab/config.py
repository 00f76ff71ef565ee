"""The Playground configuration as data, and its URL query-string form.

``encode`` writes only the values that differ from the defaults, so a fresh page has a clean
URL and a copied URL reproduces the exact view. ``decode`` never raises: a missing value takes
its default, a malformed one (unknown id, not a number, out of range, too long) takes its
default too and adds a :class:`Note`, which the page shows. Notes carry the parameter's name
(sanitised) and the kind of problem, never the raw value.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import surfaces
from optim_core.api import MAX_NOISE, MAX_STEPS
from optim_core.catalogue import OPTIMIZERS
from optim_core.schedules import KINDS as SCHEDULE_KINDS
from optim_core.schedules import PARAMS as SCHEDULE_PARAMS
from optim_core.schedules import WARMUP

LANGS = ("en", "zh")
CLASSROOM = ("sgd", "momentum", "nag", "adagrad", "rmsprop", "adam")
ARROWS = ("grad", "velocity", "update")
LR_MODES = ("own", "shared")
DEFAULT_SURFACE = "valley"
DEFAULT_STEPS = 300
MAX_SEED = 2**31 - 1                    # the URL keeps seeds short; the engine takes up to 2**63 - 1
_LR = OPTIMIZERS["sgd"].hyper[0]        # the engine's usual lr range (adadelta, newton, bfgs clip it)
SHARED_LR = (_LR.default, _LR.min, _LR.max)   # default, min, max
TOL = (1e-4, 1e-12, 1e3)
MAX_VALUE_CHARS = 64                    # longer query values are refused as "too long"
MAX_OPTIMIZERS = len(OPTIMIZERS)
IGNORED_KEYS = {"embed", "embed_options"}   # Streamlit's own query parameters


@dataclass(frozen=True)
class Note:
    """A query value that was not used. ``key`` is sanitised; ``problem`` is a string-catalogue key."""
    key: str
    problem: str      # unknown_key | unknown_value | not_number | out_of_range | too_long


@dataclass
class PlaygroundConfig:
    lang: str = "en"
    surface: str = DEFAULT_SURFACE
    surface_params: dict = field(default_factory=dict)      # name -> value, complete
    optimizers: tuple = CLASSROOM
    hyper: dict = field(default_factory=dict)               # optimizer id -> {name: value}, complete
    lr_mode: str = "own"
    shared_lr: float = SHARED_LR[0]
    schedule: dict = field(default_factory=lambda: {"kind": "constant"})
    noise: float = 0.0
    seed: int = 0
    steps: int = DEFAULT_STEPS
    start: tuple = None                                     # None: the surface's own start
    batch: int = 0                                          # 0: full batch (finite-sum surfaces)
    arrows: tuple = ()
    view3d: bool = False
    inside: str = ""                                        # whose state the "inside" panel shows; "": no panel
    step: int = -1                                          # shown step; -1: the last one
    tol: float = TOL[0]
    present: bool = False                                   # presentation mode (the projector)

    def __post_init__(self):
        self.surface_params = surfaces.resolve_params(surfaces.SURFACES[self.surface], self.surface_params)
        full = {}
        for oid in self.optimizers:
            spec = OPTIMIZERS[oid]
            full[oid] = {**spec.defaults(), **self.hyper.get(oid, {})}
        self.hyper = full
        kind = self.schedule.get("kind", "constant")
        self.schedule = {"kind": kind, **{name: self.schedule.get(name, default) for name, (default, *_r)
                                          in list(SCHEDULE_PARAMS.get(kind, {}).items()) + [("warmup", WARMUP)]}}
        if self.start is None:
            self.start = tuple(float(v) for v in surfaces.SURFACES[self.surface].start)

    @property
    def inside_optimizer(self) -> str:
        """The optimizer of the "inside" panel; "" when there is none (the map alone: the lighter
        first page)."""
        return self.inside if self.inside in self.optimizers else ""

    @property
    def shown_step(self) -> int:
        return self.steps if self.step < 0 else min(self.step, self.steps)

    def run_key(self) -> str:
        """A string naming everything a race depends on (language and view options excluded)."""
        q = encode(replace(self, lang="en", arrows=(), view3d=False, inside="", step=-1, tol=TOL[0],
                              present=False))
        return "&".join(f"{k}={v}" for k, v in sorted(q.items())) + f"|{self.surface}|{self.optimizers}"


def default_inside(optimizers) -> str:
    """The optimizer whose state is the most telling: Adam when selected, else the first one with
    a second moment, else the first selected; "" when none is selected."""
    if "adam" in optimizers:
        return "adam"
    for oid in optimizers:
        if "second_moment" in OPTIMIZERS[oid].diagnostics:
            return oid
    return optimizers[0] if optimizers else ""


# ---------------------------------------------------------------- value formatting / parsing

def fmt(v) -> str:
    """A number as a short, exact-enough query string ('0.01', '300', '1e-08', 'true')."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.10g}"
    return str(v)


class BadValue(Exception):
    """A query value that cannot be used; ``problem`` is a Note problem (a string-catalogue key)."""

    def __init__(self, problem):
        self.problem = problem


def parse_number(raw: str, lo: float, hi: float, integer: bool = False):
    """A finite number in [lo, hi] (a whole one when ``integer``), or BadValue."""
    try:
        v = float(raw)
    except (TypeError, ValueError):
        raise BadValue("not_number") from None
    if not math.isfinite(v):
        raise BadValue("not_number")
    if not lo <= v <= hi:
        raise BadValue("out_of_range")
    if integer:
        if v != int(v):
            raise BadValue("not_number")
        return int(v)
    return v


def parse_choice(raw: str, choices):
    """The choice ``raw`` names (case-insensitive, as ``fmt`` writes it), or BadValue."""
    for c in choices:
        if raw.lower() == fmt(c).lower():
            return c
    raise BadValue("unknown_value")


_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")


def safe_key(key) -> str:
    """The key as it may be shown to the user: only [A-Za-z0-9_.-], at most 40 characters."""
    return key if isinstance(key, str) and _SAFE_KEY.match(key) else "…"


# ---------------------------------------------------------------- encode / decode

def encode(cfg: PlaygroundConfig) -> dict:
    """The query parameters of ``cfg``: only values that differ from the defaults."""
    q = {}
    if cfg.lang != "en":
        q["lang"] = cfg.lang
    if cfg.surface != DEFAULT_SURFACE:
        q["surface"] = cfg.surface
    sspec = surfaces.SURFACES[cfg.surface]
    for p in sspec.all_params:
        if cfg.surface_params[p.name] != p.default:
            q[f"s.{p.name}"] = fmt(cfg.surface_params[p.name])
    if tuple(cfg.optimizers) != CLASSROOM:
        q["opt"] = ",".join(cfg.optimizers) if cfg.optimizers else "none"
    for oid in cfg.optimizers:
        for h in OPTIMIZERS[oid].hyper:
            v = cfg.hyper[oid][h.name]
            if v != h.default:
                q[f"h.{oid}.{h.name}"] = fmt(v)
    if cfg.lr_mode != "own":
        q["lrmode"] = cfg.lr_mode
    if cfg.shared_lr != SHARED_LR[0]:
        q["lr"] = fmt(cfg.shared_lr)
    kind = cfg.schedule.get("kind", "constant")
    if kind != "constant":
        q["sched"] = kind
    for name, (default, *_rest) in list(SCHEDULE_PARAMS[kind].items()) + [("warmup", WARMUP)]:
        v = cfg.schedule.get(name, default)
        if v != default:
            q[f"sched.{name}"] = fmt(v)
    for key, v, d in (("noise", cfg.noise, 0.0), ("seed", cfg.seed, 0), ("steps", cfg.steps, DEFAULT_STEPS),
                      ("batch", cfg.batch, 0), ("step", cfg.step, -1), ("tol", cfg.tol, TOL[0])):
        if v != d:
            q[key] = fmt(v)
    if tuple(cfg.start) != tuple(float(v) for v in sspec.start):
        q["x0"], q["y0"] = fmt(float(cfg.start[0])), fmt(float(cfg.start[1]))
    if cfg.arrows:
        q["arrows"] = ",".join(cfg.arrows)
    if cfg.view3d:
        q["view3d"] = "1"
    if cfg.inside and cfg.inside in cfg.optimizers:
        q["inside"] = cfg.inside
    if cfg.present:
        q["present"] = "1"
    return q


def decode(query) -> tuple[PlaygroundConfig, list[Note]]:
    """The configuration a query (mapping key -> str, or key -> list of str) describes, and the
    notes on every value that could not be used. Never raises."""
    notes: list[Note] = []
    q = {}
    for k, v in dict(query).items():
        if isinstance(v, (list, tuple)):
            v = v[-1] if v else ""
        q[str(k)] = "" if v is None else str(v)
    used = set(IGNORED_KEYS)

    def get(key, parse, default):
        if key not in q:
            return default
        used.add(key)
        raw = q[key]
        try:
            if len(raw) > MAX_VALUE_CHARS:
                raise BadValue("too_long")
            return parse(raw)
        except BadValue as bad:
            notes.append(Note(safe_key(key), bad.problem))
            return default

    lang = get("lang", lambda r: parse_choice(r, LANGS), "en")
    surface = get("surface", lambda r: parse_choice(r, tuple(surfaces.SURFACES)), DEFAULT_SURFACE)
    sspec = surfaces.SURFACES[surface]
    sparams = {p.name: get(f"s.{p.name}", lambda r, p=p: parse_number(r, p.min, p.max, p.integer), p.default)
               for p in sspec.all_params}

    def parse_opts(raw):
        if raw == "none":
            return ()
        ids = [s for s in raw.split(",") if s]
        good = tuple(dict.fromkeys(i for i in ids if i in OPTIMIZERS))
        if len(good) != len(ids):
            notes.append(Note("opt", "unknown_value"))
        return good
    optimizers = get("opt", parse_opts, CLASSROOM)
    if "opt" in q and not optimizers and q["opt"] != "none":
        optimizers = CLASSROOM

    hyper = {}
    for oid in optimizers:
        hyper[oid] = {}
        for h in OPTIMIZERS[oid].hyper:
            parse = ((lambda r, h=h: parse_choice(r, h.choices)) if h.is_choice
                     else (lambda r, h=h: parse_number(r, h.min, h.max, h.integer)))
            hyper[oid][h.name] = get(f"h.{oid}.{h.name}", parse, h.default)
    lr_mode = get("lrmode", lambda r: parse_choice(r, LR_MODES), "own")
    shared_lr = get("lr", lambda r: parse_number(r, SHARED_LR[1], SHARED_LR[2]), SHARED_LR[0])
    kind = get("sched", lambda r: parse_choice(r, SCHEDULE_KINDS), "constant")
    schedule = {"kind": kind}
    for name, (default, lo, hi, integer) in list(SCHEDULE_PARAMS[kind].items()) + [("warmup", WARMUP)]:
        schedule[name] = get(f"sched.{name}", lambda r, a=(lo, hi, integer): parse_number(r, *a), default)
    noise = get("noise", lambda r: parse_number(r, 0.0, MAX_NOISE), 0.0)
    seed = get("seed", lambda r: parse_number(r, 0, MAX_SEED, True), 0)
    steps = get("steps", lambda r: parse_number(r, 1, MAX_STEPS, True), DEFAULT_STEPS)
    n_samples = sparams.get("n_samples", 0)
    batch = get("batch", lambda r: parse_number(r, 0, n_samples, True), 0) if sspec.finite_sum else 0
    x0, x1, y0, y1 = sspec.domain
    sx, sy = sspec.start
    start = (get("x0", lambda r: parse_number(r, x0, x1), float(sx)), get("y0", lambda r: parse_number(r, y0, y1), float(sy)))

    def parse_arrows(raw):
        items = [a for a in raw.split(",") if a]
        if any(a not in ARROWS for a in items):
            raise BadValue("unknown_value")
        return tuple(a for a in ARROWS if a in items)
    arrows = get("arrows", parse_arrows, ())
    view3d = get("view3d", lambda r: parse_choice(r, ("0", "1")) == "1", False)
    inside = get("inside", lambda r: parse_choice(r, tuple(optimizers)), "")
    step = get("step", lambda r: parse_number(r, -1, steps, True), -1)
    tol = get("tol", lambda r: parse_number(r, TOL[1], TOL[2]), TOL[0])
    present = get("present", lambda r: parse_choice(r, ("0", "1")) == "1", False)

    for k in q:
        if k not in used:
            notes.append(Note(safe_key(k), "unknown_key"))
    cfg = PlaygroundConfig(lang=lang, surface=surface, surface_params=sparams, optimizers=tuple(optimizers),
                           hyper=hyper, lr_mode=lr_mode, shared_lr=shared_lr, schedule=schedule, noise=noise,
                           seed=seed, steps=steps, start=start, batch=batch, arrows=arrows, view3d=view3d,
                           inside=inside, step=step, tol=tol, present=present)
    return cfg, notes
