"""URL query string <-> ``st.session_state``: the one place the two are synchronised.

``url_sync(page)`` wraps a whole script run (app.py uses it around the page):

* on entry, if the URL is not the one this session last wrote (a fresh load, an edited or
  pasted link, the back button), it is decoded with the page's codec into the widgets'
  session-state keys; values that could not be used become notes the page shows. Not when it
  is the URL that write replaced and the widgets moved since: a stale URL the browser sent with
  a quick second change, before the first change's write reached it. Moving to
  another page with an empty query string keeps the current settings (Streamlit clears the
  query string on a page switch; the settings are shared by the pages);
* a session the server does not know yet, for a page the browser already shows (its replica
  died, or the session expired while the laptop slept), is built from the URL too; but the
  browser also reports its widgets, one of them perhaps just changed: a value it reports that
  differs from the URL's is applied in one more run, so that change is not lost;
* the page hands over its configuration with ``publish(cfg)``;
* on exit, that configuration is written back to the URL (only non-default values).
"""
from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from lab import config
from lab.fields import canonical_query

from . import binding, controls
from .i18n import lang

_LAST = "_url_last"        # the query string this session last read or wrote
_PAGE = binding.PAGE      # the page it belonged to
_NOTES = "_url_notes"      # notes of the last decode
_NOTES_FOR = "_url_notes_for"
_CFG = "_url_cfg"
_WIDGETS = "_url_widgets"  # the configuration the widgets held when this session last wrote the URL
_REPLACED = "_url_replaced"  # the query string that write replaced
_REPORTED = "_url_reported"  # widget values the browser reported to a new session, still to apply


def _query() -> dict:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp.keys()}


@contextmanager
def url_sync(page: str):
    ss = st.session_state
    schema = binding.schema(page)
    q = _query()
    flat = {k: (v[-1] if v else "") for k, v in q.items()}
    switched = ss.get(_PAGE) not in (None, page)
    ss[_PAGE] = page
    controls.keep_widget_state()
    for key, value in ss.pop(_REPORTED, {}).items():
        ss[key] = value
    binding.new_run()
    reported = _reported_widgets() if _LAST not in ss else set()     # a new session's first run
    relabel = False
    if ss.get(_LAST) != canonical_query(flat) and not (switched and not flat) \
            and not (not switched and _stale(ss, schema, page, flat)):
        lang_before = lang()
        cfg, notes = schema.decode(q)
        binding.load(cfg, page)
        ss[_NOTES] = notes
        ss[_NOTES_FOR] = schema.canonical(cfg)
        ss[_LAST] = canonical_query(flat)
        # the page names in the navigation were drawn in the old language: run again, at once
        # or, if the browser reported its widgets, once they are drawn and read (below)
        relabel = lang() != lang_before
        if relabel and not reported:
            st.rerun()
    ss[_CFG] = None
    try:
        yield
    finally:       # also after st.stop(), which ends a page early by raising
        cfg = ss.get(_CFG)
        if cfg is not None:
            new = schema.encode(cfg)
            if canonical_query(new) != canonical_query(flat):
                st.query_params.from_dict(new)
                ss[_REPLACED] = canonical_query(flat)
            ss[_LAST] = canonical_query(new)
            ss[_WIDGETS] = schema.canonical(cfg)    # what publish() was handed: the widgets at page start
        newer = _newer_than_url(reported)
        if newer or relabel:
            ss[_REPORTED] = newer
            st.rerun()


def _session_internals():
    """Streamlit's own session state behind ``st.session_state``: no public API gives the widget
    values a browser sent before their widgets are drawn. The failover tests of
    tests/test_app_playground.py fail if a Streamlit upgrade moves these attributes."""
    from streamlit.runtime.state.session_state_proxy import get_session_state
    return get_session_state()._state


def _reported_widgets() -> set:
    """The ids of the widgets the browser reported with this run's request (none if Streamlit's
    internals moved: the URL alone then decides, as for a fresh page load)."""
    try:
        return set(_session_internals()._new_widget_state.states)
    except AttributeError:
        return set()


def _newer_than_url(reported: set) -> dict:
    """{widget key: value} of the settings' widgets this run drew whose value the browser
    reported and the URL's decode overrode with another (their metadata, now registered,
    lets Streamlit deserialise what the browser sent)."""
    out = {}
    try:
        inner = _session_internals() if reported else None
        keys = inner._key_id_mapper.id_key_mapping if reported else {}
    except AttributeError:
        return out
    for wid in reported:
        key = keys.get(wid)
        if isinstance(key, str) and key.startswith(controls.KEPT):
            try:
                value = inner._new_widget_state[wid]
            except (KeyError, ValueError, IndexError, TypeError):   # not drawn by this run, or not
                continue                                             # a value its options allow
            if value != st.session_state.get(key):
                out[key] = value
    return out


def _stale(ss, schema, page: str, flat: dict) -> bool:
    """The URL is the one this session's last write replaced, and the widgets have moved since
    that write: the browser sent a quick second change with the URL from before the first one's
    write reached it (a slider moved twice in quick succession). Decoding it would undo the newer
    change. The back button brings the same URL back with the widgets as the write left them."""
    return (canonical_query(flat) == ss.get(_REPLACED) and ss.get(_WIDGETS) is not None
            and schema.canonical(binding.read(page)) != ss[_WIDGETS])


def publish(cfg) -> None:
    """The page's configuration, written to the URL when the run ends (``ui.page.start`` calls
    this: a page cannot forget)."""
    st.session_state[_CFG] = cfg


def notes(cfg) -> list[config.Note]:
    """Notes of the last decoded URL, while the configuration is still the one it produced."""
    ss = st.session_state
    if ss.get(_NOTES) and ss.get(_NOTES_FOR) == binding.schema().canonical(cfg):
        return ss[_NOTES]
    return []


def open_in_playground(scene) -> None:
    """Go to the Playground showing ``scene`` (a PlaygroundConfig): a grid cell's own run. Its URL
    is decoded there like a pasted link, so the pages' shared settings become the scene's."""
    st.switch_page("app_pages/playground.py", query_params=config.encode(scene))
