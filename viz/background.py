"""The surface as a filled-contour PNG (numpy + Pillow), placed on the map as a layout image.

Plotly drops a contour trace on the first animation frame when frames update only the paths
(plotly.js #4491, plotly.py #2151); a layout image is never touched by frames, so the surface
stays drawn while and after playing. The PNG is cached per surface and parameters.
"""
from __future__ import annotations

import base64
import io
from functools import lru_cache

import numpy as np
from PIL import Image

import surfaces

N_BANDS = 14                     # the default; a page may ask for 4-40 (lab.config.BANDS)
# pale, neutral ramp (low loss light): coloured paths stay the most contrasted thing on the map
RAMP = np.array([[255, 255, 255], [236, 238, 240], [214, 218, 222], [186, 192, 199], [158, 165, 174]], float)
LINE = np.array([96, 102, 110], float)
UNDEFINED = np.array([[255, 255, 255], [232, 190, 190]], float)   # hatching where f is NaN or infinite
HATCH = 6                        # pixels per stripe


def display_values(surface: surfaces.Surface, z: np.ndarray) -> np.ndarray:
    """Loss values as drawn: log10(f − min + 1e-6·range) where the catalogue asks for log levels."""
    z = np.asarray(z, dtype=np.float64)
    finite = np.isfinite(z)
    if not finite.any():
        return np.zeros_like(z)
    lo, hi = np.min(z[finite]), np.max(z[finite])
    z = np.where(finite, z, hi)
    if surface.log_levels:
        return np.log10(z - lo + 1e-6 * (hi - lo) + 1e-12)
    return z


def grid(surface: surfaces.Surface, n: int):
    x0, x1, y0, y1 = surface.domain
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, surface.value(X, Y)


def contour_png(surface: surfaces.Surface, width: int, height: int, bands: int = N_BANDS) -> bytes:
    """The surface's ``bands`` filled-contour bands as PNG bytes of ``width`` × ``height`` pixels."""
    x0, x1, y0, y1 = surface.domain
    X, Y = np.meshgrid(np.linspace(x0, x1, width), np.linspace(y1, y0, height))   # row 0 is the top
    z = surface.value(X, Y)
    d = display_values(surface, z)
    if surface.log_levels:   # levels at quantiles of log f: every part of the map gets its share
        edges = np.unique(np.quantile(d, np.linspace(0, 1, bands + 1)[1:-1]))
    else:
        edges = np.linspace(d.min(), d.max(), bands + 1)[1:-1]
    band = np.searchsorted(edges, d)
    pos = band / max(1, bands - 1) * (len(RAMP) - 1)
    i = np.minimum(pos.astype(int), len(RAMP) - 2)
    f = (pos - i)[..., None]
    rgb = RAMP[i] * (1 - f) + RAMP[i + 1] * f
    edge = np.zeros(band.shape, bool)
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    rgb[edge] = 0.45 * rgb[edge] + 0.55 * LINE
    undefined = ~np.isfinite(z)        # a gap in the map, not the highest band (a typed log(x) for x < 0)
    if undefined.any():
        rows, cols = np.indices(z.shape)
        stripe = ((rows + cols) // HATCH) % 2
        rgb[undefined] = UNDEFINED[stripe[undefined]]
    buf = io.BytesIO()
    Image.fromarray(rgb.astype(np.uint8), "RGB").save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


@lru_cache(maxsize=64)
def _cached(surface_key: tuple, width: int, height: int, bands: int) -> str:
    png = contour_png(surfaces.from_key(surface_key), width, height, bands)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def contour_data_uri(surface: surfaces.Surface, width: int = 480, height: int = 400, bands: int = N_BANDS) -> str:
    """The surface's filled-contour PNG as a data URI (cached)."""
    return _cached(surface.key, width, height, int(bands))


def layout_image(surface: surfaces.Surface, xref: str = "x", yref: str = "y", bands: int = N_BANDS) -> dict:
    x0, x1, y0, y1 = surface.domain
    return {"source": contour_data_uri(surface, bands=bands), "xref": xref, "yref": yref, "x": x0, "y": y1,
            "sizex": x1 - x0, "sizey": y1 - y0, "sizing": "stretch", "layer": "below", "opacity": 1.0}
