"""The race as an animated GIF and its final frame as a PNG, drawn on the server.

A GIF plays in slides, chat messages and learning platforms that will not run JavaScript; the PNG
goes into lecture notes. Both look like the app's map: the surface's pale filled-contour bands
(``viz.background``'s own rendering), equal x/y scales, gold stars at the minima, the optimizers
in their fixed palette colours and head shapes.

Drawing uses matplotlib's object API (``Figure`` + ``FigureCanvasAgg``), never pyplot: no global
backend switch, no figure manager, nothing shared with other Streamlit sessions but the font
cache — and a module lock serialises the renders, because matplotlib does not promise thread
safety. Speed comes from blitting: the static part (background, stationary points, titles,
legend) is drawn once; each frame restores it and draws only the moving artists.
"""
from __future__ import annotations

import html
import io
import logging
import re
import threading
import warnings
from functools import lru_cache

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.lines import Line2D
from PIL import Image

from . import common as c
from .animation import Track
from .background import contour_png as _band_png  # the app's band rendering, at our size
from .palette import SYMBOLS, colour

log = logging.getLogger(__name__)

MAX_GIF_FRAMES = 100
MIN_GIF_FRAMES = 2
MAX_GIF_PIXELS = (1200, 900)        # width, height
MIN_GIF_PIXELS = 200                # either side
DEFAULT_SIZE = (800, 600)
MAX_FPS = 30                        # GIF delays are whole centiseconds; browsers slow down anything under 20 ms
HOLD_LAST_MS = 1500                 # the finished race stays on screen before the loop restarts
MAX_PANELS = 6
DPI = 100                           # figure inches × DPI = the requested pixels exactly
REFERENCE = (800, 600)              # sizes below are in pixels at this size and scale with the image

LATIN_FAMILY = "DejaVu Sans"        # ships with matplotlib: always there
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK TC", "Noto Sans CJK JP",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "Noto Serif CJK SC",
                "AR PL UMing CN")
_CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


# viz.palette's Plotly head symbols as matplotlib markers: the GIF keeps each optimizer's shape,
# so no pair is told apart by colour alone here either. (n, 1, 0) is an n-pointed star.
SYMBOL_MARKERS = {
    "circle": "o", "square": "s", "diamond": "D", "triangle-up": "^", "pentagon": "p", "star": "*",
    "hexagon": "h", "circle-open-dot": "8", "triangle-down": "v", "cross": "P", "star-square": "H",
    "hourglass": "<", "bowtie": ">", "square-x": (4, 1, 0), "diamond-wide": "d", "hexagram": (6, 1, 0),
}
MARKERS = {oid: SYMBOL_MARKERS[sym] for oid, sym in SYMBOLS.items()}
# thin shapes look smaller than a disc of the same size: drawn larger so every head reads alike
MARKER_SCALE = {"*": 1.45, (4, 1, 0): 1.35, (6, 1, 0): 1.35, "d": 1.15, "<": 1.1, ">": 1.1, "^": 1.1, "v": 1.1}
END_MARKER = "X"                    # where a diverged / escaped path leaves the map (the app's ✖)

# sizes in pixels at REFERENCE size
PX = {"title": 17, "legend": 14, "counter": 17, "tick": 11, "line": 2.5, "head": 13, "end": 17,
      "star": 17, "saddle": 13, "start": 15, "pad": 8}

LEGEND_SHARE = 0.3                  # at most this part of the image's height goes to the legend

_RENDER_LOCK = threading.Lock()


# --------------------------------------------------------------------------- checks

def _check_frames(frames) -> int:
    if isinstance(frames, bool) or not isinstance(frames, (int, np.integer)) or not (
            MIN_GIF_FRAMES <= frames <= MAX_GIF_FRAMES):
        raise ValueError(f"frames={frames!r} is out of range; allowed: a whole number in "
                         f"[{MIN_GIF_FRAMES}, {MAX_GIF_FRAMES}]")
    return int(frames)


