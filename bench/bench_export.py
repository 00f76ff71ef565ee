"""Cost of the exports: CSV, standalone HTML, animated GIF (English and Chinese) and final PNG.

Input: the classroom set (SGD, Momentum, NAG, AdaGrad, RMSProp, Adam at their default
hyperparameters) for 500 steps from each surface's own start — one panel on the valley (the
Playground) and four panels on valley, rotated valley, Rosenbrock and Himmelblau (Compare).
"first ms" includes the one-off work a first export pays (the band image at that panel size);
"ms" is the median of the warm repeats. Prints a table and writes bench/results/export.json.

    python bench/bench_export.py [--repeats 3] [--quick] [--out PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402
import PIL  # noqa: E402
import plotly  # noqa: E402

import surfaces  # noqa: E402
from lab.export import runs_csv  # noqa: E402
from optim_core import run  # noqa: E402
from viz.common import Panel  # noqa: E402
from viz.gif import DEFAULT_SIZE, MAX_GIF_FRAMES, animation_gif, cjk_family, final_png  # noqa: E402
from viz.html_export import standalone_html  # noqa: E402
from viz.playground import playground_figure  # noqa: E402

CLASSROOM = ("sgd", "momentum", "nag", "adagrad", "rmsprop", "adam")
STEPS = 500
COMPARE = ("valley", "rotated_valley", "rosenbrock", "himmelblau")
ZH_TEXT = {"step_counter": "第 {t} / {n} 步", "start": "起点", "minimum": "极小点", "saddle": "鞍点"}
ZH_TITLES = {"valley": "狭长山谷 0.1x² + 2y²", "rotated_valley": "旋转山谷", "rosenbrock": "Rosenbrock 香蕉谷",
             "himmelblau": "Himmelblau（四个极小值）"}


def panel(surface_id: str, title: str) -> Panel:
    s = surfaces.get(surface_id)
    runs = [(o, run(o, surface_id, s.start, STEPS)) for o in CLASSROOM]
    labels = {o: f"{o}<br>η={r.hyper['lr']:g}" + (f"<br>✖ {r.status} @ {r.status_step}" if r.status != "ok" else "")
              for o, r in runs}
    return Panel(title, s, runs, labels)


def timed(fn, repeats: int):
    """(first call ms, median of ``repeats`` further calls ms, output)."""
    t = time.perf_counter()
    out = fn()
    first = (time.perf_counter() - t) * 1000
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return first, (statistics.median(times) if times else first), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="10 GIF frames, no warm repeats: a smoke test")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "export.json")
    args = ap.parse_args()
    repeats = 0 if args.quick else args.repeats
    frames = 10 if args.quick else MAX_GIF_FRAMES

    one = [panel("valley", "Valley 0.1x² + 2y²")]
    four = [panel(s, surfaces.SURFACES[s].name) for s in COMPARE]
    four_zh = [p._replace(title=ZH_TITLES[s]) for p, s in zip(four, COMPARE)]
    pg = one[0]

    def html():
        return standalone_html(playground_figure(pg.surface, pg.runs, pg.labels), "Descent Lab · valley")

    jobs = [
        ("CSV", "4 panels × 6 × 500", lambda: runs_csv(four).encode("utf-8")),
        ("HTML", "playground 6 × 500 (figure + page)", lambda: html().encode("utf-8")),
        ("GIF en", f"4 panels, {frames} frames, 800×600",
         lambda: animation_gif(four, frames=frames, size=DEFAULT_SIZE)),
        ("GIF zh", f"4 panels, {frames} frames, 800×600",
         lambda: animation_gif(four_zh, text=ZH_TEXT, lang="zh", frames=frames, size=DEFAULT_SIZE)),
        ("GIF en", f"1 panel, {frames} frames, 800×600",
         lambda: animation_gif(one, frames=frames, size=DEFAULT_SIZE)),
        ("PNG", "4 panels, 800×600", lambda: final_png(four, size=DEFAULT_SIZE)),
    ]
    rows = []
    for name, what, fn in jobs:
        first, ms, out = timed(fn, repeats)
        rows.append({"export": name, "input": what, "first_ms": round(first, 1), "ms": round(ms, 1), "bytes": len(out)})

    head = f"{'export':<8}{'input':<38}{'first ms':>10}{'ms':>10}{'bytes':>12}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['export']:<8}{r['input']:<38}{r['first_ms']:>10.1f}{r['ms']:>10.1f}{r['bytes']:>12,}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine(),
                    "cpus": os.cpu_count(), "plotly": plotly.__version__, "matplotlib": matplotlib.__version__,
                    "pillow": PIL.__version__, "cjk_font": cjk_family()},
        "quick": args.quick, "repeats": repeats, "steps": STEPS, "optimizers": list(CLASSROOM),
        "results": rows}, indent=2, ensure_ascii=False))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
