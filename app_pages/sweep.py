"""Sweep: one metric over a grid of settings, one curve per optimizer, or fair tuning."""
from urllib.parse import urlencode

import streamlit as st

from lab import config, sweep
from lab.race import lane_hyper, leaderboard
from ui import cache, page, present, toolbars
from ui.fastfig import PrebuiltFigure
from ui.i18n import figure_text, opt_name, t

frame = page.start("sweep", above=toolbars.sweep_controls)
sc, presenting = frame.cfg, frame.presenting
slots = frame.controls or {}
try:
    sweep.check(sc)
except sweep.SweepRefused as e:   # said next to the widget that can fix it; nothing to draw until then
    slots.get(e.widget, frame.notes).error(t(e.key, **{k: present.fmt_num(v, 6) for k, v in e.values.items()}))
    st.stop()

text = figure_text()
names = {oid: opt_name(oid) for oid in sc.base.optimizers}
chart = {"displaylogo": False, "scrollZoom": False, "displayModeBar": False}


def open_in_playground(scene) -> None:
    st.switch_page("app_pages/playground.py", query_params=config.encode(scene))


if sc.mode == "map":
    m = cache.sweep_map(sc)
    mine = lane_hyper(sc.base, sc.optimizer)[0]
    fig = cache.sweep_map_fig(sc, m, (mine[sc.x], mine[sc.y]), text, presenting)
    event = frame.main.plotly_chart(PrebuiltFigure(fig), key="sweep_map", on_select="rerun",
                                    selection_mode="points", config=chart)
    points = event.selection.points if event else []
    if points and points[0].get("customdata"):
        j, i = points[0]["customdata"]
        open_in_playground(sweep.playground_scene(sc, sc.optimizer, {sc.x: m.xs[i], sc.y: m.ys[j]}))
    fixed = ", ".join(f"{k}={config.fmt(v)}" for k, v in m.fixed.items())
    lines = [t("sw_caption_map", opt=opt_name(sc.optimizer), n=sc.res, steps=sc.base.steps, fixed=fixed or "—",
               share=f"{(m.status == 0).mean():.0%}")]
    if m.edge == m.edge:
        lines.append(t("sw_edge_note", edge=present.fmt_num(m.edge, 3)))
    st.caption("  \n".join(lines + ([] if presenting else [t("sw_click_hint")])))
elif sc.mode == "line":
    curves = cache.sweep_lines(sc)
    edge = sweep.gd_edge(sc.base.surface_object()) if "sgd" in sc.base.optimizers and sc.x == "lr" else float("nan")
    fig = cache.sweep_lines_fig(sc, curves, edge, names, text, presenting)
    event = frame.main.plotly_chart(PrebuiltFigure(fig), key="sweep_lines", on_select="rerun",
                                    selection_mode="points", config=chart)
    points = event.selection.points if event else []
    if points and points[0].get("customdata") in sc.base.optimizers:
        open_in_playground(sweep.playground_scene(sc, points[0]["customdata"], {sc.x: float(points[0]["x"])}))
    lines = [t("sw_caption_line", n=sc.res, name=sc.x, steps=sc.base.steps)]
    if edge == edge:
        lines.append(t("sw_edge_note", edge=present.fmt_num(edge, 3)))
    st.caption("  \n".join(lines + ([] if presenting else [t("sw_click_hint")])))
else:
    tuned = cache.tuning(sc)
    label = t("sw_obj_" + sc.objective)
    frame.main.plotly_chart(PrebuiltFigure(cache.tuning_fig(sc, tuned, names, label, text, presenting)),
                            key="sweep_tune", config=chart)
    st.markdown(t("sw_budget", runs=tuned.runs, steps=sc.base.steps, total=f"{tuned.budget:,}", objective=label))
    st.markdown(present.markdown_table(present.tuning_table(tuned)))
    a, b = tuned.ranking(False)[0], tuned.ranking(True)[0]
    (st.warning if tuned.disagree else st.info)(
        t("sw_disagree", a=opt_name(a), b=opt_name(b)) if tuned.disagree else t("sw_agree", a=opt_name(b)))
    scene = sweep.tuned_config(sc, tuned)
    st.subheader(t("sw_tuned_title"))
    lanes = cache.race(scene)
    runs, labels = [(ln.optimizer, ln.result) for ln in lanes if ln.ok], present.legend_labels(lanes)
    if runs:
        surf = cache.surface(scene.surface_key)
        st.plotly_chart(PrebuiltFigure(cache.main_figure(scene, surf, runs, labels, None, text, presenting)),
                        key="sweep_tuned_map", config=chart)
        st.markdown(present.markdown_table(present.leaderboard_table(leaderboard(lanes, surf, scene.tol))))
    if not presenting:
        st.link_button(t("sw_open"), "playground?" + urlencode(config.encode(scene)))
