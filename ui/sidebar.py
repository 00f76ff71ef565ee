"""The sidebar every page shares: language, surface, optimizers and their hyperparameters,
schedule, run settings, start point, map display, presentation mode; and Compare's per-panel
settings. Each setting is one ``controls.setting`` call; what a change resets is a callback."""
from __future__ import annotations

import math

import streamlit as st

import surfaces
from lab.config import CUSTOM, default_inside
from optim_core.catalogue import OPTIMIZERS

from . import binding, custom_surface
from .controls import ensure, lazy_expander, setting
from .i18n import hyper_help, opt_name, surface_name, surface_param_help, t

TUNE = "v:tune"              # whose hyperparameters the sidebar shows (a view choice, not in the URL)
_PREV_STEPS = "_prev_steps"  # the step count the steps box showed (its callback compares)


# ------------------------------------------------------------------ callbacks

def _on_surface():
    """A new surface starts from its own defaults: parameters, start point, batch."""
    binding.reset("surface")


def _on_steps():
    """A shown step at the old end follows the new end."""
    ss = st.session_state
    prev = ss.get(_PREV_STEPS, ss["w:steps"])
    if ss.get("w:step", prev) >= prev:
        ss["w:step"] = ss["w:steps"]


def reset_hyper():
    binding.reset("hyper")


def set_start_from_click(chart_key: str, domain) -> None:
    """``on_select`` callback of the map: the clicked grid point becomes the start."""
    ss = st.session_state
    try:
        pts = ss.get(chart_key)["selection"]["points"]
        x, y = float(pts[0]["x"]), float(pts[0]["y"])
    except (KeyError, IndexError, TypeError, ValueError):
        return
    if not (math.isfinite(x) and math.isfinite(y)):
        return
    x0, x1, y0, y1 = domain
    ss["w:x0"] = round(min(max(x, x0), x1), 6)
    ss["w:y0"] = round(min(max(y, y0), y1), 6)


# ------------------------------------------------------------------ the shared sidebar

def language_switch():
    setting("lang", t("language"), container=st.sidebar, widget="radio", horizontal=True,
            format_func=lambda v: {"en": "English", "zh": "中文"}[v])


def shared(optimizers: bool = True, extra=None, start: bool = True, early_stop: bool = False):
    """The shared sidebar. ``optimizers``: show the optimizer choice and hyperparameters (Compare's
    "settings" mode and the Basins page set them per panel instead); ``extra``: a function
    drawing more controls right after the optimizers; ``start``: show the start point (the
    Basins page starts everywhere); ``early_stop``: show the early-stopping settings (only the
    Playground marks where its runs would stop)."""
    sb = st.sidebar
    setting("surface", t("surface"), container=sb, format_func=surface_name, on_change=_on_surface)
    typed = binding.value("surface") == CUSTOM
    sspec = custom_surface.controls(sb).spec if typed else surfaces.SURFACES[binding.value("surface")]
    many = len(sspec.all_params) > 1         # then open by default (its own key: its own open state)
    exp = lazy_expander(sb, t("surface_params"), "x:surface_params" + ("_many" if many else ""), expanded=many)
    for p in sspec.all_params if exp else ():
        setting(f"s.{p.name}", p.name, container=exp, help=surface_param_help(sspec.id, p.name))
    if optimizers:
        _optimizer_controls(sb)
    if extra:
        extra()
    _run_controls(sb, sspec, start, early_stop)
    setting("present", t("present"), container=sb, help=t("present_help"))


def _optimizer_controls(sb):
    ss = st.session_state
    setting("opt", t("optimizers"), container=sb, format_func=opt_name, help=t("optimizers_help"))
    setting("lrmode", t("lr_mode"), container=sb, widget="segmented", format_func=lambda v: t("lr_" + v))
    shared_lr = binding.value("lrmode") == "shared"
    if shared_lr:
        setting("lr", t("shared_lr"), container=sb)
    exp = lazy_expander(sb, t("hyper"), "x:hyper")
    if exp is None:
        return
    with exp:
        # one optimizer's controls at a time: every slider drawn costs the first page load
        # (the others keep their values: controls.keep_widget_state)
        opts = list(binding.value("opt"))
        if opts:
            if ss.get(TUNE) not in opts:
                inside = binding.value("inside")
                ss[TUNE] = inside if inside in opts else default_inside(opts)
            st.selectbox(t("tune"), options=opts, format_func=opt_name, key=TUNE)
            for h in OPTIMIZERS[ss[TUNE]].hyper:
                if not (h.name == "lr" and shared_lr):
                    setting(f"h.{ss[TUNE]}.{h.name}", h.name, help=hyper_help(ss[TUNE], h.name))
        st.button(t("reset"), on_click=reset_hyper, key="reset_hyper", help=t("reset_help"))


