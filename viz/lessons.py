"""The lessons' own small figures: the Hessian's eigen-directions at a point, where a surface is
convex, and the exponential moving average with and without its bias correction."""
from __future__ import annotations

import base64
import io
import math

import numpy as np
from PIL import Image

from lab.readouts import ema_window

from . import common as c
from .animation import map_axes
from .background import layout_image

CLICK_N = 30                        # a click grid of CLICK_N × CLICK_N points picks the Hessian's point
UP, DOWN, FLAT = "#1f5fbf", "#c0392b", "#555555"     # curvature up (λ > 0), down (λ < 0), ~0
NOT_CONVEX = (192, 57, 43)          # the shade where the Hessian is not positive semi-definite
ALPHA = 110                         # of 255


def _markers(surface, xa, ya, sty, T) -> list:
    out = []
    for pts, symbol, name in ((surface.minima, "star", T["minimum"]), (surface.saddles, "x", T["saddle"])):
        if len(pts):
            p = np.asarray(pts, dtype=float)
            out.append({"type": "scatter", "x": c.rounded(p[:, 0], 4), "y": c.rounded(p[:, 1], 4), "xaxis": xa,
                        "yaxis": ya, "mode": "markers", "name": name, "hoverinfo": "skip", "showlegend": False,
                        "marker": {"symbol": symbol, "size": sty.head, "color": "#ffffff",
                                   "line": {"color": "#000000", "width": 2}}})
    return out


def _click_grid(surface, xa="x", ya="y") -> dict:
    """Transparent points over the map: a click on one returns its (x, y)."""
    x0, x1, y0, y1 = surface.domain
    gx, gy = np.meshgrid(np.linspace(x0, x1, CLICK_N), np.linspace(y0, y1, CLICK_N))
    return {"type": "scatter", "x": c.rounded(gx.ravel(), 4), "y": c.rounded(gy.ravel(), 4), "xaxis": xa, "yaxis": ya,
            "mode": "markers", "name": "pick", "showlegend": False, "hoverinfo": "none",
            "marker": {"size": 14, "color": "rgba(0,0,0,0)"},
            "selected": {"marker": {"opacity": 0}}, "unselected": {"marker": {"opacity": 0}}}


def _label_side(surface, x, y) -> str:
    """Where a label at (x, y) stays on the map: towards its inside near the right or top edge."""
    x0, x1, y0, y1 = surface.domain
    return ("bottom" if y > y0 + 0.85 * (y1 - y0) else "top") + (" left" if x > x0 + 0.7 * (x1 - x0) else " right")


def hessian_figure(surface, readout, *, text=None, present=False, bands=14, height=None) -> dict:
    """The map with the point ``readout`` (``lab.readouts.HessianReadout``) describes and its two
    eigen-directions, each drawn both ways from the point, blue where f curves up (λ > 0), red
    where it curves down (λ < 0)."""
    T = c.figure_words(text)
    sty = c.style_for(present)
    x0, x1, y0, y1 = surface.domain
    px, py = readout.point
    half = 0.12 * math.hypot(x1 - x0, y1 - y0)
    data = [_click_grid(surface)]
    scale = max(1e-300, max(abs(e) for e in readout.eigenvalues))
    for k, lam in enumerate(readout.eigenvalues):
        vx, vy = readout.eigenvectors[:, k]
        colour = UP if lam > 1e-9 * scale else (DOWN if lam < -1e-9 * scale else FLAT)
        word = T["hess_up"] if colour == UP else (T["hess_down"] if colour == DOWN else T["hess_flat"])
        data.append({"type": "scatter", "x": [px - half * vx, px + half * vx], "y": [py - half * vy, py + half * vy],
                     "mode": "lines+text", "line": {"color": colour, "width": sty.line + 1},
                     "text": ["", f"λ{'₁₂'[k]} = {lam:.3g}"], "textposition": _label_side(surface, px + half * vx,
                                                                                           py + half * vy),
                     "textfont": {"size": sty.font, "color": colour},
                     "name": f"λ{'₁₂'[k]} = {lam:.3g} ({word})", "hoverinfo": "skip"})
    data += _markers(surface, "x", "y", sty, T)
    data.append({"type": "scatter", "x": [px], "y": [py], "mode": "markers", "name": T["hess_point"],
                 "hoverinfo": "skip", "marker": {"symbol": "circle", "size": sty.head, "color": "#ffd400",
                                                 "line": {"color": "#000000", "width": 2}}})
    layout = {
        **c.template_layout(sty),
        "height": height or (620 if present else 480),
        "margin": {"l": 60, "r": 15, "t": 20, "b": 50},
        **map_axes(surface, xdom=(0.0, 1.0), ydom=(0.0, 1.0), T=T, sty=sty),
        "images": [layout_image(surface, bands=bands)],
        "legend": {"orientation": "h", "x": 0.0, "y": -0.14, "yanchor": "top", "font": {"size": sty.font - 2}},
        "dragmode": False, "clickmode": "event+select", "hovermode": "closest",
    }
    return {"data": data, "layout": layout}


