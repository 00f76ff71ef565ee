"""Chapter "first_order": plain gradient descent and what its one learning rate can and cannot do
— the noise of mini-batches against the full batch, the stability edge 2/L of a stretched canyon, schedules that rescue a learning rate past that
edge, what the Hessian says about a critical point (minimum, saddle, maximum), and why convexity
decides whether the start matters.

On a quadratic, GD multiplies the error along each eigen-direction of the Hessian by (1 − ηλ) per
step, so it is stable exactly when η < 2/λ for every λ: the largest eigenvalue L sets the edge 2/L
for all directions at once. Every number is read from the engine's runs of the lesson's own scene
(or, where a lesson compares settings the page shows one of, from the same scene with that one
setting changed by ``dataclasses.replace``) and from the surface's own Hessian."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from optim_core import run_many
from surfaces.stationary import find_stationary

from .. import readouts
from ..compare import CompareConfig, panel_configs
from ..config import PlaygroundConfig
from ..race import distances, lane_hyper, run_options
from . import kit

CHAPTER = "first_order"


def largest_curvature(surface) -> float:
    """L: the largest eigenvalue of the Hessian at the surface's (first) minimum."""
    return float(np.linalg.eigvalsh(np.asarray(surface.hess(*surface.minima[0]), dtype=float))[-1])


# ---------------------------------------------------------------- 0. full batch, mini-batch, one sample

BATCH_NOISE = CompareConfig(
    base=PlaygroundConfig(surface="noisy_bowl", surface_params={"n_samples": 2000}, optimizers=("sgd",),
                          steps=500, seed=0),
    mode="settings", settings=(("sgd", {"lr": 0.1}),) * 3, batches=(0, 32, 1))


def batch_gradient_sd(surface, point, b: int) -> float:
    """The standard deviation (root of the summed per-coordinate variances) of the mean gradient
    of a mini-batch of ``b`` samples drawn without replacement, at ``point``: σ₁/√b times the
    finite-population factor √((N − b)/(N − 1))."""
    g = surface.sample_grads(*point)
    n = len(g)
    return float(np.sqrt(g.var(axis=0).sum() / b * (n - b) / (n - 1)))


def _batch_noise_numbers(scene: CompareConfig) -> dict:
    """Mean distance to the minimum over the last 100 steps, per panel; the mini-batch gradient's
    spread at the start for 1 and 100 samples."""
    surface = scene.base.surface_object()
    dist = [kit.tail_distance(p["sgd"].xy, surface.minima[0]) for p in kit.panel_runs(scene)]
    sd1, sd100 = (batch_gradient_sd(surface, scene.base.start, b) for b in (1, 100))
    return {"batches": scene.batches, "lr": scene.settings[0][1]["lr"], "n": surface.params["n_samples"],
            "d_full": dist[0], "d_mini": dist[1], "d_one": dist[2], "b_mini": scene.batches[1],
            "sd1": sd1, "sd100": sd100, "sd_ratio": sd1 / sd100}


def _noise_orders_them(n: dict) -> bool:
    # the full batch settles exactly (no noise); each noisier panel hovers ≥ 2× farther out; and
    # 100× the samples cut the gradient's spread only ~10× (√100, up to the finite-population factor)
    return (n["batches"][0] == 0 and n["d_full"] < 1e-6 and n["d_mini"] >= 1e-3 and n["d_one"] >= 2 * n["d_mini"]
            and 9.0 <= n["sd_ratio"] <= 11.0)


def _all_full_batch(scene: CompareConfig) -> CompareConfig:
    return replace(scene, batches=(0,) * len(scene.batches))


# ---------------------------------------------------------------- 1. one learning rate for a canyon

# f = 0.1(x² + κy²) with the valley not turned: curvatures 0.2 along x and 0.2κ = 200 along y, so
# 2/L = 0.01; the two lrs sit 5 % either side of that edge.
CANYON = CompareConfig(
    base=PlaygroundConfig(surface="rotated_valley", surface_params={"kappa": 1000.0, "angle_deg": 0.0},
                          optimizers=("sgd",), start=(-5.0, -2.0), steps=100),
    mode="settings", settings=(("sgd", {"lr": 0.0095}), ("sgd", {"lr": 0.0105})))


