"""The Adam family: the exponential moving average behind every moment estimate, Adam as momentum
plus RMSProp, its bias correction and its two memories (β₁, β₂), ε at low precision, and the
relatives that each fix one thing: AMSGrad (a step size that cannot grow), RAdam (an automatic
warm-up), AdamW (weight decay outside the gradient) and Nadam (a look-ahead first moment).

Every number is read from the engine's runs of the lesson's own scene; the engine follows
torch.optim (the catalogue says where a variant follows the course notes instead)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..compare import CompareConfig
from ..config import PlaygroundConfig
from ..race import lane_hyper, step_lengths
from ..readouts import ema_series, ema_window
from . import kit
from .kit import Lesson

CHAPTER = "adam_family"


def loss_climb(run) -> float:
    """The sum of all increases of the loss along a run: 0 for a path that only goes downhill, large
    for one that overshoots and climbs back out of the valley it crossed."""
    d = np.diff(np.asarray(run.loss))
    return float(d[d > 0].sum())


def settled_point(xy, n: int = 50) -> np.ndarray:
    """The mean of a path's last ``n`` points: where it came to rest."""
    return kit.tail(xy, n).mean(axis=0)


# ---------------------------------------------------------------- 1. the EMA toolbox

EMA_STEP = 10       # the step at which the raw and corrected first moments are read

EMA_SCENE = PlaygroundConfig(
    surface="valley", optimizers=("adam",), hyper={"adam": {"lr": 1e-4}}, steps=60, start=(-5.0, -2.0),
    inside="adam")


def ema_measure(scene: PlaygroundConfig) -> dict:
    """Adam's raw first moment m_t against the gradient g_t (x coordinate) at step EMA_STEP: with a
    tiny lr far from the minimum g barely changes, so m_t/g_t shows the EMA's start-up deficit
    1 − β₁ᵗ and m_t/(1 − β₁ᵗ) ≈ g_t. ``ema_series`` (the lesson's chart) on the engine's own
    gradients must give the engine's m_t."""
    run = kit.runs(scene)["adam"]
    beta1 = lane_hyper(scene, "adam")[0]["beta1"]
    g, m = run.extra["grad"][:, 0], run.extra["velocity"][:, 0]
    raw, corrected = ema_series(g, beta1)
    t = EMA_STEP
    return {"t": t, "beta1": beta1, "g": float(g[t - 1]), "m": float(m[t - 1]),
            "raw_ratio": float(m[t - 1] / g[t - 1]), "deficit": 1.0 - beta1 ** t,
            "corrected_ratio": float(corrected[t - 1] / g[t - 1]), "window": ema_window(beta1),
            "g_change": float(abs(g[t - 1] / g[0] - 1.0)),
            "series_error": float(np.max(np.abs(raw - m)) / np.max(np.abs(m)))}


def ema_claim(n: dict) -> bool:
    return (n["raw_ratio"] < 0.8                                  # the raw average lags far behind
            and abs(n["raw_ratio"] - n["deficit"]) < 0.01         # ... by exactly 1 − β₁ᵗ
            and abs(n["corrected_ratio"] - 1.0) < 0.01            # the corrected one is g itself
            and n["series_error"] < 1e-9)                         # the chart's EMA is the engine's m


def ema_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """β₁ = 0: m_t = g_t, no memory and nothing to correct."""
    return replace(scene, hyper={"adam": {**scene.hyper["adam"], "beta1": 0.0}})


EMA_TOOLBOX = Lesson("ema_toolbox", CHAPTER, EMA_SCENE, ("adam",), ema_measure, ema_claim, ema_counter,
                     figure="ema")


# ---------------------------------------------------------------- 2. Adam = the scale fix + the noise fix

BOTH_OPTIMIZERS = ("momentum", "rmsprop", "adam")
BOTH_SCENE = PlaygroundConfig(
    surface="noisy_bowl", optimizers=BOTH_OPTIMIZERS,
    hyper={"momentum": {"lr": 0.05, "form": "ema"}, "rmsprop": {"lr": 0.05}, "adam": {"lr": 0.05}},
    batch=10, seed=0, steps=500, inside="adam")
