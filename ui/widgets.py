"""Widgets built from the catalogues, and the one mapping between widget keys and a
:class:`~lab.config.PlaygroundConfig`.

Every widget's key is ``"w:" + <its query-string key>`` and its value lives in
``st.session_state`` (set before the widget is created, never passed as ``value=``), so the URL
sync only has to write session-state keys.
"""
from __future__ import annotations

import math

import streamlit as st

import surfaces
from lab import compare
from lab.compare import CompareConfig
from lab.config import (ARROWS, CLASSROOM, LANGS, MAX_NOISE, MAX_SEED, MAX_STEPS, SHARED_LR, TOL,
                        PlaygroundConfig, default_inside)
from optim_core.catalogue import OPTIMIZERS
from optim_core.schedules import KINDS as SCHEDULE_KINDS
from optim_core.schedules import PARAMS as SCHEDULE_PARAMS
from optim_core.schedules import WARMUP

from .i18n import hyper_help, lang, opt_name, surface_name, surface_param_help, t

W = "w:"
TUNE = "v:tune"              # whose hyperparameters the sidebar shows (a view choice, not in the URL)
KEPT = (W, "v:", "x:")       # widget values (w:), view choices (v:), expanders' and tabs' open state (x:)


def log_options(lo: float, hi: float, *extra) -> list:
    """1-2-5 values per decade in [lo, hi], plus the ends and ``extra`` (the current value, the
    default) so any valid value can be shown: a log-scale slider."""
    vals = {float(lo), float(hi)}
    for k in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for m in (1, 2, 5):
            v = float(f"{m}e{k}")
            if lo <= v <= hi:
                vals.add(v)
    vals.update(float(v) for v in extra if v is not None and lo <= float(v) <= hi)
    return sorted(vals)


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _ensure(key: str, default):
    if key not in st.session_state:
        st.session_state[key] = default
    return st.session_state[key]


def number_widget(key, label, lo, hi, default, *, log=False, integer=False, help=None, container=st):
    """A slider (log-spaced options where ``log``), or an integer input, for a numeric value."""
    cur = _ensure(key, default)
    if integer:
        st.session_state[key] = int(min(max(int(cur), int(lo)), int(hi)))
        return container.number_input(label, min_value=int(lo), max_value=int(hi), step=1, key=key, help=help)
    if log and lo > 0:
        opts = log_options(lo, hi, cur, default)
        if cur not in opts:
            st.session_state[key] = min(opts, key=lambda v: abs(math.log(v) - math.log(max(float(cur), lo))))
        return container.select_slider(label, options=opts, format_func=_fmt, key=key, help=help)
    span = float(hi) - float(lo)
    step = 10.0 ** (math.floor(math.log10(span)) - 4) if span > 0 else 1e-4
    decimals = max(0, -int(math.floor(math.log10(step))))
    st.session_state[key] = float(min(max(float(cur), float(lo)), float(hi)))
    return container.slider(label, min_value=float(lo), max_value=float(hi), step=step, key=key, help=help,
                            format=f"%.{min(decimals, 6)}f")


def hyper_widget(oid: str, h, container=st, key=None):
    key = key or f"{W}h.{oid}.{h.name}"
    label = f"{h.name}"
    if h.is_choice:
        _ensure(key, h.default)
        if st.session_state[key] not in h.choices:
            st.session_state[key] = h.default
        return container.selectbox(label, options=list(h.choices), format_func=str, key=key,
                                   help=hyper_help(oid, h.name))
    return number_widget(key, label, h.min, h.max, h.default, log=h.log, integer=h.integer,
                         help=hyper_help(oid, h.name), container=container)


# ------------------------------------------------------------------ config <-> session state

