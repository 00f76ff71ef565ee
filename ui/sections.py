"""Parts of a page that more than one page shows (the Reference and Lessons pages will too)."""
from __future__ import annotations

import streamlit as st

from . import present
from .i18n import opt_name, opt_summary, surface_name, surface_summary


def update_rules(surface_id: str, surface, optimizers, hyper: dict) -> None:
    """The surface's formula, then each optimizer's update rule (LaTeX, for the variant and
    settings chosen) with its one-line explanation."""
    st.markdown(f"**{surface_name(surface_id)}** — {surface_summary(surface_id)}")
    st.latex(surface.spec.formula)
    for oid in optimizers:
        st.markdown(f"**{opt_name(oid)}** — {opt_summary(oid)}")
        st.latex(present.rule_of(oid, hyper[oid]))