BOTH_TAIL = 200         # the last steps, well after every run reached the bottom
BOTH_TOL = 1e-3


def canyon_of(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The same optimizers and settings on the valley 0.1x² + 2y² (full gradients, its own start)."""
    return replace(scene, surface="valley", surface_params={}, batch=0, start=None)


def both_measure(scene: PlaygroundConfig) -> dict:
    """Noise: the spread of each run's last BOTH_TAIL points on the noisy bowl (mini-batch
    gradients). Scale: steps to f − f* ≤ BOTH_TOL on the valley with the same settings."""
    noisy = kit.runs(scene)
    canyon = canyon_of(scene)
    valley, surface = kit.runs(canyon), canyon.surface_object()
    out = {"batch": scene.batch, "tol": BOTH_TOL, "lr": lane_hyper(scene, "adam")[0]["lr"]}
    for oid in BOTH_OPTIMIZERS:
        out[f"{oid}_spread"] = kit.tail_spread(noisy[oid].xy, BOTH_TAIL)
        out[f"{oid}_steps"] = kit.steps_to(valley[oid], surface, BOTH_TOL)
    return out


def both_claim(n: dict) -> bool:
    adam, mom = n["adam_steps"], n["momentum_steps"]
    scale_fixed = adam > 0 and (mom < 0 or adam <= 0.7 * mom)                 # faster than momentum
    noise_fixed = (n["adam_spread"] <= 0.5 * n["rmsprop_spread"]                # calmer than RMSProp
                   and n["adam_spread"] <= 1.4 * n["momentum_spread"])          # about as calm as momentum
    return scale_fixed and noise_fixed


def both_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """Adam without its first moment (β₁ = 0): RMSProp with a bias correction, noise and all."""
    return kit.with_hyper(scene, "adam", beta1=0.0)


ADAM_BOTH = Lesson("adam_both", CHAPTER, BOTH_SCENE, BOTH_OPTIMIZERS, both_measure, both_claim, both_counter)


# ---------------------------------------------------------------- 3. Adam's bias correction

BC_SCENE = CompareConfig(
    base=PlaygroundConfig(surface="valley", optimizers=("adam",), steps=150),
    mode="settings",
    settings=(("adam", {"lr": 0.1}), ("adam", {"lr": 0.1, "bias_correction": False})))
BC_EARLY = 30           # the early steps in which the uncorrected step is inflated most


def uncorrected_first_step(g: float, lr: float, beta1: float, beta2: float, eps: float) -> float:
    """|Δθ| of Adam's first step without bias correction, from m₁ = (1−β₁)g and v₁ = (1−β₂)g²:
    η(1−β₁)|g| / (√(1−β₂)|g| + ε), ≈ η(1−β₁)/√(1−β₂) (3.16η for the default betas)."""
    return lr * (1.0 - beta1) * abs(g) / (math.sqrt(1.0 - beta2) * abs(g) + eps)


def bc_measure(scene: CompareConfig) -> dict:
    """Per panel (1: corrected, 2: not): the first step along x in units of η, the largest one of
    the first BC_EARLY steps and when it came; for the uncorrected panel also the first step the
    formula predicts from the engine's first gradient."""
    out = {}
    for i, ((_, hp), panel) in enumerate(zip(scene.settings, kit.panel_runs(scene)), 1):
        run = panel["adam"]
        step = np.abs(np.diff(run.xy[:, 0]))[:BC_EARLY] / hp["lr"]
        out.update({f"first_{i}": float(step[0]), f"largest_{i}": float(step.max()),
                    f"largest_at_{i}": int(step.argmax()) + 1, f"corrected_{i}": hp["bias_correction"]})
        if not hp["bias_correction"]:
            g1 = float(run.extra["grad"][0, 0])
            out["predicted"] = uncorrected_first_step(g1, 1.0, hp["beta1"], hp["beta2"], hp["eps"])
            out.update({"beta1": hp["beta1"], "beta2": hp["beta2"]})
    return out