def _check_size(size) -> tuple[int, int]:
    ok = (isinstance(size, (tuple, list)) and len(size) == 2
          and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in size))
    if ok:
        w, h = int(size[0]), int(size[1])
        ok = MIN_GIF_PIXELS <= w <= MAX_GIF_PIXELS[0] and MIN_GIF_PIXELS <= h <= MAX_GIF_PIXELS[1]
    if not ok:
        raise ValueError(f"size={size!r} is out of range; allowed: (width, height) in whole pixels, width in "
                         f"[{MIN_GIF_PIXELS}, {MAX_GIF_PIXELS[0]}] and height in "
                         f"[{MIN_GIF_PIXELS}, {MAX_GIF_PIXELS[1]}]")
    return w, h


def _check_fps(fps) -> float:
    if isinstance(fps, bool) or not isinstance(fps, (int, float, np.integer, np.floating)) or not (1 <= fps <= MAX_FPS):
        raise ValueError(f"fps={fps!r} is out of range; allowed range is [1, {MAX_FPS}]")
    return float(fps)


def _check_panels(panels) -> list:
    panels = list(panels) if isinstance(panels, (list, tuple)) else None
    if not panels or len(panels) > MAX_PANELS or not all(isinstance(p, c.Panel) for p in panels):
        n = "not a list" if panels is None else len(panels)
        raise ValueError(f"panels must be a list of 1 to {MAX_PANELS} viz.common.Panel (got {n})")
    return panels


# --------------------------------------------------------------------------- fonts and text

@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first installed font family that has Chinese glyphs (Debian: fonts-noto-cjk), or None."""
    installed = {f.name for f in fontManager.ttflist}
    return next((fam for fam in CJK_FAMILIES if fam in installed), None)


def font_families(lang: str = "en", texts=()) -> list[str]:
    """The font family list the text is drawn with; matplotlib falls back along it glyph by glyph.

    Chinese first for ``lang="zh"`` (its Latin and digits then match the Chinese); otherwise DejaVu
    Sans first with the CJK font behind it for any Chinese in a title or label. Without a CJK font
    Chinese would come out as empty boxes: that is logged and warned, never silent."""
    cjk = cjk_family()
    if cjk is None:
        if lang == "zh" or any(_CJK_CHAR.search(str(s)) for s in texts):
            msg = ("no CJK font found (install fonts-noto-cjk): Chinese text in the exported image will show "
                   "as empty boxes")
            log.warning(msg)
            warnings.warn(msg, RuntimeWarning, stacklevel=3)
        return [LATIN_FAMILY]
    return [cjk, LATIN_FAMILY] if lang == "zh" else [LATIN_FAMILY, cjk]


def _plain(s) -> str:
    """Text for matplotlib: no mathtext (a literal ``$``), HTML entities decoded."""
    return html.unescape(str(s)).replace("$", r"\$")


_BR = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def plain_label(label) -> str:
    """A Plotly legend label as one line: ``<br>`` becomes " · ", other tags go."""
    return re.sub(r"\s+", " ", _TAG.sub("", _BR.sub(" · ", str(label)))).strip()


def _shared_label(oid: str, labels: list[str]) -> str:
    """One legend entry for an optimizer drawn on several panels: its label when the panels agree,
    else the leading parts they share (name and η; the per-panel status is on the map as ✖)."""
    labels = [plain_label(s) for s in labels if s]
    if not labels:
        return oid
    if all(s == labels[0] for s in labels):
        return labels[0]
    parts = [s.split(" · ") for s in labels]
    common = []
    for seg in zip(*parts):
        if any(x != seg[0] for x in seg):
            break
        common.append(seg[0])
    return " · ".join(common) or oid


# --------------------------------------------------------------------------- layout

SUPERSAMPLE_PIXELS = 2_000_000      # the band image is drawn at up to 2× the panel's size within this budget


@lru_cache(maxsize=16)
def _band_image(surface_key: tuple, width: int, height: int, bands: int) -> np.ndarray:
    """The app's filled-contour bands (``viz.background``) for a panel of ``width`` × ``height``
    pixels, as an RGB array.

    Drawn at up to twice the panel's size and downsampled by matplotlib's antialiasing filter:
    the band lines then come out as thin and soft as the browser draws the app's PNG, instead of
    one-pixel stair steps."""
    import surfaces
    factor = max(1.0, min(2.0, (SUPERSAMPLE_PIXELS / max(1, width * height)) ** 0.5))
    png = _band_png(surfaces.from_key(surface_key), int(width * factor), int(height * factor), bands)
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _fit_title(text_artist, max_px: float, renderer, min_pt: float) -> None:
    """Shrink (down to ``min_pt``), then cut with "…", a panel title until it fits its panel's width."""
    while text_artist.get_window_extent(renderer).width > max_px and text_artist.get_fontsize() > min_pt:
        text_artist.set_fontsize(max(min_pt, text_artist.get_fontsize() * 0.92))
        if text_artist.get_fontsize() <= min_pt:
            break
    s = text_artist.get_text()
    while text_artist.get_window_extent(renderer).width > max_px and len(s) > 4:
        s = s[:-1].rstrip()
        text_artist.set_text(s + "…")


