"""Streamlit glue shared by every page: strings, URL state, widgets built from the catalogue,
cached computations and the fast figure hand-off."""