def bc_claim(n: dict) -> bool:
    return (n["corrected_1"] and not n["corrected_2"]
            and abs(n["first_1"] - 1.0) < 1e-3                      # corrected: the first step is η
            and abs(n["first_2"] / n["predicted"] - 1.0) < 1e-6     # uncorrected: exactly the formula ...
            and n["first_2"] >= 2.0)                                # ... which is well above η


def bc_counter(scene: CompareConfig) -> CompareConfig:
    """β₂ = β₁ = 0.9 in both panels: then the uncorrected first step is η√(1−β), smaller than η."""
    return replace(scene, settings=tuple((oid, {**hp, "beta2": 0.9}) for oid, hp in scene.settings))


ADAM_BIAS_CORRECTION = Lesson("adam_bias_correction", CHAPTER, BC_SCENE, ("adam",), bc_measure, bc_claim,
                              bc_counter)


# ---------------------------------------------------------------- 4. β₁ a short memory, β₂ a long one

BETAS_PANELS = ((0.9, 0.999), (0.5, 0.999), (0.9, 0.9), (0.5, 0.9))     # (β₁, β₂); the first: the defaults
BETAS_SCENE = CompareConfig(
    base=PlaygroundConfig(surface="noisy_bowl", optimizers=("adam",), batch=10, seed=0, steps=600),
    mode="settings",
    settings=tuple(("adam", {"lr": 0.05, "beta1": b1, "beta2": b2}) for b1, b2 in BETAS_PANELS))
BETAS_TAIL = 300        # the second half: at the bottom, the gradients are mostly sampling noise


def moment_noise(run, beta2: float, tail: int = BETAS_TAIL) -> tuple[float, float]:
    """(how much of the gradient's noise the first moment lets through, std(m)/std(g); how much
    the bias-corrected second moment v̂ = v/(1 − β₂ᵗ) jitters from one step to the next, the std of
    v̂_t/v̂_{t−1} − 1, which a slow drift of v̂ does not inflate), over the last ``tail`` steps,
    averaged over the two coordinates."""
    g, m, v = (run.extra[k][-tail - 1:] for k in ("grad", "velocity", "second_moment"))
    t = np.arange(run.steps - len(v) + 1, run.steps + 1)
    v_hat = v / (1.0 - beta2 ** t)[:, None]
    m_noise = (m[1:].std(axis=0) / g[1:].std(axis=0)).mean()
    v_jitter = (v_hat[1:] / v_hat[:-1] - 1.0).std(axis=0).mean()
    return float(m_noise), float(v_jitter)


def betas_measure(scene: CompareConfig) -> dict:
    """Per panel: its betas, their windows 1/(1 − β), moment_noise of its run and the spread of
    its path over the same last steps."""
    out = {}
    for i, ((_, hp), panel) in enumerate(zip(scene.settings, kit.panel_runs(scene)), 1):
        m_noise, v_noise = moment_noise(panel["adam"], hp["beta2"])
        out.update({f"b1_{i}": hp["beta1"], f"b2_{i}": hp["beta2"], f"w1_{i}": ema_window(hp["beta1"]),
                    f"w2_{i}": ema_window(hp["beta2"]), f"m_{i}": m_noise, f"v_{i}": v_noise,
                    f"s_{i}": kit.tail_spread(panel["adam"].xy, BETAS_TAIL)})
    return out


def betas_claim(n: dict) -> bool:
    """Panel 2 shortens only β₁'s memory, panel 3 only β₂'s (against panel 1, the defaults)."""
    return n["m_2"] >= 2.0 * n["m_1"] and n["v_3"] >= 10.0 * n["v_1"]


def betas_counter(scene: CompareConfig) -> CompareConfig:
    """Every panel at the default betas: equal memories, equal fluctuations."""
    return replace(scene, settings=tuple((oid, {**hp, "beta1": 0.9, "beta2": 0.999}) for oid, hp in scene.settings))


BETAS_MEMORY = Lesson("betas_memory", CHAPTER, BETAS_SCENE, ("adam",), betas_measure, betas_claim, betas_counter)


