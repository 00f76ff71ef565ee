"""Chapter "practical": what happens when the theory meets practice — mini-batch noise and
learning-rate schedules, a step too large for a sharp minimum, noise as a way out of a shallow
well, and early stopping.

Where a lesson is about a setting every lane shares (the schedule, the gradient noise), its scene
shows one side and ``measure`` runs the other side too, with ``dataclasses.replace`` on the scene,
so the numbers compare the two under otherwise identical settings (same start, seed, batches)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from optim_core import run_many

from ..compare import CompareConfig
from ..config import PlaygroundConfig
from ..early_stop import early_stop_step
from ..race import lane_hyper, run_options
from . import kit

CHAPTER = "practical"


# ---------------------------------------------------------------- 1. SGD hovers with a constant lr

# Robbins–Monro's 1/t decay: η_t = η₀ / (1 + λ(t − 1)), so Σ η_t still diverges (the run still
# arrives) while the steps, and with them the noise they carry, shrink to nothing.
SETTLING_SCHEDULE = {"kind": "polynomial", "decay": 0.02, "power": 1.0}

HOVER = PlaygroundConfig(
    surface="noisy_bowl", optimizers=("sgd",), hyper={"sgd": {"lr": 0.3}}, batch=4, seed=0, steps=1000,
    arrows=("grad",), inside="sgd")


def _hover_numbers(scene: PlaygroundConfig) -> dict:
    """Spread of the last 100 points (kit.tail_spread), half-way and at the end, with the scene's
    constant lr and with the same run under SETTLING_SCHEDULE (same seed, so the same batches)."""
    steady = kit.runs(scene)["sgd"]
    decayed = kit.runs(replace(scene, schedule=dict(SETTLING_SCHEDULE)))["sgd"]
    half = scene.steps // 2 + 1
    return {
        "batch": scene.batch, "steps": scene.steps, "lr": float(steady.extra["lr"][0]),
        "constant_mid": kit.tail_spread(steady.xy[:half]), "constant_end": kit.tail_spread(steady.xy),
        "decayed_mid": kit.tail_spread(decayed.xy[:half]), "decayed_end": kit.tail_spread(decayed.xy),
        "lr_end": float(decayed.extra["lr"][-1]),
        "ratio": kit.tail_spread(steady.xy) / max(kit.tail_spread(decayed.xy), 1e-300),
    }


def _hovers(n: dict) -> bool:
    # a visible cloud (≥ 0.05 on a map 6 wide) that has not shrunk since half-way, and at least
    # 4× the spread of the decayed run
    return n["constant_end"] >= 0.05 and n["constant_end"] >= 0.5 * n["constant_mid"] and n["ratio"] >= 4.0


# ---------------------------------------------------------------- 2. exponential vs polynomial decay

EXP_DECAY = 0.05
STALL = PlaygroundConfig(
    surface="valley", optimizers=("sgd",), hyper={"sgd": {"lr": 0.3}},
    schedule={"kind": "exponential", "decay": EXP_DECAY}, steps=300, tol=1e-3, inside="sgd")


def _polynomial_twin(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The scene with polynomial decay at the same η₀ and the same λ, power ½ (the usual choice)."""
    return replace(scene, schedule={"kind": "polynomial", "decay": scene.schedule["decay"], "power": 0.5})


def _stall_numbers(scene: PlaygroundConfig) -> dict:
    surface = scene.surface_object()
    expo = kit.runs(scene)["sgd"]
    poly = kit.runs(_polynomial_twin(scene))["sgd"]
    gap_e, gap_p = kit.gap(expo, surface), kit.gap(poly, surface)
    return {
        "decay": scene.schedule["decay"], "lr0": float(expo.extra["lr"][0]), "tol": scene.tol,
        "steps": scene.steps,
        "exp_steps": kit.steps_to(expo, surface, scene.tol), "poly_steps": kit.steps_to(poly, surface, scene.tol),
        "exp_gap": float(gap_e[-1]), "poly_gap": float(gap_p[-1]),
        "exp_lr_end": float(expo.extra["lr"][-1]), "poly_lr_end": float(poly.extra["lr"][-1]),
        # Σ η_t over the whole run: how far the exponential schedule could ever have carried it
        "exp_budget": float(np.sum(expo.extra["lr"])), "poly_budget": float(np.sum(poly.extra["lr"])),
        "exp_x": float(expo.xy[-1, 0]), "exp_y": float(expo.xy[-1, 1]),
    }


