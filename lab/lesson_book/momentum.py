"""Chapter "momentum": a velocity that remembers past gradients. The heavy ball on the valley,
Nesterov's look-ahead, momentum carrying a run over a hump, the three ways of writing the velocity
(and what a learning-rate schedule does to them), and averaged SGD.

Every number is read from the engine's runs of the lesson's own scene (and, where a lesson needs a
twin the page does not show, from the same scene with the one setting changed via
``dataclasses.replace``). Momentum's default form is torch's (v₁ = g₁, θ ← θ − ηv); NAG runs the
notes' look-ahead form unless the scene says ``variant="pytorch"``."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from optim_core.catalogue import OPTIMIZERS

from ..compare import PRESETS, CompareConfig
from ..config import PlaygroundConfig
from ..race import lane_hyper
from . import kit

CHAPTER = "momentum"


def name(oid: str) -> str:
    return OPTIMIZERS[oid].name


def sign_flips(values: np.ndarray) -> int:
    """How often consecutive values have opposite signs (a zero counts as no flip)."""
    s = np.sign(np.asarray(values))
    return int((s[1:] * s[:-1] < 0).sum())


# ---------------------------------------------------------------- 1. the heavy ball on the valley

VALLEY = PlaygroundConfig(
    surface="valley", optimizers=("sgd", "momentum"),
    hyper={"sgd": {"lr": 0.45}, "momentum": {"lr": 0.15, "momentum": 0.7}},
    steps=150, start=(-5.0, -2.0), inside="momentum")
VALLEY_TOL = 1e-3
ZIGZAG_WINDOW = 50      # sign changes of y are counted over the first this many steps


def _valley_numbers(scene: PlaygroundConfig) -> dict:
    """Per run: steps to f − f* ≤ VALLEY_TOL, sign changes of y over the first ZIGZAG_WINDOW steps,
    the total distance travelled in y (|y₀| if it never crossed the valley floor); and Momentum's
    step size along a direction where g stays the same, η/(1 − μ)."""
    runs, surface = kit.runs(scene), scene.surface_object()
    mom = lane_hyper(scene, "momentum")[0]
    out = {"tol": VALLEY_TOL, "window": ZIGZAG_WINDOW, "y0": abs(scene.start[1]),
           "sgd_lr": lane_hyper(scene, "sgd")[0]["lr"], "mom_lr": mom["lr"], "mu": mom["momentum"],
           "mom_long": mom["lr"] / (1.0 - mom["momentum"])}
    for oid, key in (("sgd", "sgd"), ("momentum", "mom")):
        y = runs[oid].xy[:, 1]
        out[f"{key}_steps"] = kit.steps_to(runs[oid], surface, VALLEY_TOL)
        out[f"{key}_flips"] = sign_flips(y[:ZIGZAG_WINDOW + 1])
        out[f"{key}_dy"] = float(np.abs(np.diff(y)).sum())
    return out


def _damps_and_arrives(n: dict) -> bool:
    # SGD visibly zig-zags (y changes sign at ≥ 80 % of the steps); Momentum flips at most half as
    # often, travels at most half the distance in y, and arrives in ≤ 80 % of SGD's steps
    return (n["sgd_steps"] >= 0 and n["mom_steps"] >= 0 and n["mom_steps"] <= 0.8 * n["sgd_steps"]
            and n["sgd_flips"] >= 0.8 * n["window"] and n["mom_flips"] <= 0.5 * n["sgd_flips"]
            and n["mom_dy"] <= 0.5 * n["sgd_dy"])


def _no_momentum(scene: PlaygroundConfig) -> PlaygroundConfig:
    """μ = 0: Momentum is SGD at its own, smaller lr — no zig-zag, but nothing to speed it up."""
    return kit.with_hyper(scene, "momentum", momentum=0.0)


# ---------------------------------------------------------------- 2. Nesterov's look-ahead

LOOK_AHEAD = PlaygroundConfig(
    surface="valley", optimizers=("momentum", "nag"),
    hyper={"momentum": {"lr": 0.2, "momentum": 0.9}, "nag": {"lr": 0.2, "momentum": 0.9}},
    steps=150, start=(-5.0, -2.0), inside="nag", arrows=("lookahead",))
LOOK_AHEAD_TOL = 1e-3


def overshoot(c: np.ndarray, c0: float, c_min: float) -> float:
    """How far a coordinate's path goes past the minimum's c_min, on the side away from its start
    c0 (0: it never crossed)."""
    side = -math.copysign(1.0, c0 - c_min)
    return float(max(0.0, (side * (np.asarray(c) - c_min)).max()))


def _look_ahead_numbers(scene: PlaygroundConfig) -> dict:
    """The scene's first optimizer (the plain heavy ball) and second (the look-ahead): per coordinate
    the overshoot past the minimum (``overshoot``), and the steps to f − f* ≤ LOOK_AHEAD_TOL."""
    plain_oid, ahead_oid = scene.optimizers[:2]
    runs, surface = kit.runs(scene), scene.surface_object()
    (mx, my), (x0, y0) = surface.minima[0], scene.start
    hp = lane_hyper(scene, plain_oid)[0]
    out = {"plain": name(plain_oid), "ahead": name(ahead_oid), "lr": hp["lr"], "mu": hp["momentum"],
           "tol": LOOK_AHEAD_TOL, "x0": abs(x0 - mx), "y0": abs(y0 - my)}
    for role, oid in (("plain", plain_oid), ("ahead", ahead_oid)):
        xy = runs[oid].xy
        out[f"{role}_ox"] = overshoot(xy[:, 0], x0, mx)
        out[f"{role}_oy"] = overshoot(xy[:, 1], y0, my)
        out[f"{role}_steps"] = kit.steps_to(runs[oid], surface, LOOK_AHEAD_TOL)
    return out


def _looks_ahead(n: dict) -> bool:
    # the heavy ball swings past the floor by at least half its start height; the look-ahead by at
    # most a quarter of that across the steep y and ≤ 85 % of it along x, and it arrives sooner
    return (n["plain_oy"] >= 0.5 * n["y0"] and n["ahead_oy"] <= 0.25 * n["plain_oy"]
            and n["ahead_ox"] <= 0.85 * n["plain_ox"]
            and n["ahead_steps"] >= 0 and (n["plain_steps"] < 0 or n["ahead_steps"] < n["plain_steps"]))


def _swap_roles(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The roles swapped: Momentum as the method that should overshoot less."""
    return replace(scene, optimizers=tuple(reversed(scene.optimizers[:2])))


