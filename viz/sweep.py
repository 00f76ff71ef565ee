"""The Sweep page's figures: a heatmap of one metric over two hyperparameters, metric-vs-value
curves per optimizer, and the tuning curves. Plain dicts from arrays (``lab.sweep``'s results).

A heatmap cannot be clicked in Streamlit (its selection comes back empty), so a grid of
transparent points lies over it at up to ``CLICK_N`` × ``CLICK_N`` cells: they carry the hover
text and the click. Log hyperparameters are drawn in log₁₀ units on a linear axis, labelled with
the values themselves, so every cell has the same width.
"""
from __future__ import annotations

import math

import numpy as np

from . import common as c
from .palette import colour, symbol

CLICK_N = 50
# status colours: red and light pink differ in lightness too; "never" is neutral grey
DIVERGED_COLOUR, ESCAPED_COLOUR, NEVER_COLOUR = "#CC3311", "#FFAABB", "#BBBBBB"
REACHED_COLOUR, NOT_REACHED_COLOUR = "#228833", "#DDEECC"
LOSS_FLOOR = 1e-16              # log₁₀ of a gap below this is drawn as this
SEQUENTIAL = "Viridis"


def _coords(values: np.ndarray, log: bool) -> np.ndarray:
    return np.log10(values) if log else np.asarray(values, dtype=np.float64)


def _ticks(values: np.ndarray, log: bool) -> dict:
    """Axis settings that label log₁₀ coordinates with the values (1-2-5 within a decade or two)."""
    if not log:
        return {"type": "linear"}
    lo, hi = math.log10(values.min()), math.log10(values.max())
    per_decade = (1,) if hi - lo > 2.5 else (1, 2, 5)
    ticks = [m * 10.0 ** k for k in range(math.floor(lo), math.ceil(hi) + 1) for m in per_decade]
    ticks = [v for v in ticks if lo - 1e-9 <= math.log10(v) <= hi + 1e-9]
    return {"type": "linear", "tickvals": [math.log10(v) for v in ticks], "ticktext": [f"{v:g}" for v in ticks]}


def _legend_square(name: str, col: str, sty) -> dict:
    return {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name, "showlegend": True,
            "marker": {"symbol": "square", "size": sty.font, "color": col, "line": {"color": "#555555", "width": 1}},
            "hoverinfo": "skip"}


def status_codes(status: np.ndarray, steps: np.ndarray | None = None) -> dict:
    """Category masks of a grid: diverged, escaped and, where ``steps`` is given, never reached."""
    out = {"diverged": status == 1, "escaped": status == 2}
    if steps is not None:
        out["never"] = (status == 0) & (steps < 0)
        out["reached"] = (status == 0) & (steps >= 0)
    return out


