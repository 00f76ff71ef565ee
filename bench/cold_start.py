"""A new user's first start, measured: an empty Numba cache, `streamlit run app.py`, one browser.

For each repeat: a fresh NUMBA_CACHE_DIR, the server started, the Playground opened in a fresh
headless chromium context; the clock starts when the server process is launched. Two moments are
taken: the map (its surface image) drawn, and the default race drawn (the runs of all six default
optimizers on it; on a first start they join as their kernels compile). Also measured, in the same
run: the same first load on a warm cache, and (``--checkout DIR``) the same cold start of another
checkout, alternating with this one (``git worktree add /tmp/base HEAD~3``).

Prints a table and writes bench/results/cold_start.json.

    python bench/cold_start.py [--repeats 3] [--checkout /tmp/base]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import (BROWSER_ARGS, CHROMIUM, free_port, start_server, stop_server,  # noqa: E402
                           wait_for_race, wait_for_surface)
from lab.config import CLASSROOM  # noqa: E402


def first_map_seconds(browser, checkout: Path, cache_dir: str, timeout_s: float = 900) -> tuple:
    """(seconds from server launch to the map drawn, to the default race drawn, to the server's
    health check)."""
    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(port, env={"NUMBA_CACHE_DIR": cache_dir}, timeout=timeout_s, cwd=checkout)
    try:
        healthy = time.perf_counter() - t0
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        page.goto(f"http://127.0.0.1:{port}/", timeout=timeout_s * 1000)
        wait_for_surface(page, timeout_ms=int(timeout_s * 1000))
        drawn = time.perf_counter() - t0
        wait_for_race(page, len(CLASSROOM), timeout_ms=int(timeout_s * 1000))
        raced = time.perf_counter() - t0
        ctx.close()
        return drawn, raced, healthy
    finally:
        stop_server(proc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--checkout", default=None, help="another checkout to measure the same way (cold, once)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "cold_start.json"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    rows = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)

        def record(name, values):
            for k, v in zip(("map drawn", "six runs drawn"), values):
                rows.setdefault(f"{name} -> {k} (s)", []).append(v)

        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as cache:
                d, r, h = first_map_seconds(browser, ROOT, cache)
                record("cold cache: server launch", (d, r))
                rows.setdefault("cold cache: server launch -> health check (s)", []).append(h)
                # the background compile of every other kernel, after the first map
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "lab.warmup"], cwd=ROOT, check=True,
                               env={**os.environ, "NUMBA_CACHE_DIR": cache}, stdout=subprocess.DEVNULL)
                rows.setdefault("then the rest, python -m lab.warmup on that cache (s)", []).append(
                    time.perf_counter() - t)
                record("warm cache: server launch", first_map_seconds(browser, ROOT, cache)[:2])
            if args.checkout:      # alternating with this checkout: the same load for both
                with tempfile.TemporaryDirectory() as cache:
                    record(f"other checkout ({args.checkout}), cold cache",
                           first_map_seconds(browser, Path(args.checkout), cache)[:2])
        browser.close()
    print(f"{'measure':64s} {'median':>8s} {'min':>8s} {'max':>8s}  target")
    targets = {"cold cache: server launch -> map drawn (s)": "<= 20"}
    for k, v in rows.items():
        print(f"{k:64s} {statistics.median(v):8.1f} {min(v):8.1f} {max(v):8.1f}  {targets.get(k, '')}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"cpus": os.cpu_count(), "results": rows, "targets": targets}, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
