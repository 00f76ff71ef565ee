"""Static charts under the map: loss, distance to the nearest minimum and step length vs step."""
from __future__ import annotations

import math

import numpy as np

from . import common as c
from .palette import colour, rgb



def _positive(a):
    a = np.asarray(a, dtype=np.float64)
    return np.where(np.isfinite(a) & (a > 0), a, np.nan)


def _loss_curve(result, f_min, gap: bool):
    """(display steps, the loss there): f − f* where positive when ``gap``, else f itself."""
    idx = c.display_indices(len(result.loss))
    loss = np.asarray(result.loss)[idx]
    return idx, (_positive(loss - f_min) if gap else loss)


def curves_figure(runs, labels, *, f_min=math.nan, minima=(), text=None, height=380):
    """Three side-by-side panels for all runs (log y where the values are positive)."""
    T = c.figure_words(text)
    gap = math.isfinite(f_min)
    data = []
    m = np.asarray(minima, dtype=np.float64).reshape(-1, 2)
    for oid, r in runs:
        xy = np.asarray(r.xy)
        idx, y1 = _loss_curve(r, f_min, gap)
        t = idx.tolist()
        if m.size:
            d = np.sqrt(((xy[idx, None, :] - m[None]) ** 2).sum(axis=2)).min(axis=1)
        else:
            d = np.full(len(idx), np.nan)
        sl = np.sqrt((np.diff(xy, axis=0) ** 2).sum(axis=1))
        sidx = c.display_indices(len(sl)) if len(sl) else np.array([], int)
        common = {"type": "scatter", "mode": "lines", "legendgroup": oid,
                  "line": {"color": colour(oid), "width": 3}}
        data.append({**common, "x": t, "y": c.sig(y1), "name": labels.get(oid, oid), "xaxis": "x", "yaxis": "y",
                     "hovertemplate": "%{x}: %{y:.4g}<extra>" + oid + "</extra>"})
        data.append({**common, "x": t, "y": c.sig(_positive(d)), "showlegend": False, "xaxis": "x2", "yaxis": "y2",
                     "hovertemplate": "%{x}: %{y:.4g}<extra>" + oid + "</extra>"})
        data.append({**common, "x": (sidx + 1).tolist(), "y": c.sig(_positive(sl[sidx])) if len(sl) else [],
                     "showlegend": False, "xaxis": "x3", "yaxis": "y3",
                     "hovertemplate": "%{x}: %{y:.4g}<extra>" + oid + "</extra>"})
    doms = [(0.0, 0.29), (0.355, 0.645), (0.71, 1.0)]
    titles = [T["loss"] if gap else T["loss_raw"], T["distance"], T["step_length"]]
    layout = {**c.TEMPLATE_LAYOUT, "height": height, "showlegend": False,
              "margin": {"l": 60, "r": 20, "t": 50, "b": 60}, "annotations": []}
    for i, (dom, title) in enumerate(zip(doms, titles), start=1):
        sfx = "" if i == 1 else str(i)
        ytype = "log" if (i > 1 or gap) else "linear"
        layout[f"xaxis{sfx}"] = {"domain": list(dom), "anchor": f"y{sfx}", "title": {"text": T["step_axis"]},
                                 "gridcolor": "#dddddd"}
        layout[f"yaxis{sfx}"] = {"anchor": f"x{sfx}", "type": ytype, "gridcolor": "#dddddd",
                                 "exponentformat": "power"}
        layout["annotations"].append({"text": title, "xref": "paper", "yref": "paper", "x": dom[0], "y": 1.02,
                                      "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                                      "font": {"size": c.FONT}})
    if not m.size:
        layout["annotations"].append({"text": T["no_minimum"], "xref": "x2 domain", "yref": "y2 domain", "x": 0.5,
                                      "y": 0.5, "showarrow": False, "font": {"size": c.FONT - 2}})
    return {"data": data, "layout": layout}


PANEL_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def compare_loss_figure(series, *, text=None, height=360, present=False):
    """The loss curves of every panel in one chart: colour = optimizer, dash = panel.

    ``series``: list of (panel index, legend name, optimizer id, RunResult, f*). The y axis is
    f − f* (log) when every panel's f* is known, else f itself.
    """
    T = c.figure_words(text)
    sty = c.style_for(present)
    gap = all(math.isfinite(f_min) for *_, f_min in series)
    data = []
    for panel, name, oid, r, f_min in series:
        idx, y = _loss_curve(r, f_min, gap)
        data.append({"type": "scatter", "mode": "lines", "x": idx.tolist(), "y": c.sig(y), "name": name,
                     "line": {"color": colour(oid), "width": sty.line - 1,
                              "dash": PANEL_DASHES[panel % len(PANEL_DASHES)]},
                     "hovertemplate": "%{x}: %{y:.4g}<extra>" + oid + "</extra>"})
    layout = {**c.template_layout(sty), "height": height, "margin": {"l": 70, "r": 20, "t": 20, "b": 55},
              "xaxis": {"title": {"text": T["step_axis"]}, "gridcolor": "#dddddd"},
              "yaxis": {"title": {"text": T["loss"] if gap else T["loss_raw"]}, "gridcolor": "#dddddd",
                        "type": "log" if gap else "linear", "exponentformat": "power"},
              "legend": {"font": {"size": sty.font - 3}}, "showlegend": True}
    return {"data": data, "layout": layout}


FAINT_PATHS = 40          # paths drawn per optimizer behind the map's mean path (the bands use all)
FAINT_POINTS = 120        # points per faint path


def band_figure(bands, labels, *, f_min=math.nan, text=None, height=380):
    """Per optimizer (``lab.seeds.SeedBand``): the mean loss over the seeds, and the band between
    its 10 % and 90 % quantiles, against the step (log y)."""
    T = c.figure_words(text)
    gap = math.isfinite(f_min)
    shift = f_min if gap else 0.0
    data = []
    for b in bands:
        col, oid = colour(b.optimizer), b.optimizer
        idx = c.display_indices(len(b.mean_loss))
        t = idx.tolist()
        low, high, mean = (_positive(a[idx] - shift) if gap else a[idx] for a in (b.low, b.high, b.mean_loss))
        data.append({"type": "scatter", "x": t, "y": c.sig(low), "mode": "lines", "line": {"width": 0},
                     "legendgroup": oid, "showlegend": False, "hoverinfo": "skip", "name": oid + " 10%"})
        data.append({"type": "scatter", "x": t, "y": c.sig(high), "mode": "lines", "line": {"width": 0},
                     "fill": "tonexty", "fillcolor": _translucent(col, 0.22), "legendgroup": oid,
                     "showlegend": False, "hoverinfo": "skip", "name": oid + " 90%"})
        data.append({"type": "scatter", "x": t, "y": c.sig(mean), "mode": "lines", "legendgroup": oid,
                     "name": labels.get(oid, oid), "line": {"color": col, "width": 3},
                     "hovertemplate": "%{x}: %{y:.4g}<extra>" + oid + "</extra>"})
    layout = {**c.TEMPLATE_LAYOUT, "height": height, "margin": {"l": 70, "r": 20, "t": 30, "b": 60},
              "xaxis": {"title": {"text": T["step_axis"]}, "gridcolor": "#dddddd"},
              "yaxis": {"title": {"text": T["band_axis"]}, "type": "log", "gridcolor": "#dddddd",
                        "exponentformat": "power"},
              "legend": {"font": {"size": c.FONT - 3}}}
    return {"data": data, "layout": layout}


def _translucent(hex_colour: str, alpha: float) -> str:
    r, g, b = rgb(hex_colour)
    return f"rgba({r},{g},{b},{alpha})"


def faint_traces(bands, domain, *, xa="x", ya="y") -> list:
    """The map's background of a run over seeds: per optimizer, up to ``FAINT_PATHS`` of its runs
    as thin translucent lines (one trace, NaN-separated) and their mean path dashed."""
    out = []
    for b in bands:
        col = colour(b.optimizer)
        xs, ys = [], []
        for path in b.xy[:FAINT_PATHS]:
            keep = np.isfinite(path).all(axis=1)
            p = c.clip_path(path[keep], domain)
            if len(p) < 2:
                continue
            p = p[c.display_indices(len(p), FAINT_POINTS)]
            xs += c.rounded(p[:, 0], 4) + [None]
            ys += c.rounded(p[:, 1], 4) + [None]
        out.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "xaxis": xa, "yaxis": ya,
                    "line": {"color": _translucent(col, 0.28), "width": 1.5}, "hoverinfo": "skip",
                    "showlegend": False, "name": "seed runs"})
        mean = b.mean_path[np.isfinite(b.mean_path).all(axis=1)]
        if len(mean) > 1:
            mean = c.clip_path(mean[c.display_indices(len(mean), 400)], domain)
            out.append({"type": "scatter", "x": c.rounded(mean[:, 0], 4), "y": c.rounded(mean[:, 1], 4),
                        "mode": "lines", "xaxis": xa, "yaxis": ya, "hoverinfo": "skip", "showlegend": False,
                        "line": {"color": col, "width": 2.5, "dash": "dash"}, "name": "mean path"})
    return out
