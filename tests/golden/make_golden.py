"""Golden trajectories from torch.optim, for the cross-check in ``tests/test_torch_golden.py``.

This script uses only torch and numpy: it never imports ``optim_core`` or ``surfaces``, so the
goldens are an independent reference. It defines the four surfaces in torch (autograd gives the
gradient), runs each torch.optim configuration in float64 (``foreach=False``, the single-tensor
path; the parameter is one tensor of shape (2,)) for ``STEPS`` steps from the surface's start:

    zero_grad, loss = f(p), loss.backward(), opt.step(), record p

and writes ``torch_golden.npz`` (compressed) and a readable ``manifest.json``.

The trust horizon
-----------------
torch's autograd gradient and the engine's analytic gradient differ in the last bits; some
dynamics amplify rounding, so no analytic engine can follow torch's path past the step where
rounding alone decides. For each case the script also runs torch from the start moved by one ulp
(``np.nextafter(·, +inf)`` in x and y) and records the first step at which the two torch paths
differ by more than ``HORIZON_RTOL`` relative (component-wise, with a tiny absolute floor
``HORIZON_ATOL``), or ``STEPS`` if they never do. The test compares only up to that step.

Usage::

    python tests/golden/make_golden.py          # rewrites torch_golden.npz and manifest.json

``generate()`` returns the same data in memory (the test regenerates and compares).
"""
from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
NPZ_PATH = HERE / "torch_golden.npz"
MANIFEST_PATH = HERE / "manifest.json"

STEPS = 200
HORIZON_RTOL = 1e-11   # two torch paths "differ" past this relative gap ...
HORIZON_ATOL = 1e-14   # ... plus this absolute floor (for coordinates passing through zero)
SHORT_HORIZON = 20     # horizons below this are reported as short
BOUND = 1e6            # the engine's "diverged" bound on |θ|

# ----------------------------------------------------------------------------------------------
# Surfaces: start, plotting domain (xmin, xmax, ymin, ymax); the escape box is 10x the domain.
# ----------------------------------------------------------------------------------------------
SURFACES = {
    "beale": {"start": (1.0, 1.5), "domain": (-4.5, 4.5, -4.5, 4.5),
              "formula": "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"},
    "saddle": {"start": (-1.5, 0.01), "domain": (-2.0, 2.0, -2.0, 2.0), "formula": "x^2 - y^2"},
    "valley": {"start": (-5.0, -2.0), "domain": (-6.0, 6.0, -3.0, 3.0), "formula": "0.1 x^2 + 2 y^2"},
    "noisy_bowl": {"start": (-2.0, 2.5), "domain": (-3.0, 3.0, -3.0, 3.0),
                   "formula": "mean_i 0.5*((x - cx_i)^2 + 2 (y - cy_i)^2), N=200, "
                              "centres = (1, 0.5) + default_rng(0).standard_normal((200, 2))"},
}
SURFACE_ORDER = tuple(SURFACES)

# learning rate per surface: "sgd_like" (SGD, momentum, Nesterov, Rprop's initial step) and
# "adam_like" (RMSprop and the Adam family)
LR = {
    "beale": {"sgd_like": 0.001, "adam_like": 0.01},
    "saddle": {"sgd_like": 0.01, "adam_like": 0.01},
    "valley": {"sgd_like": 0.1, "adam_like": 0.1},
    "noisy_bowl": {"sgd_like": 0.1, "adam_like": 0.1},
}


def bowl_centres() -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.array([1.0, 0.5]) + 1.0 * rng.standard_normal((200, 2))


def escape_box(surface: str) -> tuple:
    x0, x1, y0, y1 = SURFACES[surface]["domain"]
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, 5 * (x1 - x0), 5 * (y1 - y0)
    return (cx - hx, cx + hx, cy - hy, cy + hy)


