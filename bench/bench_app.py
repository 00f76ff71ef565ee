"""Server-side cost of the Playground and of Compare: run everything and build the animated figure.

For each configuration, side by side in one run:
  * ours  — lab.race.run_lanes + viz.playground.playground_figure (dict, display precision,
            chunked paths, frames carrying only what moves) + JSON serialisation;
  * naive — the same runs drawn the obvious way: a contour trace, and 100 frames that each carry
            every trace (the contour included) and the whole path so far in full float64;
  * naive, lines only — as naive, but frames carry only the paths so far and the heads.
Compare (2-6 panels in one figure, lock-step frames), side by side with the obvious alternative:
one Playground figure per panel (each with its own frames and controls). Targets: 4 panels × 4
optimizers × 500 steps built in <= 200 ms warm, <= 2.5 MB.
Prints tables and writes bench/results/app.json. Timings are medians of warm repeats.

    python bench/bench_app.py [--repeats 7]
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import plotly  # noqa: E402

import surfaces  # noqa: E402
from lab.compare import CompareConfig, run_panels  # noqa: E402
from lab.config import CLASSROOM, PlaygroundConfig, default_inside  # noqa: E402
from lab.race import run_lanes  # noqa: E402
from viz.background import contour_data_uri  # noqa: E402
from viz.common import Panel  # noqa: E402
from viz.compare import compare_figure  # noqa: E402
from viz.playground import playground_figure  # noqa: E402

CONFIGS = [
    ("valley", CLASSROOM, 500),
    ("rosenbrock", CLASSROOM, 500),
    ("beale", CLASSROOM, 2000),
    ("himmelblau", ("sgd", "momentum", "nag", "adagrad", "rmsprop", "adam", "amsgrad", "adamw", "nadam",
                    "radam"), 500),
]

FOUR = ("sgd", "momentum", "rmsprop", "adam")
COMPARE_CONFIGS = [
    ("surfaces 4 panels x 4 optimizers", CompareConfig(
        base=PlaygroundConfig(optimizers=FOUR, steps=500), mode="surfaces",
        other_surfaces=("rotated_valley", "beale", "rosenbrock"))),
    ("settings 4 panels x adam", CompareConfig(
        base=PlaygroundConfig(steps=500), mode="settings",
        settings=tuple(("adam", {"lr": lr}) for lr in (0.003, 0.01, 0.03, 0.1)))),
    ("multiples 6 panels", CompareConfig(base=PlaygroundConfig(steps=500), mode="multiples")),
]


def bench_compare(name, cc, repeats):
    run_panels(cc)
    run_ms, panels = median_ms(lambda: run_panels(cc), repeats)
    viz_panels = []
    for p in panels:
        surf = surfaces.get(p.surface, **p.surface_params)
        contour_data_uri(surf)
        runs = [(ln.optimizer, ln.result) for ln in p.lanes]
        viz_panels.append(Panel(p.surface, surf, runs, {o: o for o, _ in runs}))
    build_ms, fig = median_ms(lambda: compare_figure(viz_panels, legend=cc.mode == "surfaces"), repeats)
    json_ms, js = median_ms(lambda: plotly.io.to_json(fig, validate=False), repeats)

    def separate():
        return [playground_figure(p.surface, p.runs, p.labels, grid_n=0) for p in viz_panels]
    sbuild_ms, sfigs = median_ms(separate, max(1, repeats // 2))
    sbytes = sum(len(plotly.io.to_json(f, validate=False)) for f in sfigs)
    return {"name": name, "panels": len(panels), "paths": sum(len(p.runs) for p in viz_panels),
            "run_ms": round(run_ms, 1),
            "ours": {"build_ms": round(build_ms, 1), "json_ms": round(json_ms, 1),
                     "server_total_ms": round(run_ms + build_ms, 1), "bytes": len(js), "frames": len(fig["frames"]),
                     "traces": len(fig["data"])},
            "separate_figures": {"build_ms": round(sbuild_ms, 1), "server_total_ms": round(run_ms + sbuild_ms, 1),
                                 "bytes": sbytes}}


def naive_figure(surface, runs, frames=100, contour_in_frames=True):
    x0, x1, y0, y1 = surface.domain
    xs, ys = np.linspace(x0, x1, 100), np.linspace(y0, y1, 100)
    X, Y = np.meshgrid(xs, ys)
    contour = {"type": "contour", "x": xs.tolist(), "y": ys.tolist(), "z": surface.value(X, Y).tolist()}
    steps = max(len(r.xy) - 1 for _, r in runs)
    fsteps = np.unique(np.linspace(0, steps, frames).astype(int))

    def traces(s, frame=True):
        out = [contour] if (contour_in_frames or not frame) else []
        for oid, r in runs:
            k = min(s, len(r.xy) - 1)
            out.append({"type": "scatter", "x": r.xy[:k + 1, 0].tolist(), "y": r.xy[:k + 1, 1].tolist(),
                        "mode": "lines", "name": oid})
            out.append({"type": "scatter", "x": [float(r.xy[k, 0])], "y": [float(r.xy[k, 1])], "mode": "markers"})
        return out
    return {"data": traces(steps, frame=False), "layout": {"xaxis": {"range": [x0, x1]}, "yaxis": {"range": [y0, y1]}},
            "frames": [{"name": str(int(s)), "data": traces(int(s))} for s in fsteps]}


def median_ms(fn, repeats):
    times = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def bench(surface_id, optimizers, steps, repeats):
    cfg = PlaygroundConfig(surface=surface_id, optimizers=tuple(optimizers), steps=steps)
    surf = surfaces.get(surface_id)
    contour_data_uri(surf)                                   # cached per surface, as in the app
    run_lanes(cfg)                                           # warm (Numba compiled / loaded)
    run_ms, lanes = median_ms(lambda: run_lanes(cfg), repeats)
    runs = [(ln.optimizer, ln.result) for ln in lanes]
    labels = {o: o for o, _ in runs}
    build_ms, fig = median_ms(lambda: playground_figure(surf, runs, labels, inside=default_inside(cfg.optimizers)), repeats)
    json_ms, js = median_ms(lambda: plotly.io.to_json(fig, validate=False), repeats)
    nbuild_ms, nfig = median_ms(lambda: naive_figure(surf, runs), max(1, repeats // 2))
    njson_ms, njs = median_ms(lambda: plotly.io.to_json(nfig, validate=False), max(1, repeats // 2))
    lbuild_ms, lfig = median_ms(lambda: naive_figure(surf, runs, contour_in_frames=False), max(1, repeats // 2))
    ljson_ms, ljs = median_ms(lambda: plotly.io.to_json(lfig, validate=False), max(1, repeats // 2))
    return {
        "surface": surface_id, "optimizers": len(optimizers), "steps": steps,
        "run_ms": round(run_ms, 1),
        "ours": {"build_ms": round(build_ms, 1), "json_ms": round(json_ms, 1),
                 "server_total_ms": round(run_ms + build_ms, 1), "bytes": len(js), "frames": len(fig["frames"]),
                 "traces": len(fig["data"])},
        "naive": {"build_ms": round(nbuild_ms, 1), "json_ms": round(njson_ms, 1),
                  "server_total_ms": round(run_ms + nbuild_ms, 1), "bytes": len(njs),
                  "frames": len(nfig["frames"]), "traces": len(nfig["data"])},
        "naive_lines_only": {"build_ms": round(lbuild_ms, 1), "json_ms": round(ljson_ms, 1),
                             "server_total_ms": round(run_ms + lbuild_ms, 1), "bytes": len(ljs),
                             "frames": len(lfig["frames"])},
    }


def print_table(head: str, lines: list) -> None:
    print(head)
    print("-" * len(head.strip()))
    for line in lines:
        print(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    rows = [bench(s, o, n, args.repeats) for s, o, n in CONFIGS]
    head = (f"{'configuration':<26}{'run ms':>8} | {'ours build':>10}{'json':>7}{'run+build':>10}{'bytes':>11} | "
            f"{'naive build':>11}{'json':>7}{'bytes':>12} | {'lines-only bytes':>16}")
    print_table(head, [
        f"{r['surface'] + ' ' + str(r['optimizers']) + 'x' + str(r['steps']):<26}{r['run_ms']:>8.1f} | "
        f"{r['ours']['build_ms']:>10.1f}{r['ours']['json_ms']:>7.1f}{r['ours']['server_total_ms']:>10.1f}"
        f"{r['ours']['bytes']:>11,} | {r['naive']['build_ms']:>11.1f}{r['naive']['json_ms']:>7.1f}"
        f"{r['naive']['bytes']:>12,} | {r['naive_lines_only']['bytes']:>16,}" for r in rows])
    crows = [bench_compare(name, cc, args.repeats) for name, cc in COMPARE_CONFIGS]
    head = (f"\n{'Compare':<36}{'run ms':>8} | {'build':>7}{'json':>7}{'run+build':>10}{'bytes':>11} | "
            f"{'one figure per panel: build':>28}{'bytes':>12}")
    print_table(head, [
        f"{r['name']:<36}{r['run_ms']:>8.1f} | {r['ours']['build_ms']:>7.1f}{r['ours']['json_ms']:>7.1f}"
        f"{r['ours']['server_total_ms']:>10.1f}{r['ours']['bytes']:>11,} | "
        f"{r['separate_figures']['build_ms']:>28.1f}{r['separate_figures']['bytes']:>12,}" for r in crows])
    out = ROOT / "bench" / "results" / "app.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": {"python": platform.python_version(), "plotly": plotly.__version__,
                                           "processor": platform.processor() or platform.machine()},
                               "repeats": args.repeats, "results": rows, "compare": crows,
                               "targets": {"compare_4x4x500_build_ms": 200, "compare_4x4x500_bytes": 2_500_000}},
                              indent=2))
    print(f"\nwritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