# ---------------------------------------------------------------- 5. ε at low precision

FLOAT16_TINY = 6.1e-5   # float16's smallest normal number, 2⁻¹⁴: a g² below it is flushed to 0
TINY_EPS, LARGE_EPS = 1e-8, 1e-3
EPS_SCENE = CompareConfig(
    base=PlaygroundConfig(surface="valley", optimizers=("adagrad",), start=(0.02, 0.001), steps=300,
                          underflow=FLOAT16_TINY),
    mode="settings",
    settings=(("adagrad", {"lr": 0.05, "eps": TINY_EPS}),
              ("adagrad", {"lr": 0.05, "eps": TINY_EPS, "eps_placement": "inside"}),
              ("adagrad", {"lr": 0.05, "eps": LARGE_EPS})))


def _first_steps(scene: CompareConfig) -> list:
    """Per panel, the length of AdaGrad's first step in units of its η."""
    return [float(step_lengths(panel["adagrad"].xy)[0]) / hp["lr"]
            for (_, hp), panel in zip(scene.settings, kit.panel_runs(scene))]


def _eps_numbers(scene: CompareConfig) -> dict:
    """The first step of each panel (1: ε outside the root, 2: inside, 3: a larger ε outside) with
    the scene's underflow and, for reference, without it; the larger g² at the start against the
    threshold; the ratio of the first two panels' steps, and 1/√ε, what it should be when the
    accumulator is flushed (η·g/ε against η·g/√ε)."""
    low = _first_steps(scene)
    plain = _first_steps(replace(scene, base=replace(scene.base, underflow=0.0)))
    g = scene.base.surface_object().grad(*scene.base.start)
    out = {"u": scene.base.underflow, "g2": float(max(g[0] ** 2, g[1] ** 2)), "eps": TINY_EPS,
           "large_eps": LARGE_EPS, "ratio": low[0] / low[1], "plain_ratio": plain[0] / plain[1],
           "predicted": 1.0 / math.sqrt(TINY_EPS)}
    for i, (a, b) in enumerate(zip(low, plain), 1):
        out.update({f"first_{i}": a, f"plain_{i}": b})
    return out


def _eps_breaks(n: dict) -> bool:
    # flushed: ε outside gives a step 1/√ε = 10⁴ times the one ε inside gives (10× margin to 1000);
    # at full precision every first step is at most η per coordinate (√2 η here) and the placement
    # barely matters; a larger ε keeps the flushed step to a few η (4√2 ≈ 5.7 here)
    return (n["ratio"] >= 1000.0
            and max(n["plain_1"], n["plain_2"], n["plain_3"]) <= 1.5
            and n["first_3"] <= 10.0)


def _eps_counter(scene: CompareConfig) -> CompareConfig:
    """No underflow: g² stays in the accumulator, ε is negligible beside √G wherever it sits."""
    return replace(scene, base=replace(scene.base, underflow=0.0))


EPS_UNDERFLOW = Lesson("eps_underflow", CHAPTER, EPS_SCENE, ("adagrad",), _eps_numbers, _eps_breaks, _eps_counter)


# ---------------------------------------------------------------- 6. AMSGrad: a step size that cannot grow

AMS_SCENE = PlaygroundConfig(
    surface="valley", optimizers=("adam", "amsgrad"),
    hyper={"adam": {"lr": 0.1, "beta2": 0.9}, "amsgrad": {"lr": 0.1, "beta2": 0.9}}, steps=300, inside="adam")
BIAS_FADED = 1e-3       # β₂ᵗ below this: the second moment's bias correction has (almost) no effect left


def faded_step(beta2: float) -> int:
    """The first step t with β₂ᵗ ≤ BIAS_FADED."""
    return int(math.ceil(math.log(BIAS_FADED) / math.log(beta2)))