def _canyon_numbers(scene: CompareConfig) -> dict:
    """The edge 2/L from the surface's Hessian; for the smaller lr, how much of the way to x = 0 it
    covered and how far |y| shrank; for the larger one, how far |y| grew before the run stopped."""
    surface = scene.base.surface_object()
    lam = np.linalg.eigvalsh(np.asarray(surface.hess(*surface.minima[0]), dtype=float))
    (small,), (large,) = (list(p.values()) for p in kit.panel_runs(scene))
    x0, y0 = scene.base.start
    small_lr, large_lr = (float(hp["lr"]) for _, hp in scene.settings)
    return {
        "l_min": float(lam[0]), "l_max": float(lam[-1]), "edge": 2.0 / float(lam[-1]), "steps": scene.base.steps,
        "small_lr": small_lr, "large_lr": large_lr,
        # the factors (1 − ηλ) the error is multiplied by per step along x and along y
        "small_fx": 1.0 - small_lr * float(lam[0]), "small_fy": 1.0 - small_lr * float(lam[-1]),
        "large_fy": 1.0 - large_lr * float(lam[-1]),
        "small_status": small.status, "small_progress": 1.0 - abs(float(small.xy[-1, 0])) / abs(x0),
        "small_y": abs(float(small.xy[-1, 1])) / abs(y0),
        "large_status": large.status, "large_steps": large.steps,
        "large_growth": float(np.abs(large.xy[:, 1]).max()) / abs(y0),
    }


def _one_lr_fails(n: dict) -> bool:
    # the lrs straddle the edge; below it y settles (|y| down 100×) while x has covered under 30 %
    # of its way; just above it |y| grows tenfold and the engine stops the run
    return (n["small_lr"] < n["edge"] < n["large_lr"]
            and n["small_status"] == "ok" and n["small_y"] <= 1e-2 and n["small_progress"] <= 0.3
            and n["large_status"] != "ok" and n["large_growth"] >= 10.0)


def _round_bowl(scene: CompareConfig) -> CompareConfig:
    """κ = 1: the same curvature 0.2 both ways, the edge moves to 2/0.2 = 10, far above both lrs."""
    return replace(scene, base=replace(scene.base, surface_params={**scene.base.surface_params, "kappa": 1.0}))


# ---------------------------------------------------------------- 2. too large an lr, and schedules

# On the valley 0.1x² + 2y² the Hessian is diag(0.2, 4): L = 4, 2/L = 0.5, and η = 0.55 makes the
# y error grow by |1 − 4η| = 1.2 per step. Each schedule below brings η under 0.5 within a few
# steps and still adds up Σ η_t ≥ 25, enough for x (factor ≈ e^(−0.2 Σ η_t)) to arrive.
RESCUES = {
    "step": {"kind": "step", "every": 5, "gamma": 0.9},
    "exponential": {"kind": "exponential", "decay": 0.02},
    "polynomial": {"kind": "polynomial", "decay": 0.1, "power": 0.5},
    "warmup_decay": {"kind": "polynomial", "decay": 0.1, "power": 0.5, "warmup": 20},
}
# linear warm-up alone: on a quadratic the curvature never changes, so once η is back at η₀ the
# growth resumes — it only postpones the blow-up
WARMUP_ONLY = {"kind": "constant", "warmup": 20}

TOO_LARGE = PlaygroundConfig(
    surface="valley", optimizers=("sgd",), hyper={"sgd": {"lr": 0.55}}, schedule=dict(RESCUES["exponential"]),
    start=(-5.0, -1.0), steps=300, tol=1e-3, inside="sgd")


def _schedule_numbers(scene: PlaygroundConfig) -> dict:
    """The scene's lr η₀ against 2/L; the same run with a constant lr, with each of RESCUES and with
    WARMUP_ONLY: the steps it made, its final f − f*, whether it converged (not stopped and within
    the tolerance at its last step) and the largest |y| on the way."""
    surface = scene.surface_object()
    big_l = largest_curvature(surface)
    out = {"lr0": float(lane_hyper(scene, "sgd")[0]["lr"]), "l_max": big_l, "edge": 2.0 / big_l,
           "tol": scene.tol, "steps": scene.steps, "y0": abs(float(scene.start[1]))}
    cases = {"constant": {"kind": "constant"}, **RESCUES, "warmup_only": WARMUP_ONLY}
    for name, schedule in cases.items():
        run = kit.runs(replace(scene, schedule=dict(schedule)))["sgd"]
        gap = float(kit.gap(run, surface)[-1])
        out.update({f"{name}_made": run.steps, f"{name}_gap": gap,
                    f"{name}_ok": run.status == "ok" and gap <= scene.tol,
                    f"{name}_hit": kit.steps_to(run, surface, scene.tol),
                    f"{name}_peak": float(np.abs(run.xy[:, 1]).max()),
                    f"{name}_lr_end": float(run.extra["lr"][-1])})
    out["warmup"] = WARMUP_ONLY["warmup"]
    return out


