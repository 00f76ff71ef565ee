"""The Playground's main figure: the surface map with racing paths, and "inside the optimizer".

Frame design (what keeps 6 optimizers × 500 steps well under 1.5 MB):

* the surface is a layout image (PNG), never part of a frame;
* every static trace (click grid, minima, saddles, start, the inside panel's curves) is listed
  in every frame with an empty update ``{}`` — plotly.js then leaves it alone, and clicking the
  map after Play does not throw;
* each path is cut into chunks of full-resolution points sent once, in the base figure; a frame
  only switches each chunk on or off through its line width (animatable, unlike ``visible``)
  and sends the growing tail of the current chunk plus the head — so the path grows at full
  resolution while each frame carries a few hundred numbers per optimizer;
* at most ``MAX_FRAMES`` frames; the last frame is the full path;
* numbers at display precision (4 significant digits of the domain).

The figure is returned as a plain dict, valid by construction (tests check it against plotly's
validators), so no slow ``go.Figure`` round trip is needed.
"""
from __future__ import annotations

import math

import numpy as np

from . import common as c
from .background import layout_image
from .palette import colour, symbol

GRID_N = 20                   # the click grid: 20 × 20 transparent points. It must be listed in every
                              # frame (else a click after Play throws), and plotly.js redraws it each
                              # frame: measured 13 fps with 30 × 30, 19 fps with 20 × 20 (6 × 500 steps)
BASE_FRAME_MS = 60            # 1× speed: 100 frames in about 6 s
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
ARROW_STYLE = {"grad": ("dot", 3), "velocity": ("dash", 3), "update": ("solid", 3)}
MAP_DOMAIN = (0.0, 0.50)
WIDE_MAP_DOMAIN = (0.0, 0.74)   # a wide surface (aspect >= WIDE) at equal scales: legend goes below it
WIDE = 1.4
INSIDE_DOMAIN = (0.80, 1.0)
DEFAULT_TEXT = {
    "start": "start", "minimum": "minimum", "saddle": "saddle point", "play": "▶ Play",
    "pause": "❙❙ Pause", "restart": "|◀ Restart", "speed": "speed", "step": "step ", "step_suffix": "",
    "eff_lr": "effective step size (x, y)", "velocity": "velocity / 1st moment (x, y)",
    "second_moment": "2nd moment (x, y)", "no_state": "(none for this optimizer)",
    "grad": "−gradient", "update": "update", "velocity_arrow": "velocity",
    "x_axis": "x", "y_axis": "y", "step_axis": "step", "inside_of": "Inside: ",
}


CHUNK_POINTS = 125


def _chunk_count(n_points: int) -> int:
    """Chunks per path. Each chunk is one more trace (plotly.js spends about 1 ms per trace per
    frame) but shortens the tail each frame resends (≈14 bytes per point): one chunk per 125
    points keeps 6 × 500 steps near 20 frames/s and well under 1.5 MB."""
    return int(min(16, max(1, round(n_points / CHUNK_POINTS))))


