"""The Compare configuration, its URL form, and running its panels.

Compare draws 2–4 maps side by side (up to 6 as small multiples) that animate in lock-step. It
is the Playground's configuration (the *base*: surface, optimizers, hyperparameters, schedule,
noise, seed, steps, start — the same sidebar) plus what differs between the panels:

* ``surfaces``: the base optimizers on the base surface and on 1–3 more surfaces;
* ``settings``: one optimizer per panel, each with its own hyperparameters (lr 0.01 vs 0.1,
  Adam + L2 vs AdamW, Nadam's two variants, ...), on the base surface;
* ``multiples``: one panel per base optimizer on the base surface (small multiples).

The query string is the base's (``lab.config.encode``) plus ``cmp.*`` keys; ``decode`` never
raises, like the base's.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import surfaces
from optim_core.catalogue import OPTIMIZERS

from .config import (Note, PlaygroundConfig, BadValue, parse_choice, parse_number, decode as decode_base,
                     encode as encode_base, fmt, safe_key, MAX_VALUE_CHARS)
from .race import run_lanes

MODES = ("surfaces", "settings", "multiples")
MAX_PANELS = 4
MAX_MULTIPLES = 6                        # the classroom set, one panel each
DEFAULT_MODE = "surfaces"
DEFAULT_OTHER_SURFACES = ("rotated_valley",)
DEFAULT_SETTINGS = (("sgd", {"lr": 0.01}), ("sgd", {"lr": 0.1}))

# Ready-made comparisons for mode "settings" (the lessons of the course notes); a preset may also
# set the base surface and schedule.
PRESETS = {
    "lr": {"panels": (("sgd", {"lr": 0.01}), ("sgd", {"lr": 0.1}))},
    "beta1": {"panels": (("adam", {"beta1": 0.5}), ("adam", {"beta1": 0.9}))},
    "l2_vs_adamw": {"panels": (("adam", {"lr": 0.1, "weight_decay": 0.5}), ("adamw", {"lr": 0.1, "weight_decay": 0.5})),
                    "surface": "beale"},
    "nadam_variants": {"panels": (("nadam", {"variant": "notes", "lr": 0.1}),
                                  ("nadam", {"variant": "pytorch", "lr": 0.1})), "surface": "beale"},
    "momentum_forms": {"panels": (("momentum", {"form": "classic"}), ("momentum", {"form": "ema", "lr": 0.1}),
                                  ("momentum", {"form": "lr_inside"})),
                       "schedule": {"kind": "step", "every": 50, "gamma": 0.5}},
}


def panel_default(i: int, oid: str) -> dict:
    """Panel ``i``'s (1-based) hyperparameters when nothing says otherwise: the default
    comparison's where it uses the same optimizer, else the catalogue's defaults."""
    hp = OPTIMIZERS[oid].defaults()
    if i <= len(DEFAULT_SETTINGS) and DEFAULT_SETTINGS[i - 1][0] == oid:
        hp.update(DEFAULT_SETTINGS[i - 1][1])
    return hp


def panel_default_optimizer(i: int) -> str:
    return DEFAULT_SETTINGS[min(i, len(DEFAULT_SETTINGS)) - 1][0]


@dataclass
class CompareConfig:
    base: PlaygroundConfig = field(default_factory=PlaygroundConfig)
    mode: str = DEFAULT_MODE
    other_surfaces: tuple = DEFAULT_OTHER_SURFACES     # mode "surfaces": the panels after the base surface
    settings: tuple = DEFAULT_SETTINGS                 # mode "settings": (optimizer id, hyper) per panel

    def __post_init__(self):
        self.settings = tuple((oid, {**OPTIMIZERS[oid].defaults(), **hp}) for oid, hp in self.settings)

    def run_key(self) -> str:
        q = encode(replace(self, base=replace(self.base, lang="en", arrows=(), view3d=False, inside="", step=-1,
                                              present=False)))
        return "&".join(f"{k}={v}" for k, v in sorted(q.items()))

    @property
    def n_panels(self) -> int:
        if self.mode == "surfaces":
            return 1 + len(self.other_surfaces)
        if self.mode == "settings":
            return len(self.settings)
        return min(len(self.base.optimizers), MAX_MULTIPLES)


@dataclass
class PanelRun:
    """One panel: its surface, its lanes, and what sets it apart from the others."""
    surface: str
    surface_params: dict
    lanes: list                          # lab.race.Lane
    differs: dict                        # what the title names: {"surface": id} | {"optimizer": id, name: value}


def panel_configs(cc: CompareConfig) -> list[PlaygroundConfig]:
    """The Playground configuration each panel runs."""
    base = cc.base
    if cc.mode == "surfaces":
        return [base] + [replace(base, surface=sid, surface_params={}, start=None, batch=0)
                         for sid in cc.other_surfaces]
    if cc.mode == "settings":
        return [replace(base, optimizers=(oid,), hyper={oid: hp}, lr_mode="own") for oid, hp in cc.settings]
    return [replace(base, optimizers=(oid,)) for oid in base.optimizers[:MAX_MULTIPLES]]


def differences(cc: CompareConfig) -> list[dict]:
    """Per panel, what its title should say: the surface, or the optimizer and the settings that
    differ between panels (all of them when only one optimizer is compared with itself)."""
    if cc.mode == "surfaces":
        return [{"surface": cc.base.surface}] + [{"surface": s} for s in cc.other_surfaces]
    if cc.mode == "multiples":
        return [{"optimizer": oid} for oid in cc.base.optimizers[:MAX_MULTIPLES]]
    out = []
    for oid, hp in cc.settings:
        d = {"optimizer": oid}
        for name, v in hp.items():
            if any(o2 != oid or h2.get(name) != v for o2, h2 in cc.settings):
                d[name] = v
        out.append(d)
    return out


def run_panels(cc: CompareConfig) -> list[PanelRun]:
    out = []
    for sub, diff in zip(panel_configs(cc), differences(cc)):
        out.append(PanelRun(sub.surface, sub.surface_params, run_lanes(sub), diff))
    return out


# ---------------------------------------------------------------- URL form

def encode(cc: CompareConfig) -> dict:
    """The base's query parameters plus the ``cmp.*`` ones that differ from the defaults."""
    q = encode_base(cc.base)
    if cc.mode != DEFAULT_MODE:
        q["cmp.mode"] = cc.mode
    if cc.mode == "surfaces" and tuple(cc.other_surfaces) != DEFAULT_OTHER_SURFACES:
        q["cmp.surfaces"] = ",".join(cc.other_surfaces) or "none"
    if cc.mode == "settings":
        default = CompareConfig().settings
        if cc.settings != default:
            q["cmp.n"] = str(len(cc.settings))
            for i, (oid, hp) in enumerate(cc.settings, start=1):
                if oid != panel_default_optimizer(i):
                    q[f"cmp.p{i}.opt"] = oid
                default = panel_default(i, oid)
                for h in OPTIMIZERS[oid].hyper:
                    if hp[h.name] != default[h.name]:
                        q[f"cmp.p{i}.{h.name}"] = fmt(hp[h.name])
    return q


