"""The 3-D view: the surface with the same paths, drawn only when asked for (it is the costly
part of a page in the browser)."""
from __future__ import annotations

import numpy as np

from . import common as c
from .background import display_values, grid
from .palette import colour



def surface3d_figure(surface, runs, labels, *, n=70, text=None, height=620):
    T = c.figure_words(text)
    xs, ys, Z = grid(surface, n)
    finite = np.isfinite(Z)
    lo = float(np.min(Z[finite])) if finite.any() else 0.0
    hi = float(np.max(Z[finite])) if finite.any() else 1.0
    D = display_values(surface, Z)

    def z_of(v):
        v = np.asarray(v, dtype=np.float64)
        v = np.clip(np.where(np.isfinite(v), v, hi), lo, hi)
        if surface.log_levels:
            return np.log10(v - lo + 1e-6 * (hi - lo) + 1e-12)
        return v
    data = [{"type": "surface", "x": c.sig(xs), "y": c.sig(ys), "z": [c.sig(r) for r in D],
             "colorscale": [[0.0, "#ffffff"], [0.5, "#d3d7dc"], [1.0, "#8f97a1"]], "showscale": False, "opacity": 0.9,
             "hoverinfo": "skip", "contours": {"z": {"show": False}}}]
    x0, x1, y0, y1 = surface.domain
    for oid, r in runs:
        xy = c.clip_path(r.xy, surface.domain, margin=1.0)
        idx = c.display_indices(len(xy), 600)
        p = xy[idx]
        zz = z_of(surface.value(p[:, 0], p[:, 1]))
        data.append({"type": "scatter3d", "x": c.sig(p[:, 0]), "y": c.sig(p[:, 1]), "z": c.sig(zz),
                     "mode": "lines", "name": labels.get(oid, oid), "line": {"color": colour(oid), "width": 7}})
        data.append({"type": "scatter3d", "x": c.sig(p[-1:, 0]), "y": c.sig(p[-1:, 1]), "z": c.sig(zz[-1:]),
                     "mode": "markers", "showlegend": False,
                     "marker": {"color": colour(oid), "size": 7, "line": {"color": "#000000", "width": 1}}})
    layout = {**c.TEMPLATE_LAYOUT, "height": height, "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
              "legend": {"font": {"size": c.FONT}},
              "scene": {"xaxis": {"title": {"text": "x"}, "range": [x0, x1]},
                        "yaxis": {"title": {"text": "y"}, "range": [y0, y1]},
                        "zaxis": {"title": {"text": T["z_log"] if surface.log_levels else T["z"]}},
                        "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.6}}}
    return {"data": data, "layout": layout}