def _stalls(n: dict) -> bool:
    # the polynomial arrives; the exponential does not, is still ≥ 100× the tolerance away and its
    # lr has fallen below 10⁻⁴ η₀ (it has stopped, not merely slowed)
    return (n["poly_steps"] >= 0 and n["exp_steps"] < 0 and n["exp_gap"] >= 100 * n["tol"]
            and n["exp_lr_end"] <= 1e-4 * n["lr0"])


# ---------------------------------------------------------------- 3. a large lr lands in another minimum

WAVY = CompareConfig(
    base=PlaygroundConfig(surface="wavy", optimizers=("sgd",), start=(2.0, 1.0), steps=150),
    mode="settings", settings=(("sgd", {"lr": 0.1}), ("sgd", {"lr": 0.9})))


def _minimum_numbers(scene: CompareConfig) -> dict:
    surface = scene.base.surface_object()
    (small,), (large,) = (list(p.values()) for p in kit.panel_runs(scene))
    home = kit.nearest_minimum(scene.base.start, surface)
    out = {"home": home, "home_x": surface.minima[home][0]}
    for name, run, (_, hp) in (("small", small, scene.settings[0]), ("large", large, scene.settings[1])):
        i = kit.nearest_minimum(run.xy[-1], surface)
        m = surface.minima[i]
        curvature = float(surface.hess(*m)[0, 0])          # along x; along y it is 2 everywhere
        out.update({
            f"{name}_lr": float(hp["lr"]), f"{name}_min": i, f"{name}_x": float(m[0]),
            f"{name}_f": float(surface.value(*m)), f"{name}_status": run.status,
            f"{name}_dist": float(kit.distance_to_minimum(run.xy[-1:], surface)[0]),
            # GD is stable in a minimum of curvature h only for η h < 2
            f"{name}_edge": 2.0 / curvature,
        })
    out["home_edge"] = 2.0 / float(surface.hess(*surface.minima[home])[0, 0])
    return out


def _lands_elsewhere(n: dict) -> bool:
    # both settle (within 1e-3 of a minimum); the small lr in the start's own minimum, the large
    # one in another that is worse by at least 0.5
    return (n["small_status"] == n["large_status"] == "ok" and max(n["small_dist"], n["large_dist"]) < 1e-3
            and n["small_min"] == n["home"] and n["large_min"] != n["home"]
            and n["large_f"] >= n["small_f"] + 0.5)


def _large_lr_below_the_edge(scene: CompareConfig) -> CompareConfig:
    """The large panel at lr 0.4, below the 2/h ≈ 0.52 edge of the start's own minimum."""
    (oid, hp) = scene.settings[1]
    return replace(scene, settings=(scene.settings[0], (oid, {**hp, "lr": 0.4})))


# ---------------------------------------------------------------- 4. noise can help

WELL = PlaygroundConfig(
    surface="double_well", surface_params={"tilt": 0.8}, optimizers=("sgd",), hyper={"sgd": {"lr": 0.05}},
    noise=3.0, seed=0, steps=300, start=(1.6, 1.0), over_seeds=True, n_seeds=20)


def _deep_well_share(scene: PlaygroundConfig) -> tuple:
    """(runs ending in the deepest minimum, runs that stopped) over the seeds the Playground's "runs
    over seeds" shows (scene.seed … scene.seed + K − 1, the same seeds for every setting)."""
    surface = scene.surface_object()
    deep = int(np.argmin([surface.value(*m) for m in surface.minima]))
    seeds = scene.seed + np.arange(scene.n_seeds, dtype=np.int64)
    g = run_many("sgd", surface, scene.start, scene.steps, lane_hyper(scene, "sgd")[0], seeds=seeds,
                 **run_options(scene, "sgd", surface)[0])
    ok = g.status == 0
    ends = [kit.nearest_minimum(p, surface) for p in g.final_xy[ok]]
    return sum(i == deep for i in ends), int((~ok).sum())


