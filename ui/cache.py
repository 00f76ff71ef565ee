"""The cache boundary: races and figures cached by their configuration (bounded). The cache
keys are made here, from the configuration (``run_key``: what a race depends on; ``key``:
everything it says), never by a page."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import replace

import streamlit as st

import surfaces
from lab import basins as basins_lab
from lab import seeds as seeds_lab
from lab import sweep as sweep_lab
from lab.compare import CompareConfig, panel_configs, run_panels
from lab.config import TOL, PlaygroundConfig
from lab.race import run_lanes
from lab.warmup import Warmup, is_ready
from viz.charts import band_figure, compare_loss_figure, curves_figure
from viz.compare import compare_figure
from viz.playground import playground_figure
from viz.basins import basins_figure
from viz.sweep import sweep_lines_figure, sweep_map_figure, tuning_figure
from viz.view3d import surface3d_figure


@st.cache_resource(show_spinner=False)
def engine_warmup() -> Warmup:
    """Once per server process: worker processes start compiling every kernel not yet on disk,
    the Playground's defaults first (``lab.warmup``). Returns at once."""
    return Warmup().start()


def ensure_kernels(optimizers, kinds=("trajectory",)) -> None:
    """Wait until the ``kinds`` kernels of ``optimizers`` are compiled on disk (at once when they
    are: every start after the first), with a spinner naming the wait. This process then only loads
    them: compiling cold inside Streamlit's script thread was once seen to hang for good."""
    from ui.i18n import t
    todo = [(oid, kind) for oid in dict.fromkeys(optimizers) for kind in kinds if not is_ready(oid, kind)]
    if todo:
        with st.spinner(t("warming"), show_time=True):
            engine_warmup().ensure(todo)


@st.cache_resource(show_spinner=False, max_entries=32)
def surface(key: tuple):
    """The surface ``key`` names (``PlaygroundConfig.surface_key``), made once per process."""
    return surfaces.from_key(key)


def race(cfg: PlaygroundConfig):
    """All lanes of ``cfg`` (cached by what they depend on)."""
    ensure_kernels(cfg.optimizers)
    return _race(cfg.run_key(), cfg)


@st.cache_data(max_entries=48, show_spinner=False)
def _race(run_key: str, _cfg: PlaygroundConfig):
    return run_lanes(_cfg)


def map_key(cfg: PlaygroundConfig) -> str:
    """What the Playground's map shows (the leaderboard's tolerance does not change it)."""
    return replace(cfg, tol=TOL[0]).key()


def main_figure(cfg: PlaygroundConfig, surface, runs, labels, inside, text, present, seed_bands=None):
    return _main_figure(map_key(cfg), surface, runs, labels, cfg.shown_step, cfg.arrows, inside, text, present,
                        cfg.bands, seed_bands)


@st.cache_data(max_entries=24, show_spinner=False)
def _main_figure(key: str, _surface, _runs, _labels, shown_step, arrows, inside, _text, present, bands, _seed_bands):
    return playground_figure(_surface, _runs, _labels, shown_step=shown_step, arrows=arrows, inside=inside,
                             text=_text, present=present, bands=bands, seed_bands=_seed_bands)


def seed_bands(cfg: PlaygroundConfig):
    """The runs over seeds of ``cfg`` (cached by what they depend on)."""
    ensure_kernels(cfg.optimizers)
    return _seed_bands(cfg.run_key(), cfg)


@st.cache_data(max_entries=16, show_spinner=False)
def _seed_bands(run_key: str, _cfg: PlaygroundConfig):
    return seeds_lab.seed_bands(_cfg)


def band_chart(cfg: PlaygroundConfig, bands, labels, surface, text):
    return _band_chart(f"{cfg.run_key()}|{cfg.lang}", bands, labels, surface.f_min, text)


@st.cache_data(max_entries=16, show_spinner=False)
def _band_chart(key: str, _bands, _labels, f_min, _text):
    return band_figure(_bands, _labels, f_min=f_min, text=_text)


def compare_race(cc: CompareConfig):
    """Every panel of ``cc`` (cached by what they depend on)."""
    ensure_kernels(oid for sub in panel_configs(cc) for oid in sub.optimizers)
    return _compare_race(cc.run_key(), cc)


@st.cache_data(max_entries=32, show_spinner=False)
def _compare_race(run_key: str, _cc: CompareConfig):
    return run_panels(_cc)


def compare_main(cc: CompareConfig, panels, text, present):
    return _compare_main(cc.key(), panels, cc.mode == "surfaces", None, cc.base.arrows, text, present)


@st.cache_data(max_entries=16, show_spinner=False)
def _compare_main(key: str, _panels, legend, shown_step, arrows, _text, present=False):
    return compare_figure(_panels, legend=legend, shown_step=shown_step, arrows=arrows, text=_text,
                          present=present)


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