def ams_measure(scene: PlaygroundConfig) -> dict:
    """The engine's effective step size η/(√v̂ + ε) along x (the valley's flat direction): at step
    1, at step t₀ when the bias correction has faded, at the end and its largest rise after t₀;
    and the final gap f − f*."""
    runs, surface = kit.runs(scene), scene.surface_object()
    out = {"steps": scene.steps}
    for oid in ("adam", "amsgrad"):
        beta2 = lane_hyper(scene, oid)[0]["beta2"]
        t0 = faded_step(beta2)
        eff = runs[oid].extra["eff_lr"][:, 0]
        out.update({f"{oid}_t0": t0, f"{oid}_first": float(eff[0]), f"{oid}_at_t0": float(eff[t0 - 1]),
                    f"{oid}_last": float(eff[-1]), f"{oid}_rise": float(eff[t0 - 1:].max() / eff[t0 - 1]),
                    f"{oid}_gap": float(kit.gap(runs[oid], surface)[-1])})
    return out


def ams_claim(n: dict) -> bool:
    return (n["adam_rise"] >= 10.0                  # Adam's step size keeps growing as v forgets
            and n["amsgrad_rise"] <= 1.001          # AMSGrad's does not grow once the correction faded
            and n["amsgrad_gap"] <= 0.01 * n["adam_gap"])


def ams_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """lr 1e-4: far from the minimum the gradients hardly shrink, and neither step size grows."""
    return replace(scene, hyper={oid: {**hp, "lr": 1e-4} for oid, hp in scene.hyper.items()})


AMSGRAD_MAX = Lesson("amsgrad_max", CHAPTER, AMS_SCENE, ("adam", "amsgrad"), ams_measure, ams_claim, ams_counter)


# ---------------------------------------------------------------- 7. RAdam's automatic warm-up

RADAM_SCENE = PlaygroundConfig(
    surface="valley", surface_params={"scale": 0.01}, optimizers=("adam", "radam"),
    hyper={"adam": {"lr": 0.5}, "radam": {"lr": 0.5}}, steps=200, inside="radam")


def rho(t: int, beta2: float) -> float:
    """RAdam's length of the approximated SMA, ρ_t = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ), ρ∞ = 2/(1 − β₂) − 1
    (Liu et al. 2020, eq. 6-7)."""
    return 2.0 / (1.0 - beta2) - 1.0 - 2.0 * t * beta2 ** t / (1.0 - beta2 ** t)


def rectifier(t: int, beta2: float) -> float:
    """r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))."""
    r, r_inf = rho(t, beta2), 2.0 / (1.0 - beta2) - 1.0
    return math.sqrt((r - 4.0) * (r - 2.0) * r_inf / ((r_inf - 4.0) * (r_inf - 2.0) * r))


def radam_measure(scene: PlaygroundConfig) -> dict:
    """The un-rectified (momentum-only) steps twice: from the formula (t with ρ_t ≤ threshold) and
    from the engine (steps whose effective step size is the bare lr, the multiplier of m̂ without
    any 1/√v̂), and the mean step length of both optimizers over those steps and the first
    rectified one."""
    runs = kit.runs(scene)
    hp = lane_hyper(scene, "radam")[0]
    beta2, threshold = hp["beta2"], hp["threshold"]
    n_formula = 0
    while n_formula < scene.steps and rho(n_formula + 1, beta2) <= threshold:
        n_formula += 1
    radam = runs["radam"]
    bare = np.all(radam.extra["eff_lr"] == radam.extra["lr"][:, None], axis=1)
    n_engine = kit.first_step(~bare)
    n_engine = len(bare) if n_engine < 0 else n_engine
    k = n_formula + 1
    first = {oid: float(step_lengths(runs[oid].xy)[:k].mean()) for oid in ("adam", "radam")}
    return {"threshold": threshold, "beta2": beta2, "n_formula": n_formula, "n_engine": n_engine,
            "first_rectified": n_formula + 1, "rho_last": rho(max(n_formula, 1), beta2),
            "rho_first": rho(n_formula + 1, beta2), "r_first": rectifier(n_formula + 1, beta2), "k": k,
            "adam_first": first["adam"], "radam_first": first["radam"], "lr": hp["lr"]}


