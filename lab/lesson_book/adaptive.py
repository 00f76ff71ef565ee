"""Adaptive methods: a step size per coordinate. Rprop keeps only the gradient's sign, AdaGrad
divides by the root of every squared gradient so far, RMSProp by a moving average of them, AdaDelta
takes the units of its step from its own past steps; and how they all fare on the classic
pictures (Beale, the saddle, the plateau) and on a valley that is not aligned with the axes.

Every number is read from the engine's runs of the lesson's own scene (and, where a lesson needs
a second run the page does not show, from the same scene with the one setting changed). The
engine follows torch.optim: AdaGrad's and RMSProp's ε sits outside the root, RMSProp has no bias
correction, Rprop is torch's (no weight backtracking)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

import optim_core
from optim_core.catalogue import OPTIMIZERS

from ..config import PlaygroundConfig
from ..race import lane_hyper, run_options, step_lengths
from . import kit
from .kit import Lesson

CHAPTER = "adaptive"


def scaled(scene: PlaygroundConfig, factor: float) -> PlaygroundConfig:
    """The same scene on factor·f (the surfaces' shared ``scale`` parameter)."""
    params = scene.surface_params
    return replace(scene, surface_params={**params, "scale": params["scale"] * factor})


def path_gap(a, b) -> float:
    """The largest coordinate difference between two runs' points over the steps both made."""
    n = min(len(a.xy), len(b.xy))
    return float(np.max(np.abs(a.xy[:n] - b.xy[:n])))


def name(oid: str) -> str:
    return OPTIMIZERS[oid].name


# ---------------------------------------------------------------- 1. Rprop does not see the gradient's size

SCALE_FACTOR = 100.0

RPROP_SCALE_SCENE = PlaygroundConfig(
    surface="valley", optimizers=("rprop", "sgd"), hyper={"rprop": {"lr": 0.05}, "sgd": {"lr": 0.1}},
    steps=200, start=(-5.0, -2.0), inside="rprop")


def rprop_scale_measure(scene: PlaygroundConfig) -> dict:
    """The scene's first optimizer (the sign method) and second (the gradient method), each run on f
    and on SCALE_FACTOR·f: the largest coordinate difference of the two paths, and how much longer
    the first step is on SCALE_FACTOR·f."""
    sign_oid, plain_oid = scene.optimizers[:2]
    base, big = kit.runs(scene), kit.runs(scaled(scene, SCALE_FACTOR))
    out = {"factor": SCALE_FACTOR, "steps": scene.steps, "sign": name(sign_oid), "plain": name(plain_oid)}
    for role, oid in (("sign", sign_oid), ("plain", plain_oid)):
        a, b = base[oid], big[oid]
        out[f"{role}_gap"] = path_gap(a, b)
        out[f"{role}_ratio"] = float(step_lengths(b.xy[:2])[0] / step_lengths(a.xy[:2])[0])
        out[f"{role}_common"] = min(len(a.xy), len(b.xy)) - 1
    return out


def rprop_scale_claim(n: dict) -> bool:
    return (n["sign_gap"] <= 1e-12 and abs(n["sign_ratio"] - 1.0) <= 1e-12       # the very same path
            and n["plain_gap"] >= 0.1 and n["plain_ratio"] >= 0.5 * n["factor"])  # SGD's scales with f


def rprop_scale_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The roles swapped: SGD as the method whose path should not change."""
    return replace(scene, optimizers=tuple(reversed(scene.optimizers[:2])))


RPROP_SCALE_FREE = Lesson("rprop_scale_free", CHAPTER, RPROP_SCALE_SCENE, ("rprop", "sgd"), rprop_scale_measure,
                          rprop_scale_claim, rprop_scale_counter)


# ---------------------------------------------------------------- 2. Rprop and mini-batches

MINIBATCH_SCENE = PlaygroundConfig(
    surface="noisy_bowl", optimizers=("rprop", "sgd"), hyper={"rprop": {"lr": 0.01}, "sgd": {"lr": 0.05}},
    batch=2, seed=0, steps=400, inside="rprop")
MINIBATCH_TAIL = 100


def full_batch(scene: PlaygroundConfig) -> PlaygroundConfig:
    return replace(scene, batch=0)


def minibatch_measure(scene: PlaygroundConfig) -> dict:
    """Rprop with the scene's mini-batches: where it ends (distance to the minimum of the full loss)
    and how much its last MINIBATCH_TAIL points still move (spread), its largest step size at the
    end; Rprop with the full batch: where it ends; SGD with the scene's mini-batches: how far the mean
    of its last MINIBATCH_TAIL points is from the minimum."""
    runs, surface = kit.runs(scene), scene.surface_object()
    full = kit.runs(full_batch(scene))["rprop"]
    minimum = np.asarray(surface.minima[0])
    rprop, sgd = runs["rprop"], runs["sgd"]
    return {"batch": scene.batch, "n": int(scene.surface_params["n_samples"]), "tail": MINIBATCH_TAIL,
            "mini_d": float(np.hypot(*(rprop.xy[-1] - minimum))),
            "mini_spread": kit.tail_spread(rprop.xy, MINIBATCH_TAIL),
            "mini_step": float(rprop.extra["eff_lr"][-1].max()),
            "step_min": lane_hyper(scene, "rprop")[0]["step_min"],
            "full_d": float(np.hypot(*(full.xy[-1] - minimum))),
            "sgd_centre_d": float(np.hypot(*(kit.tail(sgd.xy, MINIBATCH_TAIL).mean(axis=0) - minimum)))}


def minibatch_claim(n: dict) -> bool:
    return (n["full_d"] <= 1e-3                           # the full batch: Rprop reaches the minimum
            and n["mini_d"] >= 0.1                        # mini-batches: it stops well short ...
            and n["mini_spread"] <= 1e-3                  # ... frozen there (its steps shrank away)
            and n["sgd_centre_d"] <= 0.5 * n["mini_d"])   # SGD's cloud is centred on the minimum


def minibatch_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The full batch for the page's runs too: no sampling noise, no false sign flips."""
    return full_batch(scene)


RPROP_MINIBATCH = Lesson("rprop_minibatch", CHAPTER, MINIBATCH_SCENE, ("rprop", "sgd"), minibatch_measure,
                         minibatch_claim, minibatch_counter)


# ---------------------------------------------------------------- 4. AdaGrad's step size only falls

STALL_SCENE = PlaygroundConfig(
    surface="valley", optimizers=("adagrad", "rmsprop"), hyper={"adagrad": {"lr": 0.1}, "rmsprop": {"lr": 0.1}},
    steps=300, start=(-5.0, -2.0), inside="adagrad")
STALL_TOL = 1e-3


def stall_measure(scene: PlaygroundConfig) -> dict:
    """AdaGrad's effective step size η/(√G + ε) per coordinate at every step (how often it rose, its
    first and last x value), RMSProp's last one, and both runs' final distance to the minimum."""
    runs, surface = kit.runs(scene), scene.surface_object()
    ada, rms = runs["adagrad"], runs["rmsprop"]
    eff = ada.extra["eff_lr"]
    return {"rises": int((np.diff(eff, axis=0) > 0).sum()), "steps": scene.steps,
            "ada_eff_first": float(eff[0, 0]), "ada_eff_last": float(eff[-1, 0]),
            "rms_eff_last": float(rms.extra["eff_lr"][-1, 0]),
            "start_d": float(kit.distance_to_minimum(ada.xy[:1], surface)[0]),
            "ada_d": float(kit.distance_to_minimum(ada.xy, surface)[-1]),
            "rms_d": float(kit.distance_to_minimum(rms.xy, surface)[-1]),
            "rms_steps": kit.steps_to(rms, surface, STALL_TOL), "tol": STALL_TOL}


def stall_claim(n: dict) -> bool:
    return (n["rises"] == 0                                   # G only grows: η/(√G+ε) never rises
            and n["ada_d"] >= 0.2 * n["start_d"]              # AdaGrad is still far out ...
            and n["rms_d"] <= 0.01 * n["start_d"])            # ... where RMSProp has arrived


def stall_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """Both lrs three times larger: AdaGrad's shrinking budget then lasts to the minimum."""
    return replace(scene, hyper={oid: {**hp, "lr": 3 * hp["lr"]} for oid, hp in scene.hyper.items()})


ADAGRAD_STALLS = Lesson("adagrad_stalls", CHAPTER, STALL_SCENE, ("adagrad", "rmsprop"), stall_measure, stall_claim,
                        stall_counter)


# ---------------------------------------------------------------- 4b. AdaGrad and a rare feature

SPARSE_SCENE = PlaygroundConfig(
    surface="sparse_features", optimizers=("adagrad", "sgd"), hyper={"adagrad": {"lr": 0.8}, "sgd": {"lr": 0.1}},
    batch=10, seed=0, steps=300, inside="adagrad")


def sparse_measure(scene: PlaygroundConfig) -> dict:
    """How many of the scene's mini-batches held a rare sample (AdaGrad saw a non-zero y gradient);
    AdaGrad's final effective step size η/(√G + ε) per coordinate and their ratio (rare y over
    dense x); each run's final distance to the least-squares minimum along y (the rare coordinate)
    and along x, against the start's; the Hessian's eigenvalues (the loss is quadratic: they are
    constants) and SGD's time constant 1/(η λ_min) along the flat direction."""
    runs, surface = kit.runs(scene), scene.surface_object()
    ada, sgd = runs["adagrad"], runs["sgd"]
    minimum = np.asarray(surface.minima[0])
    eff_x, eff_y = (float(v) for v in ada.extra["eff_lr"][-1])
    lam = np.linalg.eigvalsh(surface.hess(*minimum))
    sgd_lr = lane_hyper(scene, "sgd")[0]["lr"]
    return {"n": int(scene.surface_params["n_samples"]), "share": scene.surface_params["rare_share"],
            "batch": scene.batch, "steps": scene.steps,
            "hits": int(np.count_nonzero(ada.extra["grad"][:, 1])),
            "eff_x": eff_x, "eff_y": eff_y, "ratio": eff_y / eff_x,
            "g_x": float(ada.extra["second_moment"][-1, 0]), "g_y": float(ada.extra["second_moment"][-1, 1]),
            "ada_lr": lane_hyper(scene, "adagrad")[0]["lr"], "sgd_lr": sgd_lr,
            "start_dy": float(abs(scene.start[1] - minimum[1])),
            "ada_dy": float(abs(ada.xy[-1, 1] - minimum[1])), "sgd_dy": float(abs(sgd.xy[-1, 1] - minimum[1])),
            "ada_dx": float(abs(ada.xy[-1, 0] - minimum[0])), "sgd_dx": float(abs(sgd.xy[-1, 0] - minimum[0])),
            "lam_min": float(lam[0]), "lam_max": float(lam[1]), "tau": float(1.0 / (sgd_lr * lam[0]))}


def sparse_claim(n: dict) -> bool:
    # With 10 rare samples in 200 (118 of the 300 batches hold one), AdaGrad's G in y ends ~27 times
    # smaller than in x and its step in y ~5 times longer (3 leaves room; seeds 1-3 give 3.9-7).
    # SGD, whose η settles x within a few dozen steps, is still 20 % of the way out in y after 300
    # steps, AdaGrad under 0.2 % (over 100 times closer, against the 10 asked). With the feature in
    # half the samples the step sizes end within 1.5x and SGD is as close as AdaGrad.
    return (n["hits"] <= 0.5 * n["steps"]                         # most batches say nothing about y
            and n["ratio"] >= 3.0                                 # AdaGrad's step in y ends far larger
            and n["ada_dx"] <= 0.1 and n["sgd_dx"] <= 0.1         # both have the dense coordinate ...
            and n["sgd_dy"] >= 0.1 * n["start_dy"]                # ... SGD still crawls along y ...
            and n["ada_dy"] <= 0.1 * n["sgd_dy"])                 # ... where AdaGrad has arrived


def sparse_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """Half the samples carry the second feature: it is not rare any more."""
    return replace(scene, surface_params={**scene.surface_params, "rare_share": 0.5})


ADAGRAD_SPARSE = Lesson("adagrad_sparse", CHAPTER, SPARSE_SCENE, ("adagrad", "sgd"), sparse_measure, sparse_claim,
                        sparse_counter)


# ---------------------------------------------------------------- 5. RMSProp fixes the canyon's scale

CANYON_SCENE = PlaygroundConfig(
    surface="valley", optimizers=("sgd", "rmsprop"), hyper={"sgd": {"lr": 0.45}, "rmsprop": {"lr": 0.2}},
    steps=150, start=(-5.0, -2.0), inside="rmsprop")
CANYON_TOL = 1e-3
CANYON_LRS = np.linspace(0.01, 0.5, 50)       # SGD's lr grid, up to the edge 2/L = 0.5 of the valley


def canyon_measure(scene: PlaygroundConfig) -> dict:
    """Steps to f − f* ≤ CANYON_TOL of RMSProp and SGD in the scene, and of SGD at the best lr of
    CANYON_LRS (the same scene otherwise)."""
    runs, surface = kit.runs(scene), scene.surface_object()
    hyper = lane_hyper(scene, "sgd")[0]
    grid = optim_core.run_many("sgd", surface, scene.start, scene.steps, hyper, hyper_grid={"lr": CANYON_LRS},
                               tol=CANYON_TOL, **run_options(scene, "sgd", surface)[0])
    reached = grid.steps_to_tol >= 0
    best = int(np.argmin(np.where(reached, grid.steps_to_tol, np.iinfo(np.int64).max)))
    return {"tol": CANYON_TOL, "rms": kit.steps_to(runs["rmsprop"], surface, CANYON_TOL),
            "sgd": kit.steps_to(runs["sgd"], surface, CANYON_TOL), "sgd_lr": hyper["lr"],
            "rms_lr": lane_hyper(scene, "rmsprop")[0]["lr"],
            "best": int(grid.steps_to_tol[best]) if reached.any() else -1, "best_lr": float(CANYON_LRS[best]),
            "lr_max": float(CANYON_LRS[-1]), "n_grid": len(CANYON_LRS)}


def canyon_claim(n: dict) -> bool:
    return n["rms"] >= 0 and n["best"] >= 0 and 3 * n["rms"] <= n["best"] and n["rms"] < n["sgd"]


def canyon_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """RMSProp with a quarter of the lr: the scaling is still there, the steps are too short."""
    return kit.with_hyper(scene, "rmsprop", lr=scene.hyper["rmsprop"]["lr"] / 4)


RMSPROP_CANYON = Lesson("rmsprop_canyon", CHAPTER, CANYON_SCENE, ("rmsprop", "sgd"), canyon_measure, canyon_claim,
                        canyon_counter)


# ---------------------------------------------------------------- 6. RMSProp's bad case: noise

NOISE_SCENE = PlaygroundConfig(
    surface="noisy_bowl", optimizers=("rmsprop", "adam"),
    hyper={"rmsprop": {"lr": 0.03}, "adam": {"lr": 0.03, "beta2": 0.99}},
    batch=20, seed=0, steps=500, inside="rmsprop")
NOISE_TAIL = 100


def noise_measure(scene: PlaygroundConfig) -> dict:
    """The spread (RMS distance from their mean) of each run's last NOISE_TAIL points, and their mean
    distance to the minimum of the full loss."""
    runs, surface = kit.runs(scene), scene.surface_object()
    out = {"tail": NOISE_TAIL, "batch": scene.batch, "n": int(scene.surface_params["n_samples"]),
           "lr": lane_hyper(scene, "rmsprop")[0]["lr"], "alpha": lane_hyper(scene, "rmsprop")[0]["alpha"],
           "beta1": lane_hyper(scene, "adam")[0]["beta1"], "beta2": lane_hyper(scene, "adam")[0]["beta2"]}
    for oid, key in (("rmsprop", "rms"), ("adam", "adam")):
        out[f"{key}_spread"] = kit.tail_spread(runs[oid].xy, NOISE_TAIL)
        out[f"{key}_d"] = kit.tail_distance(runs[oid].xy, surface.minima[0], NOISE_TAIL)
    out["ratio"] = out["rms_spread"] / out["adam_spread"] if out["adam_spread"] > 0 else math.inf
    return out


def noise_claim(n: dict) -> bool:
    return n["ratio"] >= 1.5 and n["rms_spread"] >= 0.3 * n["lr"]     # jitter of the order of η, and Adam's less


def noise_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """Adam without its first moment (β₁ = 0): nothing averages the noise any more."""
    return kit.with_hyper(scene, "adam", beta1=0.0)


RMSPROP_NOISE = Lesson("rmsprop_noise", CHAPTER, NOISE_SCENE, ("rmsprop", "adam"), noise_measure, noise_claim,
                       noise_counter)


# ---------------------------------------------------------------- 7. AdaDelta: no lr, and a slow start

ADADELTA_SCENE = PlaygroundConfig(
    surface="himmelblau", optimizers=("adadelta",), hyper={"adadelta": {"lr": 1.0}}, steps=600, start=(0.0, 0.0),
    inside="adadelta")
ADADELTA_NEAR = 0.1     # "on its way in": until the run first comes this close to a minimum


def adadelta_measure(scene: PlaygroundConfig) -> dict:
    """AdaDelta's first step per coordinate against √(ε/(1−ρ)), the value it takes whenever
    (1−ρ)g² ≫ ε; its largest step on the way in (before it first comes within ADADELTA_NEAR of a
    minimum) against the first; and the largest coordinate difference between its paths on f and
    on SCALE_FACTOR·f."""
    run = kit.runs(scene)["adadelta"]
    hp = lane_hyper(scene, "adadelta")[0]
    surface = scene.surface_object()
    lengths = step_lengths(run.xy)
    near = kit.first_step(kit.distance_to_minimum(run.xy, surface) <= ADADELTA_NEAR)
    way_in = lengths[:near] if near > 0 else lengths
    first = np.abs(run.xy[1] - run.xy[0])
    predicted = math.sqrt(hp["eps"] / (1.0 - hp["rho"]))
    return {"eps": hp["eps"], "rho": hp["rho"], "lr": hp["lr"], "predicted": predicted,
            "first_x": float(first[0]), "first_y": float(first[1]),
            "first_error": float(np.max(np.abs(first / predicted - 1.0))),
            "first_len": float(lengths[0]), "top_len": float(way_in.max()), "top_step": int(way_in.argmax()) + 1,
            "ramp": float(way_in.max() / lengths[0]), "near": near, "near_d": ADADELTA_NEAR,
            "factor": SCALE_FACTOR, "scale_gap": path_gap(run, kit.runs(scaled(scene, SCALE_FACTOR))["adadelta"])}


def adadelta_claim(n: dict) -> bool:
    return (n["first_error"] <= 0.01            # the first step is √(ε/(1−ρ)), whatever the gradient
            and n["ramp"] >= 3.0                # ... and the steps grow several-fold as u fills
            and n["scale_gap"] <= 0.01)         # the step has θ's units: 100·f gives the same path


def adadelta_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """ε = 0.1: the first step is already about 1 per coordinate, nothing left to ramp up."""
    return kit.with_hyper(scene, "adadelta", eps=0.1)


ADADELTA_UNITS = Lesson("adadelta_units", CHAPTER, ADADELTA_SCENE, ("adadelta",), adadelta_measure, adadelta_claim,
                        adadelta_counter)


# ---------------------------------------------------------------- 8. the race on Beale

BEALE_OPTIMIZERS = ("momentum", "nag", "adagrad", "rmsprop", "adam")
BEALE_ADAPTIVE = ("adagrad", "rmsprop", "adam")
BEALE_SCENE = PlaygroundConfig(
    surface="beale", optimizers=BEALE_OPTIMIZERS,
    hyper={"momentum": {"lr": 0.01}, "nag": {"lr": 0.01}, "adagrad": {"lr": 0.5}, "rmsprop": {"lr": 0.05},
           "adam": {"lr": 0.1}},
    steps=400, start=(0.7, 1.4))
BEALE_NEAR = 0.5        # the radius around the minimum a run "reaches"
BEALE_TOL = 1e-3


def overshoot(d: np.ndarray, radius: float) -> float:
    """The farthest a path goes from the minimum after it first came within ``radius`` of it (≤
    radius: it stayed inside; NaN: it never came that close)."""
    inside = kit.first_step(d <= radius)
    return float(d[inside:].max()) if inside >= 0 else math.nan


def beale_measure(scene: PlaygroundConfig) -> dict:
    """Per optimizer: the overshoot (``overshoot`` with BEALE_NEAR) and the steps to f − f* ≤ BEALE_TOL."""
    runs, surface = kit.runs(scene), scene.surface_object()
    out = {"near": BEALE_NEAR, "tol": BEALE_TOL}
    for oid in BEALE_OPTIMIZERS:
        out[f"{oid}_out"] = overshoot(kit.distance_to_minimum(runs[oid].xy, surface), BEALE_NEAR)
        out[f"{oid}_steps"] = kit.steps_to(runs[oid], surface, BEALE_TOL)
    out["adaptive_out"] = max(out[f"{oid}_out"] for oid in BEALE_ADAPTIVE)
    return out


def beale_claim(n: dict) -> bool:
    r = n["near"]
    adaptive_stay = all(n[f"{oid}_out"] <= r for oid in BEALE_ADAPTIVE)     # NaN (never came) fails too
    heavy_ball_out = n["momentum_out"] >= 2 * r and n["nag_out"] > 1.1 * r
    nag_sooner = (n["nag_out"] < n["momentum_out"] and n["nag_steps"] >= 0
                  and (n["momentum_steps"] < 0 or 3 * n["nag_steps"] <= n["momentum_steps"]))
    return adaptive_stay and heavy_ball_out and nag_sooner


def beale_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """μ = 0.5 for Momentum and NAG: a light ball, no overshoot."""
    return kit.with_hyper(kit.with_hyper(scene, "momentum", momentum=0.5), "nag", momentum=0.5)


BEALE_RACE = Lesson("beale_race", CHAPTER, BEALE_SCENE, BEALE_OPTIMIZERS, beale_measure, beale_claim, beale_counter)


# ---------------------------------------------------------------- 9. leaving the saddle

SADDLE_OPTIMIZERS = ("sgd", "momentum", "nag", "adagrad", "rmsprop", "adam")
SADDLE_GRADIENT = ("sgd", "momentum", "nag")
SADDLE_ADAPTIVE = ("adagrad", "rmsprop", "adam")
SADDLE_SCENE = PlaygroundConfig(
    surface="saddle", optimizers=SADDLE_OPTIMIZERS, hyper={"adam": {"lr": 0.03}}, steps=150, start=(-1.5, 0.001))
SADDLE_EXIT = 1.0       # a run has left the saddle once |y| exceeds this
SADDLE_CLOSER = 10.0    # the second start is this many times closer to the ridge y = 0


def saddle_exits(runs) -> dict:
    return {oid: kit.first_step(np.abs(r.xy[:, 1]) > SADDLE_EXIT) for oid, r in runs.items()}


def saddle_measure(scene: PlaygroundConfig) -> dict:
    """Per optimizer: the first step with |y| > SADDLE_EXIT (−1: not within the run), the closest it
    came to the saddle point (0, 0); the same exit step from a start SADDLE_CLOSER times closer to
    the ridge; and SGD's |y| at the end."""
    runs = kit.runs(scene)
    x0, y0 = scene.start
    exits = saddle_exits(runs)
    closer = saddle_exits(kit.runs(replace(scene, start=(x0, y0 / SADDLE_CLOSER))))
    out = {"closer": SADDLE_CLOSER, "exit": SADDLE_EXIT, "steps": scene.steps,
           "sgd_y": float(abs(runs["sgd"].xy[-1, 1]))}
    for oid in SADDLE_OPTIMIZERS:
        out[oid] = exits[oid]
        out[f"{oid}_closer"] = closer[oid]
        out[f"{oid}_closest"] = float(np.sqrt((runs[oid].xy ** 2).sum(axis=1)).min())
    out["adaptive_closest"] = min(out[f"{oid}_closest"] for oid in SADDLE_ADAPTIVE)
    out["adaptive_delay"] = max(closer[oid] - exits[oid] for oid in SADDLE_ADAPTIVE)
    out["momentum_delay"] = closer["momentum"] - exits["momentum"]
    return out


def saddle_claim(n: dict) -> bool:
    adaptive = [n[oid] for oid in SADDLE_ADAPTIVE]
    adaptive_leave = (all(e >= 0 for e in adaptive) and n["adaptive_closest"] > 0.5
                      and all(n[f"{oid}_closer"] >= 0 for oid in SADDLE_ADAPTIVE) and n["adaptive_delay"] <= 2)
    gradient_linger = all(n[f"{oid}_closest"] < 0.1 and (n[oid] < 0 or n[oid] > max(adaptive))
                          for oid in SADDLE_GRADIENT)
    momentum_slower_closer = n["momentum"] >= 0 and n["momentum_closer"] >= 0 and n["momentum_delay"] >= 10
    return adaptive_leave and gradient_linger and momentum_slower_closer


def saddle_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """A start far from the ridge (y = 0.5): there is no saddle to linger at."""
    return replace(scene, start=(scene.start[0], 0.5))


SADDLE_ESCAPE = Lesson("saddle_escape", CHAPTER, SADDLE_SCENE, SADDLE_OPTIMIZERS, saddle_measure, saddle_claim,
                       saddle_counter)


# ---------------------------------------------------------------- 10. the plateau

PLATEAU_OPTIMIZERS = ("sgd", "adagrad", "rmsprop", "adam")
PLATEAU_SCENE = PlaygroundConfig(
    surface="plateau", optimizers=PLATEAU_OPTIMIZERS, hyper={oid: {"lr": 0.01} for oid in PLATEAU_OPTIMIZERS},
    steps=400, start=(3.5, 3.0), inside="adagrad")
PLATEAU_SHRINK_AT = 100     # AdaGrad's step at this step against its first


def plateau_measure(scene: PlaygroundConfig) -> dict:
    """How far SGD moved in the whole run; the first step at which each run is inside the well
    (closer to its centre than the width w; −1: never); AdaGrad's step length at PLATEAU_SHRINK_AT
    against its first; AdaGrad's final distance to the centre."""
    runs = kit.runs(scene)
    w = scene.surface_params["width"]
    out = {"w": w, "steps": scene.steps, "at": PLATEAU_SHRINK_AT,
           "start_r": float(math.hypot(*scene.start)),
           "sgd_moved": float(np.hypot(*(runs["sgd"].xy[-1] - runs["sgd"].xy[0])))}
    for oid in PLATEAU_OPTIMIZERS:
        out[f"{oid}_in"] = kit.first_step(np.hypot(runs[oid].xy[:, 0], runs[oid].xy[:, 1]) < w)
    lengths = step_lengths(runs["adagrad"].xy)
    out["ada_shrink"] = float(lengths[PLATEAU_SHRINK_AT - 1] / lengths[0])
    out["ada_r"] = float(np.hypot(*runs["adagrad"].xy[-1]))
    out["sqrt_law"] = 1.0 / math.sqrt(PLATEAU_SHRINK_AT)
    return out


def plateau_claim(n: dict) -> bool:
    normalised_arrive = n["rmsprop_in"] >= 0 and n["adam_in"] >= 0
    ada_late = n["adagrad_in"] < 0 or n["adagrad_in"] > 2 * max(n["rmsprop_in"], n["adam_in"])
    return (n["sgd_moved"] < 0.01 * (n["start_r"] - n["w"]) and n["sgd_in"] < 0
            and normalised_arrive and ada_late and n["ada_shrink"] < 0.25)


def plateau_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """A start on the well's wall, (1, 1): no plateau to cross, the gradient is large enough for SGD."""
    return replace(scene, start=(1.0, 1.0))


PLATEAU = Lesson("plateau", CHAPTER, PLATEAU_SCENE, PLATEAU_OPTIMIZERS, plateau_measure, plateau_claim,
                 plateau_counter)


# ---------------------------------------------------------------- 11. a rotated valley

ROTATED_SCENE = PlaygroundConfig(
    surface="rotated_valley", surface_params={"kappa": 20.0, "angle_deg": 45.0}, optimizers=("momentum", "adam"),
    hyper={"momentum": {"lr": 0.01}, "adam": {"lr": 0.1}}, steps=400, start=(-2.12, -4.95))
ROTATED_ANGLES = (0, 15, 30, 45)
ROTATED_TOL = 1e-3


def turned(scene: PlaygroundConfig, angle_deg: float) -> PlaygroundConfig:
    """The scene with the valley turned to ``angle_deg`` and the start turned with it, so that it sits
    at the same place relative to the valley's axes (the same (u, v)): only the alignment with the
    coordinate axes changes."""
    a = math.radians(scene.surface_params["angle_deg"])
    x, y = scene.start
    u, v = math.cos(a) * x + math.sin(a) * y, -math.sin(a) * x + math.cos(a) * y
    b = math.radians(angle_deg)
    start = (math.cos(b) * u - math.sin(b) * v, math.sin(b) * u + math.cos(b) * v)
    return replace(scene, surface_params={**scene.surface_params, "angle_deg": float(angle_deg)}, start=start)


def rotated_measure(scene: PlaygroundConfig) -> dict:
    """Steps to f − f* ≤ ROTATED_TOL of Momentum and Adam at each of ROTATED_ANGLES (``turned``), and
    their ratio Momentum/Adam (> 1: Adam is faster)."""
    out = {"tol": ROTATED_TOL, "kappa": scene.surface_params["kappa"], "shown": scene.surface_params["angle_deg"]}
    for angle in ROTATED_ANGLES:
        sub = turned(scene, angle)
        runs, surface = kit.runs(sub), sub.surface_object()
        mom, adam = (kit.steps_to(runs[oid], surface, ROTATED_TOL) for oid in ("momentum", "adam"))
        out[f"momentum_{angle}"], out[f"adam_{angle}"] = mom, adam
        out[f"ratio_{angle}"] = mom / adam if mom > 0 and adam > 0 else math.nan
    return out


def rotated_claim(n: dict) -> bool:
    ratios = [n[f"ratio_{a}"] for a in ROTATED_ANGLES]
    if not all(math.isfinite(r) for r in ratios):
        return False
    falling = all(later <= 1.02 * earlier for earlier, later in zip(ratios, ratios[1:]))
    return falling and ratios[0] >= 1.5 * ratios[-1] and ratios[0] > 1.0


def rotated_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """κ = 1: a round bowl, nothing to align."""
    return replace(scene, surface_params={**scene.surface_params, "kappa": 1.0})


ROTATED_VALLEY = Lesson("rotated_valley", CHAPTER, ROTATED_SCENE, ("momentum", "adam"), rotated_measure,
                        rotated_claim, rotated_counter)


LESSONS = [RPROP_SCALE_FREE, RPROP_MINIBATCH, ADAGRAD_STALLS, ADAGRAD_SPARSE, RMSPROP_CANYON, RMSPROP_NOISE,
           ADADELTA_UNITS, BEALE_RACE, SADDLE_ESCAPE, PLATEAU, ROTATED_VALLEY]
