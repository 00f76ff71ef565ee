"""Typed-surface benchmark: prints a table and writes bench/results/custom.json.

Measures, side by side in one process on this machine:
  1. ``run_many`` on a 256×256 grid of starts over [-4, 4]² × 500 steps on the built-in Beale
     and on Beale typed as an expression (``surfaces.custom``, run by the postfix interpreter of
     ``surfaces.program``), for SGD, Momentum and NAG (lr 1e-4), Adam, Newton and BFGS (defaults
     otherwise); best of 3 after a warm-up, the two surfaces alternating. The ratio is built-in
     time / typed time (1 = as fast as the hand-written formula); target ≥ 0.33.
  2. What a user waits for after typing a new expression (kernels already warm; median of 5, a
     fresh never-seen expression each time): parse + compile (``surfaces.custom``, without the
     stationary-point search, which runs on first use), the stationary-point search
     (``.stationary``), and "new expression usable" = ``custom`` + its value on a 480×400 grid +
     the first ``run`` of 300 Adam steps.

    python bench/bench_custom.py [--quick] [--repeats 3] [--out PATH]

``--quick`` (a smoke run): a 64×64 grid × 100 steps.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import surfaces  # noqa: E402
from optim_core import run, run_many  # noqa: E402

BEALE = "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"
DOMAIN = (-4.5, 4.5, -4.5, 4.5)
OPTIMIZERS = (("sgd", {"lr": 1e-4}), ("momentum", {"lr": 1e-4}), ("nag", {"lr": 1e-4}), ("adam", None),
              ("newton", None), ("bfgs", None))
RATIO_TARGET = 0.33
USABLE_TARGET = 1.0    # s: a new expression is drawn and run within a second
FRESH = 5              # fresh expressions per "new expression" measure
GRID = (480, 400)      # the value grid of "new expression usable" (x, y)
FIRST_RUN_STEPS = 300

_serial = itertools.count(1)


def fresh_expression() -> str:
    """Typed Beale plus a tiny term with a constant never used before: a new text and a new
    program (a different constant, so no folding can make two of them the same)."""
    return f"{BEALE} + {next(_serial)}e-9*x"


def starts_grid(side: int) -> np.ndarray:
    xs = np.linspace(-4.0, 4.0, side)
    return np.array(np.meshgrid(xs, xs)).reshape(2, -1).T.copy()


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def grid_row(oid, hyper, typed, starts, steps, repeats) -> dict:
    run_many(oid, "beale", starts[:4], 5, hyper)        # warm-up: kernels, threads, typed f_min
    run_many(oid, typed, starts[:4], 5, hyper)
    t_built, t_typed = [], []
    for _ in range(repeats):                            # alternate, so drift hits both alike
        t_built.append(timed(lambda: run_many(oid, "beale", starts, steps, hyper)))
        t_typed.append(timed(lambda: run_many(oid, typed, starts, steps, hyper)))
    gb, gt = run_many(oid, "beale", starts, steps, hyper), run_many(oid, typed, starts, steps, hyper)
    ratio = min(t_built) / min(t_typed)
    return {"optimizer": oid, "hyper": hyper or {}, "builtin_s": min(t_built), "typed_s": min(t_typed),
            "ratio": ratio, "target": RATIO_TARGET, "met": ratio >= RATIO_TARGET,
            "alive_builtin_pct": 100.0 * float(np.mean(gb.status == 0)),
            "alive_typed_pct": 100.0 * float(np.mean(gt.status == 0)),
            "same_status_pct": 100.0 * float(np.mean(gb.status == gt.status)),
            "typed_steps_per_s": len(starts) * steps / min(t_typed)}


def new_expression_rows() -> dict:
    # warm everything a new expression uses, on an expression of its own
    warm = surfaces.custom(fresh_expression(), DOMAIN)
    X, Y = np.meshgrid(np.linspace(DOMAIN[0], DOMAIN[1], GRID[0]), np.linspace(DOMAIN[2], DOMAIN[3], GRID[1]))
    warm.value(X, Y)
    _ = warm.stationary
    run("adam", warm, warm.start, FIRST_RUN_STEPS)

    made, t_make, t_stat = [], [], []
    for text in [fresh_expression() for _ in range(FRESH)]:
        t = time.perf_counter()
        made.append(surfaces.custom(text, DOMAIN))      # stationary points are searched on first use
        t_make.append(time.perf_counter() - t)
    for s in made:
        t = time.perf_counter()
        _ = s.stationary
        t_stat.append(time.perf_counter() - t)
    assert all(len(s.minima) == 1 for s in made)

    def usable():
        s = surfaces.custom(fresh_expression(), DOMAIN)
        s.value(X, Y)
        run("adam", s, s.start, FIRST_RUN_STEPS)
    t_use = [timed(usable) for _ in range(FRESH)]
    return {"parse + compile, surfaces.custom (ms)": 1e3 * statistics.median(t_make),
            "stationary-point search, .stationary (ms)": 1e3 * statistics.median(t_stat),
            f"new expression usable: custom + value {GRID[0]}x{GRID[1]} + first run "
            f"{FIRST_RUN_STEPS} adam (ms)": 1e3 * statistics.median(t_use)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a 64x64 grid x 100 steps (for a smoke run)")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many timed grids per surface")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "custom.json")
    args = ap.parse_args()
    side, steps = (64, 100) if args.quick else (256, 500)
    starts = starts_grid(side)
    typed = surfaces.custom(BEALE, DOMAIN)

    rows = [grid_row(oid, hyper, typed, starts, steps, args.repeats) for oid, hyper in OPTIMIZERS]
    head = (f"{'optimizer':<10}{'built-in s':>12}{'typed s':>12}{'built-in/typed':>16}{'target':>9}{'met?':>6}"
            f"{'alive % b/t':>14}")
    print(f"run_many on Beale, {side}x{side} starts over [-4, 4]^2 x {steps} steps, best of {args.repeats}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['optimizer']:<10}{r['builtin_s']:>12.4f}{r['typed_s']:>12.4f}{r['ratio']:>16.2f}"
              f"{'>= ' + format(r['target'], 'g'):>9}{'yes' if r['met'] else 'NO':>6}"
              f"{r['alive_builtin_pct']:>7.1f}/{r['alive_typed_pct']:<6.1f}")

    new = new_expression_rows()
    print(f"\na new expression (median of {FRESH}, a fresh expression each, kernels warm)")
    for k, v in new.items():
        target = f"< {USABLE_TARGET * 1e3:g}" if k.startswith("new expression usable") else ""
        print(f"{k:<78}{v:>10.1f}{target:>9}")
    usable_ms = next(v for k, v in new.items() if k.startswith("new expression usable"))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "processor": platform.processor() or platform.machine()},
        "quick": args.quick, "repeats": args.repeats, "grid": {"side": side, "steps": steps, "box": [-4, 4]},
        "expression": BEALE, "domain": DOMAIN, "run_many": rows, "new_expression": new,
        "targets": {"ratio built-in / typed": f">= {RATIO_TARGET}",
                    "new expression usable (ms)": f"< {USABLE_TARGET * 1e3:g}"},
        "met": {"ratio": all(r["met"] for r in rows), "usable": usable_ms < USABLE_TARGET * 1e3}}, indent=1))
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
