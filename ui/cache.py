"""The cache boundary: races and figures cached by their configuration (bounded). The cache
keys are made here, from the configuration (``run_key``: what a race depends on; ``key``:
everything it says), never by a page."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

import surfaces
from lab import seeds as seeds_lab
from lab.compare import CompareConfig, panel_configs, run_panels
from lab.config import CUSTOM, TOL, PlaygroundConfig
from lab.early_stop import stop_steps
from lab.race import run_lanes
from lab.warmup import MAP, Warmup, is_ready
from optim_core.engine import typed_kind
from viz.charts import band_figure, compare_loss_figure, curves_figure
from viz.compare import compare_figure
from viz.playground import playground_figure
from viz.view3d import surface3d_figure

from . import heap
from .fastfig import WireFigure
from .heavy import heavy_gate, waiting_note


@st.cache_resource(show_spinner=False)
def engine_warmup() -> Warmup:
    """Once per server process: worker processes start compiling every kernel not yet on disk,
    the Playground's defaults first (``lab.warmup``). Returns at once. Also takes the imported
    modules' objects out of the garbage collector's sight and starts giving freed heap memory
    back to the system (``ui.heap``)."""
    heap.freeze_imports()
    heap.release_freed_memory()
    return Warmup().start()


def _kernels(optimizers, kinds, typed) -> list:
    kinds = tuple(typed_kind(k) for k in kinds) if typed else kinds
    return [(oid, kind) for oid in dict.fromkeys(optimizers) for kind in kinds]


def ensure_kernels(optimizers, kinds=("trajectory",), typed: bool = False) -> None:
    """Wait until the ``kinds`` kernels of ``optimizers`` (those for a ``typed`` surface, if it is
    one) are compiled on disk (at once when they are: every start after the first), with a spinner
    naming the wait. This process then only loads them: compiling cold inside Streamlit's script
    thread was once seen to hang for good."""
    heap.settle_heap()
    _wait_for([k for k in _kernels(optimizers, kinds, typed) if not is_ready(*k)])


def _wait_for(todo) -> None:
    from ui.i18n import t
    if todo:
        with st.spinner(t("warming"), show_time=True):
            engine_warmup().ensure(todo)


def surface(key: tuple):
    """The surface ``key`` names (``PlaygroundConfig.surface_key``), made once per process."""
    _wait_for([MAP] if key[0] != CUSTOM and not is_ready(*MAP) else [])   # the code its map needs
    return _surface(key)


@st.cache_resource(show_spinner=False, max_entries=32)
def _surface(key: tuple):
    return surfaces.from_key(key)


def race_so_far(cfg: PlaygroundConfig) -> tuple:
    """``race(cfg)`` without waiting for kernels still compiling (a fresh server's first minute):
    (``cfg`` without the optimizers left out, so that every cache key below says what is drawn;
    its lanes; the (optimizer, kind) kernels left out)."""
    heap.settle_heap()
    late = engine_warmup().not_ready(_kernels(cfg.optimizers, ("trajectory",), cfg.surface == CUSTOM))
    now = replace(cfg, optimizers=tuple(o for o in cfg.optimizers if o not in {oid for oid, _ in late}))
    return now, (_race(now.run_key(), now) if now.optimizers else []), late


def race(cfg: PlaygroundConfig):
    """All lanes of ``cfg`` (cached by what they depend on)."""
    ensure_kernels(cfg.optimizers, typed=cfg.surface == CUSTOM)
    return _race(cfg.run_key(), cfg)


@st.cache_data(max_entries=48, show_spinner=False)
def _race(run_key: str, _cfg: PlaygroundConfig):
    return run_lanes(_cfg)


def map_key(cfg: PlaygroundConfig) -> str:
    """What the Playground's map shows (the leaderboard's tolerance does not change it)."""
    return replace(cfg, tol=TOL[0]).key()


def main_figure(cfg: PlaygroundConfig, surface, runs, labels, inside, text, present, seed_bands=None):
    """The Playground's map (also a lesson's and a sweep cell's scene), wire-ready; ■: early stops."""
    return _main_figure(map_key(cfg), surface, runs, labels, cfg.shown_step, cfg.arrows, inside, text, present,
                        cfg.bands, seed_bands, cfg.early_stop_rule)


