"""Parts of a page that more than one page shows (the Reference and Lessons pages will too)."""
from __future__ import annotations

from collections import Counter

import streamlit as st

from lab.race import leaderboard as leaderboard_rows

from . import present
from .i18n import opt_name, opt_summary, surface_name, surface_summary, t


def update_rules(surface_id: str, surface, optimizers, hyper: dict) -> None:
    """The surface's formula, then each optimizer's update rule (LaTeX, for the variant and
    settings chosen) with its one-line explanation."""
    surface_formula(surface_id, surface)
    for oid in optimizers:
        optimizer_rule(oid, present.rule_of(oid, hyper[oid]))


def compare_rules(panels, panel_surfaces) -> None:
    """Compare's rules: each panel surface's formula once, then each optimizer's rule as its
    panels run it (``lab.compare.PanelRun`` lanes, their variants). An optimizer whose panels run
    different variants shows each, with the panels that use it."""
    seen = set()
    for p, surface in zip(panels, panel_surfaces):
        if p.surface_key not in seen:
            seen.add(p.surface_key)
            surface_formula(p.surface, surface)
    where: dict = {}                   # (optimizer, LaTeX) -> the panels (1-based) that run it
    for i, p in enumerate(panels, start=1):
        for lane in p.lanes:
            where.setdefault((lane.optimizer, present.rule_of(lane.optimizer, lane.hyper)), []).append(i)
    forms = Counter(oid for oid, _ in where)
    for (oid, latex), nums in where.items():
        optimizer_rule(oid, latex, t("rules_in_panels", panels=", ".join(map(str, nums)))
                       if forms[oid] > 1 else "")


def surface_formula(surface_id: str, surface) -> None:
    st.markdown(f"**{surface_name(surface_id)}** — {surface_summary(surface_id)}")
    st.latex(surface.spec.formula)
    if surface_id == "custom":
        custom_details(surface)


def optimizer_rule(oid: str, latex: str, where: str = "") -> None:
    st.markdown(f"**{opt_name(oid)}** {where}".rstrip() + f" — {opt_summary(oid)}")
    st.latex(latex)


def leaderboard(cfg, lanes, surface) -> None:
    """The leaderboard of ``cfg``'s lanes at its tolerance; with early stopping on, also where each
    run would stop, its loss there and final − at stop, with a line on how to read the sign."""
    rows = leaderboard_rows(lanes, surface, cfg.tol, early_stop=cfg.early_stop_rule)
    st.markdown(present.markdown_table(present.leaderboard_table(rows, early_stop=cfg.early_stop)))
    if cfg.early_stop:
        st.caption(t("es_table_note", patience=cfg.patience))


def _num(v: float) -> str:
    return f"{v:.4g}"


def custom_details(surface) -> None:
    """A typed surface's exact gradient and Hessian (LaTeX), its stationary points in the box
    with their kind, and what the search could not decide."""
    gx, gy = surface.gradient_latex
    hxx, hxy, hyy = surface.hessian_latex
    st.markdown(f"**{t('custom_gradient')}**")
    st.latex(rf"\nabla f=\begin{{pmatrix}}{gx}\\ {gy}\end{{pmatrix}}")
    st.markdown(f"**{t('custom_hessian')}**")
    st.latex(rf"H=\begin{{pmatrix}}{hxx} & {hxy}\\ {hxy} & {hyy}\end{{pmatrix}}")
    found = surface.stationary
    st.markdown(f"**{t('custom_points')}**")
    rows = [(t("custom_" + kind), p) for kind, pts in (("minimum", found.minima), ("saddle", found.saddles),
                                                       ("maximum", found.maxima), ("degenerate", found.degenerate))
            for p in pts]
    if rows:
        st.markdown("\n".join(f"- {t('custom_point_row', kind=k, x=_num(x), y=_num(y), f=_num(float(surface.value(x, y))))}"
                              for k, (x, y) in rows))
    for note in found.notes:
        st.caption(t("stationary_" + note))
    if not surface.smooth and "non_smooth" not in found.notes:
        st.caption(t("stationary_non_smooth"))
