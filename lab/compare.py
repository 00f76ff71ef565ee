"""The Compare configuration, its URL form, and running its panels.

Compare draws 2–4 maps side by side (up to 6 as small multiples) that animate in lock-step. It
is the Playground's configuration (the *base*: surface, optimizers, hyperparameters, schedule,
noise, seed, steps, start — the same sidebar) plus what differs between the panels:

* ``surfaces``: the base optimizers on the base surface and on 1–3 more surfaces;
* ``settings``: one optimizer per panel, each with its own hyperparameters (lr 0.01 vs 0.1,
  Adam + L2 vs AdamW, Nadam's two variants, ...), on the base surface;
* ``multiples``: one panel per base optimizer on the base surface (small multiples).

Its table of settings (``compare_rows``) is the base's plus the ``cmp.*`` rows; ``decode``
never raises, like the base's.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterator

import surfaces
from optim_core.catalogue import OPTIMIZERS

from .config import PlaygroundConfig, custom_fallback, hyper_kind, playground_rows
from .fields import Choice, Field, IdList, Note, Number, Schema, under
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


def panel_default(i: int, oid: str, defaults: tuple = DEFAULT_SETTINGS) -> dict:
    """Panel ``i``'s (1-based) hyperparameters when nothing says otherwise: the default
    comparison's where it uses the same optimizer, else the catalogue's defaults."""
    hp = OPTIMIZERS[oid].defaults()
    if i <= len(defaults) and defaults[i - 1][0] == oid:
        hp.update(defaults[i - 1][1])
    return hp


def panel_default_optimizer(i: int, defaults: tuple = DEFAULT_SETTINGS) -> str:
    return defaults[min(i, len(defaults)) - 1][0]


@dataclass
class CompareConfig:
    """What Compare shows; attributes left None take their defaults from ``compare_rows``."""
    base: PlaygroundConfig = field(default_factory=PlaygroundConfig)
    mode: str = None
    other_surfaces: tuple = None        # mode "surfaces": the panels after the base surface
    settings: tuple = None              # mode "settings": (optimizer id, hyper) per panel
    batches: tuple = None               # mode "settings": the mini-batch size per panel (0: full batch)

    def __post_init__(self):
        COMPARE.complete(self, skip=("base",))

    @property
    def n_settings(self) -> int:
        return len(self.settings)

    def key(self) -> str:
        """Everything this configuration says, as one string (a cache key of what it shows)."""
        return COMPARE.canonical(self)

    def run_key(self) -> str:
        """A string naming everything the panels' races depend on (the ``view`` rows left out)."""
        return COMPARE.canonical(self, views=False)

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
    surface_key: tuple                   # surfaces.from_key makes the surface
    lanes: list                          # lab.race.Lane
    differs: dict                        # what the title names: {"surface": id} | {"optimizer": id, name: value}


def panel_configs(cc: CompareConfig) -> list[PlaygroundConfig]:
    """The Playground configuration each panel runs."""
    base = cc.base
    if cc.mode == "surfaces":
        return [base] + [replace(base, surface=sid, surface_params={}, start=None, batch=0)
                         for sid in cc.other_surfaces]
    if cc.mode == "settings":
        return [replace(base, optimizers=(oid,), hyper={oid: hp}, lr_mode="own", batch=batch)
                for (oid, hp), batch in zip(cc.settings, cc.batches)]
    return [replace(base, optimizers=(oid,)) for oid in base.optimizers[:MAX_MULTIPLES]]


def differences(cc: CompareConfig) -> list[dict]:
    """Per panel, what its title should say: the surface, or the optimizer and the settings that
    differ between panels (all of them when only one optimizer is compared with itself)."""
    if cc.mode == "surfaces":
        return [{"surface": cc.base.surface}] + [{"surface": s} for s in cc.other_surfaces]
    if cc.mode == "multiples":
        return [{"optimizer": oid} for oid in cc.base.optimizers[:MAX_MULTIPLES]]
    out = []
    for (oid, hp), batch in zip(cc.settings, cc.batches):
        d = {"optimizer": oid}
        for name, v in hp.items():
            if any(o2 != oid or h2.get(name) != v for o2, h2 in cc.settings):
                d[name] = v
        if len(set(cc.batches)) > 1:
            d["batch"] = batch
        out.append(d)
    return out


def run_panels(cc: CompareConfig) -> list[PanelRun]:
    out = []
    for sub, diff in zip(panel_configs(cc), differences(cc)):
        out.append(PanelRun(sub.surface, sub.surface_key, run_lanes(sub), diff))
    return out


# ---------------------------------------------------------------- the table

def compare_rows(v) -> Iterator[Field]:
    """The base's rows, then what differs between the panels."""
    yield from under(playground_rows(v), "base")
    yield Field("cmp.mode", "mode", DEFAULT_MODE, Choice(MODES))
    yield Field("cmp.surfaces", "other_surfaces", DEFAULT_OTHER_SURFACES,
                IdList(tuple(surfaces.SURFACES), max_items=MAX_PANELS - 1), applies=v["cmp.mode"] == "surfaces")
    in_mode = v["cmp.mode"] == "settings"
    yield Field("cmp.n", "n_settings", len(DEFAULT_SETTINGS), Number(2, MAX_PANELS, integer=True), derived=True,
                applies=in_mode)
    yield from panel_rows(v, "cmp", v["cmp.n"], DEFAULT_SETTINGS, applies=in_mode)
    # BGD, mini-batch and SGD side by side: each panel's own batch size, by default the base's
    for i in range(1, v["cmp.n"] + 1):
        yield Field(f"cmp.p{i}.batch", f"batches.{i - 1}", v["batch"], Number(0, v.get("s.n_samples", 0), integer=True),
                    group="surface", applies=in_mode)


def panel_rows(v, prefix: str, n: int, defaults: tuple, applies: bool = True) -> Iterator[Field]:
    """Rows of ``n`` panels that each run one optimizer with its own hyperparameters, as
    ``settings`` (a tuple of (optimizer id, hyper)): URL keys ``<prefix>.p<i>.opt`` and
    ``<prefix>.p<i>.<name>``. ``defaults``: (optimizer id, hyper overrides) of the first panels
    (Compare's, the Basins page's); later panels repeat the last one's optimizer."""
    for i in range(1, n + 1):
        panel = f"{prefix}.p{i}"
        yield Field(f"{panel}.opt", f"settings.{i - 1}.0", panel_default_optimizer(i, defaults),
                    Choice(tuple(OPTIMIZERS)), applies=applies)
        oid = v[f"{panel}.opt"]
        default = panel_default(i, oid, defaults)
        for h in OPTIMIZERS[oid].hyper:
            yield Field(f"{panel}.{h.name}", f"settings.{i - 1}.1.{h.name}", default[h.name], hyper_kind(h),
                        group=panel, applies=applies)


COMPARE = Schema(compare_rows, lambda d: CompareConfig(base=PlaygroundConfig(**d.pop("base")), **d),
                 prepare=custom_fallback)


def encode(cc: CompareConfig) -> dict:
    """The base's query parameters plus the ``cmp.*`` ones that apply and differ from the defaults."""
    return COMPARE.encode(cc)


def decode(query) -> tuple[CompareConfig, list[Note]]:
    """The Compare configuration a query describes, and notes on every value not used. Never raises."""
    return COMPARE.decode(query)
