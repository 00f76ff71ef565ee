"""The Reference page's parts: one optimizer's entry (rules, hyperparameters, paper, the notes and
torch.optim, "try it" links)."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from lab import config, reference
from lab.lessons import BY_ID

from . import present
from .controls import setting
from .i18n import hyper_help, lang, opt_name, opt_summary, t


def focus_control() -> None:
    setting("opt", t("ref_focus"), format_func=lambda oid: opt_name(oid) if oid else t("ref_focus_none"))


def _value(v) -> str:
    return present.fmt_num(v, 4) if isinstance(v, float) else str(v)


def entry(e: reference.Entry, expanded: bool) -> None:
    with st.expander(opt_name(e.id), expanded=expanded):          # its family is the heading above it
        st.markdown(opt_summary(e.id))
        for i, (label, rule) in enumerate(e.rules):
            if label:
                st.caption(t("ref_variant_default" if i == 0 else "ref_variant", variant=label))
            st.latex(rule)
        rows = [{t("ref_col_name"): h.name, t("ref_col_default"): _value(h.default),
                 t("ref_col_notes"): "" if h.notes_default is None else _value(h.notes_default),
                 t("ref_col_allowed"): h.allowed, t("ref_col_meaning"): hyper_help(e.id, h.name)} for h in e.hyper]
        st.markdown(present.markdown_table(rows))
        st.markdown(f"**{t('ref_paper')}** {e.paper}")
        st.markdown(f"**{t('ref_notes')}** {t(f'ref.{e.id}.notes')}")
        st.markdown(f"**{t('ref_torch')}** {t(f'ref.{e.id}.torch')}")
        cols = st.columns([1, 3], vertical_alignment="top")
        cols[0].page_link("app_pages/playground.py", label=t("ref_try"), icon=":material/play_arrow:",
                          query_params=config.encode(replace(reference.try_it(e.id), lang=lang())))
        with cols[1]:
            if e.lessons:
                st.markdown(f"**{t('ref_lessons')}**")
                for lid in e.lessons:
                    st.page_link("app_pages/lessons.py", label=BY_ID[lid].text(lang())["title"],
                                 icon=":material/school:", query_params={"lesson": lid, "lang": lang()})