class _Track:
    """One optimizer's path prepared for display."""

    def __init__(self, oid, result, domain, dec):
        self.oid = oid
        self.result = result
        self.n = len(result.xy)                      # points, = steps run + 1
        self.idx = c.display_indices(self.n)
        self.xy = c.clip_path(result.xy, domain)
        self.pts = self.xy[self.idx]
        self.g = _chunk_count(len(self.idx))
        self.size = math.ceil(max(1, len(self.idx) - 1) / self.g)
        self.dec = dec
        self.runaway = result.status in ("diverged", "escaped")
        self.end = c.exit_point(result.xy, domain)
        self._memo = {}

    def chunk(self, j):
        a, b = j * self.size, min((j + 1) * self.size, len(self.idx) - 1)
        return self.pts[a:b + 1]

    def state(self, s):
        """(chunk on/off list, tail points, head point, at_end) at step ``s`` (memoised)."""
        if s not in self._memo:
            self._memo[s] = self._state(s)
        return self._memo[s]

    def _state(self, s):
        s = min(s, self.n - 1)
        q = int(np.searchsorted(self.idx, s, side="right")) - 1       # last display point ≤ s
        done = [(j + 1) * self.size <= q for j in range(self.g)]
        c0 = (q // self.size) * self.size
        tail = self.pts[c0:q + 1]
        head = self.xy[s]
        if self.idx[q] != s:
            tail = np.vstack([tail, head[None, :]])
        return done, tail, head, s >= self.n - 1


def _arrow_vectors(result, kind):
    e = result.extra
    if kind == "grad":
        v = -e["grad"]
    elif kind == "update":
        v = e["update"]
    else:
        v = e.get("velocity")
        if v is None:
            return None
        # the engine stores the velocity as it enters the update θ ← θ − η·v: draw −v (where it pushes)
        v = -np.asarray(v)
    return np.nan_to_num(np.asarray(v, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)


def vecs_ref(vecs) -> float:
    """The 95th percentile of the vectors' lengths: the length drawn at full arrow size."""
    n = np.hypot(vecs[:, 0], vecs[:, 1])
    n = n[np.isfinite(n) & (n > 0)]
    return float(np.percentile(n, 95)) if n.size else 1.0


def playground_figure(surface, runs, labels, *, shown_step=None, arrows=(), inside=None, text=None,
                      height=590, max_frames=c.MAX_FRAMES, grid_n=GRID_N):
    """The animated map (+ the "inside the optimizer" panel for ``inside``) as a figure dict.

    ``runs``: list of (optimizer id, RunResult); ``labels``: optimizer id -> legend text (with the
    setting used and the status); ``shown_step``: the step the still figure shows (default: last).
    """
    T = {**DEFAULT_TEXT, **(text or {})}
    x0, x1, y0, y1 = surface.domain
    dec = c.decimals_for(max(x1 - x0, y1 - y0))
    steps = max((len(r.xy) - 1 for _, r in runs), default=1)
    fsteps = c.frame_steps(max(1, steps), max_frames)
    shown = steps if shown_step is None else int(min(max(shown_step, 0), steps))
    if shown not in fsteps:          # the still picture is a frame too, so the scrubber can show it
        fsteps = np.union1d(fsteps, [shown])
    tracks = [_Track(oid, r, surface.domain, dec) for oid, r in runs]
    arrow_len = 0.08 * math.hypot(x1 - x0, y1 - y0)
    with_inside = inside is not None and any(oid == inside for oid, _ in runs)
    wide = with_inside and (x1 - x0) >= WIDE * (y1 - y0)

    def legend_name(oid):   # one line per entry when the legend runs in rows under a wide map
        label = labels.get(oid, oid)
        return label.replace("<br>", "  ") if wide else label
    xdom = (WIDE_MAP_DOMAIN if wide else MAP_DOMAIN) if with_inside else (0.0, 1.0)

    data, dyn = [], []           # dyn: (trace index, function step -> frame update)

    def add(trace, update=None):
        data.append(trace)
        if update is not None:
            dyn.append((len(data) - 1, update))
        return len(data) - 1

    # --- static: click grid, minima, saddles, start
    gx = np.linspace(x0, x1, grid_n)
    gy = np.linspace(y0, y1, grid_n)
    GX, GY = np.meshgrid(gx, gy)
    add({"type": "scatter", "x": c.rounded(GX.ravel(), dec), "y": c.rounded(GY.ravel(), dec), "mode": "markers",
         "marker": {"size": 14, "color": "rgba(0,0,0,0)"}, "hoverinfo": "none", "showlegend": False,
         "name": "grid", "selected": {"marker": {"opacity": 0}}, "unselected": {"marker": {"opacity": 0}}})
    for points, name, marker in (
            (surface.minima, T["minimum"], {"symbol": "star", "size": 22, "color": "#FFD700",
                                            "line": {"color": "#000000", "width": 2}}),
            (surface.saddles, T["saddle"], {"symbol": "x-thin", "size": 18, "color": "#000000",
                                            "line": {"color": "#000000", "width": 3}})):
        if points:
            p = np.array(points)
            add({"type": "scatter", "x": c.rounded(p[:, 0], dec), "y": c.rounded(p[:, 1], dec), "mode": "markers",
                 "name": name, "marker": marker, "hovertemplate": "%{x}, %{y}<extra>" + name + "</extra>"})
    if runs:
        st0 = runs[0][1].xy[0]
        add({"type": "scatter", "x": c.rounded([st0[0]], dec), "y": c.rounded([st0[1]], dec), "mode": "markers",
             "name": T["start"], "marker": {"symbol": "circle-open", "size": 24, "color": "#000000",
                                             "line": {"width": 4}},
             "hovertemplate": "%{x}, %{y}<extra>" + T["start"] + "</extra>"})

    # --- per optimizer: chunks and the growing tail (which carries the legend entry)
    for tr in tracks:
        col, group = colour(tr.oid), tr.oid
        done, tail, _head, _ = tr.state(shown)
        for j in range(tr.g):
            ch = tr.chunk(j)
            add({"type": "scatter", "x": c.rounded(ch[:, 0], dec), "y": c.rounded(ch[:, 1], dec), "mode": "lines",
                 "line": {"color": col, "width": c.LINE_WIDTH if done[j] else 0}, "hoverinfo": "skip",
                 "showlegend": False, "legendgroup": group, "name": f"chunk:{tr.oid}"},
                lambda s, tr=tr, j=j: {"line": {"width": c.LINE_WIDTH if tr.state(s)[0][j] else 0}})
        add({"type": "scatter", "x": c.rounded(tail[:, 0], dec), "y": c.rounded(tail[:, 1], dec),
             "mode": "lines+markers", "name": legend_name(tr.oid), "legendgroup": group, "hoverinfo": "skip",
             "line": {"color": col, "width": c.LINE_WIDTH},
             "marker": {"symbol": symbol(tr.oid), "size": 0, "color": col, "line": {"color": "#ffffff", "width": 0}}},
            lambda s, tr=tr: (lambda t: {"x": c.rounded(t[:, 0], dec), "y": c.rounded(t[:, 1], dec)})(tr.state(s)[1]))

    # --- all heads in one trace, all runaway end markers in one, one trace per arrow kind:
    #     plotly.js pays about 1 ms per listed trace per frame, so fewer traces play faster
    if tracks:
        def heads(s):
            h = np.array([tr.state(s)[2] for tr in tracks])
            return {"x": c.rounded(h[:, 0], dec), "y": c.rounded(h[:, 1], dec)}
        add({"type": "scatter", **heads(shown), "mode": "markers", "name": "heads", "showlegend": False,
             "customdata": [labels.get(tr.oid, tr.oid) for tr in tracks],
             "hovertemplate": "%{x}, %{y}<extra>%{customdata}</extra>",
             "marker": {"symbol": [symbol(tr.oid) for tr in tracks], "size": c.HEAD_SIZE,
                        "color": [colour(tr.oid) for tr in tracks], "line": {"color": "#ffffff", "width": 2}}},
            heads)
    runaway = [tr for tr in tracks if tr.runaway]
    if runaway:
        def ends(s):
            here = [tr for tr in runaway if tr.state(s)[3]]
            return {"x": c.rounded([tr.end[0] for tr in here], dec), "y": c.rounded([tr.end[1] for tr in here], dec),
                    "marker": {"color": [colour(tr.oid) for tr in here]},
                    "textfont": {"color": [colour(tr.oid) for tr in here]}}
        first = ends(shown)
        add({"type": "scatter", **first, "mode": "markers+text", "name": "ends", "showlegend": False,
             "cliponaxis": False,
             "text": ["✖"] * len(runaway), "textposition": "top center",
             "textfont": {"size": c.FONT + 3, "color": first["textfont"]["color"]},
             "marker": {"symbol": "x", "size": 26, "color": first["marker"]["color"],
                        "line": {"color": "#000000", "width": 2}}, "hoverinfo": "skip"}, ends)
    for kind in arrows:
        prepared = []
        for tr in tracks:
            vecs = _arrow_vectors(tr.result, kind)
            if vecs is not None and len(vecs):
                prepared.append((tr, vecs, vecs_ref(vecs)))
        if not prepared:
            continue
        dash, width = ARROW_STYLE[kind]

        def arrow(s, prepared=prepared):
            xs, ys = [], []
            for tr, vecs, ref in prepared:
                st = min(s, tr.n - 1)
                h = tr.xy[st]
                v = vecs[min(st, len(vecs) - 1)]
                m = math.hypot(*v)
                if m == 0 or not np.isfinite(h).all():     # at the last step: the last step's vector
                    xs += [None, None, None]
                    ys += [None, None, None]
                    continue
                L = arrow_len * min(1.0, max(0.3, m / ref))     # short, but always visible
                xs += [round(h[0], dec), round(h[0] + v[0] / m * L, dec), None]
                ys += [round(h[1], dec), round(h[1] + v[1] / m * L, dec), None]
            return {"x": xs, "y": ys}
        add({"type": "scatter", **arrow(shown), "mode": "lines+markers", "showlegend": False,
             "name": f"arrow:{kind}", "hoverinfo": "skip", "connectgaps": False,
             "line": {"color": "#111111", "width": width, "dash": dash},
             "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 16, 0] * len(prepared),
                        "color": [col for tr, _, _ in prepared for col in ("#000000", colour(tr.oid), "#000000")],
                        "line": {"color": "#000000", "width": 1}}}, arrow)

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
        layout_extra["annotations"].append(
            {"text": f"<b>{T['inside_of']}</b>", "xref": "paper", "yref": "paper", "x": INSIDE_DOMAIN[0], "y": 1.0,
             "xanchor": "left", "yanchor": "top", "showarrow": False, "font": {"size": c.FONT, "color": colour(inside)}})
        for p, (key, arr, ytype, (lo, hi)) in enumerate(panels, start=2):
            xa, ya = f"x{p}", f"y{p}"
            layout_extra[f"xaxis{p}"] = {"domain": list(INSIDE_DOMAIN), "anchor": ya, "range": [0, max(1, steps)],
                                         "showticklabels": p == 4, "gridcolor": "#dddddd", "zeroline": False,
                                         "tickfont": {"size": c.FONT - 4}}
            layout_extra[f"yaxis{p}"] = {"domain": [lo, hi], "anchor": xa, "type": ytype, "gridcolor": "#dddddd",
                                         "exponentformat": "power", "nticks": 3, "tickfont": {"size": c.FONT - 4}}

            layout_extra["annotations"].append(
                {"text": T[key], "xref": "paper", "yref": "paper", "x": INSIDE_DOMAIN[0], "y": hi + 0.01,
                 "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": c.FONT - 4}})
            if arr is None or k == 0:
                layout_extra[f"xaxis{p}"]["visible"] = False
                layout_extra[f"yaxis{p}"]["visible"] = False
                layout_extra["annotations"].append(
                    {"text": T["no_state"], "xref": "paper", "yref": "paper", "x": xmid, "y": (lo + hi) / 2,
                     "showarrow": False, "font": {"size": c.FONT - 4, "color": "#444444"}})
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
             "name": "readout", "textfont": {"size": c.FONT - 4, "color": "#000000"}},
            lambda s: {"text": [readout(s)]})
        layout_extra["xaxis5"] = {"domain": list(INSIDE_DOMAIN), "anchor": "y5", "visible": False,
                                  "range": [0, 1], "fixedrange": True}
        layout_extra["yaxis5"] = {"domain": [0.745, 0.935], "anchor": "x5", "visible": False, "range": [0, 1],
                                  "fixedrange": True}

    # --- frames: every trace listed; static ones with {}
    n = len(data)
    updates = dict(dyn)
    frames = []
    for s in fsteps:
        s = int(s)
        frames.append({"name": str(s), "data": [updates[i](s) if i in updates else {} for i in range(n)],
                       "traces": list(range(n))})

    names = [str(int(x)) for x in fsteps]

    def play(speed):
        """Slower: longer frames. Faster: every k-th frame (a browser draws ~20 frames/s at most)."""
        k = max(1, int(round(speed)))
        frames_ = None if k == 1 else names[::k] + ([names[-1]] if (len(names) - 1) % k else [])
        return {"label": f"{speed:g}×", "method": "animate",
                "args": [frames_, {"frame": {"duration": round(BASE_FRAME_MS * k / speed), "redraw": False},
                                   "transition": {"duration": 0}, "fromcurrent": True, "mode": "immediate"}]}
    play_btn = play(1.0)
    play_btn["label"] = T["play"]
    buttons = [
        {"label": T["restart"], "method": "animate",
         "args": [[str(int(fsteps[0]))], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                                        "transition": {"duration": 0}}]},
        play_btn,
        {"label": T["pause"], "method": "animate",
         "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                           "transition": {"duration": 0}}]},
    ]
    active = int(np.argmin(np.abs(fsteps - shown)))
    layout = {
        **c.TEMPLATE_LAYOUT,
        "height": height,
        "margin": {"l": 55, "r": 15, "t": 10, "b": 120},
        "xaxis": {"domain": list(xdom), "range": [x0, x1], "showgrid": False, "zeroline": False, "ticks": "outside",
                  "constrain": "domain",
                  "title": {"text": "" if wide else T["x_axis"], "standoff": 8}},   # wide: the legend is there
        # equal scales: a gradient is drawn perpendicular to the contours only when x and y share
        # a scale, and a valley looks as narrow as it is; the map shrinks inside its domain
        "yaxis": {"domain": [0.0, 1.0], "range": [y0, y1], "showgrid": False, "zeroline": False, "ticks": "outside",
                  "title": {"text": T["y_axis"], "standoff": 10}, "scaleanchor": "x", "scaleratio": 1,
                  "constrain": "domain", "constraintoward": "top" if wide else "middle"},
        "images": [layout_image(surface)],
        "showlegend": True,
        "legend": {"orientation": "v", "x": 1.0 if not with_inside else xdom[1] + 0.01, "y": 1.0,
                   "yanchor": "top", "xanchor": "left", "font": {"size": c.FONT - 3},
                   **({"orientation": "h", "x": 0.0, "y": 0.0, "yanchor": "bottom", "entrywidthmode": "fraction",
                       "entrywidth": 0.37} if wide else {}),   # two entries a row, under the map
                   "bgcolor": "rgba(255,255,255,0)", "itemsizing": "constant", "tracegroupgap": 2},
        "dragmode": "pan",
        "clickmode": "event+select",
        "hovermode": "closest",
        "uirevision": "map",
        "updatemenus": [
            {"type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "y": -0.085,
             "xanchor": "left", "yanchor": "top", "pad": {"t": 0, "r": 4}, "buttons": buttons,
             "font": {"size": c.FONT - 1}, "bgcolor": "#eeeeee", "bordercolor": "#333333"},
            {"type": "buttons", "direction": "left", "showactive": False, "x": 1.0, "y": -0.085,
             "xanchor": "right", "yanchor": "top", "pad": {"t": 0}, "buttons": [play(s) for s in SPEEDS],
             "font": {"size": c.FONT - 3}, "bgcolor": "#eeeeee", "bordercolor": "#333333"},
        ],
        "sliders": [{
            "active": active, "x": 0.0, "len": 1.0, "y": -0.15, "yanchor": "top", "xanchor": "left",
            "pad": {"t": 25, "b": 0}, "currentvalue": {"prefix": T["step"], "suffix": T["step_suffix"],
                                                       "font": {"size": c.FONT - 1, "color": "#111111"}, "xanchor": "left",
                                                       "offset": 6},
            # per-frame tick labels would be an unreadable row of numbers: the current value says it
            "font": {"size": 8, "color": "rgba(0,0,0,0)"}, "ticklen": 0, "minorticklen": 0,
            "transition": {"duration": 0},
            "steps": [{"label": str(int(s)), "method": "animate",
                       "args": [[str(int(s))], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate",
                                                "transition": {"duration": 0}}]} for s in fsteps],
        }],
        **layout_extra,
    }
    return {"data": data, "layout": layout, "frames": frames}
