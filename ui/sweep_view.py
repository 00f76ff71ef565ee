"""The Sweep page's three views (map, lines, tuning): each draws its figure through
``ui.grid_cache``, its caption and tables, and turns a click into the Playground's URL."""
from __future__ import annotations

import math
from urllib.parse import urlencode

import streamlit as st

from lab import config, sweep
from lab.race import lane_hyper, leaderboard

from . import cache, grid_cache, present, state
from .fastfig import PrebuiltFigure
from .i18n import opt_name, t
from .present import fmt_num

CHART = {"displaylogo": False, "scrollZoom": False, "displayModeBar": False}


def _clicked(event):
    """The customdata of the point a click selected, or None."""
    points = event.selection.points if event else []
    return points[0].get("customdata") if points else None, (points[0] if points else None)


def show_map(frame, sc, text, presenting) -> None:
    m = grid_cache.sweep_map(sc)
    mine = lane_hyper(sc.base, sc.optimizer)[0]
    fig = grid_cache.sweep_map_fig(sc, m, (mine[sc.x], mine[sc.y]), text, presenting)
    event = frame.main.plotly_chart(PrebuiltFigure(fig), key="sweep_map", on_select="rerun",
                                    selection_mode="points", config=CHART)
    cell, _ = _clicked(event)
    if cell:
        j, i = cell
        state.open_in_playground(sweep.playground_scene(sc, sc.optimizer, {sc.x: m.xs[i], sc.y: m.ys[j]}))
    fixed = ", ".join(f"{k}={config.fmt(v)}" for k, v in m.fixed.items())
    lines = [t("sw_caption_map", opt=opt_name(sc.optimizer), n=sc.res, steps=sc.base.steps, fixed=fixed or "—",
               share=f"{(m.status == 0).mean():.0%}")]
    if math.isfinite(m.edge):
        lines.append(t("sw_edge_note", edge=fmt_num(m.edge, 3)))
    st.caption("  \n".join(lines + ([] if presenting else [t("sw_click_hint")])))


def show_lines(frame, sc, text, presenting) -> None:
    curves = grid_cache.sweep_lines(sc)
    names = {oid: opt_name(oid) for oid in sc.base.optimizers}
    edge = sweep.gd_edge(cache.surface(sc.base.surface_key)) if "sgd" in sc.base.optimizers and sc.x == "lr" else math.nan
    fig = grid_cache.sweep_lines_fig(sc, curves, edge, names, text, presenting)
    event = frame.main.plotly_chart(PrebuiltFigure(fig), key="sweep_lines", on_select="rerun",
                                    selection_mode="points", config=CHART)
    oid, point = _clicked(event)
    if oid in sc.base.optimizers:
        state.open_in_playground(sweep.playground_scene(sc, oid, {sc.x: float(point["x"])}))
    lines = [t("sw_caption_line", n=sc.res, name=sc.x, steps=sc.base.steps)]
    if math.isfinite(edge):
        lines.append(t("sw_edge_note", edge=fmt_num(edge, 3)))
    st.caption("  \n".join(lines + ([] if presenting else [t("sw_click_hint")])))


def show_tuning(frame, sc, text, presenting) -> None:
    tuned = grid_cache.tuning(sc)
    names = {oid: opt_name(oid) for oid in sc.base.optimizers}
    label = t("sw_obj_" + sc.objective)
    frame.main.plotly_chart(PrebuiltFigure(grid_cache.tuning_fig(sc, tuned, names, label, text, presenting)),
                            key="sweep_tune", config=CHART)
    st.markdown(t("sw_budget", runs=tuned.runs, steps=sc.base.steps, total=f"{tuned.budget:,}", objective=label))
    st.markdown(present.markdown_table(tuning_table(tuned)))
    first_yours, first_tuned = tuned.ranking(False)[0], tuned.ranking(True)[0]
    if tuned.disagree:
        st.warning(t("sw_disagree", a=opt_name(first_yours), b=opt_name(first_tuned)))
    else:
        st.info(t("sw_agree", a=opt_name(first_tuned)))
    scene = sweep.tuned_config(sc, tuned)
    st.subheader(t("sw_tuned_title"))
    lanes = cache.race(scene)
    runs, labels = [(ln.optimizer, ln.result) for ln in lanes if ln.ok], present.legend_labels(lanes)
    if runs:
        surf = cache.surface(scene.surface_key)
        st.plotly_chart(PrebuiltFigure(cache.main_figure(scene, surf, runs, labels, None, text, presenting)),
                        key="sweep_tuned_map", config=CHART)
        st.markdown(present.markdown_table(present.leaderboard_table(leaderboard(lanes, surf, scene.tol))))
    if not presenting:
        st.link_button(t("sw_open"), "playground?" + urlencode(config.encode(scene)))


def _setting_text(r) -> str:
    parts = [f"lr={fmt_num(r.best['lr'], 3)}"]
    if r.extra:
        parts.append(f"{r.extra}={fmt_num(r.best[r.extra], 3)}")
    return ", ".join(parts)


def tuning_table(tuning) -> list[dict]:
    """One row per optimizer (``lab.sweep.Tuning``): its objective at the sidebar's setting and
    tuned, the chosen setting, the good lr range and its width, and both ranks."""
    yours = {oid: i for i, oid in enumerate(tuning.ranking(False), start=1)}
    tuned = {oid: i for i, oid in enumerate(tuning.ranking(True), start=1)}
    out = []
    for r in sorted(tuning.results, key=lambda r: tuned[r.optimizer]):
        ok = math.isfinite(r.best_value)
        lo, hi = r.robust
        out.append({
            t("col_optimizer"): opt_name(r.optimizer),
            t("sw_col_at_yours"): fmt_num(r.base_value, 3) if math.isfinite(r.base_value) else "✖",
            t("sw_col_rank_yours"): yours[r.optimizer],
            t("sw_col_tuned"): fmt_num(r.best_value, 3) if ok else "✖",
            t("sw_col_setting"): _setting_text(r) if ok else t("sw_failed_all"),
            t("sw_col_robust"): f"{fmt_num(lo, 2)} – {fmt_num(hi, 2)}" if ok else "—",
            t("sw_col_decades"): fmt_num(r.robust_decades, 2) if ok else "—",
            t("sw_col_rank_tuned"): tuned[r.optimizer],
        })
    return out
