"""Compare: 2–4 maps side by side (up to 6 small multiples), animated in lock-step."""
import streamlit as st

from lab import compare
from lab.race import leaderboard
from ui import cache, page, present, sections, toolbars
from ui.controls import lazy_tabs
from ui.export import export_section
from ui.fastfig import PrebuiltFigure
from ui.i18n import figure_text, opt_name, t
from viz.common import Panel

frame = page.start("compare", above=toolbars.compare_controls)
cc, presenting = frame.cfg, frame.presenting
if cc.mode == "multiples" and len(cc.base.optimizers) > compare.MAX_MULTIPLES:
    frame.notes.info(t("cmp_multiples_cut", n=compare.MAX_MULTIPLES))
if cc.n_panels < 2 or (cc.mode != "settings" and not cc.base.optimizers):
    page.stop(t("cmp_need_two"))

panels = cache.compare_race(cc)
viz_panels = []
for p in panels:
    frame.refusals(p.lanes)
    viz_panels.append(Panel(present.panel_title(p), cache.surface(p.surface_key),
                            [(ln.optimizer, ln.result) for ln in p.lanes if ln.ok],
                            present.legend_labels(p.lanes, status=cc.mode != "surfaces"), cc.base.bands))
text = figure_text()
fig = cache.compare_main(cc, viz_panels, text, presenting)
frame.main.plotly_chart(PrebuiltFigure(fig), key="compare",
                        config={"displaylogo": False, "scrollZoom": False, "displayModeBar": False})
st.caption(t("cmp_caption", n=len(panels), steps=cc.base.steps)
           + (f"  \n{t('caption_underflow', u=present.fmt_num(cc.base.underflow))}" if cc.base.underflow > 0 else ""))


@st.fragment   # a tab switch reruns only this
def below_panels():
    names = ["table", "loss", "rules"] + ([] if presenting else ["export"])
    tabs = dict(zip(names, lazy_tabs([t("tab_cmp_" + n) for n in names], key="x:below_panels")))
    if tabs["table"]:
        tables = [leaderboard(p.lanes, vp.surface, cc.base.tol) for p, vp in zip(panels, viz_panels)]
        tabs["table"].markdown(present.markdown_table(present.compare_table([vp.title for vp in viz_panels], tables)))
    if tabs["loss"]:
        series = [(i, f"{i + 1}. {opt_name(oid)}" if cc.mode == "surfaces" else f"{i + 1}. {vp.title}", oid, r,
                   vp.surface.f_min) for i, vp in enumerate(viz_panels) for oid, r in vp.runs]
        tabs["loss"].plotly_chart(PrebuiltFigure(cache.compare_loss(cc, series, text, presenting)),
                                  config={"displaylogo": False})
    if tabs["rules"]:
        with tabs["rules"]:
            sections.compare_rules(panels, [vp.surface for vp in viz_panels])
    if tabs.get("export"):
        with tabs["export"]:
            export_section("compare", cc.key(), viz_panels, fig, list(dict.fromkeys(p.surface for p in panels)),
                           list(dict.fromkeys(oid for p in viz_panels for oid, _ in p.runs)))


below_panels()
