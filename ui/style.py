"""Page-wide CSS (static, no user text): less empty space above the content, so the whole map
and its controls fit a 1280×720 projector screen; in presentation mode no sidebar, no header,
the full width and larger text."""
import streamlit as st

CSS = """
<style>
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 2.2rem !important; padding-bottom: 1rem;}
h4 {padding-top: 0 !important; padding-bottom: 0.1rem !important;}
</style>
"""

PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 0.4rem 1rem 1rem 1rem !important;
  max-width: 100% !important;}
[data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] {font-size: 1.3rem !important;}
[data-testid="stMarkdownContainer"] h4 {font-size: 1.7rem !important;}
[data-testid="stDataFrame"], [data-testid="stTable"] {font-size: 1.2rem !important;}
</style>
"""


def apply(present: bool = False):
    st.html(PRESENT_CSS if present else CSS)