def sweep_map_figure(m, metric: str, *, x_log: bool, y_log: bool, marker=None, text=None, present=False,
                     height=None) -> dict:
    """The heatmap of ``metric`` ("loss", "steps", "status") over ``m`` (``lab.sweep.SweepMap``).
    ``marker``: (x, y) of the Playground's own setting, drawn as a white cross."""
    T = c.figure_words(text)
    sty = c.style_for(present)
    gx, gy = _coords(m.xs, x_log), _coords(m.ys, y_log)
    masks = status_codes(m.status, m.steps)
    data = []
    if metric in ("loss", "steps"):
        if metric == "loss":
            z = np.log10(np.maximum(np.where(m.status == 0, m.gap, np.nan), LOSS_FLOOR))
            bar = T["sweep_loss_bar"]
        else:
            z = np.where(masks["reached"], m.steps, np.nan).astype(np.float64)
            bar = T["sweep_steps_bar"]
        data.append({"type": "heatmap", "x": c.rounded(gx, 6), "y": c.rounded(gy, 6), "z": [c.sig(row, 3) for row in z],
                     "colorscale": SEQUENTIAL, "hoverinfo": "skip", "name": metric,
                     "colorbar": {"title": {"text": bar, "side": "right"}, "thickness": 18,
                                  "tickfont": {"size": sty.font - 3}}})
    categories = []
    if metric == "status":
        categories += [("reached", REACHED_COLOUR, T["sweep_reached"]),
                       ("never", NOT_REACHED_COLOUR, T["sweep_ok_not_reached"])]
    elif metric == "steps":
        categories.append(("never", NEVER_COLOUR, T["sweep_never"]))
    categories += [("diverged", DIVERGED_COLOUR, T["sweep_diverged"]), ("escaped", ESCAPED_COLOUR, T["sweep_escaped"])]
    codes = np.full(m.status.shape, np.nan)
    for i, (name, _, _) in enumerate(categories):
        codes[masks[name]] = i
    if np.isfinite(codes).any():
        scale = []
        k = len(categories)
        for i, (_, col, _) in enumerate(categories):
            scale += [[i / k, col], [(i + 1) / k, col]]
        data.append({"type": "heatmap", "x": c.rounded(gx, 6), "y": c.rounded(gy, 6),
                     "z": [[None if not math.isfinite(v) else int(v) for v in row] for row in codes.tolist()],
                     "zmin": -0.5, "zmax": k - 0.5, "colorscale": scale, "showscale": False, "hoverinfo": "skip",
                     "name": "status"})
    for name, col, label in categories:
        if masks[name].any() or metric == "status":
            data.append(_legend_square(label, col, sty))
    # the click and hover layer
    iy = np.unique(np.round(np.linspace(0, len(gy) - 1, min(CLICK_N, len(gy)))).astype(int))
    ix = np.unique(np.round(np.linspace(0, len(gx) - 1, min(CLICK_N, len(gx)))).astype(int))
    J, I = np.meshgrid(iy, ix, indexing="ij")
    J, I = J.ravel(), I.ravel()
    hover = [_cell_text(m, j, i, T) for j, i in zip(J, I)]
    data.append({"type": "scatter", "x": c.rounded(gx[I], 6), "y": c.rounded(gy[J], 6), "mode": "markers",
                 "marker": {"size": max(6, int(480 / max(len(ix), len(iy)))), "color": "rgba(0,0,0,0)",
                            "symbol": "square"},
                 "customdata": [[int(j), int(i)] for j, i in zip(J, I)], "text": hover,
                 "hovertemplate": "%{text}<extra></extra>", "showlegend": False, "name": "cells",
                 "selected": {"marker": {"opacity": 0}}, "unselected": {"marker": {"opacity": 0}}})
    shapes, annotations = [], []
    if math.isfinite(m.edge) and "lr" in (m.x, m.y):
        e = math.log10(m.edge) if (x_log if m.x == "lr" else y_log) else m.edge
        along = gx if m.x == "lr" else gy
        if along.min() <= e <= along.max():
            line = {"type": "line", "line": {"color": "#ffffff", "width": 3, "dash": "dash"}}
            if m.x == "lr":
                shapes.append({**line, "x0": e, "x1": e, "y0": 0, "y1": 1, "xref": "x", "yref": "paper"})
                annotations.append({"x": e, "y": 1.0, "xref": "x", "yref": "paper", "text": T["sweep_edge"],
                                    "showarrow": False, "yanchor": "bottom", "font": {"size": sty.font - 2}})
            else:
                shapes.append({**line, "y0": e, "y1": e, "x0": 0, "x1": 1, "yref": "y", "xref": "paper"})
                annotations.append({"y": e, "x": 1.0, "yref": "y", "xref": "paper", "text": T["sweep_edge"],
                                    "showarrow": False, "xanchor": "left", "font": {"size": sty.font - 2}})
    if marker is not None:
        mx, my = marker
        if (m.xs.min() <= mx <= m.xs.max()) and (m.ys.min() <= my <= m.ys.max()):
            px = math.log10(mx) if x_log else mx
            py = math.log10(my) if y_log else my
            data.append({"type": "scatter", "x": [px], "y": [py], "mode": "markers", "name": T["sweep_yours"],
                         "marker": {"symbol": "x-thin", "size": sty.head + 6,
                                    "line": {"color": "#ffffff", "width": 4}},
                         "hoverinfo": "skip", "showlegend": True})
    layout = {
        **c.template_layout(sty),
        "height": height or (640 if present else 500),
        "margin": {"l": 80, "r": 20, "t": 30, "b": 70},
        "xaxis": {"title": {"text": m.x}, **_ticks(m.xs, x_log), "range": _span(gx), "showgrid": False,
                  "zeroline": False},
        "yaxis": {"title": {"text": m.y}, **_ticks(m.ys, y_log), "range": _span(gy), "showgrid": False,
                  "zeroline": False},
        "legend": {"orientation": "h", "x": 0.0, "y": -0.14, "yanchor": "top", "font": {"size": sty.font - 3}},
        "shapes": shapes, "annotations": annotations,
        "dragmode": False, "clickmode": "event+select", "hovermode": "closest",
    }
    return {"data": data, "layout": layout}


