"""The cache boundary of the grid pages (Sweep, Basins): their grids and figures cached by the
configuration (bounded), each run in its turn at the server-wide gate (``ui.heavy``)."""
from __future__ import annotations

import streamlit as st

from lab import basins as basins_lab
from lab.config import CUSTOM
from lab import sweep as sweep_lab
from viz.basins import basins_figure
from viz.sweep import sweep_lines_figure, sweep_map_figure, tuning_figure

from .cache import ensure_kernels
from .heavy import heavy_gate, waiting_note

# what each kind of grid runs (``lab``); one cache for them all, keyed by kind and configuration
_COMPUTE = {"map": sweep_lab.sweep_map, "lines": sweep_lab.sweep_lines, "tune": sweep_lab.tune,
            "basins": basins_lab.basin_maps}


@st.cache_data(max_entries=32, show_spinner=False)
def _grid(kind: str, run_key: str, _cfg):
    with heavy_gate().hold():
        return _COMPUTE[kind](_cfg)


def _run(kind: str, cfg, optimizers, n_runs: int):
    """The ``kind`` grid of ``cfg`` (cached), once its optimizers' grid kernels are compiled, with
    a spinner once it takes longer than half a second (Streamlit's spinner waits that long before
    it shows), and a note while other sessions' grids go first."""
    from ui.i18n import t
    ensure_kernels(optimizers, kinds=("grid",), typed=cfg.base.surface == CUSTOM)
    with waiting_note(), st.spinner(t("sw_working", n=n_runs), show_time=True):
        return _grid(kind, cfg.run_key(), cfg)


def sweep_map(sc):
    return _run("map", sc, [sc.optimizer], sc.settings)


def sweep_lines(sc):
    return _run("lines", sc, sc.base.optimizers, sc.settings * len(sc.base.optimizers))


def tuning(sc):
    return _run("tune", sc, sc.base.optimizers, sc.settings * len(sc.base.optimizers))


def basin_maps(bc):
    return _run("basins", bc, [oid for oid, _ in bc.settings], bc.res * bc.res * bc.n_panels)


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
