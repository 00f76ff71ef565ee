"""Shared helpers of the figure builders: display precision, decimation, projector styling."""
from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .background import N_BANDS


@lru_cache(maxsize=1)
def _english_words() -> dict:
    from ui.strings_en import STRINGS      # plain data: the app's one English catalogue, no Streamlit
    return {k[len("fig_"):]: v for k, v in STRINGS.items() if k.startswith("fig_")}


def figure_words(text: dict | None = None) -> dict:
    """The words a figure draws: ``text`` (the caller's language, e.g. ``ui.i18n.figure_text()``)
    over the English of the app's string catalogue (its ``fig_*`` keys, without the prefix). The
    catalogues are the one home of every word the app shows; a builder keeps no copy."""
    return {**_english_words(), **(text or {})}

FONT = 17                 # base font size: legible from the back of a lecture hall
LINE_WIDTH = 4
HEAD_SIZE = 17
MAX_FRAMES = 100
MAX_DISPLAY_POINTS = 2000  # per path; longer runs are shown every d-th step


class Style(NamedTuple):
    """Sizes of text and marks. ``PRESENT`` is the projector's: read from the back of a hall."""
    font: int
    line: float
    head: int
    mark: float              # factor on the other markers (minima, start, ends, arrows)


NORMAL = Style(FONT, LINE_WIDTH, HEAD_SIZE, 1.0)
PRESENT = Style(23, 6, 25, 1.35)


def style_for(present: bool) -> Style:
    return PRESENT if present else NORMAL


def template_layout(sty: Style = NORMAL) -> dict:
    return {**TEMPLATE_LAYOUT, "font": {**TEMPLATE_LAYOUT["font"], "size": sty.font},
            "hoverlabel": {"font": {"size": sty.font}}}


TEMPLATE_LAYOUT = {
    "font": {"size": FONT, "color": "#111111", "family": "Noto Sans, Noto Sans CJK SC, Arial, sans-serif"},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "hoverlabel": {"font": {"size": FONT}},
}


class Panel(NamedTuple):
    """One map of a figure: a surface and the runs drawn on it.

    ``runs``: list of (optimizer id, optim_core.RunResult); ``labels``: optimizer id -> legend
    text (name, the setting used, the status); ``bands``: contour bands of its map. The
    Playground draws one panel, Compare 2–6.
    """
    title: str
    surface: object          # surfaces.Surface
    runs: list
    labels: dict
    bands: int = N_BANDS


def grid_shape(n: int) -> tuple[int, int]:
    """(rows, columns) for ``n`` panels: one; side by side up to 2; then 2 × 2; then 2 rows of 3."""
    cols = n if n <= 2 else (2 if n <= 4 else 3)
    return math.ceil(n / cols), cols


def decimals_for(span: float, digits: int = 4) -> int:
    """Decimal places that keep ``digits`` significant digits over a range of size ``span``."""
    if not math.isfinite(span) or span <= 0:
        return digits
    return max(0, digits - 1 - int(math.floor(math.log10(span))))


def rounded(a, decimals: int) -> list:
    """A float array as a JSON-ready list at display precision; non-finite values become None."""
    a = np.asarray(a, dtype=np.float64)
    r = np.round(a, decimals)
    if np.isfinite(r).all():
        return r.tolist()
    return [v if math.isfinite(v) else None for v in r.tolist()]


def sig(a, digits: int = 4) -> list:
    """Values (any magnitude, e.g. losses) at ``digits`` significant digits; non-finite -> None."""
    a = np.asarray(a, dtype=np.float64)
    out = np.array(a, dtype=np.float64)
    finite = np.isfinite(a) & (a != 0)
    if finite.any():
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            mag = np.floor(np.log10(np.abs(a[finite])))
            scale = 10.0 ** (digits - 1 - mag)
            r = np.round(a[finite] * scale) / scale
        out[finite] = np.where(np.isfinite(r), r, a[finite])
    return [float(f"{v:.{digits}g}") if v is not None and math.isfinite(v) else None for v in out.tolist()]


def display_indices(n_points: int, max_points: int = MAX_DISPLAY_POINTS) -> np.ndarray:
    """Indices 0..n_points−1 kept for display: every d-th, always including the last."""
    d = max(1, math.ceil((n_points - 1) / max(1, max_points - 1)))
    idx = np.arange(0, n_points, d)
    if idx[-1] != n_points - 1:
        idx = np.append(idx, n_points - 1)
    return idx


def frame_steps(steps: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """The steps the animation frames show: 0..steps, at most ``max_frames`` of them."""
    return np.unique(np.round(np.linspace(0, steps, min(max_frames, steps + 1))).astype(int))


def clip_path(xy: np.ndarray, domain, margin: float = 2.0) -> np.ndarray:
    """Points clipped to a box ``margin``× the domain around it (so runaway lines still head the
    right way off the map without huge numbers); non-finite values stay NaN."""
    x0, x1, y0, y1 = domain
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, margin * (x1 - x0) / 2, margin * (y1 - y0) / 2
    out = np.array(xy, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        out[:, 0] = np.clip(out[:, 0], cx - hx, cx + hx)
        out[:, 1] = np.clip(out[:, 1], cy - hy, cy + hy)
    return out


def exit_point(xy: np.ndarray, domain, inset: float = 0.02) -> np.ndarray:
    """Where a runaway path leaves the map: the crossing of the domain's border by the segment
    from its last point inside to the next one, pulled ``inset`` of the domain inwards so its
    marker is whole. The last point itself when the path never leaves."""
    x0, x1, y0, y1 = domain
    ok = np.isfinite(xy).all(axis=1)
    inside = ok & (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    if inside.all():
        p = xy[-1]
    elif not inside.any():
        p = xy[0]
    else:
        i = int(np.nonzero(inside)[0][-1])
        p = xy[i]
        if i + 1 < len(xy) and ok[i + 1]:
            q = xy[i + 1]
            d = q - p
            t = 1.0
            for k, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
                if d[k] > 0:
                    t = min(t, (hi - p[k]) / d[k])
                elif d[k] < 0:
                    t = min(t, (lo - p[k]) / d[k])
            p = p + max(0.0, t) * d
    dx, dy = inset * (x1 - x0), inset * (y1 - y0)
    return np.array([min(max(p[0], x0 + dx), x1 - dx), min(max(p[1], y0 + dy), y1 - dy)])
