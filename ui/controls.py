"""Generic widgets. A setting's widget is drawn by one call naming its URL key: its range, its
default and its options come from the page's table of settings (``ui.binding.field``)."""
from __future__ import annotations

import math

import streamlit as st

from lab.fields import Choice, Flag, IdList, Number

from . import binding

KEPT = ("w:", "v:", "x:")   # widget values (w:), view choices (v:), expanders' and tabs' open state (x:)


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


def short_number(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def ensure(key: str, default):
    """The session-state value of ``key``, set to ``default`` first when it has none."""
    if key not in st.session_state:
        st.session_state[key] = default
    return st.session_state[key]


def number_widget(key, label, lo, hi, default, *, log=False, integer=False, help=None, container=st, **kw):
    """A slider (log-spaced options where ``log``), or an integer input, for a numeric value."""
    cur = ensure(key, default)
    if integer:
        st.session_state[key] = int(min(max(int(cur), int(lo)), int(hi)))
        return container.number_input(label, min_value=int(lo), max_value=int(hi), step=kw.pop("step", 1), key=key,
                                      help=help, **kw)
    if log and lo > 0:
        opts = log_options(lo, hi, cur, default)
        if cur not in opts:
            st.session_state[key] = min(opts, key=lambda v: abs(math.log(v) - math.log(max(float(cur), lo))))
        return container.select_slider(label, options=opts, format_func=short_number, key=key, help=help, **kw)
    span = float(hi) - float(lo)
    step = 10.0 ** (math.floor(math.log10(span)) - 4) if span > 0 else 1e-4
    decimals = max(0, -int(math.floor(math.log10(step))))
    st.session_state[key] = float(min(max(float(cur), float(lo)), float(hi)))
    return container.slider(label, min_value=float(lo), max_value=float(hi), step=step, key=key, help=help,
                            format=f"%.{min(decimals, 6)}f", **kw)


def setting(key: str, label: str, *, container=st, widget: str = "", format_func=str, **kw):
    """The widget of setting ``key`` (its URL key), chosen by its kind: a number -> slider, log
    slider or integer input; a choice -> ``widget`` "selectbox" (default), "segmented" or "radio";
    a flag -> toggle; an id list -> ``widget`` "multiselect" (default) or "pills". ``kw`` goes to
    the Streamlit widget (help, on_change, ...)."""
    f = binding.field(key)
    k, wkey = f.kind, f.widget_key
    if isinstance(k, Number):
        if widget == "input":      # a free number box (the start point: any value in range)
            cur = ensure(wkey, f.default)
            st.session_state[wkey] = float(min(max(float(cur), k.lo), k.hi))
            return container.number_input(label, min_value=float(k.lo), max_value=float(k.hi), key=wkey, **kw)
        return number_widget(wkey, label, k.lo, k.hi, f.default, log=k.log, integer=k.integer, container=container,
                             **kw)
    if isinstance(k, Flag):
        ensure(wkey, f.default)
        return container.toggle(label, key=wkey, **kw)
    if isinstance(k, Choice):
        options = list(k.choices) if f.default in k.choices else [f.default, *k.choices]
        if ensure(wkey, f.default) not in options:
            st.session_state[wkey] = f.default
        if widget == "segmented":
            return container.segmented_control(label, options=options, key=wkey, required=True,
                                               format_func=format_func, **kw)
        if widget == "radio":
            return container.radio(label, options=options, key=wkey, format_func=format_func, **kw)
        return container.selectbox(label, options=options, key=wkey, format_func=format_func, **kw)
    if isinstance(k, IdList):
        cur = ensure(wkey, list(f.default))
        st.session_state[wkey] = [i for i in cur if i in k.choices]
        if widget == "pills":
            return container.pills(label, options=list(k.choices), selection_mode="multi", key=wkey,
                                   format_func=format_func, **kw)
        return container.multiselect(label, options=list(k.choices), key=wkey, format_func=format_func,
                                     max_selections=k.max_items or None, **kw)
    if getattr(k, "text_widget", False):    # typed text (the custom surface's function and box)
        ensure(wkey, f.to_widget(f.default, {}))
        return container.text_input(label, key=wkey, **kw)
    raise TypeError(f"no widget for {type(k).__name__}")


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
