"""A new user's first start: an empty Numba cache, a real server, the first page load in a browser.

The server compiles nothing in its own process: worker processes compile the Playground's
kernels first (lab.warmup) while the page waits with a spinner, then the map is drawn. How long
that takes is measured in bench/cold_start.py, not here.
"""
from __future__ import annotations

import pytest

from bench.harness import free_port, start_server, stop_server
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import surface_drawn, wait_for_map

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
        wait_for_map(page, timeout_ms=300_000)
        assert surface_drawn(page)
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
