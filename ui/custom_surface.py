"""The sidebar's controls of the typed surface (``surfaces.custom``): the function, its plotting
box, what the parser allows, and the refusal of a bad entry right under its box."""
from __future__ import annotations

import streamlit as st

import surfaces
from lab.config import Domain, Expression
from lab.fields import BadValue, Note
from surfaces.expression import FUNCTIONS, TWO_ARGUMENTS

from . import binding, present
from .controls import setting
from .i18n import t


def reset_settings(reset: tuple):
    """A new function or box starts from its own start point (the settings ``reset``)."""
    for key in reset:
        st.session_state.pop("w:" + key, None)
    binding.new_run()


def controls(sb, reset: tuple = ("x0", "y0"), where: bool = True) -> surfaces.CustomSurface:
    """The typed function and its box, each with its refusal right under it, and the grammar (the
    function's LaTeX, gradient, Hessian and stationary points need the width of the main area:
    ``sections.custom_details``, in the rules tab, which ``where`` points to). A new function or
    box resets the settings ``reset`` (the start point). Returns the surface."""
    ss = st.session_state
    on_change = dict(on_change=reset_settings, args=(reset,))
    setting("expr", t("expr"), container=sb, help=t("expr_help"), **on_change)
    problem = expression_problem(ss.get("w:expr", ""))
    if problem:
        sb.error(problem, icon="✖")
    sb.caption(t("expr_grammar", functions=", ".join(f"`{f}`" for f in FUNCTIONS + TWO_ARGUMENTS)))
    setting("domain", t("domain"), container=sb, help=t("domain_help"), **on_change)
    try:
        Domain().take(ss.get("w:domain", ""))
    except ValueError:
        sb.error(t("note_domain"), icon="✖")
    if where:
        sb.caption(t("custom_where"))
    return surfaces.custom(binding.value("expr"), binding.value("domain"))


def expression_problem(text: str) -> str:
    """The refusal of ``text`` in words (with where it is), or "" when it is accepted."""
    try:
        Expression().parse(text)
    except BadValue as bad:
        return present.problem_text(Note("expr", bad.problem, bad.detail, bad.at))
    return ""
