"""The Playground's main figure: one animated map with racing paths, and "inside the optimizer".

The map itself (and its frame design) is :mod:`viz.animation`'s, shared with Compare; this
module adds the panels on the right that show one optimizer's state following the animation.
"""
from __future__ import annotations

import math

import numpy as np

from . import animation as anim
from . import common as c
from .background import N_BANDS, layout_image
from .charts import faint_traces
from .palette import colour

GRID_N = anim.GRID_N
MAP_DOMAIN = (0.0, 0.50)
WIDE_MAP_DOMAIN = (0.0, 0.74)   # a wide surface (aspect >= WIDE) at equal scales: legend goes below it
WIDE = 1.4
INSIDE_DOMAIN = (0.80, 1.0)


def _fitting_font(title: str, font: int, room: float = 17.0) -> int:
    """A font size at which ``title`` fits the inside panel's width (about ``room`` Latin letters at
    ``font``; a CJK character is two): a long name (a Chinese one) shrinks, never below 60 %."""
    width = sum(2.0 if ord(ch) >= 0x2E80 else 1.0 for ch in title)
    return font if width <= room else max(round(font * 0.6), int(font * room / width))


def playground_figure(surface, runs, labels, *, shown_step=None, arrows=(), inside=None, text=None,
                      height=None, max_frames=c.MAX_FRAMES, grid_n=GRID_N, present=False, bands=N_BANDS,
                      seed_bands=None, stops=None):
    """The animated map (+ the "inside the optimizer" panel for ``inside``) as a figure dict.

    ``runs``: list of (optimizer id, RunResult); ``labels``: optimizer id -> legend text (with the
    setting used and the status); ``shown_step``: the step the still figure shows (default: last);
    ``present``: projector sizes (larger text, thicker lines, bigger heads); ``bands``: contour
    bands of the map; ``seed_bands``: runs over seeds (``lab.seeds``), drawn faint behind the
    paths with their mean path dashed; ``stops``: optimizer id -> the step early stopping would
    end its run at (``lab.early_stop.stop_steps``), marked ■ on its path.
    """
    T = c.figure_words(text)
    sty = c.style_for(present)
    height = height or (640 if present else 590)     # present: the whole 720 px screen, no sidebar
    x0, x1, y0, y1 = surface.domain
    fsteps, shown, steps = anim.frame_plan(runs, shown_step, max_frames)
    with_inside = inside is not None and any(oid == inside for oid, _ in runs)
    wide = with_inside and (x1 - x0) >= WIDE * (y1 - y0)

    def legend_name(oid):   # one line per entry when the legend runs in rows under a wide map
        label = labels.get(oid, oid)
        return label.replace("<br>", "  ") if wide else label
    xdom = (WIDE_MAP_DOMAIN if wide else MAP_DOMAIN) if with_inside else (0.0, 1.0)

    b = anim.Builder()
    add = b.add
    for trace in faint_traces(seed_bands or (), surface.domain):     # static, under everything else
        add(trace)
    anim.add_map(b, surface, runs, labels, shown=shown, T=T, sty=sty, arrows=arrows, grid_n=grid_n,
              legend_name=legend_name, stops=stops)

    # --- inside the optimizer: three stacked panels and a readout, all following the animation
    layout_extra = {"annotations": []}
    if with_inside:
        res = dict(runs)[inside]
        e = res.extra
        k = len(e["grad"])
        t = np.arange(1, k + 1)
        ti = c.display_indices(k) if k else np.array([], int)
        panels = [("eff_lr", e.get("eff_lr"), "log", (0.50, 0.68)), ("velocity", e.get("velocity"), "linear", (0.25, 0.42)),
                  ("second_moment", e.get("second_moment"), "log", (0.0, 0.17))]
        xmid = (INSIDE_DOMAIN[0] + INSIDE_DOMAIN[1]) / 2
        title = T['inside_of'].replace('{name}', inside)
        layout_extra["annotations"].append(
            {"text": f"<b>{title}</b>", "xref": "paper", "yref": "paper", "x": INSIDE_DOMAIN[0], "y": 1.0,
             "xanchor": "left", "yanchor": "top", "showarrow": False,
             "font": {"size": _fitting_font(title, sty.font), "color": colour(inside)}})
        for p, (key, arr, ytype, (lo, hi)) in enumerate(panels, start=2):
            xa, ya = f"x{p}", f"y{p}"
            layout_extra[f"xaxis{p}"] = {"domain": list(INSIDE_DOMAIN), "anchor": ya, "range": [0, max(1, steps)],
                                         "showticklabels": p == 4, "gridcolor": "#dddddd", "zeroline": False,
                                         "tickfont": {"size": sty.font - 4}}
            layout_extra[f"yaxis{p}"] = {"domain": [lo, hi], "anchor": xa, "type": ytype, "gridcolor": "#dddddd",
                                         "exponentformat": "power", "nticks": 3, "tickfont": {"size": sty.font - 4}}

            layout_extra["annotations"].append(
                {"text": T[key], "xref": "paper", "yref": "paper", "x": INSIDE_DOMAIN[0], "y": hi + 0.01,
                 "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": sty.font - 4}})
            if arr is None or k == 0:
                layout_extra[f"xaxis{p}"]["visible"] = False
                layout_extra[f"yaxis{p}"]["visible"] = False
                layout_extra["annotations"].append(
                    {"text": T["no_state"], "xref": "paper", "yref": "paper", "x": xmid, "y": (lo + hi) / 2,
                     "showarrow": False, "font": {"size": sty.font - 4, "color": "#444444"}})
                continue
            a = np.asarray(arr, dtype=np.float64)
            if ytype == "log":
                a = np.where(a > 0, a, np.nan)
            for comp, dash in ((0, "solid"), (1, "dot")):
                add({"type": "scatter", "x": t[ti].tolist(), "y": c.sig(a[ti, comp], 4), "mode": "lines",
                     "xaxis": xa, "yaxis": ya, "showlegend": False, "name": f"{T[key]} {'xy'[comp]}",
                     "line": {"color": colour(inside), "width": 3, "dash": dash},
                     "hovertemplate": "%{x}: %{y:.4g}<extra>" + "xy"[comp] + "</extra>"})
            fin = a[np.isfinite(a)]
            if fin.size == 0:
                continue
            lo_v, hi_v = float(fin.min()), float(fin.max())
            if ytype == "log":
                lo_v, hi_v = math.log10(lo_v), math.log10(hi_v)
                pad = max(0.1, 0.05 * (hi_v - lo_v))
                rng = [lo_v - pad, hi_v + pad]
                cur = [10 ** rng[0], 10 ** rng[1]]
            else:
                pad = max(1e-12, 0.05 * (hi_v - lo_v))
                rng = [lo_v - pad, hi_v + pad]
                cur = rng
            layout_extra[f"yaxis{p}"]["range"] = rng
            if ytype == "log":     # whole decades, at most three labels: legible in a short panel
                layout_extra[f"yaxis{p}"]["dtick"] = max(1, math.ceil((rng[1] - rng[0]) / 3))
            add({"type": "scatter", "x": [max(shown, 1)] * 2, "y": c.sig(cur, 6), "mode": "lines", "xaxis": xa,
                 "yaxis": ya, "showlegend": False, "hoverinfo": "skip", "name": "cursor",
                 "line": {"color": "#000000", "width": 2}},
                lambda s, cur=cur: {"x": [max(s, 1)] * 2, "y": c.sig(cur, 6)})

        def readout(s, e=e, k=k):
            """The values at the current step, as text under the panel title."""
            i = min(max(s, 1), k) - 1 if k else 0
            parts = [f"t = {i + 1}"]
            if k:
                el = e["eff_lr"][i]
                parts.append(f"η = ({el[0]:.2g}, {el[1]:.2g})")
                for key, sym in (("velocity", "v"), ("second_moment", "s")):
                    if key in e:
                        v = e[key][i]
                        parts.append(f"{sym} = ({v[0]:.2g}, {v[1]:.2g})")
            return "<br>".join(parts)
        add({"type": "scatter", "x": [0], "y": [1], "mode": "text", "xaxis": "x5", "yaxis": "y5",
             "text": [readout(shown)], "textposition": "bottom right", "showlegend": False, "hoverinfo": "skip",
             "name": "readout", "textfont": {"size": sty.font - 4, "color": "#000000"}},
            lambda s: {"text": [readout(s)]})
        layout_extra["xaxis5"] = {"domain": list(INSIDE_DOMAIN), "anchor": "y5", "visible": False,
                                  "range": [0, 1], "fixedrange": True}
        layout_extra["yaxis5"] = {"domain": [0.745, 0.935], "anchor": "x5", "visible": False, "range": [0, 1],
                                  "fixedrange": True}

    frames = b.frames(fsteps)
    bottom = anim.CONTROLS_MARGIN[present]
    updatemenus, sliders = anim.controls(fsteps, shown, T, sty=sty, plot_height=height - 10 - bottom)
    axes = anim.map_axes(surface, xdom=xdom, ydom=(0.0, 1.0), T=T, x_title=not wide, sty=sty,
                      constraintoward="top" if wide else "middle")
    axes["xaxis"].pop("anchor")
    axes["yaxis"].pop("anchor")
    layout = {
        **c.template_layout(sty),
        "height": height,
        "margin": {"l": 55, "r": 15, "t": 10, "b": bottom},
        **axes,
        "images": [layout_image(surface, bands=bands)],
        "showlegend": True,
        "legend": {"orientation": "v", "x": 1.0 if not with_inside else xdom[1] + 0.01, "y": 1.0,
                   "yanchor": "top", "xanchor": "left", "font": {"size": sty.font - 3},
                   **({"orientation": "h", "x": 0.0, "y": 0.0, "yanchor": "bottom", "entrywidthmode": "fraction",
                       "entrywidth": 0.37} if wide else {}),   # two entries a row, under the map
                   "bgcolor": "rgba(255,255,255,0)", "itemsizing": "constant", "tracegroupgap": 2},
        "dragmode": "pan",
        "clickmode": "event+select",
        "hovermode": "closest",
        "uirevision": "map",
        "updatemenus": updatemenus,
        "sliders": sliders,
        **layout_extra,
    }
    return {"data": b.data, "layout": layout, "frames": frames}
