"""End to end in a real browser: the Sweep heatmap and the Basins maps draw, and a click on a
cell or a start opens that run, animated, in the Playground."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import ARTIFACTS
from .helpers import MAP, wait_for_map

pytestmark = pytest.mark.browser


def click_point(page, trace: str, index: int) -> list:
    """Click point ``index`` of the trace named ``trace``; returns its [x, y, customdata]."""
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    return page.evaluate(f"""() => {{ const g = {MAP}; const L = g._fullLayout;
        const k = g._fullData.findIndex(t => t.name === '{trace}'); const t = g._fullData[k];
        const xa = L[(t.xaxis || 'x').replace('x', 'xaxis')], ya = L[(t.yaxis || 'y').replace('y', 'yaxis')];
        const r = g.querySelector('.nsewdrag').getBoundingClientRect();
        const x0 = r.x - L.xaxis._offset;  const y0 = r.y - L.yaxis._offset;
        return [x0 + xa._offset + xa.l2p(t.x[{index}]), y0 + ya._offset + ya.l2p(t.y[{index}]),
                t.x[{index}], t.y[{index}], t.customdata[{index}]]; }}""")


def wait_for_chart(page, timeout_ms=120_000):
    page.wait_for_selector(".js-plotly-plot", state="attached", timeout=timeout_ms)
    page.wait_for_function(f"() => {{ const g = {MAP}; return g && g._fullData && g._fullData.length > 2; }}",
                           timeout=timeout_ms)


def test_a_click_on_a_sweep_cell_opens_that_setting_in_the_playground(server, page):
    page.goto(server + "/sweep?surface=beale&sw.res=20")
    wait_for_chart(page)
    assert page.evaluate(f"() => {MAP}._fullData.some(t => t.type === 'heatmap')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sweep_1280x720.png"))
    px, py, gx, gy, (j, i) = click_point(page, "cells", 21)     # row 1, column 1: clear of the marker
    page.mouse.click(px, py)
    page.wait_for_function("() => !/(sweep|basins)/.test(window.location.pathname)", timeout=30000)
    wait_for_map(page)
    q = parse_qs(urlparse(page.url).query)
    assert q["surface"] == ["beale"] and q["opt"] == ["adam"]
    assert abs(float(q["h.adam.lr"][0]) - 10 ** gx) < 1e-6 * 10 ** gx    # the x axis is log₁₀(lr)
    assert abs(float(q["h.adam.beta1"][0]) - gy) < 1e-6
    assert not page.errors, page.errors


def test_a_click_on_a_basin_start_opens_that_run(server, page):
    page.goto(server + "/basins?bas.res=40")
    wait_for_chart(page)
    page.wait_for_function(f"() => {MAP}._fullLayout.images.length === 2", timeout=60000)
    page.screenshot(path=str(ARTIFACTS / "basins_1280x720.png"))
    px, py, gx, gy, panel = click_point(page, "starts1", 45)
    assert panel == 1
    page.mouse.click(px, py)
    page.wait_for_function("() => !/(sweep|basins)/.test(window.location.pathname)", timeout=30000)
    wait_for_map(page)
    q = parse_qs(urlparse(page.url).query)
    assert q["opt"] == ["adam"] and q["surface"] == ["himmelblau"]
    assert abs(float(q["x0"][0]) - gx) < 1e-3 and abs(float(q["y0"][0]) - gy) < 1e-3
    assert not page.errors, page.errors


def test_the_grid_size_waits_for_apply(server, page):
    """Three clicks on the resolution box's + start no grid (no rerun, the URL keeps the size);
    Apply starts the one grid asked for."""
    page.goto(server + "/basins?bas.res=20&steps=60")
    wait_for_chart(page)
    form = page.get_by_test_id("stForm").filter(has=page.get_by_test_id("stNumberInput"))
    plus = form.get_by_test_id("stNumberInputStepUp")
    for _ in range(3):
        plus.click()
    expect_value = form.locator("input[type=number]")
    page.wait_for_function("() => document.querySelector('[data-testid=stForm] input[type=number]').value === '50'",
                           timeout=10000)
    page.wait_for_timeout(1500)
    assert "bas.res=20" in page.url and page.get_by_text("20 × 20", exact=False).count() == 1
    assert expect_value.input_value() == "50"
    form.get_by_role("button", name="Apply").click()
    page.wait_for_function("() => window.location.search.includes('bas.res=50')", timeout=60000)
    page.get_by_text("50 × 50", exact=False).first.wait_for(timeout=120000)
    page.screenshot(path=str(ARTIFACTS / "basins_apply_1280x720.png"))
    assert not page.errors, page.errors
