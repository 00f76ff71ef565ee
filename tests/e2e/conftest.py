"""A Streamlit server on a free loopback port and a headless Debian chromium, shared by the
browser tests (and bench/browser_timing.py)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ})
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
    proc.terminate()
    raise RuntimeError("streamlit did not become healthy within 90 s")


@pytest.fixture(scope="session")
def server():
    # On a fresh clone the engine is not compiled yet (a minute or two): compile it first, so the
    # page-load timeouts below measure the app, not Numba.
    subprocess.run([sys.executable, "-m", "lab.warmup"], cwd=ROOT, check=True, timeout=1200,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    proc = start_server(port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run "
                    f"the browser tests; no browser is ever downloaded")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        yield b
        b.close()


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