def _schedules_rescue(n: dict) -> bool:
    # η₀ past the edge: the constant lr does not converge, every decaying schedule ends within the
    # tolerance (not merely passes it), and warm-up without decay does not
    return (n["lr0"] > n["edge"] and not n["constant_ok"] and all(n[f"{name}_ok"] for name in RESCUES)
            and not n["warmup_only_ok"])


def _lr_below_the_edge(scene: PlaygroundConfig) -> PlaygroundConfig:
    """η₀ = 0.45 < 2/L = 0.5: the constant lr converges by itself."""
    return kit.with_hyper(scene, "sgd", lr=0.45)


# ---------------------------------------------------------------- 3. what the Hessian says at a critical point

# GD from a point close to the curve that flows into the saddle near (−0.13, −1.95): it slides down
# to the saddle, slows where the gradient vanishes, and leaves along the direction of negative
# curvature towards the minimum near (−3.78, −3.28)
CRITICAL = PlaygroundConfig(
    surface="himmelblau", optimizers=("sgd",), hyper={"sgd": {"lr": 0.002}}, start=(0.048, -3.75), steps=300)
NEAR_SADDLE = 0.3      # "at the saddle": this close to it


def _evaluator(surface):
    """f, ∂f/∂x, ∂f/∂y, ∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y² on arrays: what ``find_stationary`` reads."""
    def evaluate(x, y):
        h = surface.hess(x, y)
        return np.concatenate([np.asarray(surface.value(x, y))[..., None], surface.grad(x, y),
                               h[..., 0, 0, None], h[..., 0, 1, None], h[..., 1, 1, None]], axis=-1)
    return evaluate


def _critical_numbers(scene: PlaygroundConfig) -> dict:
    """The critical points in the map's box (Newton on ∇f = 0 from a grid of starts,
    ``surfaces.stationary``), each read out by ``readouts.hessian_readout`` as the page does: how
    many read minimum, saddle, maximum; whether every listed minimum reads minimum; the eigenvalues
    at the first maximum and at the saddle the scene's GD run passes; and that run: its closest
    approach to the saddle, how many steps it spent near it, and where it ended."""
    surface = scene.surface_object()
    found = find_stationary(_evaluator(surface), surface.domain)
    points = found.minima + found.saddles + found.maxima + found.degenerate
    read = [readouts.hessian_readout(surface, *p) for p in points]
    by_kind = {kind: [r for r in read if r.kind == kind] for kind in readouts.KINDS}
    listed = [readouts.hessian_readout(surface, *m) for m in surface.minima]
    out = {"found": len(read), "minima": len(by_kind["minimum"]), "saddles": len(by_kind["saddle"]),
           "maxima": len(by_kind["maximum"]), "flat": len(by_kind["flat"]), "listed": len(listed),
           "listed_minima": sum(r.kind == "minimum" for r in listed),
           "all_stationary": all(r.stationary for r in read + listed),
           "grad_max": max((math.hypot(*r.grad) for r in read), default=math.nan)}
    run = kit.runs(scene)["sgd"]
    # the maximum: the first one found; the saddle: the one the scene's GD path comes closest to
    path_d = [float(distances(run.xy, [r.point]).min()) for r in by_kind["saddle"]]
    shown = {"maximum": by_kind["maximum"][0] if by_kind["maximum"] else None,
             "saddle": by_kind["saddle"][int(np.argmin(path_d))] if path_d else None}
    for kind, r in shown.items():
        x, y = r.point if r else (math.nan, math.nan)
        l1, l2 = r.eigenvalues if r else (math.nan, math.nan)
        out.update({f"{kind}_x": x, f"{kind}_y": y, f"{kind}_l1": l1, f"{kind}_l2": l2})
    near = distances(run.xy, [shown["saddle"].point]) if shown["saddle"] else np.full(len(run.xy), math.inf)
    closest = int(np.argmin(near))
    end = surface.minima[kit.nearest_minimum(run.xy[-1], surface)]
    out.update({"gd_d": float(near[closest]), "gd_at": closest, "gd_near": int((near < NEAR_SADDLE).sum()),
                "near": NEAR_SADDLE, "end_x": end[0], "end_y": end[1], "lr": float(lane_hyper(scene, "sgd")[0]["lr"]),
                "end_d": float(kit.distance_to_minimum(run.xy[-1:], surface)[0])})
    return out


def _three_kinds(n: dict) -> bool:
    # every point found is stationary and every listed minimum reads "minimum"; besides the minima
    # there is at least one saddle and one maximum, and nothing the Hessian cannot classify
    return (n["all_stationary"] and n["listed"] >= 1 and n["listed_minima"] == n["listed"]
            and n["minima"] == n["listed"] and n["saddles"] >= 1 and n["maxima"] >= 1 and n["flat"] == 0)


