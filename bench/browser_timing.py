"""Browser timings of the Playground (Playwright + Debian chromium, headless).

  * first load on a warm server → the map drawn (surface image + heads), fresh browser context
    (no cache) and reloads in the same context (cached JS);
  * a slider moved (shared learning rate, one keyboard step) → the map redrawn with new data;
  * playback: frames per second while the animation runs at 1×;
  * the floor: a bare Streamlit page with one tiny Plotly chart (bench/baseline_app.py), first
    load in a fresh context, in the same run.

Prints a table and writes bench/results/browser.json.

    python bench/browser_timing.py [--repeats 5]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import (BROWSER_ARGS, CHROMIUM, MAP, click_button, free_port, map_signature,  # noqa: E402
                           start_server, wait_for_map)


def baseline_first_loads(browser, repeats) -> list:
    """Fresh-context first loads of bench/baseline_app.py: what Streamlit + plotly.js cost alone."""
    import subprocess
    import urllib.request
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "baseline_app.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        out = []
        for _ in range(repeats + 1):
            ctx = browser.new_context(viewport={"width": 1280, "height": 720})
            page = ctx.new_page()
            t = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector(".js-plotly-plot .scatterlayer", timeout=60000)
            out.append(time.perf_counter() - t)
            ctx.close()
        return out[1:]          # the first load warms the server
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def timed_load(page, url) -> float:
    t = time.perf_counter()
    page.goto(url)
    wait_for_map(page)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    port = free_port()
    proc = start_server(port)
    url = f"http://127.0.0.1:{port}/"
    out = {}
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
            ctx = b.new_context(viewport={"width": 1280, "height": 720})
            timed_load(ctx.new_page(), url)                 # warms the server (engine, caches)
            ctx.close()
            cold = []
            for _ in range(args.repeats):
                ctx = b.new_context(viewport={"width": 1280, "height": 720})
                cold.append(timed_load(ctx.new_page(), url))
                ctx.close()
            ctx = b.new_context(viewport={"width": 1280, "height": 720})
            page = ctx.new_page()
            timed_load(page, url)
            cached = [timed_load(page, url) for _ in range(args.repeats)]

            timed_load(page, url + "?lrmode=shared")
            thumb = page.locator("[data-testid=stSlider]", has_text="shared learning rate").locator("input[type=range]")
            redraw = []
            for i in range(args.repeats):
                sig = map_signature(page)
                thumb.focus()
                t = time.perf_counter()
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                page.wait_for_function(f"(s) => {{ const g = {MAP}; return g && g.data && JSON.stringify("
                                       f"g.data.filter(t => t.showlegend !== false || t.name === 'heads')"
                                       f".map(t => [t.name, t.x, t.y])) !== s && g.querySelector('image'); }}",
                                       arg=sig, timeout=30000, polling=20)
                redraw.append(time.perf_counter() - t)
                page.wait_for_timeout(300)

            timed_load(page, url)
            n_frames = page.evaluate(f"() => {MAP}._transitionData._frames.length")
            click_button(page, "Play")
            t = time.perf_counter()
            page.wait_for_function(f"() => {MAP}.layout.sliders[0].active === {n_frames - 1}", timeout=120000,
                                   polling=20)
            play_s = time.perf_counter() - t
            ctx.close()
            floor = baseline_first_loads(b, args.repeats)
            b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    def summary(xs):
        return {"median_s": round(statistics.median(xs), 3), "min_s": round(min(xs), 3), "max_s": round(max(xs), 3),
                "all_s": [round(x, 3) for x in xs]}
    out = {"first_load_fresh_context": summary(cold), "baseline_first_load_fresh_context": summary(floor),
           "reload_cached": summary(cached),
           "slider_to_redraw": summary(redraw),
           "playback": {"frames": n_frames, "seconds": round(play_s, 2), "fps": round(n_frames / play_s, 1),
                        "nominal_fps_at_1x": round(1000 / 60, 1)},
           "viewport": "1280x720", "browser": "Debian chromium, headless, --disable-gpu"}
    print(f"{'measure':<34}{'median s':>10}{'min':>8}{'max':>8}")
    for k in ("first_load_fresh_context", "baseline_first_load_fresh_context", "reload_cached",
              "slider_to_redraw"):
        print(f"{k:<34}{out[k]['median_s']:>10.2f}{out[k]['min_s']:>8.2f}{out[k]['max_s']:>8.2f}")
    print(f"playback: {n_frames} frames in {play_s:.2f} s = {n_frames / play_s:.1f} frames/s (1× asks for 16.7)")
    path = ROOT / "bench" / "results" / "browser.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2))
    print(f"written {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