def _span(g: np.ndarray) -> list:
    """The axis range that shows every cell whole (half a cell beyond the first and last centre)."""
    if len(g) < 2:
        return [float(g[0]) - 0.5, float(g[0]) + 0.5]
    h = (g[1] - g[0]) / 2, (g[-1] - g[-2]) / 2
    return [float(g[0] - h[0]), float(g[-1] + h[1])]


def _cell_text(m, j: int, i: int, T: dict) -> str:
    head = f"{m.x} = {m.xs[i]:.4g}<br>{m.y} = {m.ys[j]:.4g}<br>"
    st = int(m.status[j, i])
    if st == 1:
        return head + T["sweep_diverged"]
    if st == 2:
        return head + T["sweep_escaped"]
    steps = int(m.steps[j, i])
    reach = T["sweep_steps_hover"].replace("{n}", str(steps)) if steps >= 0 else T["sweep_never"]
    return head + f"{T['loss']} = {m.gap[j, i]:.3g}<br>{reach}"


def sweep_lines_figure(lines, metric: str, name: str, *, log: bool, edge: float = math.nan, opt_names=None,
                       text=None, present=False, height=None) -> dict:
    """Metric vs the hyperparameter ``name``, one curve per optimizer (``lab.sweep.SweepLine``),
    each one's best value ringed; a run that diverged or escaped is a cross along the top."""
    T = c.figure_words(text)
    sty = c.style_for(present)
    opt_names = opt_names or {}
    data = []
    for ln in lines:
        col, label = colour(ln.optimizer), opt_names.get(ln.optimizer, ln.optimizer)
        if metric == "loss":
            y = np.where(ln.status == 0, np.maximum(ln.gap, LOSS_FLOOR), np.nan)
        else:
            y = np.where((ln.status == 0) & (ln.steps >= 0), ln.steps, np.nan).astype(np.float64)
        data.append({"type": "scatter", "x": c.sig(ln.values, 6), "y": c.sig(y, 4), "mode": "lines+markers",
                     "name": label, "legendgroup": ln.optimizer, "customdata": [ln.optimizer] * len(ln.values),
                     "line": {"color": col, "width": sty.line - 1},
                     "marker": {"color": col, "symbol": symbol(ln.optimizer), "size": sty.head - 9},
                     "hovertemplate": f"{label}<br>{name} = %{{x:.4g}}<br>%{{y:.4g}}<extra></extra>"})
        bad = ln.status != 0
        if bad.any():
            data.append({"type": "scatter", "x": c.sig(ln.values[bad], 6), "y": [1.0] * int(bad.sum()),
                         "yaxis": "y2", "mode": "markers", "legendgroup": ln.optimizer, "showlegend": False,
                         "name": label, "marker": {"symbol": "x-thin", "size": sty.head - 5,
                                                   "line": {"color": col, "width": 3}},
                         "hovertemplate": f"{label}<br>{name} = %{{x:.4g}}<br>{T['sweep_failed']}<extra></extra>"})
        if ln.best >= 0:
            data.append({"type": "scatter", "x": c.sig([ln.values[ln.best]], 6), "y": c.sig([y[ln.best]], 4),
                         "mode": "markers", "legendgroup": ln.optimizer, "showlegend": False, "name": label,
                         "marker": {"symbol": "circle-open", "size": sty.head + 8, "color": col,
                                    "line": {"color": col, "width": 4}},
                         "hovertemplate": f"{label}: {T['sweep_best']}<br>{name} = %{{x:.4g}}<br>%{{y:.4g}}<extra></extra>"})
    shapes, annotations = [], []
    if math.isfinite(edge):
        ex = math.log10(edge) if log else edge     # an annotation on a log axis takes log₁₀, a shape the value
        shapes.append({"type": "line", "x0": edge, "x1": edge, "y0": 0, "y1": 1, "xref": "x", "yref": "paper",
                       "line": {"color": colour("sgd"), "width": 2, "dash": "dash"}})
        annotations.append({"x": ex, "y": 1.0, "xref": "x", "yref": "paper", "text": T["sweep_edge"],
                            "showarrow": False, "yanchor": "bottom", "font": {"size": sty.font - 2}})
    layout = {
        **c.template_layout(sty),
        "height": height or (620 if present else 480),
        "margin": {"l": 80, "r": 20, "t": 30, "b": 60},
        "xaxis": {"title": {"text": name}, "type": "log" if log else "linear", "gridcolor": "#dddddd"},
        "yaxis": {"title": {"text": T["sweep_loss_axis"] if metric == "loss" else T["sweep_steps_axis"]},
                  "type": "log" if metric == "loss" else "linear", "gridcolor": "#dddddd",
                  "exponentformat": "power", "domain": [0.0, 0.93]},
        "yaxis2": {"domain": [0.94, 1.0], "range": [0, 2], "visible": False, "fixedrange": True},
        "legend": {"font": {"size": sty.font - 3}},
        "shapes": shapes, "annotations": annotations, "hovermode": "closest",
    }
    return {"data": data, "layout": layout}