def radam_claim(n: dict) -> bool:
    return (n["n_engine"] == n["n_formula"] >= 1
            and n["radam_first"] <= 0.2 * n["adam_first"])


def radam_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """The surface 100× steeper (scale 1): the momentum-only steps η·m̂ grow with the gradient and
    are no longer small; Adam's, normalised, stay the same."""
    return replace(scene, surface_params={**scene.surface_params, "scale": 1.0})


RADAM_WARMUP = Lesson("radam_warmup", CHAPTER, RADAM_SCENE, ("adam", "radam"), radam_measure, radam_claim,
                      radam_counter)


# ---------------------------------------------------------------- 8. AdamW vs Adam + L2

WD_LAMBDA = 1.0
WD_SCENE = CompareConfig(
    base=PlaygroundConfig(surface="beale", optimizers=("adam", "adamw"), steps=500),
    mode="settings",
    settings=(("adam", {"lr": 0.05, "beta2": 0.9, "weight_decay": WD_LAMBDA}),
              ("adamw", {"lr": 0.05, "beta2": 0.9, "weight_decay": WD_LAMBDA})))


def wd_measure(scene: CompareConfig) -> dict:
    """Where each run comes to rest (the mean of its last 50 points), how far it still moves over
    its last 100 steps, the distance between the two rest points, and what holds each there:
    Adam + L2's residual |∇f + λθ| (0 at a stationary point of f + λ‖θ‖²/2), AdamW's |∇f| and
    λ·max|θᵢ| (1 on the edge of the box |θᵢ| ≤ 1/λ)."""
    surface = scene.base.surface_object()
    out = {}
    for (oid, hp), panel in zip(scene.settings, kit.panel_runs(scene)):
        run, lam = panel[oid], hp["weight_decay"]
        p = settled_point(run.xy)
        grad = np.asarray(surface.grad(*p), dtype=float)
        out.update({f"{oid}_x": float(p[0]), f"{oid}_y": float(p[1]), f"{oid}_lambda": lam,
                    f"{oid}_moved": float(np.hypot(*(run.xy[-1] - run.xy[-101]))),
                    f"{oid}_residual": float(np.abs(grad + lam * p).max()),
                    f"{oid}_grad": float(np.abs(grad).max()), f"{oid}_box": float(lam * np.abs(p).max())})
    out["distance"] = float(math.hypot(out["adam_x"] - out["adamw_x"], out["adam_y"] - out["adamw_y"]))
    return out


def wd_claim(n: dict) -> bool:
    settled = n["adam_moved"] < 0.01 and n["adamw_moved"] < 0.01
    return settled and n["distance"] >= 0.3


def wd_counter(scene: CompareConfig) -> CompareConfig:
    """λ = 0 in both panels: the same Adam twice, the same end point."""
    return replace(scene, settings=tuple((oid, {**hp, "weight_decay": 0.0}) for oid, hp in scene.settings))


ADAMW_VS_L2 = Lesson("adamw_vs_l2", CHAPTER, WD_SCENE, ("adam", "adamw"), wd_measure, wd_claim, wd_counter)


# ---------------------------------------------------------------- 9. AdamW's decay follows the schedule

SCHEDULE_SCENE = PlaygroundConfig(
    surface="plateau", surface_params={"width": 0.3}, optimizers=("adamw",),
    hyper={"adamw": {"lr": 0.1, "weight_decay": 0.05}}, schedule={"kind": "step", "every": 100, "gamma": 0.1},
    steps=200, start=(4.5, 4.0), inside="adamw")


