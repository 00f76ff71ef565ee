"""Engine benchmark: prints a table and writes bench/results/engine.json.

Measures, side by side in one run on this machine, this checkout's engine and (``--baseline REV``)
the engine of an earlier commit, extracted with ``git archive`` into a temporary directory:
  1. one Adam trajectory on Beale through the public ``run`` (20,000 steps, diagnostics kept) vs
     a tight plain-Python loop of the same rule (floats only, no storage) and vs torch.optim.Adam;
  2. ``run_many`` on a 256×256 grid of starts × 500 steps (Adam/Beale: every run stays alive for all
     500 steps, so nominal and executed steps are the same) vs the same grid vectorised in NumPy;
  3. cold compile (empty Numba cache, fresh processes): import + first ``run`` + first
     ``run_many``, and everything the app and ``run_many`` use (this checkout: ``python -m
     lab.warmup``, one worker per core; the baseline: every optimizer through ``run`` and
     ``run_many``); warm start-up (import + first run).
Targets (issue 14): ≥ 5e6 steps/s single and ≥ 15× the tight Python loop, ≥ 5e7 steps/s
run_many, warm start-up < 1 s, cold compile of everything ≤ 45 s. Machines are shared and noisy:
read the ratios, which compare runs made minutes apart in the same process tree.

    python bench/bench_engine.py [--quick] [--no-cold] [--baseline 047007c]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LR, B1, B2, EPS = 0.01, 0.9, 0.999, 1e-8
START = (1.0, 1.5)
BASELINE = "047007c"   # the last commit with one kernel holding all sixteen rules


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def python_adam(steps):
    """The Adam rule on Beale in plain Python floats: as tight as Python gets (no storage)."""
    x, y = START
    mx = my = vx = vy = 0.0
    for t in range(1, steps + 1):
        a, b, c = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y
        gx = 2 * (a * (y - 1) + b * (y * y - 1) + c * (y * y * y - 1))
        gy = 2 * (a * x + b * 2 * x * y + c * 3 * x * y * y)
        mx = B1 * mx + (1 - B1) * gx
        my = B1 * my + (1 - B1) * gy
        vx = B2 * vx + (1 - B2) * gx * gx
        vy = B2 * vy + (1 - B2) * gy * gy
        step, bc2 = LR / (1 - B1 ** t), math.sqrt(1 - B2 ** t)
        x -= step * mx / (math.sqrt(vx) / bc2 + EPS)
        y -= step * my / (math.sqrt(vy) / bc2 + EPS)
    return x, y


def torch_adam(steps):
    import torch
    p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=LR, betas=(B1, B2), eps=EPS, foreach=False)
    for _ in range(steps):
        opt.zero_grad()
        x, y = p[0], p[1]
        f = (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2
        f.backward()
        opt.step()
    return p


def numpy_grid_adam(starts, steps):
    """The same grid, vectorised over runs in NumPy (no stops, no diagnostics: a lower bound)."""
    th = starts.copy()
    m = np.zeros_like(th)
    v = np.zeros_like(th)
    for t in range(1, steps + 1):
        x, y = th[:, 0], th[:, 1]
        a, b, c = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y ** 3
        g = np.stack([2 * (a * (y - 1) + b * (y * y - 1) + c * (y ** 3 - 1)),
                      2 * (a * x + b * 2 * x * y + c * 3 * x * y * y)], axis=1)
        m = B1 * m + (1 - B1) * g
        v = B2 * v + (1 - B2) * g * g
        th = th - LR / (1 - B1 ** t) * m / (np.sqrt(v) / math.sqrt(1 - B2 ** t) + EPS)
    return th


def grid_starts(side):
    # Beale's valley floor and walls: every Adam run stays alive (ok) for all 500 steps
    xs = np.linspace(-4.5, 4.5, side)
    return np.array(np.meshgrid(xs, xs)).reshape(2, -1).T.copy()


# ---------- what is measured for each engine, in a process that imports that engine ----------

def measure_engine(quick: bool) -> dict:
    from optim_core import run, run_many
    steps_single = 2_000 if quick else 20_000
    side, grid_steps = (64, 100) if quick else (256, 500)
    run("adam", "beale", START, 10)
    t_single = best_of(lambda: run("adam", "beale", START, steps_single), 5)
    t_500 = best_of(lambda: run("adam", "beale", START, 500), 20)
    starts = grid_starts(side)
    run_many("adam", "beale", starts[:4], 5)
    t_grid = best_of(lambda: run_many("adam", "beale", starts, grid_steps), 5)
    res = run_many("adam", "beale", starts, grid_steps)
    return {"single (steps/s)": steps_single / t_single, "run 500 steps (ms)": t_500 * 1e3,
            "grid (steps/s)": len(starts) * grid_steps / t_grid,
            "grid runs alive at the end (%)": 100.0 * float(np.mean(res.status == 0))}


def in_fresh_process(engine_dir: Path, code: str, env_extra: dict) -> tuple:
    env = {**os.environ, "PYTHONPATH": str(engine_dir), **env_extra}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=engine_dir, env=env, capture_output=True, text=True,
                         check=True)
    return time.perf_counter() - t, out.stdout


FIRST_USE = ("import time; t=time.perf_counter(); from optim_core import run, run_many; "
             "run('adam','beale',(1.0,1.5),500); t1=time.perf_counter(); "
             "run_many('adam','beale',[[1.0,1.5]],10); print(t1-t, time.perf_counter()-t)")
EVERYTHING_OLD = ("from optim_core import run, run_many, OPTIMIZERS\n"
                  "for o in OPTIMIZERS:\n    run(o, 'valley', (-5.0, -2.0), 2); run_many(o, 'valley', [[-5.0, -2.0]], 2)")


def cold_and_warm(engine_dir: Path, has_warmup: bool) -> dict:
    rows = {}
    with tempfile.TemporaryDirectory() as cache:
        wall, out = in_fresh_process(engine_dir, FIRST_USE, {"NUMBA_CACHE_DIR": cache})
        rows["cold: import + first run (s)"], rows["cold: import + first run + first run_many (s)"] = map(
            float, out.split())
    with tempfile.TemporaryDirectory() as cache:
        if has_warmup:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lab.warmup"], cwd=engine_dir, check=True, stdout=subprocess.DEVNULL,
                           env={**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONPATH": str(engine_dir)})
            rows["cold: everything the app and run_many use (s)"] = time.perf_counter() - t
        else:
            rows["cold: everything the app and run_many use (s)"], _ = in_fresh_process(
                engine_dir, EVERYTHING_OLD, {"NUMBA_CACHE_DIR": cache})
        in_fresh_process(engine_dir, FIRST_USE, {"NUMBA_CACHE_DIR": cache})
        runs = [in_fresh_process(engine_dir, FIRST_USE, {"NUMBA_CACHE_DIR": cache}) for _ in range(3)]
        rows["warm start-up: import + first run, in-process (s)"] = min(float(o.split()[0]) for _, o in runs)
        rows["warm start-up: whole fresh process (s)"] = min(w for w, _ in runs)
    return rows


def measure_checkout(engine_dir: Path, quick: bool, cold: bool, has_warmup: bool) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import bench_engine; "
            f"print(json.dumps(bench_engine.measure_engine({quick})))")
    rows = {}
    if cold:
        rows.update(cold_and_warm(engine_dir, has_warmup))
    _, out = in_fresh_process(engine_dir, code, {})
    rows.update(json.loads(out.strip().splitlines()[-1]))
    return rows


def extract(rev: str, dest: Path) -> Path:
    """The engine (optim_core, surfaces) of commit ``rev``, unpacked into ``dest``."""
    with tempfile.NamedTemporaryFile(suffix=".tar") as tar:
        subprocess.run(["git", "archive", "--format=tar", "-o", tar.name, rev, "optim_core", "surfaces"], cwd=ROOT,
                       check=True)
        with tarfile.open(tar.name) as tf:
            tf.extractall(dest, filter="data")
    return dest


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes (for a smoke run)")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-compile measurements")
    ap.add_argument("--baseline", default=None, help=f"also measure the engine of this commit (e.g. {BASELINE})")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "engine.json"))
    args = ap.parse_args()
    engines = {"this checkout": measure_checkout(ROOT, args.quick, not args.no_cold, True)}
    if args.baseline:
        with tempfile.TemporaryDirectory() as d:
            engines[f"baseline {args.baseline}"] = measure_checkout(extract(args.baseline, Path(d)), args.quick,
                                                                    not args.no_cold, False)
    py_steps = 5_000 if args.quick else 50_000
    sps_py = py_steps / best_of(lambda: python_adam(py_steps), 3)
    side, grid_steps = (64, 100) if args.quick else (256, 500)
    starts = grid_starts(side)
    sps_np = len(starts) * grid_steps / best_of(lambda: numpy_grid_adam(starts, grid_steps), 1)
    sps_torch = None
    try:  # torch last: its OpenMP workers spin after each op and would steal the cores
        import torch  # noqa: F401
        torch_steps = 500 if args.quick else 2000
        sps_torch = torch_steps / best_of(lambda: torch_adam(torch_steps), 3)
    except ImportError:
        pass
    for rows in engines.values():
        rows["single: Numba / tight Python"] = rows["single (steps/s)"] / sps_py
        rows["single: Numba / torch.optim"] = rows["single (steps/s)"] / sps_torch if sps_torch else None
        rows["grid: Numba / NumPy"] = rows["grid (steps/s)"] / sps_np
    shared = {"tight Python Adam loop (steps/s)": sps_py, "torch.optim.Adam, float64 (steps/s)": sps_torch,
              f"NumPy-vectorised grid {side}x{side}x{grid_steps} (steps/s)": sps_np}
    targets = {"single (steps/s)": ">= 5e6", "single: Numba / tight Python": ">= 15",
               "single: Numba / torch.optim": ">= 1000", "grid (steps/s)": ">= 5e7",
               "warm start-up: import + first run, in-process (s)": "< 1",
               "cold: everything the app and run_many use (s)": "<= 45"}
    names = list(engines)
    keys = list(dict.fromkeys(k for rows in engines.values() for k in rows))
    print(f"{'measure':52s} " + " ".join(f"{n[:22]:>22s}" for n in names) + f" {'target':>9s}")
    for k in keys:
        cells = []
        for n in names:
            v = engines[n].get(k)
            cells.append(f"{'n/a' if v is None else f'{v:.3g}':>22s}")
        print(f"{k:52s} " + " ".join(cells) + f" {targets.get(k, ''):>9s}")
    if len(names) == 2:
        a, b = (engines[n] for n in names)
        for k in ("single (steps/s)", "grid (steps/s)"):
            print(f"{'ratio this / baseline, ' + k:52s} {a[k] / b[k]:22.2f}")
        for k in ("cold: import + first run (s)", "cold: everything the app and run_many use (s)"):
            if k in a and k in b:
                print(f"{'ratio baseline / this, ' + k:52s} {b[k] / a[k]:22.2f}")
    for k, v in shared.items():
        print(f"{k:52s} {'n/a' if v is None else f'{v:.3g}':>22s}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "processor": platform.processor()},
        "quick": args.quick, "engines": engines, "shared": shared, "targets": targets}, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
