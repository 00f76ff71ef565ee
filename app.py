"""Descent Lab: the router. Declares the pages, the language switch and the URL sync, and starts
compiling the engine's kernels in the background once per server process."""
import streamlit as st

from ui import cache, sidebar, state
from ui.i18n import t

st.set_page_config(page_title="Descent Lab", page_icon="⛰️", layout="wide", initial_sidebar_state="expanded")

PAGES = {"playground": ("app_pages/playground.py", ":material/landscape:"),
         "lessons": ("app_pages/lessons.py", ":material/school:"),
         "compare": ("app_pages/compare.py", ":material/view_column:"),
         "sweep": ("app_pages/sweep.py", ":material/grid_on:"),
         "basins": ("app_pages/basins.py", ":material/bubble_chart:"),
         "reference": ("app_pages/reference.py", ":material/menu_book:")}

page = st.navigation([st.Page(path, title=t("page_" + pid), icon=icon, default=(pid == "playground"), url_path=pid)
                      for pid, (path, icon) in PAGES.items()])
with state.url_sync(page.url_path or "playground"):
    cache.engine_warmup()   # returns at once; a page waits only for the kernels it runs
    # widgets only after st.navigation: before it, the very first run of a server process computes
    # widget ids without the page, so the first click on them would be lost
    sidebar.language_switch()
    page.run()