def load(cfg: PlaygroundConfig) -> None:
    """Write ``cfg`` into the widgets' session-state keys (before any widget is created)."""
    ss = st.session_state
    ss[W + "lang"] = cfg.lang
    ss[W + "surface"] = cfg.surface
    for name, v in cfg.surface_params.items():
        ss[f"{W}s.{name}"] = v
    ss[W + "opt"] = list(cfg.optimizers)
    for oid, hp in cfg.hyper.items():
        for name, v in hp.items():
            ss[f"{W}h.{oid}.{name}"] = v
    ss[W + "lrmode"] = cfg.lr_mode
    ss[W + "lr"] = cfg.shared_lr
    ss[W + "sched"] = cfg.schedule.get("kind", "constant")
    for name, v in cfg.schedule.items():
        if name != "kind":
            ss[f"{W}sched.{name}"] = v
    ss[W + "noise"] = cfg.noise
    ss[W + "seed"] = cfg.seed
    ss[W + "steps"] = cfg.steps
    ss["_prev_steps"] = cfg.steps
    ss[W + "batch"] = cfg.batch
    ss[W + "x0"], ss[W + "y0"] = float(cfg.start[0]), float(cfg.start[1])
    ss[W + "arrows"] = list(cfg.arrows)
    ss[W + "view3d"] = cfg.view3d
    ss[W + "inside"] = cfg.inside_optimizer
    ss[W + "step"] = cfg.shown_step
    ss[W + "tol"] = cfg.tol
    ss[W + "present"] = cfg.present


def load_compare(cc: CompareConfig) -> None:
    """Write a Compare configuration into the widgets' session-state keys."""
    load(cc.base)
    ss = st.session_state
    ss[W + "cmp.mode"] = cc.mode
    ss[W + "cmp.surfaces"] = list(cc.other_surfaces)
    _load_settings(cc.settings)


def _load_settings(settings) -> None:
    ss = st.session_state
    ss[W + "cmp.n"] = len(settings)
    for i, (oid, hp) in enumerate(settings, start=1):
        ss[f"{W}cmp.p{i}.opt"] = oid
        for name, v in hp.items():
            ss[f"{W}cmp.p{i}.{name}"] = v


def read() -> PlaygroundConfig:
    """The configuration the widgets show now."""
    ss = st.session_state
    sid = ss.get(W + "surface", "valley")
    sspec = surfaces.SURFACES[sid]
    sparams = {p.name: ss.get(f"{W}s.{p.name}", p.default) for p in sspec.all_params}
    opts = tuple(o for o in ss.get(W + "opt", CLASSROOM) if o in OPTIMIZERS)
    hyper = {oid: {h.name: ss.get(f"{W}h.{oid}.{h.name}", h.default) for h in OPTIMIZERS[oid].hyper}
             for oid in opts}
    kind = ss.get(W + "sched", "constant")
    schedule = {"kind": kind}
    for name, (default, *_r) in list(SCHEDULE_PARAMS[kind].items()) + [("warmup", WARMUP)]:
        schedule[name] = ss.get(f"{W}sched.{name}", default)
    steps = int(ss.get(W + "steps", 300))
    step = int(ss.get(W + "step", steps))
    inside = ss.get(W + "inside", "")
    return PlaygroundConfig(
        lang=lang(), surface=sid, surface_params=sparams, optimizers=opts, hyper=hyper,
        lr_mode=ss.get(W + "lrmode", "own"), shared_lr=float(ss.get(W + "lr", SHARED_LR[0])), schedule=schedule,
        noise=float(ss.get(W + "noise", 0.0)), seed=int(ss.get(W + "seed", 0)), steps=steps,
        start=(float(ss.get(W + "x0", sspec.start[0])), float(ss.get(W + "y0", sspec.start[1]))),
        batch=int(ss.get(W + "batch", 0)) if sspec.finite_sum else 0,
        arrows=tuple(a for a in ARROWS if a in ss.get(W + "arrows", [])), view3d=bool(ss.get(W + "view3d", False)),
        inside=inside if inside in opts else "",
        step=-1 if step >= steps else step, tol=float(ss.get(W + "tol", TOL[0])),
        present=bool(ss.get(W + "present", False)))


def read_compare() -> CompareConfig:
    """The Compare configuration the widgets show now."""
    ss = st.session_state
    settings = []
    for i in range(1, int(ss.get(W + "cmp.n", len(compare.DEFAULT_SETTINGS))) + 1):
        oid = ss.get(f"{W}cmp.p{i}.opt", compare.panel_default_optimizer(i))
        oid = oid if oid in OPTIMIZERS else compare.panel_default_optimizer(i)
        default = compare.panel_default(i, oid)
        settings.append((oid, {h.name: ss.get(f"{W}cmp.p{i}.{h.name}", default[h.name])
                               for h in OPTIMIZERS[oid].hyper}))
    others = tuple(s for s in ss.get(W + "cmp.surfaces", compare.DEFAULT_OTHER_SURFACES) if s in surfaces.SURFACES)
    return CompareConfig(base=read(), mode=ss.get(W + "cmp.mode", compare.DEFAULT_MODE),
                         other_surfaces=others[:compare.MAX_PANELS - 1],
                         settings=tuple(settings))