def decode(query) -> tuple[CompareConfig, list[Note]]:
    """The Compare configuration a query describes, and notes on every value not used. Never raises."""
    flat = {}
    for k, v in dict(query).items():
        if isinstance(v, (list, tuple)):
            v = v[-1] if v else ""
        flat[str(k)] = "" if v is None else str(v)
    base, notes = decode_base({k: v for k, v in flat.items() if not k.startswith("cmp.")})
    q = {k: v for k, v in flat.items() if k.startswith("cmp.")}
    used = set()

    def get(key, parse, default):
        if key not in q:
            return default
        used.add(key)
        try:
            if len(q[key]) > MAX_VALUE_CHARS:
                raise BadValue("too_long")
            return parse(q[key])
        except BadValue as bad:
            notes.append(Note(safe_key(key), bad.problem))
            return default

    mode = get("cmp.mode", lambda r: parse_choice(r, MODES), DEFAULT_MODE)

    def parse_surfaces(raw):
        if raw == "none":
            return ()
        ids = [s for s in raw.split(",") if s]
        if not ids or len(ids) > MAX_PANELS - 1 or any(s not in surfaces.SURFACES for s in ids):
            raise BadValue("unknown_value")
        return tuple(ids)
    others = get("cmp.surfaces", parse_surfaces, DEFAULT_OTHER_SURFACES)

    settings = DEFAULT_SETTINGS
    n = get("cmp.n", lambda r: parse_number(r, 2, MAX_PANELS, True), 0)
    if n:
        settings = []
        for i in range(1, n + 1):
            oid = get(f"cmp.p{i}.opt", lambda r: parse_choice(r, tuple(OPTIMIZERS)), panel_default_optimizer(i))
            default = panel_default(i, oid)
            hp = {}
            for h in OPTIMIZERS[oid].hyper:
                parse = ((lambda r, h=h: parse_choice(r, h.choices)) if h.is_choice
                         else (lambda r, h=h: parse_number(r, h.min, h.max, h.integer)))
                hp[h.name] = get(f"cmp.p{i}.{h.name}", parse, default[h.name])
            settings.append((oid, hp))
        settings = tuple(settings)
    for k in q:
        if k not in used:
            notes.append(Note(safe_key(k), "unknown_key"))
    return CompareConfig(base=base, mode=mode, other_surfaces=others, settings=settings), notes
