"""Reading the Plotly map's state from the page."""
from __future__ import annotations

import time

from bench.harness import MAP, click_button, map_signature, wait_for_map  # noqa: F401  (shared with bench/)


def heads(page) -> dict:
    """Legend name -> [x, y] of each optimizer's head as drawn now."""
    return page.evaluate(f"() => {{ const g = {MAP}; const h = g._fullData.find(t => t.name === 'heads');"
                         f" const out = {{}}; h.customdata.forEach((n, i) => {{ out[n] = [h.x[i], h.y[i]]; }});"
                         f" return out; }}")


def surface_drawn(page) -> bool:
    """The contour image is in the layout and in the DOM, with a non-empty href."""
    return page.evaluate(f"() => {{ const g = {MAP}; const im = g.querySelector('image');"
                         f" return !!(im && (im.getAttribute('href') || im.getAttribute('xlink:href') || '')"
                         f".startsWith('data:image/png') && g._fullLayout.images.length === 1); }}")


def map_grey_fraction(page) -> float:
    """Fraction of greyish (contour) pixels inside the map's plot area, from a screenshot."""
    import io

    from PIL import Image
    box = page.evaluate(f"() => {{ const g = {MAP}; const r = g.querySelector('.nsewdrag').getBoundingClientRect();"
                        f" return [r.x, r.y, r.width, r.height]; }}")
    png = page.screenshot(clip={"x": box[0] + 5, "y": box[1] + 5, "width": box[2] - 10, "height": box[3] - 10})
    im = Image.open(io.BytesIO(png)).convert("RGB")
    px = list(im.get_flattened_data()) if hasattr(im, 'get_flattened_data') else list(im.getdata())
    grey = sum(1 for r, g, b in px if abs(r - g) < 12 and abs(g - b) < 14 and 120 < r < 246)
    return grey / len(px)


def wait_until_changes(page, fn, before, timeout_s: float = 20.0, interval_s: float = 0.05):
    t0 = time.time()
    while time.time() - t0 < timeout_s:
        now = fn()
        if now != before:
            return now, time.time() - t0
        time.sleep(interval_s)
    raise AssertionError(f"nothing changed within {timeout_s} s")