# ----------------------------------------------------------------------------------------------
# Configurations: torch class + kwargs (lr filled per surface) and the engine's id + hyper.
# lr: "sgd_like" / "adam_like" (per surface, see LR) or a fixed number.
# ----------------------------------------------------------------------------------------------
_ADAM = {"betas": (0.9, 0.999), "eps": 1e-8}
_ADAM_ENGINE = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

CONFIGS = [
    {"name": "sgd", "lr": "sgd_like",
     "torch": ("SGD", {}),
     "engine": ("sgd", {})},
    {"name": "sgd_wd0.1", "lr": "sgd_like",
     "torch": ("SGD", {"weight_decay": 0.1}),
     "engine": ("sgd", {"weight_decay": 0.1})},
    {"name": "momentum", "lr": "sgd_like",
     "torch": ("SGD", {"momentum": 0.9, "dampening": 0.0}),
     "engine": ("momentum", {"momentum": 0.9, "dampening": 0.0, "form": "classic"})},
    {"name": "momentum_dampening0.5", "lr": "sgd_like",
     "torch": ("SGD", {"momentum": 0.9, "dampening": 0.5}),
     "engine": ("momentum", {"momentum": 0.9, "dampening": 0.5, "form": "classic"})},
    {"name": "nag_pytorch", "lr": "sgd_like",
     "torch": ("SGD", {"momentum": 0.9, "nesterov": True}),
     "engine": ("nag", {"momentum": 0.9, "variant": "pytorch"})},
    {"name": "rprop", "lr": "sgd_like",
     "torch": ("Rprop", {"etas": (0.5, 1.2), "step_sizes": (1e-6, 50.0)}),
     "engine": ("rprop", {"eta_minus": 0.5, "eta_plus": 1.2, "step_min": 1e-6, "step_max": 50.0})},
    {"name": "adagrad", "lr": 0.1,
     "torch": ("Adagrad", {"lr_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10}),
     "engine": ("adagrad", {"lr_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10})},
    {"name": "adagrad_decay", "lr": 0.1,
     "torch": ("Adagrad", {"lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-10}),
     "engine": ("adagrad", {"lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-10})},
    {"name": "adadelta", "lr": 1.0,
     "torch": ("Adadelta", {"rho": 0.9, "eps": 1e-6}),
     "engine": ("adadelta", {"rho": 0.9, "eps": 1e-6})},
    {"name": "rmsprop", "lr": "adam_like",
     "torch": ("RMSprop", {"alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": False}),
     "engine": ("rmsprop", {"alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": False})},
    {"name": "rmsprop_momentum", "lr": "adam_like",
     "torch": ("RMSprop", {"alpha": 0.99, "eps": 1e-8, "momentum": 0.9, "centered": False}),
     "engine": ("rmsprop", {"alpha": 0.99, "eps": 1e-8, "momentum": 0.9, "centered": False})},
    {"name": "rmsprop_centered", "lr": "adam_like",
     "torch": ("RMSprop", {"alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": True}),
     "engine": ("rmsprop", {"alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": True})},
    {"name": "adam", "lr": "adam_like",
     "torch": ("Adam", {**_ADAM, "weight_decay": 0.0}),
     "engine": ("adam", {**_ADAM_ENGINE, "weight_decay": 0.0})},
    {"name": "adam_wd0.1", "lr": "adam_like",
     "torch": ("Adam", {**_ADAM, "weight_decay": 0.1}),
     "engine": ("adam", {**_ADAM_ENGINE, "weight_decay": 0.1})},
    {"name": "amsgrad", "lr": "adam_like",
     "torch": ("Adam", {**_ADAM, "weight_decay": 0.0, "amsgrad": True}),
     "engine": ("amsgrad", {**_ADAM_ENGINE, "weight_decay": 0.0})},
    {"name": "adamw", "lr": "adam_like",
     "torch": ("AdamW", {**_ADAM, "weight_decay": 0.01}),
     "engine": ("adamw", {**_ADAM_ENGINE, "weight_decay": 0.01})},
    {"name": "nadam_pytorch", "lr": "adam_like",
     "torch": ("NAdam", {**_ADAM, "momentum_decay": 0.004}),
     "engine": ("nadam", {**_ADAM_ENGINE, "momentum_decay": 0.004, "variant": "pytorch"})},
    {"name": "radam", "lr": "adam_like",
     "torch": ("RAdam", {**_ADAM}),
     "engine": ("radam", {**_ADAM_ENGINE, "threshold": 5.0})},
]


def case_id(config_name: str, surface: str) -> str:
    return f"{config_name}@{surface}"


def cases() -> list:
    """Every (configuration, surface) pair, fully resolved: one dict per case."""
    out = []
    for cfg in CONFIGS:
        for s in SURFACE_ORDER:
            lr = LR[s][cfg["lr"]] if isinstance(cfg["lr"], str) else float(cfg["lr"])
            tcls, tkw = cfg["torch"]
            eid, ehyper = cfg["engine"]
            out.append({
                "id": case_id(cfg["name"], s),
                "config": cfg["name"],
                "surface": s,
                "start": list(SURFACES[s]["start"]),
                "steps": STEPS,
                "torch_class": tcls,
                "torch_kwargs": {"lr": lr, **{k: (list(v) if isinstance(v, tuple) else v)
                                              for k, v in tkw.items()}, "foreach": False},
                "optimizer": eid,
                "hyper": {"lr": lr, **ehyper},
            })
    return out


# ----------------------------------------------------------------------------------------------
# torch side (imported lazily: the test reads the tables above without needing torch)
# ----------------------------------------------------------------------------------------------
def _loss_fn(surface: str):
    import torch

    if surface == "beale":
        def f(p):
            x, y = p[0], p[1]
            return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2
    elif surface == "saddle":
        def f(p):
            return p[0] ** 2 - p[1] ** 2
    elif surface == "valley":
        def f(p):
            return 0.1 * p[0] ** 2 + 2.0 * p[1] ** 2
    elif surface == "noisy_bowl":
        c = torch.tensor(bowl_centres(), dtype=torch.float64)
        cx, cy = c[:, 0].contiguous(), c[:, 1].contiguous()

        def f(p):
            return (0.5 * ((p[0] - cx) ** 2 + 2.0 * (p[1] - cy) ** 2)).mean()
    else:
        raise ValueError(surface)
    return f


def _torch_kwargs(kw: dict) -> dict:
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in kw.items()}


def torch_path(case: dict, start) -> np.ndarray:
    """torch.optim's (steps+1, 2) path of ``case`` from ``start`` (row 0 is the start)."""
    import torch

    f = _loss_fn(case["surface"])
    p = torch.tensor(np.asarray(start, dtype=np.float64), dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, case["torch_class"])([p], **_torch_kwargs(case["torch_kwargs"]))
    out = np.empty((case["steps"] + 1, 2))
    out[0] = p.detach().numpy()
    for t in range(1, case["steps"] + 1):
        opt.zero_grad()
        loss = f(p)
        loss.backward()
        opt.step()
        out[t] = p.detach().numpy()
    return out


def split_step(a: np.ndarray, b: np.ndarray) -> int | None:
    """First step (row) where paths a and b differ by more than HORIZON_RTOL (None: never)."""
    with np.errstate(invalid="ignore"):
        gap = np.abs(a - b)
        tol = HORIZON_RTOL * np.maximum(np.abs(a), np.abs(b)) + HORIZON_ATOL
        bad = ~(gap <= tol)                    # NaN counts as differing ...
        bad &= ~((a == b) | (np.isnan(a) & np.isnan(b)))   # ... unless both are NaN / equal inf
    rows = np.nonzero(bad.any(axis=1))[0]
    return int(rows[0]) if rows.size else None


def stop_step(xy: np.ndarray, surface: str):
    """The engine's stop rules on a torch path: (first stopping step, "diverged"/"escaped") or (None, None)."""
    x0, x1, y0, y1 = escape_box(surface)
    for t in range(1, len(xy)):
        x, y = xy[t]
        if not (np.isfinite(x) and np.isfinite(y)) or max(abs(x), abs(y)) > BOUND:
            return t, "diverged"
        if x < x0 or x > x1 or y < y0 or y > y1:
            return t, "escaped"
    return None, None


def generate() -> dict:
    """All goldens in memory: {"meta": {...}, "cases": [case dict + "xy", "horizon", ...]}."""
    import torch

    prev_dtype, prev_threads = torch.get_default_dtype(), torch.get_num_threads()
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    try:
        out = []
        for case in cases():
            start = np.array(case["start"], dtype=np.float64)
            xy = torch_path(case, start)
            nudged = torch_path(case, np.nextafter(start, np.inf))
            split = split_step(xy, nudged)
            horizon = STEPS if split is None else split
            stop, status = stop_step(xy, case["surface"])
            out.append({**case, "xy": xy, "horizon": horizon, "split": split,
                        "short_horizon": horizon < SHORT_HORIZON,
                        "stop_step": stop, "stop_status": status})
    finally:
        torch.set_default_dtype(prev_dtype)
        torch.set_num_threads(prev_threads)
    meta = {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "python": platform.python_version(),
        "dtype": "float64",
        "steps": STEPS,
        "horizon_rtol": HORIZON_RTOL,
        "horizon_atol": HORIZON_ATOL,
        "short_horizon_below": SHORT_HORIZON,
        "surfaces": {s: {"start": list(v["start"]), "domain": list(v["domain"]),
                         "escape_box": list(escape_box(s)), "formula": v["formula"]}
                     for s, v in SURFACES.items()},
        "loop": "zero_grad; loss = f(p); loss.backward(); opt.step(); record p",
        "horizon_rule": ("first step at which torch from the start and torch from "
                         "np.nextafter(start, inf) differ by more than horizon_rtol relative "
                         "(+ horizon_atol) in x or y; steps if never. The test compares rows "
                         "0..horizon-1 (all steps+1 rows when split is null)."),
    }
    return {"meta": meta, "cases": out}


def compare_rows(case: dict) -> int:
    """Rows of the golden path the test may compare: before the split, or all of them."""
    return case["steps"] + 1 if case["split"] is None else case["split"]


def to_arrays(data: dict) -> dict:
    """The npz contents: one (steps+1, 2) path per case plus the per-case integers."""
    arrays = {f"xy:{c['id']}": c["xy"] for c in data["cases"]}
    arrays["case_ids"] = np.array([c["id"] for c in data["cases"]])
    arrays["horizon"] = np.array([c["horizon"] for c in data["cases"]], dtype=np.int64)
    arrays["split"] = np.array([-1 if c["split"] is None else c["split"] for c in data["cases"]],
                               dtype=np.int64)
    arrays["stop_step"] = np.array([-1 if c["stop_step"] is None else c["stop_step"]
                                    for c in data["cases"]], dtype=np.int64)
    return arrays


def manifest(data: dict) -> dict:
    return {**data["meta"],
            "cases": [{k: v for k, v in c.items() if k != "xy"} for c in data["cases"]]}


def write(data: dict) -> None:
    np.savez_compressed(NPZ_PATH, **to_arrays(data))
    MANIFEST_PATH.write_text(json.dumps(manifest(data), indent=1, ensure_ascii=False) + "\n")


def main() -> None:
    data = generate()
    write(data)
    print(f"torch {data['meta']['torch_version']}: {len(data['cases'])} cases -> {NPZ_PATH.name} "
          f"({NPZ_PATH.stat().st_size / 1024:.0f} KiB), {MANIFEST_PATH.name}")
    for c in data["cases"]:
        flags = []
        if c["short_horizon"]:
            flags.append("SHORT")
        if c["stop_step"] is not None:
            flags.append(f"torch path {c['stop_status']} at step {c['stop_step']}")
        print(f"  {c['id']:<34} horizon {c['horizon']:>3}  {'; '.join(flags)}")


if __name__ == "__main__":
    main()
