"""Page-wide CSS (static, no user text): less empty space above the content, so the whole map
and its controls fit a 1280×720 projector screen."""
import streamlit as st

CSS = """
<style>
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 2.2rem !important; padding-bottom: 1rem;}
h4 {padding-top: 0 !important; padding-bottom: 0.1rem !important;}
</style>
"""


def apply():
    st.html(CSS)