def schedule_measure(scene: PlaygroundConfig) -> dict:
    """The per-step shrink factor θ_t/θ_{t−1} (x coordinate) before and after the first lr drop
    (the two halves of the run when the lr never drops), against 1 − η_t λ with the engine's own
    η_t. On this flat stretch of the plateau ∇f is far below ε, so Adam's part of the step is nil
    and the factor is the decay alone."""
    run = kit.runs(scene)["adamw"]
    lam = lane_hyper(scene, "adamw")[0]["weight_decay"]
    lr = run.extra["lr"]
    drop = kit.first_step(lr < lr[0])
    drop = len(lr) // 2 if drop < 0 else drop
    factor = run.xy[1:, 0] / run.xy[:-1, 0]
    before, after = factor[:drop].mean(), factor[drop:].mean()
    return {"lambda": lam, "lr_before": float(lr[0]), "lr_after": float(lr[drop]), "drop": drop + 1,
            "before": float(before), "after": float(after),
            "expected_before": float(1.0 - lr[0] * lam), "expected_after": float(1.0 - lr[drop] * lam),
            "mismatch": float(np.abs(factor - (1.0 - lr * lam)).max()),
            "rate_ratio": float((1.0 - after) / (1.0 - before)), "lr_ratio": float(lr[drop] / lr[0]),
            "grad": float(np.abs(run.extra["grad"]).max())}


def schedule_claim(n: dict) -> bool:
    return (n["mismatch"] < 1e-9                                # every step: θ ← θ(1 − η_t λ)
            and n["rate_ratio"] <= 0.5                          # the decay weakened with the lr
            and abs(n["rate_ratio"] / n["lr_ratio"] - 1.0) < 0.01)


def schedule_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """A constant lr: the decay never weakens."""
    return replace(scene, schedule={"kind": "constant"})


ADAMW_SCHEDULE = Lesson("adamw_schedule", CHAPTER, SCHEDULE_SCENE, ("adamw",), schedule_measure, schedule_claim,
                        schedule_counter)


# ---------------------------------------------------------------- 10. Nadam's look-ahead

NADAM_OPTIMIZERS = ("nadam", "adam", "rmsprop")
NADAM_SCENE = PlaygroundConfig(
    surface="beale", optimizers=NADAM_OPTIMIZERS,
    hyper={"nadam": {"lr": 0.3, "variant": "notes"}, "adam": {"lr": 0.3},
           "rmsprop": {"lr": 0.03, "momentum": 0.9}},
    steps=300, inside="nadam")
NADAM_TOL = 1e-3


def nadam_measure(scene: PlaygroundConfig) -> dict:
    """Per optimizer: steps to f − f* ≤ NADAM_TOL, the loss it climbed back up (loss_climb) and
    the length of its first step; and Nadam's variant."""
    runs, surface = kit.runs(scene), scene.surface_object()
    out = {"variant": lane_hyper(scene, "nadam")[0]["variant"], "tol": NADAM_TOL}
    for oid in NADAM_OPTIMIZERS:
        out[f"{oid}_steps"] = kit.steps_to(runs[oid], surface, NADAM_TOL)
        out[f"{oid}_climb"] = loss_climb(runs[oid])
        out[f"{oid}_first"] = float(step_lengths(runs[oid].xy)[0])
    return out


def nadam_claim(n: dict) -> bool:
    return (n["adam_climb"] >= 0.5                          # Adam does overshoot here
            and n["nadam_climb"] <= 0.5 * n["adam_climb"]
            and 0 < n["nadam_steps"] <= n["adam_steps"])


def nadam_counter(scene: PlaygroundConfig) -> PlaygroundConfig:
    """β₁ = 0 for Nadam and Adam: without momentum there is nothing to look ahead with, and the two
    rules are the same."""
    hyper = dict(scene.hyper)
    for oid in ("nadam", "adam"):
        hyper[oid] = {**hyper[oid], "beta1": 0.0}
    return replace(scene, hyper=hyper)


NADAM_LOOKAHEAD = Lesson("nadam_lookahead", CHAPTER, NADAM_SCENE, NADAM_OPTIMIZERS, nadam_measure, nadam_claim,
                         nadam_counter)


LESSONS = [EMA_TOOLBOX, ADAM_BOTH, ADAM_BIAS_CORRECTION, BETAS_MEMORY, EPS_UNDERFLOW, AMSGRAD_MAX, RADAM_WARMUP,
           ADAMW_VS_L2, ADAMW_SCHEDULE, NADAM_LOOKAHEAD]
