"""The Playground: optimizers racing across a surface, animated in the browser."""
from functools import partial

import streamlit as st

from ui import cache, page, present, seed_runs, sections, sidebar, start_here, toolbars
from ui.controls import lazy_tabs
from ui.export import export_section
from ui.fastfig import PrebuiltFigure
from ui.i18n import figure_text, opt_name, surface_name, t
from viz.common import Panel

frame = page.start("playground", below=toolbars.view_controls)
cfg, presenting = frame.cfg, frame.presenting
start_here.show(frame.notes, presenting)
if not cfg.optimizers:
    page.stop(t("no_optimizer"))

surf = cache.surface(cfg.surface_key)
cfg, lanes, late = cache.race_so_far(cfg)   # late: a fresh server's first seconds, still compiling
frame.refusals(lanes, late)
runs, labels = [(ln.optimizer, ln.result) for ln in lanes if ln.ok], present.legend_labels(lanes)
inside = None if presenting or not cfg.inside_optimizer else cfg.inside_optimizer   # projector: the map alone
text = figure_text() | ({"inside_of": t("fig_inside_of", name=opt_name(inside))} if inside else {})
bands = seed_runs.bands(frame, cfg, surf, runs)
fig = cache.main_figure(cfg, surf, runs, labels, inside, text, presenting, bands) if runs or late else None
if fig:
    frame.main.plotly_chart(PrebuiltFigure(fig), key="map", selection_mode="points",
                            on_select=partial(sidebar.set_start_from_click, "map", surf.domain),
                            config={"displaylogo": False, "scrollZoom": False, "displayModeBar": False})
st.caption("  \n".join(present.caption(cfg, lanes) + present.lane_note_lines(lanes))
           + ("" if presenting else "  \n" + t("click_hint")))


@st.fragment   # a tab switch reruns only this; a new tolerance (in the URL) reruns the page
def below_map():
    names = ["leaderboard", "curves", "rules"] + ([] if presenting else ["export"])
    tabs = dict(zip(names, lazy_tabs([t("tab_" + n) for n in names], key="x:below_map")))   # only the open one
    if tabs["leaderboard"]:
        with tabs["leaderboard"]:
            if not presenting and toolbars.tolerance_control() != cfg.tol:
                st.rerun()
            sections.leaderboard(cfg, lanes, surf)
    if tabs["curves"] and runs:
        seed_runs.band_chart(tabs["curves"], cfg, bands, labels, surf, text)
        tabs["curves"].plotly_chart(PrebuiltFigure(cache.curves(cfg, runs, labels, surf, text)),
                                    config={"displaylogo": False})
    if tabs["rules"]:
        with tabs["rules"]:
            sections.update_rules(cfg.surface, surf, cfg.optimizers, cfg.hyper)
    if tabs.get("export") and runs:
        with tabs["export"]:
            export_section("playground", cache.map_key(cfg), [Panel(surface_name(cfg.surface), surf, runs, labels,
                                                                    cfg.bands)], fig, [cfg.surface], [o for o, _ in runs])


below_map()
if cfg.view3d and runs and not presenting:
    st.subheader(t("view3d_title"))
    st.plotly_chart(PrebuiltFigure(cache.view3d(cfg, surf, runs, labels, text)), config={"displaylogo": False})