class _Track:
    """One optimizer's path on one panel (``viz.animation.Track``) as Line2D artists, updated
    frame by frame."""

    def __init__(self, ax, oid, result, domain, sc):
        self.track = Track(oid, result, domain)
        col = colour(oid)
        self.line = Line2D([], [], color=col, lw=sc["line"], solid_capstyle="round", solid_joinstyle="round",
                           zorder=4)
        marker = MARKERS[oid]
        self.head = Line2D([], [], ls="none", marker=marker, ms=sc["head"] * MARKER_SCALE.get(marker, 1.0),
                           mfc=col, mec="#ffffff", mew=sc["head_edge"], zorder=5)
        self.end = None
        artists = [self.line, self.head]
        if self.track.runaway:
            e = self.track.end
            self.end = Line2D([e[0]], [e[1]], ls="none", marker=END_MARKER, ms=sc["end"], mfc=col, mec="#000000",
                              mew=sc["end_edge"], zorder=6, visible=False, clip_on=False)   # whole, as in the app
            artists.append(self.end)
        for a in artists:
            ax.add_line(a)
        self.artists = artists

    def show(self, s: int) -> None:
        """Draw the path up to step ``s`` (held at its end when the run stopped earlier)."""
        path, head, at_end = self.track.path_to(s)
        self.line.set_data(path[:, 0], path[:, 1])
        if np.isfinite(head).all() and not (self.track.runaway and at_end):
            self.head.set_data([head[0]], [head[1]])
        else:
            self.head.set_data([], [])
        if self.end is not None:
            self.end.set_visible(at_end)


def _scaled(size) -> dict:
    """The sizes of ``PX`` for an image of ``size``: in pixels under "px", in points (what
    matplotlib takes) under their own names. Small images keep 60 % at least: text stays legible."""
    w, h = size
    s = max(0.6, min(w / REFERENCE[0], h / REFERENCE[1]))
    pt = 72.0 / DPI
    px = {k: v * s for k, v in PX.items()}
    return {"px": px, **{k: v * pt for k, v in px.items()},
            "head_edge": 1.2 * s * pt, "end_edge": 1.5 * s * pt, "marker_edge": 2.0 * s * pt}


