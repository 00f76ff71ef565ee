"""The animated map, in parts every animated figure shares (Playground, Compare, the exports).

Frame design (what keeps 6 optimizers × 500 steps well under 1.5 MB):

* the surface is a layout image (PNG), never part of a frame: plotly.js drops a contour trace
  on the first frame when frames update only the paths (plotly.js #4491, plotly.py #2151);
* every static trace (click grid, minima, saddles, start, side panels) is listed in every frame
  with an empty update ``{}`` — plotly.js then leaves it alone, and clicking the map after Play
  does not throw;
* each path is cut into chunks of full-resolution points sent once, in the base figure; a frame
  only switches each chunk on or off through its line width (animatable, unlike ``visible``)
  and sends the growing tail of the current chunk plus the head — so the path grows at full
  resolution while each frame carries a few hundred numbers per optimizer;
* at most ``MAX_FRAMES`` frames, shared by every panel of a figure: one Play, one scrubber, the
  same step everywhere; the last frame is the full path;
* numbers at display precision (4 significant digits of the domain).

Figures are plain dicts, valid by construction (tests check them against plotly's validators),
so no slow ``go.Figure`` round trip is needed.
"""
from __future__ import annotations

import bisect
import math

import numpy as np

from optim_core.rules import nag

from . import common as c
from .palette import colour, symbol

GRID_N = 20                   # the click grid: 20 × 20 transparent points. It must be listed in every
                              # frame (else a click after Play throws), and plotly.js redraws it each
                              # frame: measured 13 fps with 30 × 30, 19 fps with 20 × 20 (6 × 500 steps)
BASE_FRAME_MS = 60            # 1× speed: 100 frames in about 6 s
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
ARROW_STYLE = {"grad": ("dot", 3), "velocity": ("dash", 3), "update": ("solid", 3), "lookahead": ("dashdot", 3)}
# Arrows that end at a point of the map (drawn to scale), not directions (drawn at a readable length)
TO_SCALE = ("lookahead",)
# Where each point's next gradient is taken, for the optimizers that take it elsewhere than at the
# point: optimizer id -> (hyper, velocity) -> offsets, one row per point (None: no offset to show).
# Nadam is not here: both its forms take the gradient at θ and fold the look-ahead into the update.
LOOKAHEAD = {"nag": nag.lookahead_offsets}
RAW_OPACITY = 0.35            # the raw iterate beside a plotted average (ASGD): there, but quiet
CHUNK_POINTS = 125


def chunk_count(n_points: int) -> int:
    """Chunks per path. Each chunk is one more trace (plotly.js spends about 1 ms per trace per
    frame) but shortens the tail each frame resends (≈14 bytes per point): one chunk per 125
    points keeps 6 × 500 steps near 20 frames/s and well under 1.5 MB."""
    return int(min(16, max(1, round(n_points / CHUNK_POINTS))))


