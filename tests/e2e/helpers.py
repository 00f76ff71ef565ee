"""Reading the Plotly map's state from the page."""
from __future__ import annotations

import time

MAP = "document.querySelectorAll('.js-plotly-plot')[0]"


def wait_for_map(page, timeout_ms: int = 60_000):
    """Wait until the map has its surface image and heads drawn."""
    page.wait_for_selector(".js-plotly-plot", state="attached", timeout=timeout_ms)
    page.wait_for_function(f"() => {{ const g = {MAP}; return g && g._fullLayout && g._fullLayout.images "
                           f"&& g._fullLayout.images.length === 1 && g.querySelector('.layer-below image, image') "
                           f"&& g._fullData && g._fullData.length > 5; }}", timeout=timeout_ms)


def heads(page) -> dict:
    """Legend name -> [x, y] of each optimizer's head as drawn now."""
    return page.evaluate(f"() => {{ const g = {MAP}; const h = g._fullData.find(t => t.name === 'heads');"
                         f" const out = {{}}; h.customdata.forEach((n, i) => {{ out[n] = [h.x[i], h.y[i]]; }});"
                         f" return out; }}")


def map_signature(page) -> str:
    """A string that changes whenever the map's data changes (legend names + head positions)."""
    return page.evaluate(f"() => {{ const g = {MAP}; return JSON.stringify(g.data.filter(t => t.showlegend !== false"
                         f" || t.name === 'heads').map(t => [t.name, t.x, t.y])); }}")


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


def click_button(page, label: str):
    """Click a Plotly updatemenu button by its text."""
    page.locator(".updatemenu-button", has_text=label).first.click()


def wait_until_changes(page, fn, before, timeout_s: float = 20.0, interval_s: float = 0.05):
    t0 = time.time()
    while time.time() - t0 < timeout_s:
        now = fn()
        if now != before:
            return now, time.time() - t0
        time.sleep(interval_s)
    raise AssertionError(f"nothing changed within {timeout_s} s")
