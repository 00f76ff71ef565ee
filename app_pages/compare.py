"""Compare: 2–4 maps side by side (up to 6 small multiples), animated in lock-step."""
import streamlit as st

from lab import compare
from lab.race import leaderboard
from ui import cache, present, state, style, widgets
from ui.export import export_section
from ui.fastfig import PrebuiltFigure
from ui.i18n import figure_text, opt_name, t
from viz.common import Panel

ss = st.session_state
presenting = bool(ss.get("w:present", False))
style.apply(presenting)
mode = ss.get("w:cmp.mode", compare.DEFAULT_MODE)
settings_mode = mode == "settings"
widgets.sidebar_controls(optimizers=not settings_mode,
                         extra=widgets.panel_settings_controls if settings_mode else None)
widgets.presentation_toggle()
head = st.columns([5, 1], vertical_alignment="center")
head[0].markdown(f"#### {t('app_title')} · {t('page_compare')}")
if presenting:
    with head[1]:
        widgets.exit_presentation_button()
else:
    widgets.compare_controls()
notes_slot = st.container()
cc = widgets.read_compare()
state.publish(cc)

note_lines = present.note_lines(state.notes(cc))
if note_lines:
    notes_slot.warning(t("notes_title") + "  \n" + "  \n".join(note_lines), icon="⚠️")
if cc.mode == "multiples" and len(cc.base.optimizers) > compare.MAX_MULTIPLES:
    notes_slot.info(t("cmp_multiples_cut", n=compare.MAX_MULTIPLES))
if cc.n_panels < 2 or (cc.mode != "settings" and not cc.base.optimizers):
    st.info(t("cmp_need_two"))
    st.stop()

panels = cache.compare_race(cc.run_key(), cc)
text = figure_text()
viz_panels = []
for p in panels:
    surf = cache.surface(p.surface, tuple(sorted(p.surface_params.items())))
    runs = [(ln.optimizer, ln.result) for ln in p.lanes if ln.ok]
    viz_panels.append(Panel(present.panel_title(p), surf, runs,
                            present.legend_labels(p.lanes, status=cc.mode != "surfaces")))
    for ln in p.lanes:
        if not ln.ok:
            notes_slot.error(t("engine_refused", name=opt_name(ln.optimizer), message=ln.error))

fig_key = f"{cc.run_key()}|{cc.base.lang}|{cc.base.arrows}|{presenting}"
fig = cache.compare_main(fig_key, viz_panels, cc.mode == "surfaces", None, cc.base.arrows, text, presenting)
st.plotly_chart(PrebuiltFigure(fig), key="compare", config={"displaylogo": False, "scrollZoom": False,
                                                              "displayModeBar": False})
st.caption(t("cmp_caption", n=len(panels), steps=cc.base.steps))

names = ["table", "loss"] + ([] if presenting else ["export"])
tabs = dict(zip(names, widgets.lazy_tabs([t("tab_cmp_" + n) for n in names], key="x:below_panels")))
if tabs["table"]:
    with tabs["table"]:
        tables = [leaderboard(p.lanes, vp.surface, cc.base.tol) for p, vp in zip(panels, viz_panels)]
        st.markdown(present.markdown_table(present.compare_table([vp.title for vp in viz_panels], tables)))
if tabs["loss"]:
    with tabs["loss"]:
        series = [(i, f"{i + 1}. {opt_name(oid)}" if cc.mode == "surfaces" else f"{i + 1}. {vp.title}", oid, r,
                   vp.surface.f_min) for i, vp in enumerate(viz_panels) for oid, r in vp.runs]
        st.plotly_chart(PrebuiltFigure(cache.compare_loss(fig_key, series, text, presenting)),
                        config={"displaylogo": False})
if tabs.get("export"):
    with tabs["export"]:
        optimizer_ids = list(dict.fromkeys(oid for p in viz_panels for oid, _ in p.runs))
        export_section("compare", fig_key, viz_panels, fig, list(dict.fromkeys(p.surface for p in panels)),
                       optimizer_ids)