# ---------------------------------------------------------------- grids (Sweep, Basins)

HEAVY_AT_ONCE = 1      # grids running at once in this server: each already uses every core


class HeavyGate:
    """The server-wide cap on grids running at once (one class's sweeps queue up instead of
    starving everyone; the Playground's single runs never wait here)."""

    def __init__(self, n: int):
        self._sem = threading.BoundedSemaphore(n)
        self._lock = threading.Lock()
        self.running = 0
        self.n = n

    @property
    def full(self) -> bool:
        return self.running >= self.n

    @contextmanager
    def hold(self):
        self._sem.acquire()
        with self._lock:
            self.running += 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
            self._sem.release()


@st.cache_resource(show_spinner=False)
def heavy_gate() -> HeavyGate:
    return HeavyGate(HEAVY_AT_ONCE)


def _heavy(cached, key: str, cfg, n_runs: int):
    """``cached(key, cfg)`` with a spinner once it takes longer than half a second (Streamlit's
    spinner waits that long before it shows), and a note while other sessions' grids go first."""
    from ui.i18n import t
    waiting = st.empty()
    if heavy_gate().full:
        waiting.info(t("heavy_waiting"))
    with st.spinner(t("sw_working", n=n_runs), show_time=True):
        out = cached(key, cfg)
    waiting.empty()
    return out


def sweep_map(sc):
    ensure_kernels([sc.optimizer], kinds=("grid",))
    return _heavy(_sweep_map, sc.run_key(), sc, sc.settings)


@st.cache_data(max_entries=16, show_spinner=False)
def _sweep_map(run_key: str, _sc):
    with heavy_gate().hold():
        return sweep_lab.sweep_map(_sc)


def sweep_lines(sc):
    ensure_kernels(sc.base.optimizers, kinds=("grid",))
    return _heavy(_sweep_lines, sc.run_key(), sc, sc.settings * len(sc.base.optimizers))


@st.cache_data(max_entries=16, show_spinner=False)
def _sweep_lines(run_key: str, _sc):
    with heavy_gate().hold():
        return sweep_lab.sweep_lines(_sc)


def tuning(sc):
    ensure_kernels(sc.base.optimizers, kinds=("grid",))
    return _heavy(_tuning, sc.run_key(), sc, sc.settings * len(sc.base.optimizers))


@st.cache_data(max_entries=16, show_spinner=False)
def _tuning(run_key: str, _sc):
    with heavy_gate().hold():
        return sweep_lab.tune(_sc)


def basin_maps(bc):
    ensure_kernels([oid for oid, _ in bc.settings], kinds=("grid",))
    return _heavy(_basin_maps, bc.run_key(), bc, bc.res * bc.res * bc.n_panels)


@st.cache_data(max_entries=8, show_spinner=False)
def _basin_maps(run_key: str, _bc):
    with heavy_gate().hold():
        return basins_lab.basin_maps(_bc)


def sweep_map_fig(sc, m, marker, text, present):
    return _sweep_map_fig(f"{sc.key()}|{marker}", m, sc.metric, marker, text, present)


@st.cache_data(max_entries=16, show_spinner=False)
def _sweep_map_fig(key, _m, metric, marker, _text, present):
    return sweep_map_figure(_m, metric, x_log=sweep_lab.hyper(_m.optimizer, _m.x).log,
                            y_log=sweep_lab.hyper(_m.optimizer, _m.y).log, marker=marker, text=_text, present=present)


def sweep_lines_fig(sc, lines, edge, names, text, present):
    return _sweep_lines_fig(sc.key(), lines, sc.metric, sc.x, edge, names, text, present)


@st.cache_data(max_entries=16, show_spinner=False)
def _sweep_lines_fig(key, _lines, metric, x, edge, _names, _text, present):
    log = sweep_lab.hyper(_lines[0].optimizer, x).log if _lines else False
    return sweep_lines_figure(_lines, metric, x, log=log, edge=edge, opt_names=_names, text=_text, present=present)


def tuning_fig(sc, tuned, names, label, text, present):
    return _tuning_fig(sc.key(), tuned, names, label, text, present)


@st.cache_data(max_entries=16, show_spinner=False)
def _tuning_fig(key, _tuned, _names, _label, _text, present):
    return tuning_figure(_tuned, opt_names=_names, objective_label=_label, text=_text, present=present)


def basins_fig(bc, maps, surface, titles, text, present):
    return _basins_fig(bc.key(), maps, surface, tuple(titles), text, present)


@st.cache_data(max_entries=8, show_spinner=False)
def _basins_fig(key, _maps, _surface, titles, _text, present):
    return basins_figure(_maps, _surface, list(titles), text=_text, present=present)
