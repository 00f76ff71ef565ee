"""The tabs under the map are a fragment: a tab switch redraws only them, and a setting changed
inside them that is part of the URL (the leaderboard's tolerance) still reaches the URL."""
from __future__ import annotations

import time

from bench.harness import map_signature, wait_for_map


def wait_until(page, check, timeout=30.0):
    end = time.time() + timeout
    while time.time() < end:
        if check():
            return True
        page.wait_for_timeout(250)      # (not time.sleep: Playwright handles the page's events meanwhile)
    return False


def test_tab_switch_keeps_the_map_and_a_new_tolerance_reaches_the_url(server, page):
    page.goto(server + "/")
    wait_for_map(page)
    before = map_signature(page)
    page.get_by_role("tab", name="Loss, distance, step length").click()
    assert wait_until(page, lambda: page.locator(".js-plotly-plot").count() == 2), "the curves chart did not appear"
    assert map_signature(page) == before
    page.get_by_role("tab", name="Leaderboard").click()
    box = page.locator("[data-testid='stSelectbox']", has_text="tolerance for")
    box.locator("input").click()
    page.keyboard.type("0.001")
    page.get_by_role("option", name="0.001", exact=True).click(timeout=30_000)
    page.wait_for_function("() => location.search.includes('tol=0.001')", timeout=30_000)
    assert map_signature(page) == before
    assert not page.errors, page.errors