# ---------------------------------------------------------------- 3. momentum carries over a hump

HUMP = PlaygroundConfig(
    surface="double_well", optimizers=("sgd", "momentum"),
    hyper={"sgd": {"lr": 0.03}, "momentum": {"lr": 0.03, "momentum": 0.9}},
    steps=300, start=(1.6, 1.0), inside="momentum")
SETTLED = 1e-3          # a run has settled when it ends this close to a minimum


def _hump_numbers(scene: PlaygroundConfig) -> dict:
    """The minimum nearest the start (its well), and per run the minimum it ends at, its value
    there and its distance to it."""
    runs, surface = kit.runs(scene), scene.surface_object()
    home = kit.nearest_minimum(scene.start, surface)
    out = {"home_f": float(surface.value(*surface.minima[home])), "home": home,
           "lr": lane_hyper(scene, "sgd")[0]["lr"], "mu": lane_hyper(scene, "momentum")[0]["momentum"],
           "steps": scene.steps}
    for oid, key in (("sgd", "sgd"), ("momentum", "mom")):
        end = runs[oid].xy[-1]
        i = kit.nearest_minimum(end, surface)
        out.update({f"{key}_min": i, f"{key}_x": float(surface.minima[i][0]),
                    f"{key}_f": float(surface.value(*surface.minima[i])),
                    f"{key}_d": float(kit.distance_to_minimum(runs[oid].xy[-1:], surface)[0])})
    return out


def _carries(n: dict) -> bool:
    # both settle; GD in the start's own well, Momentum in the other one, lower by at least 0.5
    return (max(n["sgd_d"], n["mom_d"]) <= SETTLED and n["sgd_min"] == n["home"] and n["mom_min"] != n["home"]
            and n["mom_f"] <= n["sgd_f"] - 0.5)


def _light_ball(scene: PlaygroundConfig) -> PlaygroundConfig:
    """μ = 0.5: the velocity fades too fast to climb the hump."""
    return kit.with_hyper(scene, "momentum", momentum=0.5)


# ---------------------------------------------------------------- 4. three ways to write the velocity

_FORMS = PRESETS["momentum_forms"]
# the preset's three panels (classic at η, ema at η/(1 − μ), lr_inside at η), with the lr halved
# every 20 steps rather than 50: the forms part within the first stretches of the run
FORMS = CompareConfig(
    base=PlaygroundConfig(surface="valley", optimizers=("momentum",), steps=200, start=(-5.0, -2.0),
                          schedule={**_FORMS["schedule"], "every": 20}),
    mode="settings", settings=tuple((oid, dict(hp)) for oid, hp in _FORMS["panels"]))
SAME_PATH = 1e-9        # relative to the start's distance to the minimum: the same path up to rounding


def _paths_by_form(scene: CompareConfig) -> dict:
    return {hp["form"]: next(iter(p.values())).xy for (_, hp), p in zip(scene.settings, kit.panel_runs(scene))}


def _apart(a: np.ndarray, b: np.ndarray) -> float:
    """The largest distance between two paths' points over the steps both made."""
    k = min(len(a), len(b))
    return float(np.hypot(*(a[:k] - b[:k]).T).max())


def _constant(scene: CompareConfig) -> CompareConfig:
    return replace(scene, base=replace(scene.base, schedule={"kind": "constant"}))


