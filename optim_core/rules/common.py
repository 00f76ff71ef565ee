"""What every update rule shares: the shape of a step, its report, and two small helpers.

A rule advances one run by one step and is a pure function of plain values::

    rule(hp, s, x, y, t, lr, orc, u) -> (x, y, s, report)

- ``hp``: the run's hyperparameters, a NamedTuple whose fields are the catalogue's names in
  catalogue order (``hp.lr`` is the base learning rate; a variant is its choice's index);
- ``s``: the rule's state, a NamedTuple of floats, all zero before step 1;
- ``x, y``: the point θ_{t-1}; ``t``: the step number (1-based); ``lr``: the scheduled learning
  rate of this step;
- ``orc``: the gradient oracle of this run and step (``optim_core.oracle``): ``grad(orc, x, y)``,
  ``loss(orc, x, y)``, ``hess(orc, x, y)``;
- ``u``: the underflow threshold (squared gradients below it enter accumulators as 0).

It returns the point θ_t, the new state and a ``Report``. Rules are inlined into their
optimizer's kernels, so none of this crosses a compiled call: state and hyperparameters stay in
registers. Conventions follow torch.optim (names, where ε sits, bias corrections); where the
course notes differ, the variant is an explicit option.
"""
import math
from typing import NamedTuple

from numba import njit

OK, SINGULAR_HESSIAN, ZERO_CURVATURE = 0, 1, 2
SINGULAR_TOL = 1e-12


class Report(NamedTuple):
    """What one step shows besides the new point (zero where a rule has no such quantity)."""
    grad_x: float              # the gradient the rule used
    grad_y: float
    velocity_x: float          # momentum buffer / first moment
    velocity_y: float
    second_moment_x: float     # the running average (or sum) of squared gradients
    second_moment_y: float
    eff_lr_x: float            # effective per-coordinate step size
    eff_lr_y: float
    raw_x: float               # the iterate behind the plotted point (ASGD's SGD iterate)
    raw_y: float
    failed: int                # OK, or why the step is undefined (the run then stops)


@njit(inline="always")
def report(x, y, gx, gy, eff_x, eff_y, vel_x=0.0, vel_y=0.0, sec_x=0.0, sec_y=0.0):
    """The Report of a step that moved to (x, y), the plotted point itself."""
    return Report(gx, gy, vel_x, vel_y, sec_x, sec_y, eff_x, eff_y, x, y, OK)


@njit(inline="always")
def failure(x, y, gx, gy, why):
    """The Report of an undefined step: the run does not move and stops with reason ``why``."""
    return Report(gx, gy, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, x, y, why)


@njit(inline="always")
def sq(g, u):
    """g², flushed to zero below the underflow threshold u (a float16 simulation when u > 0)."""
    s = g * g
    return 0.0 if s < u else s


@njit(inline="always")
def running_powers(t, beta1, beta2, beta1_power, beta2_power):
    """β₁ᵗ and β₂ᵗ as running products (β at t = 1).

    A product per step instead of ``β ** t``: the two powers were ~45% of an Adam step, and the
    products differ from ``pow`` by under t ulps (2e-12 relative at 20,000 steps).
    """
    if t == 1:
        return beta1, beta2
    return beta1_power * beta1, beta2_power * beta2


@njit(inline="always")
def sign(v):
    return 1.0 if v > 0 else (-1.0 if v < 0 else 0.0)


@njit(inline="always")
def implied_step(x0, y0, x1, y1, gx, gy):
    """Effective per-coordinate step size −Δθ_i / g_i (NaN where g_i = 0)."""
    ex = -(x1 - x0) / gx if gx != 0.0 else math.nan
    ey = -(y1 - y0) / gy if gy != 0.0 else math.nan
    return ex, ey


@njit(inline="always")
def same_point(hp, s, x, y):
    """Where most rules take their next gradient: at the point θ_t itself."""
    return x, y


class Rule(NamedTuple):
    """An optimizer as the kernels see it: its step, and the NamedTuple types of its
    hyperparameters (fields = the catalogue's names, in order) and of its state.

    ``grad_point(hp, s, x, y)``: where the rule will take its next gradient, from θ_t and its state
    (None: at θ_t); ``hessian``: the rule asks for the Hessian there. A grid on a typed surface
    computes both for a whole block of runs in one pass (``surfaces.kernels.custom_prefill``)."""
    step: object
    Hyper: type
    State: type
    module: str                # the source file of the rule: its kernels' cache depends on it
    grad_point: object = None
    hessian: bool = False
