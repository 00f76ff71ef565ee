"""The Playground's "start here" for a first visit: what the map and the paths are, press Play,
and the way to the first lesson. Dismissed once, it stays away for the session; never shown on a
projector (presentation mode) where it would cover the figure."""
from __future__ import annotations

import streamlit as st

from lab.lessons import LESSONS

from .i18n import lang, t

DISMISSED = "start_here_dismissed"      # session-state flag


def _dismiss() -> None:
    st.session_state[DISMISSED] = True


def show(container, presenting: bool) -> None:
    if presenting or st.session_state.get(DISMISSED):
        return
    box = container.container(border=True)
    box.markdown(f"**{t('start_here_title')}** {t('start_here_text')}")
    cols = box.columns([3, 1], vertical_alignment="center")
    first = LESSONS[0]
    cols[0].page_link("app_pages/lessons.py", label=t("start_here_lesson", title=first.text(lang())["title"]),
                      icon=":material/school:", query_params={"lesson": first.id, "lang": lang()})
    cols[1].button(t("start_here_dismiss"), key="start_here_ok", on_click=_dismiss, icon=":material/close:")
