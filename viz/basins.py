"""The Basins page's figure: one or two maps of starts coloured by the minimum each run reached,
shaded by how long it took, side by side with the same colours.

Each map is a PNG (a layout image: a 300 × 300 map is some tens of kilobytes, where a heatmap of
RGB cells would be megabytes of JSON), under a grid of transparent points that carries the hover
text and the click (at most ``CLICK_N`` per axis).
"""
from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

from lab.basins import DIVERGED, ESCAPED, OTHER

from . import common as c
from .palette import rgb as hex_rgb

CLICK_N = 40
# one colour per listed minimum (Paul Tol's "light" scheme: pale enough to shade, distinct in
# lightness and hue); labels A, B, C, ... on the map
BASIN_COLOURS = ["#77AADD", "#EE8866", "#EEDD88", "#44BB99", "#FFAABB", "#99DDFF", "#BBCC33", "#AAAA00"]
OTHER_COLOUR, DIVERGED_COLOUR, ESCAPED_COLOUR = "#DDDDDD", "#222222", "#888888"
SHADE = 0.6          # a run that settled only at the last step is this much darker


def letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i + 1)


def label_colours(n_minima: int) -> dict:
    """Label -> colour: minima by index (cycling), then other, diverged, escaped."""
    out = {i: BASIN_COLOURS[i % len(BASIN_COLOURS)] for i in range(n_minima)}
    out.update({OTHER: OTHER_COLOUR, DIVERGED: DIVERGED_COLOUR, ESCAPED: ESCAPED_COLOUR})
    return out


def basin_png(label: np.ndarray, settled: np.ndarray, steps: int, n_minima: int) -> bytes:
    """The map as PNG bytes, one pixel per start (row 0 of the arrays is the bottom of the map):
    the label's colour, darkened by the share of the steps the run took to settle."""
    colours = label_colours(n_minima)
    rgb = np.zeros(label.shape + (3,))
    for lab, col in colours.items():
        rgb[label == lab] = np.array(hex_rgb(col), dtype=np.float64)
    slow = np.clip(settled / max(1, steps), 0.0, 1.0)[..., None]
    shaded = ~np.isin(label, (DIVERGED, ESCAPED))[..., None]
    rgb = np.where(shaded, rgb * (1.0 - SHADE * slow), rgb)
    buf = io.BytesIO()
    Image.fromarray(np.flipud(rgb).astype(np.uint8), "RGB").save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def basins_figure(maps, surface, titles, *, text=None, present=False, height=None) -> dict:
    """``maps``: ``lab.basins.BasinMap`` per panel (1 or 2); ``titles``: one per panel."""
    T = c.figure_words(text)
    sty = c.style_for(present)
    x0, x1, y0, y1 = surface.domain
    n_min = len(surface.minima)
    colours = label_colours(n_min)
    k = len(maps)
    gap = 0.06
    width = (1.0 - gap * (k - 1)) / k
    data, images, annotations, layout_axes = [], [], [], {}
    names = {OTHER: T["basin_other"], DIVERGED: T["sweep_diverged"], ESCAPED: T["sweep_escaped"]}
    for p, m in enumerate(maps):
        xa, ya = ("x", "y") if p == 0 else (f"x{p + 1}", f"y{p + 1}")
        dom = [p * (width + gap), p * (width + gap) + width]
        layout_axes["xaxis" if p == 0 else f"xaxis{p + 1}"] = {
            "domain": dom, "range": [x0, x1], "anchor": ya, "showgrid": False, "zeroline": False,
            "title": {"text": T["x_axis"]}, "constrain": "domain"}
        layout_axes["yaxis" if p == 0 else f"yaxis{p + 1}"] = {
            "range": [y0, y1], "anchor": xa, "showgrid": False, "zeroline": False, "scaleanchor": xa,
            "scaleratio": 1, "title": {"text": T["y_axis"] if p == 0 else ""}, "constrain": "domain"}
        png = basin_png(m.label, m.settled, m.steps, n_min)
        images.append({"source": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                       "xref": xa, "yref": ya, "x": x0, "y": y1, "sizex": x1 - x0, "sizey": y1 - y0,
                       "sizing": "stretch", "layer": "below"})
        annotations.append({"text": f"<b>{titles[p]}</b>", "xref": f"{xa} domain", "yref": f"{ya} domain",
                            "x": 0.5, "y": 1.0, "yanchor": "bottom", "showarrow": False,
                            "font": {"size": sty.font}})
        res = len(m.xs)
        iy = np.unique(np.round(np.linspace(0, res - 1, min(CLICK_N, res))).astype(int))
        J, I = np.meshgrid(iy, iy, indexing="ij")
        J, I = J.ravel(), I.ravel()
        hover = []
        for j, i in zip(J, I):
            lab = int(m.label[j, i])
            what = f"{T['basin_minimum']} {letter(lab)}" if lab >= 0 else names[lab]
            hover.append(f"({m.xs[i]:.3g}, {m.ys[j]:.3g}) → {what}<br>"
                         + T["basin_settled"].replace("{n}", str(int(m.settled[j, i]))))
        data.append({"type": "scatter", "x": c.rounded(m.xs[I], 4), "y": c.rounded(m.ys[J], 4), "xaxis": xa,
                     "yaxis": ya, "mode": "markers", "name": f"starts{p}", "showlegend": False,
                     "marker": {"size": 10, "color": "rgba(0,0,0,0)"}, "customdata": [p] * len(I),
                     "text": hover, "hovertemplate": "%{text}<extra></extra>",
                     "selected": {"marker": {"opacity": 0}}, "unselected": {"marker": {"opacity": 0}}})
        if n_min:
            mins = np.asarray(surface.minima, dtype=np.float64)
            data.append({"type": "scatter", "x": c.rounded(mins[:, 0], 4), "y": c.rounded(mins[:, 1], 4),
                         "xaxis": xa, "yaxis": ya, "mode": "markers+text", "showlegend": False,
                         "text": [letter(i) for i in range(n_min)], "textposition": "top center",
                         "textfont": {"size": sty.font, "color": "#000000"}, "hoverinfo": "skip", "name": "minima",
                         "marker": {"symbol": "star", "size": sty.head, "color": "#ffffff",
                                    "line": {"color": "#000000", "width": 2}}})
    used = sorted({int(v) for m in maps for v in np.unique(m.label)}, key=lambda v: (v < 0, abs(v)))
    for lab in used:
        name = f"{T['basin_minimum']} {letter(lab)}" if lab >= 0 else names[lab]
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name,
                     "marker": {"symbol": "square", "size": sty.font, "color": colours[lab],
                                "line": {"color": "#555555", "width": 1}}, "hoverinfo": "skip"})
    layout = {
        **c.template_layout(sty),
        "height": height or (640 if present else 500),
        "margin": {"l": 55, "r": 15, "t": 40, "b": 50},
        **layout_axes,
        "images": images,
        "annotations": annotations,
        "legend": {"orientation": "h", "x": 0.0, "y": -0.1, "yanchor": "top", "font": {"size": sty.font - 3}},
        "dragmode": False, "clickmode": "event+select", "hovermode": "closest",
    }
    return {"data": data, "layout": layout}
