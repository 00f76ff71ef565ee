"""The string lookup: ``t(key)`` in the current language, plus catalogue names and helps."""
from __future__ import annotations

import streamlit as st

import surfaces
from optim_core.catalogue import OPTIMIZERS

from . import strings_en, strings_zh

CATALOGUES = {"en": strings_en.STRINGS, "zh": strings_zh.STRINGS}
LANG_KEY = "w:lang"


def lang() -> str:
    v = st.session_state.get(LANG_KEY, "en")
    return v if v in CATALOGUES else "en"


def t(key: str, **fmt) -> str:
    """The UI string ``key`` in the current language (English if missing), formatted."""
    s = CATALOGUES[lang()].get(key) or CATALOGUES["en"][key]
    return s.format(**fmt) if fmt else s


def opt_name(oid: str) -> str:
    spec = OPTIMIZERS[oid]
    return spec.name_zh if lang() == "zh" else spec.name


def opt_summary(oid: str) -> str:
    spec = OPTIMIZERS[oid]
    return spec.summary_zh if lang() == "zh" else spec.summary


def surface_name(sid: str) -> str:
    spec = surfaces.SURFACES[sid]
    return spec.name_zh if lang() == "zh" else spec.name


def surface_summary(sid: str) -> str:
    spec = surfaces.SURFACES[sid]
    return spec.summary_zh if lang() == "zh" else spec.summary


def help_of(item) -> str:
    """The help text of a catalogue Hyper or SurfaceParam in the current language."""
    return (item.help_zh if lang() == "zh" and item.help_zh else item.help) or ""


def figure_text(prefix: str = "fig_") -> dict:
    """Every ``fig_*`` string without its prefix: the text dict the figure builders take."""
    return {k[len(prefix):]: t(k) for k in CATALOGUES["en"] if k.startswith(prefix)}
