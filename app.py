"""Descent Lab: the router. Declares the pages, the language switch and the URL sync, and warms
the engine once per server process."""
import streamlit as st

from ui import cache, state, widgets
from ui.i18n import t

st.set_page_config(page_title="Descent Lab", page_icon="⛰️", layout="wide", initial_sidebar_state="expanded")

with state.url_sync():
    with st.spinner(t("warming"), show_time=True):
        cache.warm_engine()
    page = st.navigation([st.Page("pages/playground.py", title=t("page_playground"), icon="⛰️", default=True,
                                  url_path="playground")])
    # widgets only after st.navigation: before it, the very first run of a server process computes
    # widget ids without the page, so the first click on them would be lost
    widgets.language_switch()
    page.run()
