"""Compare's figure: 2–6 maps in one figure, animated in lock-step by one set of controls.

Every panel is a :func:`viz.animation.add_map` on its own pair of axes; all panels share the
frames (one frame per step for the whole figure), so one Play, one scrubber and one speed drive
them all and the same step is on screen everywhere. Each panel has its surface as a layout
image on its axes, at equal x/y scales.
"""
from __future__ import annotations


from . import animation as anim
from . import common as c
from .background import layout_image
from .common import grid_shape

LEGEND_WIDTH = 0.2               # of the figure's width, right of the panels, when there is a legend
MARGIN = {"l": 45, "r": 10, "t": 40}
GAP_ROWS_FONTS = 3.6             # between rows of panels, in font sizes: tick labels + the next row's titles
# The width the figure usually gets at 1280 px (with and without the sidebar), and the most
# height its maps may take so that the maps and the controls fit a 720 px screen.
ASSUMED_WIDTH = {False: 880, True: 1240}
MAX_MAPS_HEIGHT = {False: 420, True: 480}
MIN_MAPS_HEIGHT = 300            # room for the legend's entries


def figure_height(panels, *, legend: bool, present: bool) -> int:
    """A height at which the panels' maps (drawn at equal x/y scales) fill their width, within
    what a 720 px screen can show: no band of empty space between the maps and the controls."""
    rows, cols = grid_shape(len(panels))
    width = ASSUMED_WIDTH[present] - MARGIN["l"] - MARGIN["r"]
    panel_w = (width * (1.0 - LEGEND_WIDTH if legend else 1.0) - 0.09 * width * (cols - 1)) / cols
    aspect = min((p.surface.domain[1] - p.surface.domain[0]) / (p.surface.domain[3] - p.surface.domain[2])
                 for p in panels)       # the tallest map decides
    gap = GAP_ROWS_FONTS * c.style_for(present).font
    maps = min(MAX_MAPS_HEIGHT[present], rows * panel_w / aspect + (rows - 1) * gap)
    return int(max(MIN_MAPS_HEIGHT, maps) + MARGIN["t"] + anim.CONTROLS_MARGIN[present])


def panel_domains(n: int, right: float = 1.0, gap_x: float = 0.09, gap_y: float = 0.12):
    """Per panel, its (x domain, y domain) in the figure, row by row from the top."""
    rows, cols = grid_shape(n)
    w = (right - gap_x * (cols - 1)) / cols
    h = (1.0 - gap_y * (rows - 1)) / rows
    out = []
    for i in range(n):
        r, k = divmod(i, cols)
        x0 = k * (w + gap_x)
        y1 = 1.0 - r * (h + gap_y)
        out.append(((round(x0, 4), round(x0 + w, 4)), (round(y1 - h, 4), round(y1, 4))))
    return out


def compare_figure(panels, *, legend=True, shown_step=None, arrows=(), text=None, height=None, present=False,
                   max_frames=c.MAX_FRAMES):
    """The animated panels as a figure dict.

    ``panels``: list of :class:`viz.common.Panel`; ``legend``: one legend entry per optimizer
    (the first panel it appears in names it) — off when the panel titles say it all.
    """
    T = c.figure_words(text)
    sty = c.style_for(present)
    n = len(panels)
    rows, _cols = grid_shape(n)
    all_runs = [run for p in panels for run in p.runs]
    fsteps, shown, _steps = anim.frame_plan(all_runs, shown_step, max_frames)
    right = 1.0 - LEGEND_WIDTH if legend else 1.0
    height = height or figure_height(panels, legend=legend, present=present)
    bottom = anim.CONTROLS_MARGIN[present]
    gap_y = GAP_ROWS_FONTS * sty.font / max(1.0, height - MARGIN["t"] - bottom)
    b = anim.Builder()
    layout_axes, images, annotations = {}, [], []
    named, named_marks = set(), set()      # optimizers and marks already in the legend
    for i, (p, (xdom, ydom)) in enumerate(zip(panels, panel_domains(n, right, gap_y=gap_y))):
        k = "" if i == 0 else str(i + 1)
        xa, ya = "x" + k, "y" + k
        first_here = [oid for oid, _ in p.runs if oid not in named]
        named.update(first_here)
        anim.add_map(b, p.surface, p.runs, p.labels, shown=shown, T=T, sty=sty, xa=xa, ya=ya, arrows=arrows,
                     legend_for=first_here if legend else (), named_marks=named_marks,
                     legend_name=lambda oid, p=p: p.labels.get(oid, oid).replace("<br>", " · "))
        axes = anim.map_axes(p.surface, xdom=xdom, ydom=ydom, xa=xa, ya=ya, T=T, sty=sty,
                             x_title=False, constraintoward="top")
        axes["yaxis" + k]["title"]["text"] = ""
        layout_axes.update(axes)
        images.append(layout_image(p.surface, xref=xa, yref=ya, bands=p.bands))
        annotations.append({"text": f"<b>{p.title}</b>", "xref": f"{xa} domain", "yref": f"{ya} domain",
                            "x": 0.5, "y": 1.0, "xanchor": "center", "yanchor": "bottom", "showarrow": False,
                            "font": {"size": sty.font - (1 if n <= 2 else 2)}})
    updatemenus, sliders = anim.controls(fsteps, shown, T, sty=sty, plot_height=height - MARGIN["t"] - bottom)
    layout = {
        **c.template_layout(sty),
        "height": height,
        "margin": {**MARGIN, "b": bottom},
        **layout_axes,
        "images": images,
        "annotations": annotations,
        "showlegend": bool(legend),
        "legend": {"x": right + 0.01, "y": 1.0, "xanchor": "left", "yanchor": "top",
                   "font": {"size": sty.font - 3}, "bgcolor": "rgba(255,255,255,0)", "itemsizing": "constant",
                   "tracegroupgap": 2},
        "dragmode": "pan",
        "hovermode": "closest",
        "uirevision": "compare",
        "updatemenus": updatemenus,
        "sliders": sliders,
    }
    return {"data": b.data, "layout": layout, "frames": b.frames(fsteps)}
