"""A page's configuration <-> its widgets' values in ``st.session_state``, generated from the
page's table of settings (``lab.fields``): a setting's widget key is ``"w:" + its URL key`` and
its value lives in the session state (set before the widget is drawn, never passed as
``value=``), so loading a URL only writes session-state keys.
"""
from __future__ import annotations

import streamlit as st

from lab import basins, compare, config, lessons, reference, sweep
from lab.fields import Field, Schema, lookup

SCHEMAS: dict[str, Schema] = {"playground": config.PLAYGROUND, "compare": compare.COMPARE,
                              "sweep": sweep.SWEEP, "basins": basins.BASINS,
                              "lessons": lessons.LESSON_PAGE, "reference": reference.REFERENCE}
PAGE = "_url_page"          # the page this session is on (written by ui.state)
_ROWS = "_rows"             # this run's rows, by key
_MISSING = object()


def schema(page: str | None = None) -> Schema:
    """The table of ``page`` (default: the current page). A page without settings of its own
    shares the Playground's."""
    return SCHEMAS.get(page or st.session_state.get(PAGE, "playground"), config.PLAYGROUND)


def _from_session(f: Field, v: dict):
    w = st.session_state.get(f.widget_key, _MISSING)
    return f.default if w is _MISSING else f.from_widget(w, v)


def read(page: str | None = None):
    """The configuration the widgets show now (a value no widget holds takes its default)."""
    sch = schema(page)
    return sch.build(sch.walk(_from_session))


def load(cfg, page: str | None = None) -> None:
    """Write ``cfg`` into the widgets' session-state keys (before any widget is drawn)."""
    ss = st.session_state

    def put(f: Field, v: dict):
        value = lookup(cfg, f.attr)
        ss[f.widget_key] = f.to_widget(value, v)
        return value
    schema(page).walk(put)
    new_run()


def new_run() -> None:
    """Forget the rows computed so far (the URL sync calls this at the start of every run)."""
    st.session_state[_ROWS] = None


def _rows() -> dict:
    ss = st.session_state
    rows = ss.get(_ROWS)
    if rows is None:
        rows = ss[_ROWS] = {f.key: (f, value) for f, value in schema().walk(_from_session)}
    return rows


def rows() -> list[Field]:
    """This run's rows of the current page, in table order."""
    return [f for f, _ in _rows().values()]


def field(key: str) -> Field:
    """The row ``key`` of the current page as the current values make it (its range, its
    default), computed once per run."""
    rows = _rows()
    if key not in rows:
        raise KeyError(f"no setting {key!r} on this page")
    return rows[key][0]


def value(key: str):
    """The value of setting ``key`` at the start of this run (as the configuration holds it)."""
    field(key)
    return _rows()[key][1]


def reset(group: str) -> None:
    """Set every setting of ``group`` (e.g. "surface", "hyper", "cmp.p2") back to its default as
    the other values make it (a new surface's own start, a panel's new optimizer's defaults)."""
    ss = st.session_state

    def put(f: Field, v: dict):
        if f.group == group:
            ss[f.widget_key] = f.to_widget(f.default, v)
        return _from_session(f, v)
    schema().walk(put)
    new_run()