class _Scene:
    """The figure of ``panels`` with every artist in place; ``show(s)`` moves it to step ``s``."""

    def __init__(self, panels, text, lang, size):
        T = c.figure_words(text)       # the app passes its current language's words (ui.i18n.figure_text)
        self.T = T
        W, H = size
        self.size = size
        sc = _scaled(size)
        px = sc["px"]
        pad = px["pad"]
        self.entries = entries = self._legend_entries(panels, T)
        texts = [p.title for p in panels] + [lab for _, lab, _ in entries] + [str(v) for v in T.values()]
        fams = font_families(lang, texts)
        self.families = fams

        def fp(size_pt, weight="normal"):
            return FontProperties(family=fams, size=size_pt, weight=weight)

        self.fig = fig = Figure(figsize=(W / DPI, H / DPI), dpi=DPI, facecolor="#ffffff")
        self.canvas = FigureCanvasAgg(fig)
        renderer = self.canvas.get_renderer()
        self.steps = max([len(r.xy) - 1 for p in panels for _, r in p.runs] or [1])

        # step counter, top right
        self.counter = fig.text(1 - pad / W, 1 - pad / H, self.counter_text(self.steps), ha="right", va="top",
                                fontproperties=fp(sc["counter"], "bold"), color="#111111")
        top_band = self.counter.get_window_extent(renderer).height + 1.5 * pad

        # shared legend, bottom: as many columns as fit the width. When it would take more than
        # LEGEND_SHARE of the height (small images, many optimizers), it gets terser step by step:
        # smaller text, then names only (the η and status go), then no map symbols
        legend = None
        for scale, terse, symbols in ((1.0, False, True), (0.85, False, True), (0.85, True, True),
                                      (0.75, True, False), (0.65, True, False)):
            chosen = [e for e in entries if symbols or e[0] == "optimizer"]
            handles = [self._legend_handle(kind, oid, sc) for kind, _, oid in chosen]
            labels = [_plain(lab.split(" · ")[0] if terse else lab) for _, lab, _ in chosen]
            for ncol in range(len(handles), 0, -1):
                if legend is not None:
                    legend.remove()
                legend = fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, pad / H / 2),
                                    ncol=ncol, frameon=False, prop=fp(sc["legend"] * scale), handlelength=1.8,
                                    handletextpad=0.5, columnspacing=1.2, borderaxespad=0.2, labelspacing=0.35)
                if legend.get_window_extent(renderer).width <= W - 2 * pad:
                    break
            if legend.get_window_extent(renderer).height <= LEGEND_SHARE * H:
                break
        bottom_band = legend.get_window_extent(renderer).height + pad

        # the panels: cells of a grid, each map fitted to its cell at equal x/y scale; rows and
        # columns then shrink to their largest map and the whole block is centred, so the counter
        # and the legend sit close to the maps instead of at the far edges of the image
        rows, cols = c.grid_shape(len(panels))
        title_h = px["title"] * 1.7
        left_ticks = px["tick"] * 3.4
        bottom_ticks = px["tick"] * 2.0
        area_w = W - 2 * pad
        area_h = H - top_band - bottom_band
        cell_w, cell_h = area_w / cols, area_h / rows
        box_w = max(10.0, cell_w - left_ticks - pad)
        box_h = max(10.0, cell_h - bottom_ticks - title_h)
        fitted = []
        for panel in panels:
            x0, x1, y0, y1 = panel.surface.domain
            ratio = (y1 - y0) / (x1 - x0)
            w = min(box_w, box_h / ratio)
            fitted.append((w, w * ratio))
        col_w = [max(fitted[i][0] for i in range(k, len(panels), cols)) + left_ticks + pad for k in range(cols)]
        row_h = [max(fitted[i][1] for i in range(r * cols, min(len(panels), (r + 1) * cols))) + bottom_ticks + title_h
                 for r in range(rows)]
        slack_x = max(0.0, area_w - sum(col_w)) / 2
        slack_y = max(0.0, area_h - sum(row_h)) / 2
        self.counter.set_position((1 - (pad + slack_x) / W, 1 - (pad + slack_y) / H))
        legend.set_bbox_to_anchor((0.5, (pad / 2 + slack_y) / H), transform=fig.transFigure)
        self.tracks = []
        for i, panel in enumerate(panels):
            r, k = divmod(i, cols)
            w, h = fitted[i]
            cx = pad + slack_x + sum(col_w[:k]) + left_ticks + (col_w[k] - left_ticks - pad - w) / 2
            cy = bottom_band + slack_y + sum(row_h[r + 1:]) + bottom_ticks + (row_h[r] - bottom_ticks - title_h - h) / 2
            ax = fig.add_axes([cx / W, cy / H, w / W, h / H])
            self._draw_panel(ax, panel, sc, fams, renderer, col_w[k])

        # everything that moves is drawn per frame; the rest once
        self.moving = [a for tr in self.tracks for a in tr.artists] + [self.counter]

    # -- building blocks

    def key_colours(self) -> list[str]:
        """Colours that must survive the GIF palette exactly."""
        return ["#000000", "#ffffff", "#111111", "#FFD700"] + [colour(oid) for _, _, oid in self.entries if oid]

    def counter_text(self, t: int) -> str:
        return _plain(self.T["step_counter"].replace("{t}", str(int(t))).replace("{n}", str(int(self.steps))))

    @staticmethod
    def _legend_entries(panels, T):
        """(kind, label, optimizer id) for the shared legend: optimizers first seen first, then the
        map's symbols that appear on some panel."""
        seen: dict[str, list] = {}
        for p in panels:
            for oid, _ in p.runs:
                seen.setdefault(oid, []).append(p.labels.get(oid, oid))
        out = [("optimizer", _shared_label(oid, labs), oid) for oid, labs in seen.items()]
        if any(p.runs for p in panels):
            out.append(("start", T["start"], None))
        if any(p.surface.minima for p in panels):
            out.append(("minimum", T["minimum"], None))
        if any(p.surface.saddles for p in panels):
            out.append(("saddle", T["saddle"], None))
        return out

    @staticmethod
    def _legend_handle(kind, oid, sc):
        if kind == "optimizer":
            col = colour(oid)
            marker = MARKERS[oid]
            return Line2D([], [], color=col, lw=sc["line"] * 1.3, marker=marker,
                          ms=sc["head"] * 0.9 * MARKER_SCALE.get(marker, 1.0),
                          mfc=col, mec="#ffffff", mew=sc["head_edge"])
        return Line2D([], [], ls="none", **_STATIC_STYLE[kind](sc))

    def _draw_panel(self, ax, panel, sc, fams, renderer, cell_w):
        surface = panel.surface
        x0, x1, y0, y1 = surface.domain
        ax.set_aspect("equal", adjustable="box", anchor="C")     # the axes is already sized to the domain's shape
        pos = ax.get_position()
        W, H = self.size
        img = _band_image(surface.key, max(2, round(pos.width * W)),
                          max(2, round(pos.height * H)), int(panel.bands))
        ax.imshow(img, extent=(x0, x1, y0, y1), origin="upper", interpolation="antialiased", aspect="equal",
                  zorder=0)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.tick_params(labelsize=sc["tick"], length=3, width=0.8, colors="#333333", pad=2,
                       labelfontfamily=fams)
        for sp in ax.spines.values():
            sp.set_color("#666666")
            sp.set_linewidth(0.8)
        ax.set_facecolor("#ffffff")
        for points, kind in ((surface.minima, "minimum"), (surface.saddles, "saddle")):
            if points:
                p = np.asarray(points, dtype=np.float64)
                ax.add_line(Line2D(p[:, 0], p[:, 1], ls="none", zorder=3, **_STATIC_STYLE[kind](sc)))
        if panel.runs:
            st0 = panel.runs[0][1].xy[0]
            ax.add_line(Line2D([st0[0]], [st0[1]], ls="none", zorder=3, **_STATIC_STYLE["start"](sc)))
        for oid, result in panel.runs:
            self.tracks.append(_Track(ax, oid, result, surface.domain, sc))
        title = ax.set_title(_plain(plain_label(panel.title)), fontproperties=FontProperties(family=fams, size=sc["title"]),
                             pad=sc["px"]["pad"] * 0.6, color="#111111")
        _fit_title(title, cell_w - sc["px"]["pad"], renderer, sc["title"] * 0.8)

    # -- frames

    def show(self, s: int) -> None:
        for tr in self.tracks:
            tr.show(s)
        self.counter.set_text(self.counter_text(s))

    def still_rgb(self, s: int) -> np.ndarray:
        """One full (non-blitted) draw at step ``s``."""
        self.show(s)
        self.canvas.draw()
        return np.array(np.asarray(self.canvas.buffer_rgba())[..., :3])

    def start_blitting(self):
        """Draw the static picture once and remember it; ``blit_rgba`` then draws only what moves."""
        for a in self.moving:
            a.set_animated(True)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)

    def blit_rgba(self, s: int) -> np.ndarray:
        self.canvas.restore_region(self._background)
        self.show(s)
        for a in self.moving:
            if a.get_visible():
                self.fig.draw_artist(a)
        return np.array(self.canvas.buffer_rgba())