# ------------------------------------------------------------------ callbacks

def _on_surface():
    """A new surface starts from its own defaults: parameters, start point, batch."""
    ss = st.session_state
    spec = surfaces.SURFACES[ss[W + "surface"]]
    for p in spec.all_params:
        ss[f"{W}s.{p.name}"] = p.default
    ss[W + "x0"], ss[W + "y0"] = float(spec.start[0]), float(spec.start[1])
    ss[W + "batch"] = 0


def _on_steps():
    ss = st.session_state
    prev = ss.get("_prev_steps", ss[W + "steps"])
    if ss.get(W + "step", prev) >= prev:
        ss[W + "step"] = ss[W + "steps"]
    ss["_prev_steps"] = ss[W + "steps"]


def reset_hyper():
    ss = st.session_state
    for oid in ss.get(W + "opt", []):
        for h in OPTIMIZERS[oid].hyper:
            ss[f"{W}h.{oid}.{h.name}"] = h.default
    ss[W + "lr"] = SHARED_LR[0]


def set_start_from_click(chart_key: str, domain) -> None:
    """``on_select`` callback of the map: the clicked grid point becomes the start."""
    ss = st.session_state
    state = ss.get(chart_key)
    try:
        pts = state["selection"]["points"]
        x, y = float(pts[0]["x"]), float(pts[0]["y"])
    except (KeyError, IndexError, TypeError, ValueError):
        return
    if not (math.isfinite(x) and math.isfinite(y)):
        return
    x0, x1, y0, y1 = domain
    ss[W + "x0"] = round(min(max(x, x0), x1), 6)
    ss[W + "y0"] = round(min(max(y, y0), y1), 6)


# ------------------------------------------------------------------ the sidebar controls

def language_switch():
    _ensure(W + "lang", "en")
    st.sidebar.radio(t("language"), options=list(LANGS), key=W + "lang", horizontal=True,
                     format_func=lambda v: {"en": "English", "zh": "中文"}[v])


def lazy_expander(container, label: str, key: str, expanded: bool = False):
    """An expander whose content is only computed while it is open (None while closed): closed
    expanders then cost the first page load nothing. Its open state lives under ``key``."""
    exp = container.expander(label, expanded=expanded, key=key, on_change="rerun")
    return exp if exp.open else None


def lazy_tabs(labels: list, key: str) -> list:
    """Tabs whose content is only computed for the selected one: per tab, its container, or None
    while another tab is selected. The first tab is selected at first."""
    return [tab if tab.open else None for tab in st.tabs(labels, key=key, on_change="rerun")]


def keep_widget_state() -> None:
    """Keep every widget value across pages, closed expanders and presentation mode: Streamlit
    forgets the value of a widget that a run does not draw, unless the key is written again."""
    ss = st.session_state
    for k in [k for k in ss if isinstance(k, str) and k.startswith(KEPT)]:
        ss[k] = ss[k]


def sidebar_controls(optimizers: bool = True, extra=None):
    """The shared sidebar. ``optimizers``: show the optimizer choice and hyperparameters (Compare's
    "settings" mode sets them per panel instead); ``extra``: a function drawing more controls
    right after the optimizers."""
    sb = st.sidebar
    ss = st.session_state
    _ensure(W + "surface", "valley")
    sb.selectbox(t("surface"), options=list(surfaces.SURFACES), format_func=surface_name, key=W + "surface",
                 on_change=_on_surface)
    sspec = surfaces.SURFACES[ss[W + "surface"]]
    many = len(sspec.all_params) > 1         # then open by default (its own key: its own open state)
    exp = lazy_expander(sb, t("surface_params"), "x:surface_params" + ("_many" if many else ""), expanded=many)
    for p in sspec.all_params if exp else ():
        with exp:
            number_widget(f"{W}s.{p.name}", p.name, p.min, p.max, p.default, log=p.log, integer=p.integer,
                          help=surface_param_help(sspec.id, p.name))

    _ensure(W + "opt", list(CLASSROOM))
    ss[W + "opt"] = [o for o in ss[W + "opt"] if o in OPTIMIZERS]
    if optimizers:
        _optimizer_controls(sb)
    if extra:
        extra()
    _run_controls(sb, sspec)


