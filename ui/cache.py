"""The cache boundary: races and figures cached by their configuration (bounded)."""
from __future__ import annotations

import streamlit as st

import surfaces
from lab.compare import CompareConfig, panel_configs, run_panels
from lab.config import PlaygroundConfig
from lab.race import run_lanes
from lab.warmup import Warmup, is_ready
from viz.charts import compare_loss_figure, curves_figure
from viz.compare import compare_figure
from viz.playground import playground_figure
from viz.view3d import surface3d_figure



@st.cache_resource(show_spinner=False)
def engine_warmup() -> Warmup:
    """Once per server process: worker processes start compiling every kernel not yet on disk,
    the Playground's defaults first (``lab.warmup``). Returns at once."""
    return Warmup().start()


def ensure_kernels(optimizers) -> None:
    """Wait until the trajectory kernels of ``optimizers`` are compiled on disk (at once when they
    are: every start after the first), with a spinner naming the wait. This process then only loads
    them: compiling cold inside Streamlit's script thread was once seen to hang for good."""
    from ui.i18n import t
    todo = [(oid, "trajectory") for oid in dict.fromkeys(optimizers) if not is_ready(oid, "trajectory")]
    if todo:
        with st.spinner(t("warming"), show_time=True):
            engine_warmup().ensure(todo)


@st.cache_resource(show_spinner=False, max_entries=32)
def surface(sid: str, params_key: tuple):
    return surfaces.get(sid, **dict(params_key))


def race(run_key: str, cfg: PlaygroundConfig):
    """All lanes of ``cfg`` (cached by ``run_key``, which names everything they depend on)."""
    ensure_kernels(cfg.optimizers)
    return _race(run_key, cfg)


@st.cache_data(max_entries=48, show_spinner=False)
def _race(run_key: str, _cfg: PlaygroundConfig):
    return run_lanes(_cfg)


@st.cache_data(max_entries=24, show_spinner=False)
def main_figure(key: str, _surface, _runs, _labels, shown_step, arrows, inside, _text, present=False):
    return playground_figure(_surface, _runs, _labels, shown_step=shown_step, arrows=arrows, inside=inside,
                             text=_text, present=present)


def compare_race(run_key: str, cc: CompareConfig):
    """Every panel of ``cc`` (cached by ``run_key``)."""
    ensure_kernels(oid for sub in panel_configs(cc) for oid in sub.optimizers)
    return _compare_race(run_key, cc)


@st.cache_data(max_entries=32, show_spinner=False)
def _compare_race(run_key: str, _cc: CompareConfig):
    return run_panels(_cc)


@st.cache_data(max_entries=16, show_spinner=False)
def compare_main(key: str, _panels, legend, shown_step, arrows, _text, present=False):
    return compare_figure(_panels, legend=legend, shown_step=shown_step, arrows=arrows, text=_text,
                          present=present)


@st.cache_data(max_entries=16, show_spinner=False)
def compare_loss(key: str, _series, _text, present=False):
    return compare_loss_figure(_series, text=_text, present=present)


@st.cache_data(max_entries=24, show_spinner=False)
def curves(key: str, _runs, _labels, f_min, _minima, _text):
    return curves_figure(_runs, _labels, f_min=f_min, minima=_minima, text=_text)


@st.cache_data(max_entries=8, show_spinner=False)
def view3d(key: str, _surface, _runs, _labels, _text):
    return surface3d_figure(_surface, _runs, _labels, text=_text)