_STATIC_STYLE = {
    "minimum": lambda sc: {"marker": "*", "ms": sc["star"], "mfc": "#FFD700", "mec": "#000000",
                           "mew": sc["marker_edge"] * 0.7},
    "saddle": lambda sc: {"marker": "x", "ms": sc["saddle"], "mec": "#000000", "mew": sc["marker_edge"] * 1.2},
    "start": lambda sc: {"marker": "o", "ms": sc["start"], "mfc": "none", "mec": "#000000",
                         "mew": sc["marker_edge"] * 1.1},
}


class _Palette:
    """One 255-colour palette for all frames, and frames as differences from the previous one.

    A frame repeats almost every pixel of the one before (only the path tips and the counter move):
    those pixels become the transparent index ``UNCHANGED``, which LZW packs into almost nothing, so a
    GIF costs little more than its first frame. Pillow does the same only with ``optimize=True``,
    which also runs a slow palette optimisation on each frame."""

    UNCHANGED = 255

    def __init__(self, sample_rgb: np.ndarray, exact=()):
        """``exact``: colours kept as they are (the optimizers', the gold star, black, white); the
        other slots go to a median cut of the sample's distinct colours, each counted once — by pixel
        count the grey background would take the palette and turn the paths' colours muddy."""
        fixed = []
        for h in exact:
            rgb = [int(h[i:i + 2], 16) for i in (1, 3, 5)]
            if rgb not in fixed:
                fixed.append(rgb)
        flat = sample_rgb.reshape(-1, 3).astype(np.uint32)
        packed = np.unique((flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2])
        distinct = np.stack([(packed >> 16) & 255, (packed >> 8) & 255, packed & 255], axis=1).astype(np.uint8)
        budget = self.UNCHANGED - len(fixed)
        q = Image.fromarray(distinct[None, :, :], "RGB").quantize(colors=budget, method=Image.Quantize.MEDIANCUT,
                                                                  dither=Image.Dither.NONE)
        used = np.unique(np.asarray(q))
        cut = np.array(q.getpalette(), dtype=np.int32).reshape(-1, 3)[used].tolist()
        table = (fixed + cut)[:self.UNCHANGED]
        table += [table[0]] * (self.UNCHANGED - len(table))              # pad with a used colour
        self.rgb = np.array(table, dtype=np.int32)
        self.colours = [v for rgb in table for v in rgb] + [255, 0, 255]   # + the transparent slot

    def nearest(self, packed: np.ndarray) -> np.ndarray:
        """The palette index of each pixel of ``packed`` (RGBA as little-endian uint32): the exact
        nearest colour. (Pillow's own palette conversion looks colours up in a coarse cache: white
        came out as (253, 253, 251).) Distinct colours are few, so each is matched once."""
        uniq, inverse = np.unique(packed & 0xFFFFFF, return_inverse=True)
        cols = np.stack([uniq & 255, (uniq >> 8) & 255, (uniq >> 16) & 255], axis=1).astype(np.int32)
        best = np.empty(len(uniq), dtype=np.uint8)
        for a in range(0, len(uniq), 4096):              # bounded memory: 4096 × 255 distances at a time
            d = ((cols[a:a + 4096, None, :] - self.rgb[None, :, :]) ** 2).sum(axis=2)
            best[a:a + 4096] = d.argmin(axis=1)
        return best[inverse.ravel()]

    def frame(self, rgba: np.ndarray, previous: np.ndarray | None) -> Image.Image:
        """The RGBA frame as a palette image; after the first frame only the pixels that changed
        since ``previous`` (the RGBA frame before) carry a colour, the others are ``UNCHANGED``."""
        h, w = rgba.shape[:2]
        cur = rgba.view("<u4").reshape(h, w)            # one number per pixel: a cheap comparison
        if previous is None:
            index = self.nearest(cur.ravel()).reshape(h, w)
        else:
            changed = cur != previous.view("<u4").reshape(h, w)
            index = np.full((h, w), self.UNCHANGED, dtype=np.uint8)
            index[changed] = self.nearest(cur[changed])
        im = Image.fromarray(index, "P")
        im.putpalette(self.colours)
        return im