def _convex_surface(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The valley, convex: its one critical point is its minimum."""
    return replace(scene, surface="valley", surface_params={}, start=None)


# ---------------------------------------------------------------- 4. convexity: does the start matter?

# the lr must suit both maps: Himmelblau's sharpest minimum has L ≈ 134 (2/L ≈ 0.015); on the valley
# 1000 steps of 0.012 shrink x by (1 − 0.0024)^1000 ≈ 0.09
CONVEXITY = CompareConfig(
    base=PlaygroundConfig(surface="himmelblau", optimizers=("sgd",), hyper={"sgd": {"lr": 0.012}}, steps=1000),
    mode="surfaces", other_surfaces=("valley",))
GRID = 9               # GRID × GRID starts, the centres of a grid of cells over each map
REACH = 0.05           # a run "reaches" a minimum when it ends this close (a fraction of the map's diagonal)
SHARE_GRID = 81        # the grid the page shades the map on (ui.lesson_view), so the share is the one it shows


def _panel_numbers(cfg: PlaygroundConfig) -> dict:
    """One map: the share of it where the Hessian is positive semi-definite, and GD with the scene's
    settings from GRID × GRID starts over it: how many end within REACH of a minimum, and how many
    different minima those are."""
    surface = cfg.surface_object()
    x0, x1, y0, y1 = surface.domain
    xs = x0 + (np.arange(GRID) + 0.5) * (x1 - x0) / GRID
    ys = y0 + (np.arange(GRID) + 0.5) * (y1 - y0) / GRID
    gx, gy = np.meshgrid(xs, ys)
    starts = np.column_stack([gx.ravel(), gy.ravel()])
    g = run_many("sgd", surface, starts, cfg.steps, lane_hyper(cfg, "sgd")[0], **run_options(cfg, "sgd", surface)[0])
    radius = REACH * math.hypot(x1 - x0, y1 - y0)
    reached = (g.status == 0) & (kit.distance_to_minimum(g.final_xy, surface) <= radius)
    return {"share": readouts.convex_share(surface, n=SHARE_GRID)[3], "reached": int(reached.sum()),
            "minima": len({kit.nearest_minimum(p, surface) for p in g.final_xy[reached]}),
            "listed": len(surface.minima), "radius": radius}


def _convexity_numbers(scene: CompareConfig) -> dict:
    """_panel_numbers of the first map (p1_*) and of the second (p2_*)."""
    first, second = panel_configs(scene)[:2]
    out = {"starts": GRID * GRID, "steps": scene.base.steps, "lr": float(lane_hyper(scene.base, "sgd")[0]["lr"])}
    for prefix, cfg in (("p1", first), ("p2", second)):
        out.update({f"{prefix}_{k}": v for k, v in _panel_numbers(cfg).items()})
    return out


def _convexity_decides(n: dict) -> bool:
    # the first map: the Hessian fails to be PSD on ≥ 10 % of it, ≥ 90 % of the starts arrive, in at
    # least 3 different minima; the second: PSD everywhere, every start arrives, all in one minimum
    return (n["p1_share"] <= 0.9 and n["p1_reached"] >= 0.9 * n["starts"] and n["p1_minima"] >= 3
            and n["p2_share"] >= 1.0 - 1e-9 and n["p2_reached"] == n["starts"] and n["p2_minima"] == 1)


def _both_convex(scene: CompareConfig) -> CompareConfig:
    """The first map turned into the valley as well: no non-convex region, one minimum."""
    return replace(scene, base=replace(scene.base, surface="valley", surface_params={}, start=None))


# ---------------------------------------------------------------- the chapter

LESSONS = [
    kit.Lesson("batch_noise", CHAPTER, BATCH_NOISE, ("sgd",), _batch_noise_numbers, _noise_orders_them,
               counter=_all_full_batch),
    kit.Lesson("one_lr_canyon", CHAPTER, CANYON, ("sgd",), _canyon_numbers, _one_lr_fails, counter=_round_bowl),
    kit.Lesson("lr_too_large", CHAPTER, TOO_LARGE, ("sgd",), _schedule_numbers, _schedules_rescue,
               counter=_lr_below_the_edge),
    kit.Lesson("critical_points", CHAPTER, CRITICAL, ("sgd",), _critical_numbers, _three_kinds,
               counter=_convex_surface, figure="hessian"),
    kit.Lesson("convexity", CHAPTER, CONVEXITY, ("sgd",), _convexity_numbers, _convexity_decides,
               counter=_both_convex, figure="convexity"),
]