@st.cache_resource(max_entries=24, show_spinner=False)   # not _data: a WireFigure is never copied or changed
def _main_figure(key: str, _surface, _runs, _labels, shown_step, arrows, inside, _text, present, bands, _seed_bands,
                 early_stop=None):
    stops = stop_steps(_runs, *early_stop) if early_stop else None
    return WireFigure(playground_figure(_surface, _runs, _labels, shown_step=shown_step, arrows=arrows,
                                        inside=inside, text=_text, present=present, bands=bands,
                                        seed_bands=_seed_bands, stops=stops))


def seed_bands(cfg: PlaygroundConfig):
    """The runs over seeds of ``cfg`` (cached by what they depend on); many seeds queue with the
    grids, saying so while others' go first."""
    ensure_kernels(cfg.optimizers, typed=cfg.surface == CUSTOM)
    if not seeds_lab.heavy(cfg):
        return _seed_bands(cfg.run_key(), cfg)
    with waiting_note():
        return _seed_bands(cfg.run_key(), cfg)


@st.cache_data(max_entries=16, show_spinner=False)
def _seed_bands(run_key: str, _cfg: PlaygroundConfig):
    if not seeds_lab.heavy(_cfg):
        return seeds_lab.seed_bands(_cfg)
    with heavy_gate().hold():     # many seeds use every core, as a grid does: in turn with the grids
        return seeds_lab.seed_bands(_cfg)


def band_chart(cfg: PlaygroundConfig, bands, labels, surface, text):
    return _band_chart(f"{cfg.run_key()}|{cfg.lang}", bands, labels, surface.f_min, text)


@st.cache_data(max_entries=16, show_spinner=False)
def _band_chart(key: str, _bands, _labels, f_min, _text):
    return band_figure(_bands, _labels, f_min=f_min, text=_text)


def compare_race(cc: CompareConfig):
    """Every panel of ``cc`` (cached by what they depend on)."""
    for sub in panel_configs(cc):
        ensure_kernels(sub.optimizers, typed=sub.surface == CUSTOM)
    return _compare_race(cc.run_key(), cc)


@st.cache_data(max_entries=32, show_spinner=False)
def _compare_race(run_key: str, _cc: CompareConfig):
    return run_panels(_cc)


def compare_main(cc: CompareConfig, panels, text, present):
    return _compare_main(cc.key(), panels, cc.mode == "surfaces", None, cc.base.arrows, text, present)


@st.cache_resource(max_entries=16, show_spinner=False)
def _compare_main(key: str, _panels, legend, shown_step, arrows, _text, present=False):
    return WireFigure(compare_figure(_panels, legend=legend, shown_step=shown_step, arrows=arrows, text=_text,
                                     present=present))


def compare_loss(cc: CompareConfig, series, text, present):
    return _compare_loss(cc.key(), series, text, present)


@st.cache_data(max_entries=16, show_spinner=False)
def _compare_loss(key: str, _series, _text, present=False):
    return compare_loss_figure(_series, text=_text, present=present)


def curves(cfg: PlaygroundConfig, runs, labels, surface, text):
    return _curves(f"{cfg.run_key()}|{cfg.lang}", runs, labels, surface.f_min, surface.minima, text)


@st.cache_data(max_entries=24, show_spinner=False)
def _curves(key: str, _runs, _labels, f_min, _minima, _text):
    return curves_figure(_runs, _labels, f_min=f_min, minima=_minima, text=_text)


def view3d(cfg: PlaygroundConfig, surface, runs, labels, text):
    return _view3d(f"{cfg.run_key()}|{cfg.lang}", surface, runs, labels, text)


@st.cache_data(max_entries=8, show_spinner=False)
def _view3d(key: str, _surface, _runs, _labels, _text):
    return surface3d_figure(_surface, _runs, _labels, text=_text)