def _shade(lam: np.ndarray) -> Image.Image:
    """An RGBA image (row 0 at the bottom of the map) shading where the smallest eigenvalue is < 0."""
    defined = np.isfinite(lam)       # undefined points: the map's own hatching shows them
    tol = 1e-12 * max(1.0, float(np.abs(lam[defined]).max()) if defined.any() else 1.0)
    rgba = np.zeros(lam.shape + (4,), dtype=np.uint8)
    rgba[lam < -tol] = (*NOT_CONVEX, ALPHA)
    return Image.fromarray(np.flipud(rgba), "RGBA")


def shaded_map_image(surface, lam, xa="x", ya="y", bands=14) -> dict:
    """The surface's map image with the not-PSD region shaded in, as one layout image: plotly.js
    draws only one of two layout images with the same place and size (its images are keyed by
    position), so the shade cannot be a second image on top."""
    img = layout_image(surface, xa, ya, bands=bands)
    base = Image.open(io.BytesIO(base64.b64decode(img["source"].split(",", 1)[1]))).convert("RGBA")
    shaded = Image.alpha_composite(base, _shade(lam).resize(base.size, Image.NEAREST))
    buf = io.BytesIO()
    shaded.save(buf, format="PNG")
    return {**img, "source": "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")}


def convexity_figure(panels, *, text=None, present=False, bands=14, height=None) -> dict:
    """``panels``: (title, surface, smallest-eigenvalue grid, share convex) each, side by side: the
    contour map with the region where the Hessian is not positive semi-definite shaded."""
    T = c.figure_words(text)
    sty = c.style_for(present)
    k, gap = len(panels), 0.08
    width = (1.0 - gap * (k - 1)) / k
    data, images, annotations, axes = [], [], [], {}
    for p, (title, surface, lam, share) in enumerate(panels):
        xa, ya = ("x", "y") if p == 0 else (f"x{p + 1}", f"y{p + 1}")
        axes.update(map_axes(surface, xdom=(p * (width + gap), p * (width + gap) + width), ydom=(0.0, 1.0),
                             xa=xa, ya=ya, T=T, sty=sty))
        images.append(shaded_map_image(surface, lam, xa, ya, bands=bands))
        annotations.append({"text": f"<b>{title}</b><br>" + T["convex_share"].replace("{pct}", f"{100 * share:.0f}" if share == share else "–"),
                            "xref": f"{xa} domain", "yref": f"{ya} domain", "x": 0.5, "y": 1.0, "yanchor": "bottom",
                            "showarrow": False, "font": {"size": sty.font - 1}})
        data += _markers(surface, xa, ya, sty, T)
    data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": T["convex_not"],
                 "marker": {"symbol": "square", "size": sty.font, "color": "rgba(192,57,43,0.45)"}})
    layout = {
        **c.template_layout(sty),
        "height": height or (600 if present else 460),
        "margin": {"l": 60, "r": 15, "t": 70, "b": 50},
        **axes, "images": images, "annotations": annotations,
        "legend": {"orientation": "h", "x": 0.0, "y": -0.14, "yanchor": "top", "font": {"size": sty.font - 2}},
        "dragmode": False, "hovermode": False,
    }
    return {"data": data, "layout": layout}


def ema_figure(raw, corrected, beta: float, *, text=None, present=False, height=None) -> dict:
    """A constant signal 1, its raw exponential moving average (pulled towards its start at 0) and
    the bias-corrected one, over t = 1..len(raw), with the effective window 1/(1−β) marked."""
    T = c.figure_words(text)
    sty = c.style_for(present)
    t = np.arange(1, len(raw) + 1)
    window = ema_window(beta)
    data = [
        {"type": "scatter", "x": t.tolist(), "y": [1.0] * len(t), "mode": "lines", "name": T["ema_signal"],
         "line": {"color": "#777777", "width": sty.line - 1, "dash": "dot"}},
        {"type": "scatter", "x": t.tolist(), "y": c.sig(raw, 4), "mode": "lines", "name": T["ema_raw"],
         "line": {"color": "#c0392b", "width": sty.line}},
        {"type": "scatter", "x": t.tolist(), "y": c.sig(corrected, 4), "mode": "lines", "name": T["ema_corrected"],
         "line": {"color": "#1f5fbf", "width": sty.line, "dash": "dash"}},
    ]
    shapes, annotations = [], []
    if window <= len(t):
        shapes.append({"type": "line", "x0": window, "x1": window, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": "#111111", "width": 2, "dash": "dash"}})
        annotations.append({"x": window, "y": 0.05, "yref": "paper", "xanchor": "left", "showarrow": False,
                            "text": " " + T["ema_window"].replace("{n}", f"{window:.3g}"),
                            "font": {"size": sty.font - 2}})
    layout = {
        **c.template_layout(sty),
        "height": height or (560 if present else 400),
        "margin": {"l": 60, "r": 20, "t": 20, "b": 55},
        "xaxis": {"title": {"text": T["ema_step"]}, "showgrid": True, "gridcolor": "#eeeeee"},
        "yaxis": {"range": [0, 1.1], "showgrid": True, "gridcolor": "#eeeeee"},
        "shapes": shapes, "annotations": annotations,
        "legend": {"orientation": "h", "x": 0.0, "y": -0.18, "yanchor": "top", "font": {"size": sty.font - 2}},
        "hovermode": "x unified",
    }
    return {"data": data, "layout": layout}
