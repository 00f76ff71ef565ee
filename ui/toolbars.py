"""The control rows of the main area: the Playground's view row (shown step, inside panel,
arrows, 3-D), the leaderboard's tolerance, Compare's mode row, the presentation exit."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from lab import compare
from optim_core.catalogue import OPTIMIZERS

from . import binding
from .controls import ensure, log_options, setting, short_number
from .i18n import opt_name, surface_name, t

PRESET = "cmp_preset"         # the preset box (a one-shot action, not a setting)


def view_controls():
    """The row under the map: shown step, inside-the-optimizer choice, arrows, 3-D toggle."""
    cols = st.columns([1.0, 1.1, 1.7, 0.7], vertical_alignment="bottom")
    setting("step", t("shown_step"), container=cols[0], help=t("shown_step_help"))
    if binding.value("opt"):
        setting("inside", t("inside"), container=cols[1], help=t("inside_help"),
                format_func=lambda oid: opt_name(oid) if oid else t("inside_none"))
    setting("arrows", t("arrows"), container=cols[2], widget="pills", format_func=lambda a: t("arrow_" + a))
    setting("view3d", t("view3d"), container=cols[3])


def tolerance_control() -> float:
    """A selectbox of 1-2-5 values (not a slider: no slider is drawn on the first page load);
    returns the value chosen."""
    f = binding.field("tol")
    opts = log_options(f.kind.lo, f.kind.hi, ensure(f.widget_key, f.default), f.default)
    if st.session_state[f.widget_key] not in opts:
        st.session_state[f.widget_key] = f.default
    return st.selectbox(t("tol"), options=opts, format_func=short_number, key=f.widget_key)


def exit_presentation_button():
    def leave():
        st.session_state["w:present"] = False
    st.button(t("present_exit"), on_click=leave, key="present_exit", type="tertiary")


def _apply_preset():
    """Load a ready-made comparison: mode "settings", its panels, and its surface and schedule."""
    name = st.session_state.get(PRESET)
    st.session_state[PRESET] = None
    if name not in compare.PRESETS:
        return
    preset = compare.PRESETS[name]
    cc = binding.read()
    base = replace(cc.base, schedule=dict(preset.get("schedule", {"kind": "constant"})))
    if "surface" in preset:
        base = replace(base, surface=preset["surface"], surface_params={}, start=None, batch=0)
    panels = tuple((oid, {**OPTIMIZERS[oid].defaults(), **hp}) for oid, hp in preset["panels"])
    binding.load(replace(cc, base=base, mode="settings", settings=panels))


def compare_controls():
    """The row above Compare's panels: the mode, and what the panels differ in."""
    cols = st.columns([1.5, 2.0, 0.8], vertical_alignment="bottom")
    setting("cmp.mode", t("cmp_mode"), container=cols[0], widget="segmented", format_func=lambda m: t("cmp_mode_" + m))
    mode = binding.value("cmp.mode")
    if mode == "surfaces":
        setting("cmp.surfaces", t("cmp_surfaces"), container=cols[1], format_func=surface_name)
    elif mode == "settings":
        ensure(PRESET, None)
        cols[1].selectbox(t("cmp_preset"), options=list(compare.PRESETS), index=None, key=PRESET,
                          placeholder=t("cmp_preset_placeholder"), format_func=lambda p: t("preset_" + p),
                          on_change=_apply_preset)
        setting("cmp.n", t("cmp_n"), container=cols[2])
    else:
        cols[1].caption(t("cmp_multiples_help", n=compare.MAX_MULTIPLES))


# ------------------------------------------------------------------ Sweep and Basins

def _on_axis(axis: str):
    """A new hyperparameter on an axis starts from its own range."""
    binding.reset(axis)


