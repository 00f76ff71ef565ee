"""Learning-rate schedules: eta_t = eta_0 * factor(t) * min(1, t / warmup), t = 1..steps."""
import math

import numpy as np
from numba import njit

KINDS = ("constant", "step", "exponential", "polynomial")
# Each kind's parameters: name -> (default, min, max, integer).
PARAMS = {
    "constant": {},
    "step": {"every": (100, 1, 20000, True), "gamma": (0.5, 0.0, 1.0, False)},
    "exponential": {"decay": (0.01, 0.0, 1.0, False)},
    "polynomial": {"decay": (0.01, 0.0, 10.0, False), "power": (0.5, 0.0, 5.0, False)},
}
WARMUP = (0, 0, 20000, True)


def pack(schedule) -> np.ndarray:
    """Validate a schedule dict and pack it as [kind, p1, p2, unused, warmup] for the kernels."""
    out = np.zeros(5)
    if schedule is None:
        return out
    if not isinstance(schedule, dict):
        raise ValueError(f"schedule must be a dict such as {{'kind': 'step', 'every': 100, 'gamma': 0.5}}, "
                         f"not {schedule!r}")
    kind = schedule.get("kind", "constant")
    if kind not in KINDS:
        raise ValueError(f"unknown schedule kind {kind!r}; choose one of: {', '.join(KINDS)}")
    spec = PARAMS[kind]
    unknown = sorted(set(schedule) - set(spec) - {"kind", "warmup"})
    if unknown:
        allowed = ", ".join(list(spec) + ["warmup"])
        raise ValueError(f"schedule {kind!r} has no parameter {unknown[0]!r}; allowed: {allowed}")
    out[0] = KINDS.index(kind)
    for i, (name, (default, lo, hi, integer)) in enumerate(list(spec.items()) + [("warmup", WARMUP)]):
        v = schedule.get(name, default)
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not lo <= v <= hi:
            raise ValueError(f"schedule {name}={v!r} is out of range; allowed range is [{lo:g}, {hi:g}]")
        if integer and v != int(v):
            raise ValueError(f"schedule {name}={v!r} must be a whole number in [{lo:g}, {hi:g}]")
        out[4 if name == "warmup" else 1 + i] = float(v)
    return out


def is_constant(packed: np.ndarray) -> bool:
    return packed[0] == 0 and packed[4] == 0


@njit(inline="always")
def lr_at(sched, lr0, t):
    """The learning rate of step t (1-based) under the packed schedule ``sched``: lr0 · factor."""
    kind = int(sched[0])
    if kind == 1:
        f = sched[2] ** ((t - 1) // int(sched[1]))
    elif kind == 2:
        f = math.exp(-sched[1] * (t - 1))
    elif kind == 3:
        f = (1.0 + sched[1] * (t - 1)) ** (-sched[2])
    else:
        f = 1.0
    if sched[4] > 0:
        f *= min(1.0, t / sched[4])
    return lr0 * f