# --------------------------------------------------------------------------- public

def animation_gif(panels, *, text=None, lang="en", frames=60, size=DEFAULT_SIZE, fps=12, progress=None) -> bytes:
    """The race on ``panels`` (1–6 ``viz.common.Panel``) as an animated GIF, looping.

    ``frames`` (2..MAX_GIF_FRAMES) steps spread over the longest run, as in the app (fewer when the
    runs have fewer steps); ``size`` (width, height) in pixels, each side in 200..MAX_GIF_PIXELS;
    the last frame is held ``HOLD_LAST_MS`` longer through its duration (no extra frames, so
    ``n_frames`` is the frame count). ``text``: translated words (keys of ``viz.common.figure_words()``;
    ``step_counter`` takes ``{t}`` and ``{n}``). ``progress(i, n)`` is called after each frame.
    """
    panels = _check_panels(panels)
    frames = _check_frames(frames)
    size = _check_size(size)
    fps = _check_fps(fps)
    with _RENDER_LOCK:
        scene = _Scene(panels, text, lang, size)
        fsteps = [int(s) for s in c.frame_steps(scene.steps, frames)]
        # one palette for every frame (no flicker between frames): from the first and the last frame,
        # which between them hold the background, every path colour and the text
        last = scene.still_rgb(fsteps[-1])
        first = scene.still_rgb(fsteps[0])
        palette = _Palette(np.vstack([last, first]), scene.key_colours())
        scene.start_blitting()
        images, previous = [], None
        for i, s in enumerate(fsteps, start=1):
            rgba = scene.blit_rgba(s)
            images.append(palette.frame(rgba, previous))
            previous = rgba
            if progress is not None:
                progress(i, len(fsteps))
    frame_ms = round(1000 / fps)
    durations = [frame_ms] * len(images)
    durations[-1] += HOLD_LAST_MS
    buf = io.BytesIO()
    # disposal 1: each frame is drawn over the previous one, whose pixels show through the transparent ones
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0,
                   optimize=False, transparency=_Palette.UNCHANGED, disposal=1)
    return buf.getvalue()


def final_png(panels, *, text=None, lang="en", size=DEFAULT_SIZE) -> bytes:
    """The finished race (every path whole) as a PNG of ``size`` pixels, for notes and slides."""
    panels = _check_panels(panels)
    size = _check_size(size)
    with _RENDER_LOCK:
        scene = _Scene(panels, text, lang, size)
        rgb = scene.still_rgb(scene.steps)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()
