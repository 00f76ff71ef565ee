"""Basins: from every start of a grid, which minimum does an optimizer reach, and how soon?"""
import streamlit as st

from lab import basins
from ui import basins_view, cache, grid_cache, page, present, state, toolbars
from ui.fastfig import PrebuiltFigure
from ui.i18n import figure_text, t

frame = page.start("basins", above=toolbars.basins_controls)
bc, presenting = frame.cfg, frame.presenting
slots = frame.controls or {}
if basins.too_heavy(bc):      # said next to the grid's size: nothing to draw until it is smaller
    slots.get("bas.res", frame.notes).error(t("bas_too_heavy", starts=bc.res * bc.res, steps=bc.base.steps,
                                                 limit=f"{basins.MAX_WORK:,}"))
    st.stop()

surf = cache.surface(bc.base.surface_key)
maps = grid_cache.basin_maps(bc)


titles = basins_view.setting_titles(bc.settings)
fig = grid_cache.basins_fig(bc, maps, surf, titles, figure_text(), presenting)
event = frame.main.plotly_chart(PrebuiltFigure(fig), key="basins", on_select="rerun", selection_mode="points",
                                config={"displaylogo": False, "scrollZoom": False, "displayModeBar": False})
points = event.selection.points if event else []
if points and isinstance(points[0].get("customdata"), int):
    state.open_in_playground(basins.playground_scene(bc, points[0]["customdata"], (points[0]["x"], points[0]["y"])))

radius = maps[0].radius
lines = [t("bas_caption", n=bc.res, steps=bc.base.steps, radius=present.fmt_num(radius, 3),
           pct=present.fmt_num(100 * bc.radius, 3) + " %")]
if not len(surf.minima):
    lines.append(t("bas_no_minima"))
st.caption("  \n".join(lines + ([] if presenting else [t("bas_click_hint")])))
st.markdown(present.markdown_table(basins_view.basins_table(maps, titles, surf.minima)))
