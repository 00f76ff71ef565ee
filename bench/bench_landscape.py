"""The Sweep and Basins pages' grids, timed side by side with a vectorised NumPy implementation of
the same grid in the same run (targets of issue 19; this machine has 2 shared, noisy cores).

Cases: a 200 × 200 sweep of Adam's lr × β1 on Beale, 300 steps, through ``lab.sweep`` with the
figure dict included; a 300 × 300 basin map of GD on Himmelblau, 500 steps, with its figure; two
such maps side by side (GD and Adam); 20 seeds × 6 optimizers × 500 steps with their bands. The
NumPy versions (Adam as torch.optim.Adam, GD) freeze a lane that leaves the escape box or stops
being finite, as the engine does, and their final points are compared with the engine's.

    python bench/bench_landscape.py [--quick] [--out bench/results/landscape.json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import surfaces  # noqa: E402
from lab import basins, config, seeds, sweep  # noqa: E402
from viz.basins import basins_figure  # noqa: E402
from viz.charts import band_figure  # noqa: E402
from viz.sweep import sweep_map_figure  # noqa: E402


def best_of(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


# ---------------------------------------------------------------- NumPy references (vectorised)

def beale_grad(x, y):
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y ** 2, 2.625 - x + x * y ** 3
    gx = 2 * a * (y - 1) + 2 * b * (y ** 2 - 1) + 2 * c * (y ** 3 - 1)
    gy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y ** 2
    return gx, gy


def himmelblau_grad(x, y):
    u, v = x ** 2 + y - 11, x + y ** 2 - 7
    return 4 * x * u + 2 * v, 2 * u + 4 * y * v


def _alive(x, y, box):
    x0, x1, y0, y1 = box
    return np.isfinite(x) & np.isfinite(y) & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def numpy_adam(grad, start, lrs, beta1, steps, box, beta2=0.999, eps=1e-8):
    n = lrs.size
    x, y = np.full(n, start[0]), np.full(n, start[1])
    mx, my, vx, vy = (np.zeros(n) for _ in range(4))
    alive = np.ones(n, bool)
    for t in range(1, steps + 1):
        gx, gy = grad(x, y)
        mx, my = beta1 * mx + (1 - beta1) * gx, beta1 * my + (1 - beta1) * gy
        vx, vy = beta2 * vx + (1 - beta2) * gx * gx, beta2 * vy + (1 - beta2) * gy * gy
        c1, c2 = 1 - beta1 ** t, np.sqrt(1 - beta2 ** t)
        nx = x - lrs / c1 * mx / (np.sqrt(vx) / c2 + eps)
        ny = y - lrs / c1 * my / (np.sqrt(vy) / c2 + eps)
        alive &= _alive(nx, ny, box)
        x, y = np.where(alive, nx, x), np.where(alive, ny, y)
    return np.column_stack([x, y]), alive


def numpy_gd(grad, starts, lr, steps, box):
    x, y = starts[:, 0].copy(), starts[:, 1].copy()
    alive = np.ones(len(x), bool)
    for _ in range(steps):
        gx, gy = grad(x, y)
        nx, ny = x - lr * gx, y - lr * gy
        alive &= _alive(nx, ny, box)
        x, y = np.where(alive, nx, x), np.where(alive, ny, y)
    return np.column_stack([x, y]), alive


def agreement(engine_xy, engine_status, numpy_xy, numpy_alive, rtol=1e-9) -> float:
    """The share of runs alive in both whose final points agree to ``rtol`` (chaotic runs at a high
    lr amplify the last bit of a different order of operations: they agree at a looser rtol)."""
    both = (engine_status == 0) & numpy_alive
    close = np.isclose(engine_xy[both], numpy_xy[both], rtol=rtol, atol=rtol).all(axis=1)
    return float(close.mean()) if both.any() else float("nan")


# ---------------------------------------------------------------- the cases

def sweep_case(res: int, steps: int, repeat: int) -> dict:
    sc, _ = sweep.decode({"surface": "beale", "sw.res": str(res), "steps": str(steps)})
    surf = surfaces.get("beale")
    sweep.sweep_map(sc)  # compile / load

    def engine():
        m = sweep.sweep_map(sc)
        return m, sweep_map_figure(m, "loss", x_log=True, y_log=False)
    t_engine, (m, fig) = best_of(engine, repeat)
    t_runs, _ = best_of(lambda: sweep.sweep_map(sc), repeat)
    X, Y = np.meshgrid(m.xs, m.ys)
    t_numpy, (nxy, nalive) = best_of(lambda: numpy_adam(beale_grad, sc.base.start, X.ravel(), Y.ravel(), steps,
                                                        surf.escape_box), repeat)
    from optim_core import run_many
    g = run_many("adam", "beale", sc.base.start, steps, hyper_grid={"lr": X.ravel(), "beta1": Y.ravel()})
    return {"case": f"sweep Adam lr × β1 on Beale, {res}² × {steps} steps (runs + figure)", "engine_s": t_engine,
            "runs_only_s": t_runs, "numpy_s": t_numpy, "steps": res * res * steps, "target_s": 0.6,
            "agree": agreement(g.final_xy, g.status, nxy, nalive),
            "agree_1e-6": agreement(g.final_xy, g.status, nxy, nalive, 1e-6), "payload_mb": len(json.dumps(fig)) / 1e6}


def basins_case(res: int, steps: int, repeat: int, two: bool) -> dict:
    q = {"bas.res": str(res), "steps": str(steps), "bas.n": "2" if two else "1"}
    bc, _ = basins.decode(q)
    surf = surfaces.get("himmelblau")
    basins.basin_maps(bc)

    def engine():
        maps = basins.basin_maps(bc)
        return maps, basins_figure(maps, surf, ["a", "b"][:len(maps)])
    t_engine, (maps, fig) = best_of(engine, repeat)
    xs, ys = basins.start_grid(surf.domain, res)
    X, Y = np.meshgrid(xs, ys)
    starts = np.column_stack([X.ravel(), Y.ravel()])
    t_numpy, (nxy, nalive) = best_of(lambda: numpy_gd(himmelblau_grad, starts, 0.01, steps, surf.escape_box), repeat)
    from optim_core import run_many
    g = run_many("sgd", "himmelblau", starts, steps, {"lr": 0.01})
    n_maps = 2 if two else 1
    name = "two basin maps side by side (GD, Adam)" if two else "basin map GD on Himmelblau"
    return {"case": f"{name}, {res}² × {steps} steps (runs + figure)", "engine_s": t_engine,
            "numpy_s": t_numpy * (n_maps if two else 1), "steps": n_maps * res * res * steps,
            "target_s": 3.0 if two else 1.5, "agree": agreement(g.final_xy, g.status, nxy, nalive),
            "payload_mb": len(json.dumps(fig)) / 1e6,
            "numpy_note": "NumPy GD timed once per map" if two else ""}


def seeds_case(k: int, steps: int, repeat: int) -> dict:
    cfg, _ = config.decode({"surface": "noisy_bowl", "batch": "8", "seeds.on": "1", "seeds.k": str(k),
                            "steps": str(steps), "lrmode": "shared", "lr": "0.05"})
    seeds.seed_bands(cfg)

    def engine():
        bands = seeds.seed_bands(cfg)
        return band_figure(bands, {}, f_min=cfg.surface_object().f_min)
    t_engine, _ = best_of(engine, repeat)
    return {"case": f"{k} seeds × {len(cfg.optimizers)} optimizers × {steps} steps with bands", "engine_s": t_engine,
            "numpy_s": float("nan"), "steps": k * len(cfg.optimizers) * steps, "target_s": 0.15,
            "agree": float("nan"), "payload_mb": float("nan")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small grids, one repeat (a smoke test)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "landscape.json"))
    args = ap.parse_args(argv)
    rep = 1 if args.quick else 3
    rows = [sweep_case(40 if args.quick else 200, 300, rep),
            basins_case(40 if args.quick else 300, 500, rep, two=False),
            basins_case(40 if args.quick else 300, 500, rep, two=True),
            seeds_case(20, 500, rep)]
    print(f"{'case':<78} {'engine s':>9} {'numpy s':>8} {'M steps/s':>9} {'×NumPy':>7} {'target':>7} met  agree")
    for r in rows:
        r["engine_msteps"] = r["steps"] / r["engine_s"] / 1e6
        r["ratio_vs_numpy"] = r["numpy_s"] / r["engine_s"]
        r["met"] = r["engine_s"] <= r["target_s"]
        print(f"{r['case']:<78} {r['engine_s']:9.3f} {r['numpy_s']:8.2f} {r['engine_msteps']:9.1f} "
              f"{r['ratio_vs_numpy']:7.1f} {r['target_s']:7.2f} {'yes' if r['met'] else 'NO ':>3}  {r['agree']:.4f}")
    out = {"rows": rows, "quick": args.quick, "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
           "numpy": np.__version__, "numba": numba.__version__,
           "note": "2 shared cores: other work on the machine slows every row; compare ratios"}}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