def _grid_size_form(container, name: str, boxes) -> None:
    """The settings that size a grid of runs (``boxes``: (URL key, label, widget keywords)), with an
    Apply button: clicking a box's +/− several times starts no grid until Apply (or Enter)."""
    form = container.form("apply_" + name, border=False)
    cols = form.columns([1.0] * len(boxes) + [0.75], vertical_alignment="bottom")
    for col, (key, label, kw) in zip(cols, boxes):
        setting(key, label, container=col, **kw)
    cols[-1].form_submit_button(t("apply"), help=t("apply_help"))


def sweep_controls() -> dict:
    """The rows above the Sweep page's figure; returns each setting's column by URL key, so a
    refusal can be shown next to its widget."""
    slots = {}
    top = st.columns([2.9, 0.9, 1.4], vertical_alignment="bottom")
    setting("sw.mode", t("sw_mode"), container=top[0], widget="segmented", format_func=lambda m: t("sw_mode_" + m))
    mode = binding.value("sw.mode")
    if mode == "tune":
        setting("sw.obj", t("sw_obj"), container=top[1], format_func=lambda o: t("sw_obj_" + o))
        setting("sw.factor", t("sw_factor"), container=top[2], help=t("sw_factor_help"))
        slots["sw.obj"] = top[1]
        row = st.columns([0.85, 0.85, 2.2, 2.6], vertical_alignment="bottom")
        setting("sw.x.lo", "lr " + t("sw_lo"), container=row[0])
        setting("sw.x.hi", "lr " + t("sw_hi"), container=row[1])
        setting("sw.extra", t("sw_extra"), container=row[2], help=t("sw_extra_help"))
        sizes = [("sw.n", t("sw_n"), {})] + ([("sw.m", t("sw_m"), {})] if binding.value("sw.extra") else [])
        _grid_size_form(row[3], "sweep_tune", sizes)
        slots.update({"sw.x.lo": row[0], "sw.n": row[3]})
        return slots
    setting("sw.metric", t("sw_metric"), container=top[1], format_func=lambda m: t("sw_metric_" + m))
    _grid_size_form(top[2], "sweep", [("sw.res", t("sw_res"), {"help": t("sw_res_help")})])
    slots["sw.res"] = top[2]
    if mode == "map":
        row = st.columns([1.4, 1.2, 1.0, 1.0, 1.3, 1.0, 1.0], vertical_alignment="bottom")
        if binding.value("opt"):
            setting("sw.opt", t("sw_opt"), container=row[0], format_func=opt_name)
        slots["opt"] = row[0]
        setting("sw.x", t("sw_x"), container=row[1], on_change=_on_axis, args=("sw.x",))
        setting("sw.x.lo", t("sw_lo"), container=row[2])
        setting("sw.x.hi", t("sw_hi"), container=row[3])
        slots.update({"sw.x": row[1], "sw.x.lo": row[2]})
        if binding.value("sw.y"):
            setting("sw.y", t("sw_y"), container=row[4], on_change=_on_axis, args=("sw.y",))
            setting("sw.y.lo", t("sw_lo"), container=row[5])
            setting("sw.y.hi", t("sw_hi"), container=row[6])
            slots["sw.y.lo"] = row[5]
    else:
        row = st.columns([1.0, 1.2, 1.2, 2.0], vertical_alignment="bottom")
        setting("sw.x", t("sw_x"), container=row[0], on_change=_on_axis, args=("sw.x",))
        setting("sw.x.lo", t("sw_lo"), container=row[1])
        setting("sw.x.hi", t("sw_hi"), container=row[2])
        slots.update({"sw.x": row[0], "sw.x.lo": row[1], "opt": row[3]})
    return slots


def basins_controls() -> dict:
    """The row above the Basins page's maps; returns each setting's column by URL key."""
    cols = st.columns([0.8, 1.7, 1.6, 1.0], vertical_alignment="bottom")
    setting("bas.n", t("bas_n"), container=cols[0])
    _grid_size_form(cols[1], "basins", [("bas.res", t("bas_res"), {"help": t("bas_res_help"), "step": 10})])
    setting("bas.radius", t("bas_radius"), container=cols[2], help=t("bas_radius_help"))
    return {"bas.res": cols[1]}