class Track:
    """One optimizer's path prepared for display."""

    def __init__(self, oid, result, domain, xy=None):
        """``xy``: another path of the run than its plotted one (ASGD's raw iterate, one row per point)."""
        xy = result.xy if xy is None else xy
        self.oid = oid
        self.result = result
        self.n = len(xy)                             # points, = steps run + 1
        self.idx = c.display_indices(self.n)
        self.xy = c.clip_path(xy, domain)
        self.pts = self.xy[self.idx]
        self.g = chunk_count(len(self.idx))
        self.size = math.ceil(max(1, len(self.idx) - 1) / self.g)
        self.runaway = result.status in ("diverged", "escaped")
        self.end = c.exit_point(xy, domain)
        self._memo = {}
        self._idx = self.idx.tolist()        # bisect on a list: a frame asks ~100 times per trace
        self._lists = None

    def chunk(self, j):
        a, b = j * self.size, min((j + 1) * self.size, len(self.idx) - 1)
        return self.pts[a:b + 1]

    def state(self, s):
        """(chunk on/off list, tail points, head point, at_end) at step ``s`` (memoised)."""
        if s not in self._memo:
            self._memo[s] = self._state(s)
        return self._memo[s]

    def _at(self, s):
        """(step, index of the last display point ≤ it, head point) at step ``s``."""
        s = min(s, self.n - 1)
        return s, bisect.bisect_right(self._idx, s) - 1, self.xy[s]

    def _rounded(self, dec):
        """The display points and every point as JSON-ready lists at ``dec`` decimals, rounded once
        for all frames (rounding is elementwise: a slice of these is the slice rounded)."""
        if self._lists is None or self._lists[0] != dec:
            self._lists = (dec, c.rounded(self.pts[:, 0], dec), c.rounded(self.pts[:, 1], dec),
                           c.rounded(self.xy[:, 0], dec), c.rounded(self.xy[:, 1], dec))
        return self._lists[1:]

    def tail_lists(self, s, dec):
        """``state(s)``'s tail as rounded x and y lists (what a frame sends)."""
        px, py, ax, ay = self._rounded(dec)
        s, q, _ = self._at(s)
        c0 = (q // self.size) * self.size
        if self._idx[q] == s:
            return px[c0:q + 1], py[c0:q + 1]
        return px[c0:q + 1] + [ax[s]], py[c0:q + 1] + [ay[s]]

    def head_lists(self, s, dec):
        """``state(s)``'s head as rounded x and y values."""
        _, _, ax, ay = self._rounded(dec)
        s = min(s, self.n - 1)
        return ax[s], ay[s]

    def _ending_at_head(self, pts, s, q, head):
        return pts if self.idx[q] == s else np.vstack([pts, head[None, :]])

    def _state(self, s):
        s, q, head = self._at(s)
        done = [(j + 1) * self.size <= q for j in range(self.g)]
        c0 = (q // self.size) * self.size
        return done, self._ending_at_head(self.pts[c0:q + 1], s, q, head), head, s >= self.n - 1

    def path_to(self, s):
        """(the whole displayed path up to step ``s``, ending at the head; the head; at the end?):
        for drawings that redraw the path each frame (the GIF)."""
        s, q, head = self._at(s)
        return self._ending_at_head(self.pts[:q + 1], s, q, head), head, s >= self.n - 1


def arrow_vectors(result, kind):
    """The vectors of one arrow kind per step, as drawn (where they push the point); row s is the
    arrow at the point θ_s. None when the run has no such arrow."""
    e = result.extra
    if kind == "lookahead":
        offsets = LOOKAHEAD.get(result.optimizer)
        v = None if offsets is None or "velocity" not in e else offsets(result.hyper, e["velocity"])
        if v is None:
            return None
    elif kind == "grad":
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


class Builder:
    """Traces of a figure, and for the moving ones the function step -> their frame update."""

    def __init__(self):
        self.data, self.dyn = [], {}

    def add(self, trace, update=None) -> int:
        self.data.append(trace)
        if update is not None:
            self.dyn[len(self.data) - 1] = update
        return len(self.data) - 1

    def frames(self, fsteps) -> list:
        """One frame per step in ``fsteps``; every trace listed, the static ones with ``{}``."""
        n = len(self.data)
        return [{"name": str(int(s)), "traces": list(range(n)),
                 "data": [self.dyn[i](int(s)) if i in self.dyn else {} for i in range(n)]} for s in fsteps]


def frame_plan(runs, shown_step, max_frames=c.MAX_FRAMES):
    """(frame steps, the still step shown, total steps) for runs drawn in lock-step."""
    steps = max((len(r.xy) - 1 for _, r in runs), default=1)
    fsteps = c.frame_steps(max(1, steps), max_frames)
    shown = steps if shown_step is None else int(min(max(shown_step, 0), steps))
    if shown not in fsteps:          # the still picture is a frame too, so the scrubber can show it
        fsteps = np.union1d(fsteps, [shown])
    return fsteps, shown, steps


def add_map(b: Builder, surface, runs, labels, *, shown, T, sty=c.NORMAL, xa="x", ya="y", arrows=(),
            grid_n=0, legend_for=None, legend_name=None, named_marks=None, stops=None):
    """Everything drawn on one map (axes ``xa``/``ya``): click grid (when ``grid_n``), minima,
    saddles, start, each path (chunks + growing tail), the early-stopping ■ marks, the heads, the
    runaway ✖ ends, arrows.

    ``legend_for``: the optimizer ids whose tail carries a legend entry (default: all);
    ``named_marks``: the names of minimum / saddle / start already in the legend — a set shared by
    the maps of one figure, so each gets one legend entry, where first drawn (default: a new set);
    ``stops``: optimizer id -> the step early stopping would end its run at (−1: never,
    ``lab.early_stop``), marked ■ on its path from the frame its head gets there.
    Returns the map's tracks.
    """
    x0, x1, y0, y1 = surface.domain
    dec = c.decimals_for(max(x1 - x0, y1 - y0))
    axes = {} if (xa, ya) == ("x", "y") else {"xaxis": xa, "yaxis": ya}
    tracks = [Track(oid, r, surface.domain) for oid, r in runs]
    legend_for = set(labels) if legend_for is None else set(legend_for)
    legend_name = legend_name or (lambda oid: labels.get(oid, oid))
    named_marks = set() if named_marks is None else named_marks

    def first_time(name) -> bool:
        new = name not in named_marks
        named_marks.add(name)
        return new
    m = sty.mark

    if grid_n:
        gx, gy = np.meshgrid(np.linspace(x0, x1, grid_n), np.linspace(y0, y1, grid_n))
        b.add({"type": "scatter", "x": c.rounded(gx.ravel(), dec), "y": c.rounded(gy.ravel(), dec),
               "mode": "markers", **axes, "marker": {"size": 14, "color": "rgba(0,0,0,0)"}, "hoverinfo": "none",
               "showlegend": False, "name": "grid", "selected": {"marker": {"opacity": 0}},
               "unselected": {"marker": {"opacity": 0}}})
    for points, name, marker in (
            (surface.minima, T["minimum"], {"symbol": "star", "size": round(22 * m), "color": "#FFD700",
                                            "line": {"color": "#000000", "width": 2}}),
            (surface.saddles, T["saddle"], {"symbol": "x-thin", "size": round(18 * m), "color": "#000000",
                                            "line": {"color": "#000000", "width": 3}})):
        if points:
            p = np.array(points)
            b.add({"type": "scatter", "x": c.rounded(p[:, 0], dec), "y": c.rounded(p[:, 1], dec), **axes,
                   "mode": "markers", "name": name, "marker": marker, "showlegend": first_time(name),
                   "hovertemplate": "%{x}, %{y}<extra>" + name + "</extra>"})
    if runs:
        st0 = runs[0][1].xy[0]
        b.add({"type": "scatter", "x": c.rounded([st0[0]], dec), "y": c.rounded([st0[1]], dec), **axes,
               "mode": "markers", "name": T["start"], "showlegend": first_time(T["start"]),
               "marker": {"symbol": "circle-open", "size": round(24 * m), "color": "#000000",
                          "line": {"width": round(4 * m)}},
               "hovertemplate": "%{x}, %{y}<extra>" + T["start"] + "</extra>"})

    def add_path(tr, width, prefix, tail_trace):
        """A path as chunks switched on by the frames, and its growing tail (``tail_trace``)."""
        col = colour(tr.oid)
        done, tail, _head, _ = tr.state(shown)
        look = {k: tail_trace[k] for k in ("opacity",) if k in tail_trace}
        for j in range(tr.g):
            ch = tr.chunk(j)
            b.add({"type": "scatter", "x": c.rounded(ch[:, 0], dec), "y": c.rounded(ch[:, 1], dec), **axes,
                   "mode": "lines", "line": {"color": col, "width": width if done[j] else 0}, **look,
                   "hoverinfo": "skip", "showlegend": False, "legendgroup": tr.oid, "name": f"{prefix}:{tr.oid}"},
                  lambda s, tr=tr, j=j: {"line": {"width": width if tr.state(s)[0][j] else 0}})
        b.add({"type": "scatter", "x": c.rounded(tail[:, 0], dec), "y": c.rounded(tail[:, 1], dec), **axes,
               "legendgroup": tr.oid, "hoverinfo": "skip", "line": {"color": col, "width": width}, **tail_trace},
              lambda s, tr=tr: dict(zip("xy", tr.tail_lists(s, dec))))

    for tr in tracks:
        col = colour(tr.oid)
        add_path(tr, sty.line, "chunk", {
            "mode": "lines+markers", "name": legend_name(tr.oid), "showlegend": tr.oid in legend_for,
            "marker": {"symbol": symbol(tr.oid), "size": 0, "color": col, "line": {"color": "#ffffff", "width": 0}}})
        raw = tr.result.extra.get("raw_xy")
        if raw is not None and len(raw) == tr.n:
            # the iterate behind a plotted average (ASGD): thin and faint, no head, in its group
            # of the legend, so the average is seen sitting calmer than the iterate it smooths
            add_path(Track(tr.oid, tr.result, surface.domain, xy=raw), max(1.0, sty.line * 0.4), "rawchunk", {
                "mode": "lines", "name": T["raw_iterate"], "showlegend": tr.oid in legend_for,
                "opacity": RAW_OPACITY})

    # all heads in one trace, all runaway ends in one, all stop marks in one, one trace per arrow
    # kind: plotly.js pays about 1 ms per listed trace per frame, so fewer traces play faster
    stopping = [(tr, int(stops[tr.oid])) for tr in tracks
                if stops and 0 <= stops.get(tr.oid, -1) < tr.n and np.isfinite(tr.xy[int(stops[tr.oid])]).all()]
    if stopping:        # under the heads: a head passing its stop point stays on top

        def stop_marks(s):
            here = [(tr, k) for tr, k in stopping if s >= k]
            return {"x": c.rounded([tr.xy[k][0] for tr, k in here], dec),
                    "y": c.rounded([tr.xy[k][1] for tr, k in here], dec),
                    "marker": {"color": [colour(tr.oid) for tr, _ in here]},
                    "customdata": [f"{labels.get(tr.oid, tr.oid)}<br>{T['es_stop'].replace('{step}', str(k))}"
                                   for tr, k in here]}
        first = stop_marks(shown)
        b.add({"type": "scatter", **first, **axes, "mode": "markers", "name": "stops", "showlegend": False,
               "hovertemplate": "%{customdata}<extra></extra>",
               "marker": {"symbol": "square", "size": round(14 * m), "color": first["marker"]["color"],
                          "line": {"color": "#000000", "width": 2}}}, stop_marks)
    if tracks:
        def heads(s):
            h = [tr.head_lists(s, dec) for tr in tracks]
            return {"x": [p[0] for p in h], "y": [p[1] for p in h]}
        b.add({"type": "scatter", **heads(shown), **axes, "mode": "markers", "name": "heads", "showlegend": False,
               "customdata": [labels.get(tr.oid, tr.oid) for tr in tracks],
               "hovertemplate": "%{x}, %{y}<extra>%{customdata}</extra>",
               "marker": {"symbol": [symbol(tr.oid) for tr in tracks], "size": sty.head,
                          "color": [colour(tr.oid) for tr in tracks], "line": {"color": "#ffffff", "width": 2}}},
              heads)
    runaway = [tr for tr in tracks if tr.runaway]
    if runaway:
        ymid = (y0 + y1) / 2

        def ends(s):
            here = [tr for tr in runaway if tr.state(s)[3]]
            return {"x": c.rounded([tr.end[0] for tr in here], dec), "y": c.rounded([tr.end[1] for tr in here], dec),
                    "marker": {"color": [colour(tr.oid) for tr in here]},
                    "textfont": {"color": [colour(tr.oid) for tr in here]},
                    # the ✖ label inside the map, never over a title or the controls
                    "textposition": ["bottom center" if tr.end[1] > ymid else "top center" for tr in here]}
        first = ends(shown)
        b.add({"type": "scatter", **first, **axes, "mode": "markers+text", "name": "ends", "showlegend": False,
               "cliponaxis": False, "text": ["✖"] * len(runaway),
               "textfont": {"size": sty.font + 3, "color": first["textfont"]["color"]},
               "marker": {"symbol": "x", "size": round(26 * m), "color": first["marker"]["color"],
                          "line": {"color": "#000000", "width": 2}}, "hoverinfo": "skip"}, ends)
    arrow_len = 0.08 * math.hypot(x1 - x0, y1 - y0)
    for kind in arrows:
        prepared = []
        for tr in tracks:
            vecs = arrow_vectors(tr.result, kind)
            if vecs is not None and len(vecs):
                prepared.append((tr, vecs, vecs_ref(vecs)))
        if not prepared:
            continue
        dash, width = ARROW_STYLE[kind]

        def arrow(s, prepared=prepared, to_scale=kind in TO_SCALE):
            xs, ys = [], []
            for tr, vecs, ref in prepared:
                st = min(s, tr.n - 1)
                h = tr.xy[st]
                v = vecs[min(st, len(vecs) - 1)]
                n = math.hypot(*v)
                if n == 0 or not np.isfinite(h).all():     # at the last step: the last step's vector
                    xs += [None, None, None]
                    ys += [None, None, None]
                    continue
                L = n if to_scale else arrow_len * min(1.0, max(0.3, n / ref))     # short, but always visible
                xs += [round(h[0], dec), round(h[0] + v[0] / n * L, dec), None]
                ys += [round(h[1], dec), round(h[1] + v[1] / n * L, dec), None]
            return {"x": xs, "y": ys}
        b.add({"type": "scatter", **arrow(shown), **axes, "mode": "lines+markers", "showlegend": False,
               "name": f"arrow:{kind}", "hoverinfo": "skip", "connectgaps": False,
               "line": {"color": "#111111", "width": width * m, "dash": dash},
               "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, round(16 * m), 0] * len(prepared),
                          "color": [col for tr, _, _ in prepared for col in ("#000000", colour(tr.oid), "#000000")],
                          "line": {"color": "#000000", "width": 1}}}, arrow)
    return tracks


def map_axes(surface, *, xdom, ydom, xa="x", ya="y", T, x_title=True, constraintoward="middle", sty=c.NORMAL):
    """The layout entries of one map's axes: its domain at equal x/y scales.

    Equal scales: a gradient is drawn perpendicular to the contours only when x and y share a
    scale, and a valley looks as narrow as it is; the map shrinks inside its domain box.
    """
    x0, x1, y0, y1 = surface.domain
    sx, sy = xa[1:], ya[1:]
    tick = {"tickfont": {"size": sty.font - 3}}
    return {
        f"xaxis{sx}": {"domain": list(xdom), "range": [x0, x1], "showgrid": False, "zeroline": False,
                       "ticks": "outside", "constrain": "domain", "anchor": ya, **tick,
                       "title": {"text": T["x_axis"] if x_title else "", "standoff": 4,
                                 "font": {"size": sty.font - 2}}},
        f"yaxis{sy}": {"domain": list(ydom), "range": [y0, y1], "showgrid": False, "zeroline": False,
                       "ticks": "outside", "anchor": xa, **tick,
                       "title": {"text": T["y_axis"], "standoff": 10, "font": {"size": sty.font - 2}},
                       "scaleanchor": xa, "scaleratio": 1,
                       "constrain": "domain", "constraintoward": constraintoward},
    }


CONTROLS_MARGIN = {False: 120, True: 160}    # px under the maps for the buttons and the scrubber


def controls(fsteps, shown, T, *, sty=c.NORMAL, plot_height=460):
    """The video-player controls under the figure: Restart / Play / Pause, speeds, the scrubber
    with the step counter. They drive every panel, since all share the frames. ``plot_height``
    (px) places them a fixed distance under the maps' tick labels, whatever the figure's size."""
    gap = 2.3 * sty.font                 # clear of the x tick labels
    y, slider_y = -gap / plot_height, -(gap + 30 + sty.font) / plot_height
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
    still = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    buttons = [
        {"label": T["restart"], "method": "animate", "args": [[names[0]], still]},
        play_btn,
        {"label": T["pause"], "method": "animate", "args": [[None], still]},
    ]
    active = int(np.argmin(np.abs(np.asarray(fsteps) - shown)))
    updatemenus = [
        {"type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "y": y,
         "xanchor": "left", "yanchor": "top", "pad": {"t": 0, "r": 4}, "buttons": buttons,
         "font": {"size": sty.font - 1}, "bgcolor": "#eeeeee", "bordercolor": "#333333"},
        {"type": "buttons", "direction": "left", "showactive": False, "x": 1.0, "y": y,
         "xanchor": "right", "yanchor": "top", "pad": {"t": 0}, "buttons": [play(s) for s in SPEEDS],
         "font": {"size": sty.font - 3}, "bgcolor": "#eeeeee", "bordercolor": "#333333"},
    ]
    sliders = [{
        "active": active, "x": 0.0, "len": 1.0, "y": slider_y, "yanchor": "top", "xanchor": "left",
        "pad": {"t": 25, "b": 0},
        "currentvalue": {"prefix": T["step"], "suffix": T["step_suffix"],
                         "font": {"size": sty.font - 1, "color": "#111111"}, "xanchor": "left", "offset": 6},
        # per-frame tick labels would be an unreadable row of numbers: the current value says it
        "font": {"size": 8, "color": "rgba(0,0,0,0)"}, "ticklen": 0, "minorticklen": 0,
        "transition": {"duration": 0},
        "steps": [{"label": n, "method": "animate", "args": [[n], still]} for n in names],
    }]
    return updatemenus, sliders
