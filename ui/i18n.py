"""The string lookup: ``t(key)`` in the current language, plus catalogue names and helps."""
from __future__ import annotations

import streamlit as st

import surfaces
from optim_core.catalogue import OPTIMIZERS

from . import strings_en, strings_zh

CATALOGUES = {"en": strings_en.STRINGS, "zh": strings_zh.STRINGS}
LANG_KEY = "w:lang"


def engine_english() -> dict:
    """The engine catalogues' own English, as UI keys: the fallback of every language for the
    names, summaries and helps the app shows (``opt.<id>.name``, ``opt.<id>.summary``,
    ``hyper.<id>.<name>.help``, ``surface.<id>.name``, ``surface.<id>.summary``,
    ``surface.<id>.<param>.help``). A translation lives in that language's string catalogue."""
    out = {}
    for oid, spec in OPTIMIZERS.items():
        out[f"opt.{oid}.name"], out[f"opt.{oid}.summary"] = spec.name, spec.summary
        out.update({f"hyper.{oid}.{h.name}.help": h.help for h in spec.hyper})
    for sid, spec in surfaces.SURFACES.items():
        out[f"surface.{sid}.name"], out[f"surface.{sid}.summary"] = spec.name, spec.summary
        out.update({f"surface.{sid}.{p.name}.help": p.help for p in spec.all_params})
    return out


ENGINE_EN = engine_english()


def lang() -> str:
    v = st.session_state.get(LANG_KEY, "en")
    return v if v in CATALOGUES else "en"


def t(key: str, **fmt) -> str:
    """The UI string ``key`` in the current language (English if missing), formatted."""
    for catalogue in (CATALOGUES[lang()], CATALOGUES["en"], ENGINE_EN):   # "" is a real value
        if key in catalogue:
            s = catalogue[key]
            break
    else:
        raise KeyError(key)
    return s.format(**fmt) if fmt else s


def opt_name(oid: str) -> str:
    return t(f"opt.{oid}.name")


def opt_summary(oid: str) -> str:
    return t(f"opt.{oid}.summary")


def surface_name(sid: str) -> str:
    return t(f"surface.{sid}.name")


def surface_summary(sid: str) -> str:
    return t(f"surface.{sid}.summary")


def hyper_help(oid: str, name: str) -> str:
    """The hyperparameter's help, and the course notes' default where it differs from ours."""
    text = t(f"hyper.{oid}.{name}.help")
    notes = OPTIMIZERS[oid].notes_defaults
    if isinstance(notes.get(name), (int, float)) and not isinstance(notes[name], bool):   # a variant says so itself
        text += t("hyper_notes_default", value=f"{notes[name]:g}")
    return text


def surface_param_help(sid: str, name: str) -> str:
    return t(f"surface.{sid}.{name}.help")


def figure_text(prefix: str = "fig_") -> dict:
    """Every ``fig_*`` string without its prefix: the text dict the figure builders take."""
    return {k[len(prefix):]: t(k) for k in CATALOGUES["en"] if k.startswith(prefix)}