def _well_numbers(scene: PlaygroundConfig) -> dict:
    surface = scene.surface_object()
    values = [float(surface.value(*m)) for m in surface.minima]
    deep, shallow = int(np.argmin(values)), int(np.argmax(values))
    noisy, stopped = _deep_well_share(scene)
    quiet, _ = _deep_well_share(replace(scene, noise=0.0))
    return {
        "k": scene.n_seeds, "sigma": scene.noise, "noisy": noisy, "quiet": quiet, "stopped": stopped,
        "share": noisy / scene.n_seeds, "f_deep": values[deep], "f_shallow": values[shallow],
        "start_well": "deep" if kit.nearest_minimum(scene.start, surface) == deep else "shallow",
    }


def _noise_helps(n: dict) -> bool:
    # from the shallow well: without noise not one run leaves, with noise at least half end deep
    return n["start_well"] == "shallow" and n["quiet"] == 0 and n["noisy"] >= 0.5 * n["k"]


# ---------------------------------------------------------------- 5. early stopping on a plateau

# The scene's early-stopping rule: 20 steps in a row without beating the best loss by more than
# 0.001 (1/1000 of the plateau's height) end the run. The Playground marks the stops; the runs go on.
PLATEAU_STOP = PlaygroundConfig(
    surface="plateau", optimizers=("sgd", "adam"), hyper={"sgd": {"lr": 1.0}, "adam": {"lr": 0.1}},
    start=(3.0, 2.5), steps=500, early_stop=True, patience=20, min_delta=0.001)


def _early_stop_numbers(scene: PlaygroundConfig) -> dict:
    """Per optimizer: the step early stopping would end its run at (lab.early_stop, the scene's
    patience and min_delta), the loss there, the final loss, and what stopping would have lost
    (loss at the stop − final; 0 when it never stops); and the step SGD's loss first falls below
    half the plateau's height (when it leaves the plain)."""
    out = {"patience": scene.patience, "delta": scene.min_delta, "steps": scene.steps}
    for oid, run in kit.runs(scene).items():
        stop = early_stop_step(run.loss, scene.patience, scene.min_delta)
        final = float(run.loss[-1])
        at_stop = float(run.loss[stop]) if stop >= 0 else final
        out.update({f"{oid}_stop": stop, f"{oid}_at_stop": at_stop, f"{oid}_final": final,
                    f"{oid}_lost": at_stop - final})
        if oid == "sgd":
            out["sgd_leaves"] = kit.first_step(run.loss < 0.5)
    return out


def _stops_on_the_plateau(n: dict) -> bool:
    # SGD would stop in the first half of the run, still on the plain, and so lose at least half
    # the plateau's height (1) that it goes on to descend; Adam would stop in the well, where
    # stopping costs at most 1 % of that height
    return (0 <= n["sgd_stop"] < n["steps"] // 2 and n["sgd_lost"] >= 0.5
            and n["adam_stop"] >= 0 and abs(n["adam_lost"]) <= 0.01)


# ---------------------------------------------------------------- the chapter

LESSONS = [
    kit.Lesson("sgd_hovers", CHAPTER, HOVER, ("sgd",), _hover_numbers, _hovers,
               counter=lambda sc: replace(sc, batch=0)),            # the full batch: no sampling noise
    kit.Lesson("exp_vs_poly", CHAPTER, STALL, ("sgd",), _stall_numbers, _stalls,
               counter=lambda sc: replace(sc, schedule={**sc.schedule, "decay": EXP_DECAY / 10})),
    kit.Lesson("big_lr_other_minimum", CHAPTER, WAVY, ("sgd",), _minimum_numbers, _lands_elsewhere,
               counter=_large_lr_below_the_edge),
    kit.Lesson("noise_helps", CHAPTER, WELL, ("sgd",), _well_numbers, _noise_helps,
               counter=lambda sc: replace(sc, noise=0.0)),
    kit.Lesson("early_stopping", CHAPTER, PLATEAU_STOP, ("sgd", "adam"), _early_stop_numbers, _stops_on_the_plateau,
               counter=lambda sc: replace(sc, patience=10 * sc.patience)),   # patient enough to wait out the plain
]
