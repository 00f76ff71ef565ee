"""Chapter "second_order": methods that use the curvature. Newton's step solves H d = −g, so on a
quadratic it lands on the stationary point in one step, and on Beale it needs a handful where GD
needs hundreds; but it goes to a stationary point of any kind, a saddle included, unless damping
makes H + λI positive definite; BFGS, whose inverse-Hessian estimate stays positive definite,
walks off the saddle.

Every number is read from the engine's runs of the lesson's own scene (and, where a lesson needs a
second surface the page does not show, from the same scene on it via ``dataclasses.replace``)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..compare import CompareConfig
from ..config import PlaygroundConfig
from ..race import lane_hyper
from . import kit

CHAPTER = "second_order"


# ---------------------------------------------------------------- 1. Newton on a quadratic and on Beale

NEWTON = PlaygroundConfig(
    surface="beale", optimizers=("newton", "sgd"), hyper={"newton": {"lr": 1.0}, "sgd": {"lr": 0.01}},
    steps=500, start=(2.5, 0.5))
NEWTON_TOL = 1e-6
QUADRATIC_START = (-5.0, -2.0)


def _on_the_valley(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The same optimizers and settings on the quadratic valley 0.1x² + 2y², from its usual start."""
    return replace(scene, surface="valley", surface_params={}, start=QUADRATIC_START)


def _newton_numbers(scene: PlaygroundConfig) -> dict:
    """On the scene's surface (Beale): steps to f − f* ≤ NEWTON_TOL of Newton and of GD (−1: not
    within the run), and GD's gap at the end; on the valley: both runs' gap f − f* after their
    first step, relative to the gap at the start."""
    surface = scene.surface_object()
    runs = kit.runs(scene)
    quad = _on_the_valley(scene)
    quad_runs, quad_surface = kit.runs(quad), quad.surface_object()
    out = {"tol": NEWTON_TOL, "steps": scene.steps, "newton_lr": lane_hyper(scene, "newton")[0]["lr"],
           "damping": lane_hyper(scene, "newton")[0]["damping"], "sgd_lr": lane_hyper(scene, "sgd")[0]["lr"],
           "newton": kit.steps_to(runs["newton"], surface, NEWTON_TOL),
           "sgd": kit.steps_to(runs["sgd"], surface, NEWTON_TOL),
           "sgd_gap": float(kit.gap(runs["sgd"], surface)[-1])}
    for oid in ("newton", "sgd"):
        g = kit.gap(quad_runs[oid], quad_surface)
        out[f"{oid}_quad"] = float(g[1] / g[0])
    return out


def _solves_in_one_step(n: dict) -> bool:
    # the valley: Newton's first step leaves at most 1e-12 of the gap (rounding); Beale: Newton
    # arrives within 10 steps, GD not in the run or only after ≥ 20 times as many
    return (n["newton_quad"] <= 1e-12 and 0 < n["newton"] <= 10
            and (n["sgd"] < 0 or n["sgd"] >= 20 * n["newton"]))


def _half_newton_step(scene: PlaygroundConfig) -> PlaygroundConfig:
    """Newton's step multiplier η = 0.5: each step goes half way to the stationary point."""
    return kit.with_hyper(scene, "newton", lr=0.5)


# ---------------------------------------------------------------- 2. Newton and the saddle

SADDLE_DAMPING = 4.0
SADDLE = CompareConfig(
    base=PlaygroundConfig(surface="saddle", optimizers=("newton",), steps=30, start=(-1.5, 0.1)),
    mode="settings",
    settings=(("newton", {"damping": 0.0}), ("newton", {"damping": SADDLE_DAMPING}), ("bfgs", {})))
SADDLE_EXIT = 1.0       # a run has left the saddle once |y| exceeds this
AT_SADDLE = 1e-12


def _saddle_numbers(scene: CompareConfig) -> dict:
    """Panel 1 (Newton), panel 2 (damped Newton), panel 3 (BFGS): the distance to the saddle point
    (0, 0) after the first step and at the end, the closest approach, the first step with |y| >
    SADDLE_EXIT (−1: never); for the damped panel also the factor y₁/y₀ of its first step against
    λ/(λ − 2), the factor of the rule θ ← θ − (H + λI)⁻¹g on f = x² − y² (H = diag(2, −2))."""
    panels = [next(iter(p.values())) for p in kit.panel_runs(scene)]
    (_, newton_hp), (_, damped_hp), _ = scene.settings
    lam = damped_hp["damping"]
    x0, y0 = scene.base.start
    out = {"x0": x0, "y0": y0, "steps": scene.base.steps, "exit": SADDLE_EXIT,
           "newton_lambda": newton_hp["damping"], "lambda": lam,
           "predicted": lam / (lam - 2.0) if lam != 2.0 else math.inf}
    for key, run in zip(("newton", "damped", "bfgs"), panels):
        d = np.hypot(run.xy[:, 0], run.xy[:, 1])
        out.update({f"{key}_d1": float(d[1]), f"{key}_end": float(d[-1]), f"{key}_closest": float(d[1:].min()),
                    f"{key}_exit": kit.first_step(np.abs(run.xy[:, 1]) > SADDLE_EXIT),
                    f"{key}_status": run.status})
    out["factor"] = float(panels[1].xy[1, 1] / y0)
    return out


def _drawn_to_the_saddle(n: dict) -> bool:
    start = math.hypot(n["x0"], n["y0"])
    # Newton: on the saddle after one step and still there; damped Newton: its first step scales
    # y by λ/(λ − 2) > 1 exactly, and it leaves; BFGS leaves; neither comes within a fifth of the
    # start's distance of the saddle
    newton_there = n["newton_d1"] <= AT_SADDLE and n["newton_end"] <= AT_SADDLE
    damped_away = (n["predicted"] > 1.0 and abs(n["factor"] / n["predicted"] - 1.0) <= 1e-9
                   and n["damped_exit"] >= 0 and n["damped_closest"] >= 0.2 * start)
    bfgs_away = n["bfgs_exit"] >= 0 and n["bfgs_closest"] >= 0.2 * start
    return newton_there and damped_away and bfgs_away


def _newton_damped_too(scene: CompareConfig) -> CompareConfig:
    """Newton's panel damped like the second one: no panel is left at the saddle."""
    (oid, hp), rest = scene.settings[0], scene.settings[1:]
    return replace(scene, settings=((oid, {**hp, "damping": SADDLE_DAMPING}),) + tuple(rest))


# ---------------------------------------------------------------- the chapter

LESSONS = [
    kit.Lesson("newton_quadratic", CHAPTER, NEWTON, ("newton", "sgd"), _newton_numbers, _solves_in_one_step,
               counter=_half_newton_step),
    kit.Lesson("newton_saddle", CHAPTER, SADDLE, ("newton", "bfgs"), _saddle_numbers, _drawn_to_the_saddle,
               counter=_newton_damped_too),
]
