"""URL query string <-> ``st.session_state``: the one place the two are synchronised.

``url_sync()`` wraps a whole script run (app.py uses it around the page):

* on entry, if the URL is not the one this session last wrote (a fresh load, an edited or
  pasted link, the back button), it is decoded into the widgets' session-state keys; values
  that could not be used become notes the page shows;
* the page hands over its configuration with ``publish(cfg)``;
* on exit, that configuration is written back to the URL (only non-default values).
"""
from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from lab.config import Note, PlaygroundConfig, decode, encode

from . import widgets

_LAST = "_url_last"        # the query string this session last read or wrote
_NOTES = "_url_notes"      # notes of the last decode
_NOTES_FOR = "_url_notes_for"
_CFG = "_url_cfg"


def _canonical(q: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(q.items()))


def _query() -> dict:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp.keys()}


@contextmanager
def url_sync():
    ss = st.session_state
    q = _query()
    flat = {k: (v[-1] if v else "") for k, v in q.items()}
    if ss.get(_LAST) != _canonical(flat):
        cfg, notes = decode(q)
        widgets.load(cfg)
        ss[_NOTES] = notes
        ss[_NOTES_FOR] = _canonical(encode(cfg))
        ss[_LAST] = _canonical(flat)
    ss[_CFG] = None
    try:
        yield
    finally:       # also after st.stop(), which ends a page early by raising
        cfg = ss.get(_CFG)
        if cfg is not None:
            new = encode(cfg)
            if _canonical(new) != _canonical(flat):
                st.query_params.from_dict(new)
            ss[_LAST] = _canonical(new)


def publish(cfg: PlaygroundConfig) -> None:
    """The page's configuration, written to the URL when the run ends."""
    st.session_state[_CFG] = cfg


def notes(cfg: PlaygroundConfig) -> list[Note]:
    """Notes of the last decoded URL, while the configuration is still the one it produced."""
    ss = st.session_state
    if ss.get(_NOTES) and ss.get(_NOTES_FOR) == _canonical(encode(cfg)):
        return ss[_NOTES]
    return []