def _forms_numbers(scene: CompareConfig) -> dict:
    """Each form's η and μ; the η at which ema matches classic, η_classic/(1 − μ); the largest
    distance between the paths of classic and ema, and of classic and lr_inside, with the scene's
    schedule and with the same panels at a constant lr; the start's distance to the minimum."""
    hp = {h["form"]: h for _, h in scene.settings}
    mu = hp["classic"]["momentum"]
    surface = scene.base.surface_object()
    scheduled, constant = _paths_by_form(scene), _paths_by_form(_constant(scene))
    out = {"mu": mu, "every": scene.base.schedule.get("every", 0), "gamma": scene.base.schedule.get("gamma", 1.0),
           "kind": scene.base.schedule["kind"], "steps": scene.base.steps,
           "classic_lr": hp["classic"]["lr"], "ema_lr": hp["ema"]["lr"], "inside_lr": hp["lr_inside"]["lr"],
           "rescaled": hp["classic"]["lr"] / (1.0 - mu),
           "scale": float(kit.distance_to_minimum(np.asarray([scene.base.start]), surface)[0])}
    for label, paths in (("sched", scheduled), ("const", constant)):
        out[f"{label}_ema"] = _apart(paths["classic"], paths["ema"])
        out[f"{label}_inside"] = _apart(paths["classic"], paths["lr_inside"])
    out["same_mu"] = all(h["momentum"] == mu for h in hp.values())
    return out


def _forms_agree_then_part(n: dict) -> bool:
    same = SAME_PATH * n["scale"]
    # ema's lr is the rescaled one and lr_inside's is classic's; at a constant lr all three paths
    # coincide up to rounding; under the schedule ema still does, lr_inside is ≥ 3 % of the map away
    return (n["same_mu"] and abs(n["ema_lr"] / n["rescaled"] - 1.0) <= 1e-12 and n["inside_lr"] == n["classic_lr"]
            and max(n["const_ema"], n["const_inside"], n["sched_ema"]) <= same
            and n["sched_inside"] >= 0.03 * n["scale"])


# ---------------------------------------------------------------- 5. averaged SGD

AVERAGE = PlaygroundConfig(
    surface="noisy_bowl", optimizers=("sgd", "asgd"), hyper={"sgd": {"lr": 0.2}, "asgd": {"lr": 0.2}},
    batch=2, seed=0, steps=500, inside="asgd")
AVERAGE_TAIL = 100


def _average_numbers(scene: PlaygroundConfig) -> dict:
    """Mean distance to the minimum of the full loss over the last AVERAGE_TAIL steps: of SGD, of
    ASGD's plotted point (the average θ̄) and of its raw iterate θ; and the largest difference
    between ASGD's raw iterates and SGD's path (the same lr, the same mini-batches)."""
    runs, surface = kit.runs(scene), scene.surface_object()
    minimum = surface.minima[0]
    asgd, sgd = runs["asgd"], runs["sgd"]
    hp = lane_hyper(scene, "asgd")[0]
    raw = asgd.extra["raw_xy"]
    return {"tail": AVERAGE_TAIL, "batch": scene.batch, "n": int(scene.surface_params["n_samples"]),
            "lr": hp["lr"], "alpha": hp["alpha"], "t0": int(hp["t0"]),
            "sgd_d": kit.tail_distance(sgd.xy, minimum, AVERAGE_TAIL),
            "avg_d": kit.tail_distance(asgd.xy, minimum, AVERAGE_TAIL),
            "raw_d": kit.tail_distance(raw, minimum, AVERAGE_TAIL),
            "raw_vs_sgd": _apart(raw, sgd.xy)}


def _average_is_closer(n: dict) -> bool:
    # the noisy iterate stays ≥ 0.05 from the minimum on average (a visible cloud); the average
    # sits at most 0.3 times as far, both against its own raw iterate and against SGD
    return n["raw_d"] >= 0.05 and n["avg_d"] <= 0.3 * n["raw_d"] and n["avg_d"] <= 0.3 * n["sgd_d"]


def _full_batch(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The full batch: no sampling noise, nothing for the average to smooth."""
    return replace(scene, batch=0)


# ---------------------------------------------------------------- the chapter

LESSONS = [
    kit.Lesson("momentum_valley", CHAPTER, VALLEY, ("sgd", "momentum"), _valley_numbers, _damps_and_arrives,
               counter=_no_momentum),
    kit.Lesson("nag_vs_momentum", CHAPTER, LOOK_AHEAD, ("momentum", "nag"), _look_ahead_numbers, _looks_ahead,
               counter=_swap_roles),
    kit.Lesson("momentum_carries", CHAPTER, HUMP, ("sgd", "momentum"), _hump_numbers, _carries,
               counter=_light_ball),
    kit.Lesson("momentum_forms", CHAPTER, FORMS, ("momentum",), _forms_numbers, _forms_agree_then_part,
               counter=_constant),
    kit.Lesson("asgd_average", CHAPTER, AVERAGE, ("asgd", "sgd"), _average_numbers, _average_is_closer,
               counter=_full_batch),
]
