"""The Playground: optimizers racing across a surface, animated in the browser."""
from functools import partial

import streamlit as st

from lab.race import leaderboard
from ui import cache, present, state, style, widgets
from ui.fastfig import PrebuiltFigure
from ui.i18n import figure_text, opt_name, opt_summary, surface_summary, t

style.apply()
widgets.sidebar_controls()
steps = int(st.session_state.get("w:steps", 300))
st.markdown(f"#### {t('app_title')} · {t('page_playground')}")
notes_slot = st.container()
map_slot = st.container()
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
text["inside_of"] = t("fig_inside_of", name=opt_name(cfg.inside_optimizer))
fig_key = f"{cfg.run_key()}|{cfg.lang}|{cfg.shown_step}|{cfg.arrows}|{cfg.inside_optimizer}"
if runs:
    fig = cache.main_figure(fig_key, surf, runs, labels, cfg.shown_step, cfg.arrows, cfg.inside_optimizer, text)
    map_slot.plotly_chart(PrebuiltFigure(fig), key="map", selection_mode="points",
                          on_select=partial(widgets.set_start_from_click, "map", surf.domain),
                          config={"displaylogo": False, "scrollZoom": False, "displayModeBar": False})
st.caption("  \n".join(present.caption(cfg, lanes) + present.lane_note_lines(lanes)) + "  \n" + t("click_hint"))

if runs:
    st.subheader(t("curves_title"))
    st.plotly_chart(PrebuiltFigure(cache.curves(fig_key, runs, labels, surf.f_min, surf.minima, text)),
                    config={"displaylogo": False})
st.subheader(t("leaderboard_title"))
widgets.tolerance_control()
st.dataframe(present.leaderboard_table(leaderboard(lanes, surf, cfg.tol)), hide_index=True)

if cfg.view3d and runs:
    st.subheader(t("view3d_title"))
    st.plotly_chart(PrebuiltFigure(cache.view3d(fig_key, surf, runs, labels, text)), config={"displaylogo": False})

st.subheader(t("rules_title"))
st.markdown(f"**{surf.name}** — {surface_summary(cfg.surface)}")
st.latex(surf.spec.formula)
for oid in cfg.optimizers:
    st.markdown(f"**{opt_name(oid)}** — {opt_summary(oid)}")
    st.latex(present.rule_of(oid, cfg.hyper[oid]))
