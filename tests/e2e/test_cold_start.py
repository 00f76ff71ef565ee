"""A new user's first start: an empty Numba cache, a real server, the first page load in a browser.

The server compiles nothing in its own process: worker processes compile the map's code first,
then the Playground's kernels (lab.warmup). The map is drawn as soon as its code is ready, and the
runs join it as their kernels are, the page rerunning by itself (no reload). How long that takes
is measured in bench/cold_start.py, not here.
"""
from __future__ import annotations

import pytest

from bench.harness import free_port, start_server, stop_server, wait_for_race, wait_for_surface
from lab.config import CLASSROOM
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import surface_drawn

pytestmark = pytest.mark.browser


def test_first_request_on_a_cold_cache_draws_the_map(browser, tmp_path):
    cache = tmp_path / "numba-cache"
    port = free_port()
    proc = start_server(port, env={"NUMBA_CACHE_DIR": str(cache)})
    try:
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"http://127.0.0.1:{port}/")
        wait_for_surface(page, timeout_ms=300_000)
        assert surface_drawn(page)
        wait_for_race(page, len(CLASSROOM), timeout_ms=300_000)      # without a reload
        page.wait_for_function("() => !document.body.innerText.includes('they join the race')", timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Traceback" not in page.inner_text("body")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "cold_start.png"))
        ctx.close()
        assert not errors, errors
        # the kernels the page ran were compiled by the workers into the fresh cache
        assert any(p.name.startswith("adam-") for p in cache.iterdir())
        assert list(cache.glob("adam-*/trajectory.*.ready"))
    finally:
        stop_server(proc)
    assert proc.returncode is not None