def _optimizer_controls(sb):
    ss = st.session_state
    sb.multiselect(t("optimizers"), options=list(OPTIMIZERS), format_func=opt_name, key=W + "opt",
                   help=t("optimizers_help"))

    _ensure(W + "lrmode", "own")
    sb.segmented_control(t("lr_mode"), options=["own", "shared"], key=W + "lrmode", required=True,
                         format_func=lambda v: t("lr_" + v))
    if ss.get(W + "lrmode") == "shared":
        number_widget(W + "lr", t("shared_lr"), SHARED_LR[1], SHARED_LR[2], SHARED_LR[0], log=True, container=sb)

    exp = lazy_expander(sb, t("hyper"), "x:hyper")
    if exp is None:
        return
    with exp:
        # one optimizer's controls at a time: every slider drawn costs the first page load
        # (the others keep their values: keep_widget_state)
        opts = ss[W + "opt"]
        if opts:
            if ss.get(TUNE) not in opts:
                ss[TUNE] = ss.get(W + "inside") if ss.get(W + "inside") in opts else default_inside(opts)
            st.selectbox(t("tune"), options=opts, format_func=opt_name, key=TUNE)
            for h in OPTIMIZERS[ss[TUNE]].hyper:
                if h.name == "lr" and ss.get(W + "lrmode") == "shared":
                    continue
                hyper_widget(ss[TUNE], h)
        st.button(t("reset"), on_click=reset_hyper, key="reset_hyper", help=t("reset_help"))


def _run_controls(sb, sspec):
    ss = st.session_state
    _ensure(W + "sched", "constant")
    exp = lazy_expander(sb, t("schedule"), "x:schedule")
    if exp is not None:
        with exp:
            st.selectbox(t("schedule"), options=list(SCHEDULE_KINDS), key=W + "sched",
                         format_func=lambda k: t("sched_" + k), label_visibility="collapsed")
            kind = ss[W + "sched"]
            for name, (default, lo, hi, integer) in list(SCHEDULE_PARAMS[kind].items()) + [("warmup", WARMUP)]:
                number_widget(f"{W}sched.{name}", t("sched_" + name), lo, hi, default, integer=integer)

    exp = lazy_expander(sb, t("run_settings"), "x:run")
    if exp is not None:
        with exp:
            _ensure(W + "steps", 300)
            st.number_input(t("steps"), min_value=1, max_value=MAX_STEPS, step=50, key=W + "steps",
                            on_change=_on_steps)
            number_widget(W + "noise", t("noise"), 0.0, MAX_NOISE, 0.0)
            number_widget(W + "seed", t("seed"), 0, MAX_SEED, 0, integer=True)
            if sspec.finite_sum:
                n = int(ss.get(f"{W}s.n_samples", 200))
                number_widget(W + "batch", t("batch"), 0, n, 0, integer=True)

    exp = lazy_expander(sb, t("start"), "x:start")
    if exp is not None:
        with exp:
            x0, x1, y0, y1 = sspec.domain
            for key, lo, hi, d in (("x0", x0, x1, sspec.start[0]), ("y0", y0, y1, sspec.start[1])):
                cur = _ensure(W + key, float(d))
                ss[W + key] = float(min(max(float(cur), lo), hi))
                st.number_input(t("start_" + key[0]), min_value=float(lo), max_value=float(hi),
                                step=(hi - lo) / 100, format="%.3f", key=W + key)
            st.caption(t("start_help"))


def view_controls(steps: int):
    """The row above the map: shown step, inside-the-optimizer choice, arrows, 3-D toggle."""
    ss = st.session_state
    opts = ss.get(W + "opt", [])
    cols = st.columns([1.0, 1.1, 1.7, 0.7], vertical_alignment="bottom")
    cur = _ensure(W + "step", steps)
    ss[W + "step"] = int(min(max(int(cur), 0), steps))
    cols[0].number_input(t("shown_step"), min_value=0, max_value=int(steps), step=1, key=W + "step",
                         help=t("shown_step_help"))
    if opts:
        if ss.get(W + "inside") not in opts:
            ss[W + "inside"] = ""
        cols[1].selectbox(t("inside"), options=[""] + list(opts), key=W + "inside", help=t("inside_help"),
                          format_func=lambda oid: opt_name(oid) if oid else t("inside_none"))
    _ensure(W + "arrows", [])
    cols[2].pills(t("arrows"), options=list(ARROWS), selection_mode="multi", key=W + "arrows",
                  format_func=lambda a: t("arrow_" + a))
    _ensure(W + "view3d", False)
    cols[3].toggle(t("view3d"), key=W + "view3d")


