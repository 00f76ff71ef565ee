"""The Playground: optimizers racing across a surface, animated in the browser."""
from functools import partial

import streamlit as st

from lab.race import leaderboard
from ui import cache, present, state, style, widgets
from ui.export import export_section
from ui.fastfig import PrebuiltFigure
from ui.i18n import figure_text, opt_name, opt_summary, surface_name, surface_summary, t
from viz.common import Panel

presenting = bool(st.session_state.get("w:present", False))
style.apply(presenting)
widgets.sidebar_controls()
widgets.presentation_toggle()
steps = int(st.session_state.get("w:steps", 300))
head = st.columns([5, 1], vertical_alignment="center")
head[0].markdown(f"#### {t('app_title')} · {t('page_playground')}")
if presenting:
    with head[1]:
        widgets.exit_presentation_button()
notes_slot = st.container()
map_slot = st.container()
if not presenting:
    widgets.view_controls(steps)
cfg = widgets.read()
state.publish(cfg)

note_lines = present.note_lines(state.notes(cfg))
if note_lines:
    notes_slot.warning(t("notes_title") + "  \n" + "  \n".join(note_lines), icon="⚠️")
if not cfg.optimizers:
    st.info(t("no_optimizer"))
    st.stop()

surf = cache.surface(cfg.surface, tuple(sorted(cfg.surface_params.items())))
lanes = cache.race(cfg.run_key(), cfg)
runs = [(ln.optimizer, ln.result) for ln in lanes if ln.ok]
labels = present.legend_labels(lanes)
for ln in lanes:
    if not ln.ok:
        notes_slot.error(t("engine_refused", name=opt_name(ln.optimizer), message=ln.error))
text = figure_text()
inside = None if presenting or not cfg.inside_optimizer else cfg.inside_optimizer   # projector: the map alone
if inside:
    text["inside_of"] = t("fig_inside_of", name=opt_name(inside))
fig_key = f"{cfg.run_key()}|{cfg.lang}|{cfg.shown_step}|{cfg.arrows}|{inside}|{presenting}"
fig = None
if runs:
    fig = cache.main_figure(fig_key, surf, runs, labels, cfg.shown_step, cfg.arrows, inside, text, presenting)
    map_slot.plotly_chart(PrebuiltFigure(fig), key="map", selection_mode="points",
                          on_select=partial(widgets.set_start_from_click, "map", surf.domain),
                          config={"displaylogo": False, "scrollZoom": False, "displayModeBar": False})
st.caption("  \n".join(present.caption(cfg, lanes) + present.lane_note_lines(lanes))
           + ("" if presenting else "  \n" + t("click_hint")))

# below the map, one tab at a time: a closed tab costs the first page load nothing
names = ["leaderboard", "curves", "rules"] + ([] if presenting else ["export"])
tabs = dict(zip(names, widgets.lazy_tabs([t("tab_" + n) for n in names], key="x:below_map")))
if tabs["leaderboard"]:
    with tabs["leaderboard"]:
        if not presenting:
            widgets.tolerance_control()
        st.markdown(present.markdown_table(present.leaderboard_table(leaderboard(lanes, surf, cfg.tol))))
if tabs["curves"] and runs:
    with tabs["curves"]:
        st.plotly_chart(PrebuiltFigure(cache.curves(fig_key, runs, labels, surf.f_min, surf.minima, text)),
                        config={"displaylogo": False})
if tabs["rules"]:
    with tabs["rules"]:
        st.markdown(f"**{surface_name(cfg.surface)}** — {surface_summary(cfg.surface)}")
        st.latex(surf.spec.formula)
        for oid in cfg.optimizers:
            st.markdown(f"**{opt_name(oid)}** — {opt_summary(oid)}")
            st.latex(present.rule_of(oid, cfg.hyper[oid]))
if tabs.get("export") and runs:
    with tabs["export"]:
        export_section("playground", fig_key, [Panel(surface_name(cfg.surface), surf, runs, labels)], fig,
                       [cfg.surface], [oid for oid, _ in runs])

if cfg.view3d and runs and not presenting:
    st.subheader(t("view3d_title"))
    st.plotly_chart(PrebuiltFigure(cache.view3d(fig_key, surf, runs, labels, text)), config={"displaylogo": False})
