"""Plotly figure builders for Descent Lab. They return plain figure dicts (already valid, at
display precision) and know nothing of Streamlit."""
from .palette import COLOURS, SYMBOLS, colour, symbol  # noqa: F401
