"""A Streamlit server on a free loopback port, headless Debian chromium's settings and the reading of
the Plotly map from a page: shared by the browser tests (tests/e2e) and the browser benchmarks."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync"]
MAP = "document.querySelectorAll('.js-plotly-plot')[0]"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, app: str = "app.py", env: dict | None = None, timeout: float = 90,
                 cwd: Path = ROOT) -> subprocess.Popen:
    """``streamlit run app`` (in checkout ``cwd``) on 127.0.0.1:port, returned once /_stcore/health
    answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
    proc.terminate()
    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for_map(page, timeout_ms: int = 60_000):
    """Wait until the map has its surface image and heads drawn."""
    page.wait_for_selector(".js-plotly-plot", state="attached", timeout=timeout_ms)
    page.wait_for_function(f"() => {{ const g = {MAP}; return g && g._fullLayout && g._fullLayout.images "
                           f"&& g._fullLayout.images.length === 1 && g.querySelector('.layer-below image, image') "
                           f"&& g._fullData && g._fullData.length > 5; }}", timeout=timeout_ms)


def wait_for_surface(page, timeout_ms: int = 60_000):
    """Wait until the map's surface image is drawn (with or without runs on it: on a fresh
    server's first start the runs join as their kernels compile)."""
    page.wait_for_selector(".js-plotly-plot", state="attached", timeout=timeout_ms)
    page.wait_for_function(f"() => {{ const g = {MAP}; return g && g._fullLayout && g._fullLayout.images "
                           f"&& g._fullLayout.images.length === 1 && g.querySelector('.layer-below image, image'); }}",
                           timeout=timeout_ms)


def wait_for_race(page, n: int, timeout_ms: int = 60_000):
    """Wait until the map shows the runs of ``n`` optimizers (one legend group each)."""
    wait_for_surface(page, timeout_ms)
    page.wait_for_function(f"() => {{ const g = {MAP}; return g && g._fullData && new Set(g._fullData"
                           f".map(t => t.legendgroup).filter(x => x)).size >= {n}; }}", timeout=timeout_ms)


def map_signature(page) -> str:
    """A string that changes whenever the map's data changes (legend names + head positions)."""
    return page.evaluate(f"() => {{ const g = {MAP}; return JSON.stringify(g.data.filter(t => t.showlegend !== false"
                         f" || t.name === 'heads').map(t => [t.name, t.x, t.y])); }}")


def click_button(page, label: str):
    """Click a Plotly updatemenu button by its text."""
    page.locator(".updatemenu-button", has_text=label).first.click()
