"""The cache boundary: races and figures cached by their configuration (bounded)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import streamlit as st

import surfaces
from lab.compare import CompareConfig, run_panels
from lab.config import PlaygroundConfig
from lab.race import run_lanes
from lab.warmup import warm
from viz.charts import compare_loss_figure, curves_figure
from viz.compare import compare_figure
from viz.playground import playground_figure
from viz.view3d import surface3d_figure

ROOT = Path(__file__).resolve().parents[1]


@st.cache_resource(show_spinner=False)
def warm_engine() -> bool:
    """One small run per optimizer, once per server process: Numba's compile (or cache load)
    happens at start-up, not on the first slider move.

    The compile itself runs in a child process (its main thread), which fills Numba's on-disk
    cache; this process then only loads from it. Compiling cold inside Streamlit's script thread
    was seen to hang for good (threads parked on futexes, 0 % CPU) after ~60 s of compiling.
    """
    subprocess.run([sys.executable, "-m", "lab.warmup"], cwd=ROOT, timeout=1800, check=False,
                   stdout=subprocess.DEVNULL)
    warm()
    return True


@st.cache_resource(show_spinner=False, max_entries=32)
def surface(sid: str, params_key: tuple):
    return surfaces.get(sid, **dict(params_key))


@st.cache_data(max_entries=48, show_spinner=False)
def race(run_key: str, _cfg: PlaygroundConfig):
    """All lanes of ``_cfg`` (hashed through ``run_key``, which names everything they depend on)."""
    return run_lanes(_cfg)


@st.cache_data(max_entries=24, show_spinner=False)
def main_figure(key: str, _surface, _runs, _labels, shown_step, arrows, inside, _text, present=False):
    return playground_figure(_surface, _runs, _labels, shown_step=shown_step, arrows=arrows, inside=inside,
                             text=_text, present=present)


@st.cache_data(max_entries=32, show_spinner=False)
def compare_race(run_key: str, _cc: CompareConfig):
    """Every panel of ``_cc`` (hashed through ``run_key``)."""
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
