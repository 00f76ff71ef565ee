"""Engine benchmark: prints a table and writes bench/results/engine.json.

Measures, side by side in one run on this machine:
  1. one Adam trajectory on Beale with diagnostics: Numba vs a plain Python loop of the same
     rule vs torch.optim.Adam (when torch is installed);
  2. run_many on a 256×256 grid of starts × 500 steps vs the same grid vectorised in NumPy;
  3. cold compile (empty Numba cache) and warm start-up (import + first run), in fresh processes.
Targets (issue 8): ≥ 5e6 steps/s single (≥ 15× Python, ≥ 1000× torch), ≥ 5e7 steps/s run_many,
warm import + first run < 1 s. Machines are shared and noisy: read the ratios.

    python bench/bench_engine.py [--quick]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from optim_core import run, run_many  # noqa: E402

LR, B1, B2, EPS = 0.01, 0.9, 0.999, 1e-8
START = (1.0, 1.5)


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def beale_grad(x, y):
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y ** 3
    return (2 * (a * (y - 1) + b * (y * y - 1) + c * (y ** 3 - 1)),
            2 * (a * x + b * 2 * x * y + c * 3 * x * y * y))


def python_adam(steps):
    """The Adam rule in plain Python floats, keeping the same diagnostics as the engine."""
    x, y = START
    m, v = [0.0, 0.0], [0.0, 0.0]
    xs, diag = [(x, y)], []
    for t in range(1, steps + 1):
        g = beale_grad(x, y)
        bc1, bc2s = 1 - B1 ** t, math.sqrt(1 - B2 ** t)
        p = [x, y]
        eff = [0.0, 0.0]
        for i in range(2):
            m[i] = B1 * m[i] + (1 - B1) * g[i]
            v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i]
            den = math.sqrt(v[i]) / bc2s + EPS
            p[i] -= LR / bc1 * m[i] / den
            eff[i] = LR / den
        diag.append((g, (p[0] - x, p[1] - y), tuple(m), tuple(v), tuple(eff)))
        x, y = p
        xs.append((x, y))
    return xs, diag


def torch_adam(steps):
    import torch
    p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=LR, betas=(B1, B2), eps=EPS, foreach=False)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        x, y = p[0], p[1]
        f = (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2
        f.backward()
        opt.step()
        out.append(p.detach().clone())
    return out


def numpy_grid_adam(starts, steps):
    """The same grid, vectorised over runs in NumPy (no stops, no diagnostics: a lower bound)."""
    th = starts.copy()
    m = np.zeros_like(th)
    v = np.zeros_like(th)
    x, y = th[:, 0], th[:, 1]
    for t in range(1, steps + 1):
        x, y = th[:, 0], th[:, 1]
        a, b, c = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y ** 3
        g = np.stack([2 * (a * (y - 1) + b * (y * y - 1) + c * (y ** 3 - 1)),
                      2 * (a * x + b * 2 * x * y + c * 3 * x * y * y)], axis=1)
        m = B1 * m + (1 - B1) * g
        v = B2 * v + (1 - B2) * g * g
        th = th - LR / (1 - B1 ** t) * m / (np.sqrt(v) / math.sqrt(1 - B2 ** t) + EPS)
    return th


def fresh_process_seconds(env_extra):
    code = ("import time; t=time.perf_counter(); from optim_core import run, run_many; "
            "run('adam','beale',(1.0,1.5),500); t1=time.perf_counter(); "
            "run_many('adam','beale',[[1.0,1.5]],10); t2=time.perf_counter(); print(t1-t, t2-t)")
    env = {**os.environ, **env_extra}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    first_run, both = map(float, out.stdout.split())
    return wall, first_run, both


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes (for a smoke run)")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-compile measurement (~30 s)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "engine.json"))
    args = ap.parse_args()
    steps_single = 2_000 if args.quick else 20_000
    side = 64 if args.quick else 256
    grid_steps = 100 if args.quick else 500
    rows = {}

    # cold compile: an empty cache directory; warm: the project cache, filled by the cold run's twin
    if not args.no_cold:
        with tempfile.TemporaryDirectory() as cache:
            cold_wall, cold_run, cold_both = fresh_process_seconds({"NUMBA_CACHE_DIR": cache})
        rows["cold compile: import + first run + first run_many (s)"] = cold_both
    fresh_process_seconds({})  # make sure the default cache is filled
    warm_wall, warm_run, _ = min((fresh_process_seconds({}) for _ in range(3)), key=lambda r: r[0])
    rows["warm start-up: import + first run, in-process (s)"] = warm_run
    rows["warm start-up: whole fresh process (s)"] = warm_wall

    run("adam", "beale", START, 10)
    t_numba = best_of(lambda: run("adam", "beale", START, steps_single), 5)
    sps_numba = steps_single / t_numba
    py_steps = steps_single // 4
    t_py = best_of(lambda: python_adam(py_steps), 3)
    sps_py = py_steps / t_py
    t_500 = best_of(lambda: run("adam", "beale", START, 500), 20)
    rows["single Adam/Beale, Numba (steps/s)"] = sps_numba
    rows["single Adam/Beale, plain Python (steps/s)"] = sps_py
    rows["single: Numba / Python"] = sps_numba / sps_py
    rows["run(500 steps) per call, incl. validation (ms)"] = t_500 * 1e3
    xs = np.linspace(-4.5, 4.5, side)
    starts = np.array(np.meshgrid(xs, xs)).reshape(2, -1).T.copy()
    run_many("adam", "beale", starts[:4], 5)
    t_grid = best_of(lambda: run_many("adam", "beale", starts, grid_steps), 5)
    n_steps = len(starts) * grid_steps
    t_np = best_of(lambda: numpy_grid_adam(starts, grid_steps), 1)
    rows[f"run_many {side}x{side}x{grid_steps}, Numba (steps/s)"] = n_steps / t_grid
    rows[f"run_many {side}x{side}x{grid_steps}, NumPy vectorised (steps/s)"] = n_steps / t_np
    rows["run_many: Numba / NumPy"] = t_np / t_grid

    # torch last: its OpenMP workers spin after each op and would steal the cores from run_many
    try:
        import torch  # noqa: F401
        torch_steps = 500 if args.quick else 2000
        t_torch = best_of(lambda: torch_adam(torch_steps), 3)
        rows["single Adam/Beale, torch.optim (steps/s)"] = torch_steps / t_torch
        rows["single: Numba / torch.optim"] = sps_numba / (torch_steps / t_torch)
    except ImportError:
        rows["single Adam/Beale, torch.optim (steps/s)"] = None

    targets = {"single Adam/Beale, Numba (steps/s)": 5e6, "single: Numba / Python": 15,
               "single: Numba / torch.optim": 1000, f"run_many {side}x{side}x{grid_steps}, Numba (steps/s)": 5e7,
               "warm start-up: import + first run, in-process (s)": 1.0}
    print(f"{'measure':58s} {'value':>14s}  {'target':>10s}")
    for k, v in rows.items():
        tgt = targets.get(k)
        vs = "n/a" if v is None else (f"{v:14.3g}")
        ts = "" if tgt is None else (f"< {tgt:g}" if "(s)" in k else f">= {tgt:g}")
        print(f"{k:58s} {vs:>14s}  {ts:>10s}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                                     "processor": platform.processor()},
                                          "quick": args.quick, "results": rows, "targets": targets}, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