def tolerance_control():
    """A selectbox of 1-2-5 values (not a slider: no slider is drawn on the first page load)."""
    key = W + "tol"
    opts = log_options(TOL[1], TOL[2], _ensure(key, TOL[0]), TOL[0])
    if st.session_state[key] not in opts:
        st.session_state[key] = TOL[0]
    st.selectbox(t("tol"), options=opts, format_func=_fmt, key=key)


def presentation_toggle():
    _ensure(W + "present", False)
    st.sidebar.toggle(t("present"), key=W + "present", help=t("present_help"))


def exit_presentation_button():
    def leave():
        st.session_state[W + "present"] = False
    st.button(t("present_exit"), on_click=leave, key="present_exit", type="tertiary")


# ------------------------------------------------------------------ Compare

def _apply_preset():
    ss = st.session_state
    name = ss.get("cmp_preset")
    if name not in compare.PRESETS:
        return
    preset = compare.PRESETS[name]
    ss[W + "cmp.mode"] = "settings"
    _load_settings(tuple((oid, {**OPTIMIZERS[oid].defaults(), **hp}) for oid, hp in preset["panels"]))
    if "surface" in preset:
        ss[W + "surface"] = preset["surface"]
        _on_surface()
    schedule = preset.get("schedule", {"kind": "constant"})
    ss[W + "sched"] = schedule["kind"]
    for name_, v in schedule.items():
        if name_ != "kind":
            ss[f"{W}sched.{name_}"] = v
    ss["cmp_preset"] = None


def _on_panel_optimizer(i: int):
    """A panel's new optimizer starts from its own defaults."""
    ss = st.session_state
    for name, v in compare.panel_default(i, ss[f"{W}cmp.p{i}.opt"]).items():
        ss[f"{W}cmp.p{i}.{name}"] = v


def compare_controls():
    """The row above Compare's panels: the mode, and what the panels differ in."""
    ss = st.session_state
    _ensure(W + "cmp.mode", compare.DEFAULT_MODE)
    cols = st.columns([1.5, 2.0, 0.8], vertical_alignment="bottom")
    cols[0].segmented_control(t("cmp_mode"), options=list(compare.MODES), key=W + "cmp.mode", required=True,
                              format_func=lambda m: t("cmp_mode_" + m))
    mode = ss[W + "cmp.mode"]
    if mode == "surfaces":
        _ensure(W + "cmp.surfaces", list(compare.DEFAULT_OTHER_SURFACES))
        cols[1].multiselect(t("cmp_surfaces"), options=list(surfaces.SURFACES), format_func=surface_name,
                            key=W + "cmp.surfaces", max_selections=compare.MAX_PANELS - 1)
    elif mode == "settings":
        _ensure("cmp_preset", None)
        cols[1].selectbox(t("cmp_preset"), options=list(compare.PRESETS), index=None, key="cmp_preset",
                          placeholder=t("cmp_preset_placeholder"), format_func=lambda p: t("preset_" + p),
                          on_change=_apply_preset)
        _ensure(W + "cmp.n", len(compare.DEFAULT_SETTINGS))
        cols[2].number_input(t("cmp_n"), min_value=2, max_value=compare.MAX_PANELS, step=1, key=W + "cmp.n")
    else:
        cols[1].caption(t("cmp_multiples_help", n=compare.MAX_MULTIPLES))


def panel_settings_controls():
    """Compare's "settings" mode: per panel, its optimizer and hyperparameters (sidebar)."""
    ss = st.session_state
    n = int(_ensure(W + "cmp.n", len(compare.DEFAULT_SETTINGS)))
    for i in range(1, n + 1):
        with st.sidebar.expander(t("cmp_panel", i=i), expanded=True):
            key = f"{W}cmp.p{i}.opt"
            if _ensure(key, compare.panel_default_optimizer(i)) not in OPTIMIZERS:
                ss[key] = compare.panel_default_optimizer(i)
            st.selectbox(t("cmp_optimizer"), options=list(OPTIMIZERS), format_func=opt_name, key=key,
                         on_change=_on_panel_optimizer, args=(i,))
            default = compare.panel_default(i, ss[key])
            for h in OPTIMIZERS[ss[key]].hyper:
                _ensure(f"{W}cmp.p{i}.{h.name}", default[h.name])
                hyper_widget(ss[key], h, key=f"{W}cmp.p{i}.{h.name}")