def _run_controls(sb, sspec, start=True, early_stop=False):
    exp = lazy_expander(sb, t("schedule"), "x:schedule")
    if exp is not None:
        with exp:
            setting("sched", t("schedule"), format_func=lambda k: t("sched_" + k), label_visibility="collapsed")
            for f in _rows_under("sched."):
                setting(f.key, t("sched_" + f.key[len("sched."):]))
    exp = lazy_expander(sb, t("run_settings"), "x:run")
    if exp is not None:
        with exp:
            st.session_state[_PREV_STEPS] = ensure("w:steps", binding.field("steps").default)
            setting("steps", t("steps"), step=50, on_change=_on_steps)
            setting("noise", t("noise"))
            # a free box, not a slider: the useful thresholds (6.1e-5, ...) are tiny next to the range
            setting("underflow", t("underflow"), widget="input", step=1e-5, format="%.1e", help=t("underflow_help"))
            setting("seed", t("seed"))
            setting("seeds.on", t("seeds_on"), help=t("seeds_help"))
            if binding.value("seeds.on"):
                setting("seeds.k", t("seeds_k"))
            if sspec.finite_sum:
                setting("batch", t("batch"))
            if early_stop:
                setting("es.on", t("es_on"), help=t("es_help"))
                if binding.value("es.on"):
                    setting("es.patience", t("es_patience"), help=t("es_patience_help"))
                    setting("es.delta", t("es_delta"), help=t("es_delta_help"))
    exp = lazy_expander(sb, t("start"), "x:start") if start else None
    if exp is not None:
        with exp:
            x0, x1, y0, y1 = sspec.domain
            setting("x0", t("start_x"), widget="input", step=(x1 - x0) / 100, format="%.3f")
            setting("y0", t("start_y"), widget="input", step=(y1 - y0) / 100, format="%.3f")
            st.caption(t("start_help"))
    exp = lazy_expander(sb, t("map_display"), "x:map")
    if exp is not None:
        with exp:
            setting("bands", t("bands"), help=t("bands_help"))


def _rows_under(prefix: str):
    """This run's rows whose key starts with ``prefix`` (a catalogue-driven family)."""
    return [f for f in binding.rows() if f.key.startswith(prefix)]


# ------------------------------------------------------------------ Compare's panels

def _on_panel_optimizer(panel: str):
    """A panel's new optimizer starts from its own defaults."""
    binding.reset(panel)


def panel_settings(prefix: str = "cmp", title: str = "cmp_panel"):
    """Per panel (Compare's "settings" mode, the Basins page's maps): its optimizer and
    hyperparameters, the rows ``<prefix>.p<i>.*`` (``lab.compare.panel_rows``)."""
    for i in range(1, binding.value(f"{prefix}.n") + 1):
        panel = f"{prefix}.p{i}"
        with st.sidebar.expander(t(title, i=i), expanded=True):
            setting(f"{panel}.opt", t("cmp_optimizer"), format_func=opt_name, on_change=_on_panel_optimizer,
                    args=(panel,))
            oid = binding.value(f"{panel}.opt")
            for h in OPTIMIZERS[oid].hyper:
                setting(f"{panel}.{h.name}", h.name, help=hyper_help(oid, h.name))
            if prefix == "cmp" and binding.field(f"{panel}.batch").kind.hi > 0:     # a finite sum
                setting(f"{panel}.batch", t("batch"), help=t("cmp_batch_help"))


def for_page(page: str):
    """The sidebar of ``page``: Compare's "settings" mode and the Basins page put the optimizers
    in their panels; the Lessons and Reference pages have only the presentation switch."""
    if page == "compare" and binding.value("cmp.mode") == "settings":
        return shared(optimizers=False, extra=panel_settings)
    if page == "basins":
        return shared(optimizers=False, extra=lambda: panel_settings("bas", "bas_panel"), start=False)
    if page in ("lessons", "reference"):      # a lesson's scene is its own: only the presentation switch
        setting("present", t("present"), container=st.sidebar, help=t("present_help"))
        return None
    return shared(early_stop=page == "playground")