def tuning_figure(tuning, *, opt_names=None, objective_label: str = "", text=None, present=False,
                  height=None) -> dict:
    """Per optimizer, its objective over the lr grid (at its chosen second hyperparameter), the
    chosen lr ringed and its robust lr range drawn as a bar under the curve."""
    T = c.figure_words(text)
    sty = c.style_for(present)
    opt_names = opt_names or {}
    data = []
    finite = [v for r in tuning.results for v in r.objective[np.isfinite(r.objective)].ravel()]
    floor = max(min(finite), LOSS_FLOOR) if finite else 1.0
    log_y = tuning.objective != "steps"
    for r in tuning.results:
        col, label = colour(r.optimizer), opt_names.get(r.optimizer, r.optimizer)
        row = 0
        if r.extra:
            row = int(np.argmin(np.abs(r.extra_values - r.best[r.extra])))
        y = r.objective[row]
        y = np.where(np.isfinite(y), np.maximum(y, LOSS_FLOOR) if log_y else y, np.nan)
        data.append({"type": "scatter", "x": c.sig(r.lrs, 6), "y": c.sig(y, 4), "mode": "lines+markers",
                     "name": label, "legendgroup": r.optimizer, "line": {"color": col, "width": sty.line - 1},
                     "marker": {"color": col, "symbol": symbol(r.optimizer), "size": sty.head - 9},
                     "hovertemplate": f"{label}<br>lr = %{{x:.4g}}<br>%{{y:.4g}}<extra></extra>"})
        if math.isfinite(r.best_value):
            bv = max(r.best_value, LOSS_FLOOR) if log_y else r.best_value
            data.append({"type": "scatter", "x": c.sig([r.best["lr"]], 6), "y": c.sig([bv], 4), "mode": "markers",
                         "legendgroup": r.optimizer, "showlegend": False, "name": label,
                         "marker": {"symbol": "circle-open", "size": sty.head + 8, "color": col, "line": {"color": col, "width": 4}},
                         "hovertemplate": f"{label}: {T['sweep_best']}<br>lr = %{{x:.4g}}<extra></extra>"})
            lo, hi = r.robust
            data.append({"type": "scatter", "x": c.sig([lo, hi], 6), "y": c.sig([floor / 3, floor / 3], 4)
                         if log_y else [0, 0], "mode": "lines", "legendgroup": r.optimizer, "showlegend": False,
                         "name": label, "line": {"color": col, "width": 8},
                         "hovertemplate": f"{label}: {T['sweep_robust']}<br>lr %{{x:.4g}}<extra></extra>"})
            floor /= 2.2   # the next optimizer's bar a little lower
    layout = {
        **c.template_layout(sty),
        "height": height or (620 if present else 480),
        "margin": {"l": 80, "r": 20, "t": 20, "b": 60},
        "xaxis": {"title": {"text": "lr"}, "type": "log", "gridcolor": "#dddddd"},
        "yaxis": {"title": {"text": objective_label}, "type": "log" if log_y else "linear", "gridcolor": "#dddddd",
                  "exponentformat": "power"},
        "legend": {"font": {"size": sty.font - 3}}, "hovermode": "closest",
    }
    return {"data": data, "layout": layout}
