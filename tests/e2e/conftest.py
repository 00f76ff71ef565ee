"""A Streamlit server on a free loopback port and a headless Debian chromium for the browser tests
(how to start them lives in bench/harness.py, shared with the browser benchmarks)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.harness import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def server():
    # On a fresh clone the engine is not compiled yet (about half a minute): compile it first, so the
    # page-load timeouts below measure the app, not Numba (test_cold_start covers a cold server).
    subprocess.run([sys.executable, "-m", "lab.warmup"], cwd=ROOT, check=True, timeout=1200,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    proc = start_server(port)
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = ctx.new_page()
    errors = []

    def on_error(e):
        # plotly.js rejects the promise of an animation that Pause interrupts, with no reason:
        # an "undefined" unhandled rejection that is part of normal use, not a failure
        if str(e) not in ("undefined", "Error: undefined"):
            errors.append(str(e))
    pg.on("pageerror", on_error)
    pg.errors = errors
    yield pg
    ctx.close()
