"""The typed surface in a real browser: type a function, press Enter, the map redraws with it and
the link carries it; a refused function shows its message under the box."""
from __future__ import annotations

from urllib.parse import quote

from bench.harness import MAP, wait_for_map
from tests.e2e.conftest import ARTIFACTS


def image_source(page) -> str:
    return page.evaluate(f"() => {{ const g = {MAP}; return g._fullLayout.images[0].source; }}")


def test_typing_a_function_redraws_the_map_and_enters_the_link(server, page):
    page.goto(server + "/?surface=custom&expr=" + quote("x^2 - y^2") + "&domain=-2,2,-2,2")
    wait_for_map(page)
    before = image_source(page)
    box = page.get_by_role("textbox", name="f(x, y) =")
    box.fill("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    box.press("Enter")
    page.wait_for_function("() => decodeURIComponent(location.search.replace(/\\+/g, ' ')).includes('y^2 - 7')",
                           timeout=60_000)
    wait_for_map(page)
    page.wait_for_function(f"(old) => {{ const g = {MAP}; return g._fullLayout.images[0].source !== old; }}",
                           arg=before, timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "custom_himmelblau.png"))
    box.fill("x + sin(")
    box.press("Enter")
    err = page.locator("[data-testid='stSidebar'] [data-testid='stAlertContentError']")
    err.first.wait_for(timeout=60_000)
    assert "ends too early" in err.first.inner_text()
    assert not page.errors, page.errors
