"""2-D loss surfaces with exact gradients and Hessians.

    >>> import surfaces
    >>> s = surfaces.get("rotated_valley", kappa=50, angle_deg=30)
    >>> s.value(0.0, 0.0), s.grad([1.0, 2.0], [0.0, 0.0]).shape
    (0.0, (2, 2))
"""
from __future__ import annotations

import math

import numpy as np

from . import kernels
from .catalogue import SURFACES, SurfaceParam, SurfaceSpec

__all__ = ["SURFACES", "Surface", "SurfaceSpec", "SurfaceParam", "get", "resolve_params", "custom",
           "CustomSurface", "ExpressionError", "from_key", "custom_domain"]


def _check_id(surface: str) -> SurfaceSpec:
    if not isinstance(surface, str) or surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}; choose one of: {', '.join(SURFACES)}")
    return SURFACES[surface]


def resolve_params(spec: SurfaceSpec, given: dict | None) -> dict:
    """The full parameter dict of ``spec``: defaults, overridden by ``given``, range-checked."""
    given = dict(given or {})
    allowed = {p.name: p for p in spec.all_params}
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise ValueError(f"surface {spec.id!r} has no parameter {unknown[0]!r}; "
                         f"its parameters are: {', '.join(allowed)}")
    out = {}
    for name, p in allowed.items():
        v = given.get(name, p.default)
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ValueError(f"surface parameter {name}={v!r} is not a number; "
                             f"allowed range is [{p.min:g}, {p.max:g}]")
        v = float(v)
        if not (p.min <= v <= p.max):  # also refuses NaN
            raise ValueError(f"surface parameter {name}={v!r} is out of range; "
                             f"allowed range is [{p.min:g}, {p.max:g}]")
        if p.integer and v != int(v):
            raise ValueError(f"surface parameter {name}={v!r} must be a whole number "
                             f"in [{p.min:g}, {p.max:g}]")
        out[name] = int(v) if p.integer else v
    return out


class Surface:
    """One surface with its parameters fixed. ``value``/``grad``/``hess`` take NumPy arrays
    (or scalars) of any matching shape; ``grad`` adds a last axis of 2, ``hess`` of 2×2."""

    def __init__(self, spec: SurfaceSpec, params: dict):
        self.spec = spec
        self.id = spec.id
        self.code = spec.code
        self.name = spec.name
        self.params = params
        own = [params[p.name] for p in spec.params]
        extra = spec.derived(params) if spec.derived else []
        packed = np.concatenate([[params["scale"]], own, extra]).astype(np.float64)
        self.packed = np.pad(packed, (0, max(0, kernels.HEAD - packed.size)))
        self.domain = spec.domain
        self.start = spec.start
        self.log_levels = spec.log_levels
        minima, saddles = spec.stationary(params)
        self.minima = [tuple(map(float, m)) for m in minima]
        self.saddles = [tuple(map(float, s)) for s in saddles]
        # lowest known minimum value: the target of "steps to tolerance"; NaN when unbounded
        self.f_min = min((float(self.value(*m)) for m in self.minima), default=math.nan)

    @property
    def escape_box(self) -> tuple:
        """The box 10x the plotting domain (same centre); leaving it stops a run as "escaped"."""
        x0, x1, y0, y1 = self.domain
        cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, 5 * (x1 - x0), 5 * (y1 - y0)
        return (cx - hx, cx + hx, cy - hy, cy + hy)

    def _evaluate(self, x, y) -> tuple:
        x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        out = np.empty((x.size, 6))
        kernels.evaluate_many(self.code, self.packed, np.ascontiguousarray(x).ravel(),
                              np.ascontiguousarray(y).ravel(), out)
        return out, x.shape

    def _values(self, x, y) -> tuple:
        """The value alone (a map needs no derivatives: ``value_many`` compiles faster)."""
        x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        out = np.empty(x.size)
        kernels.value_many(self.code, self.packed, np.ascontiguousarray(x).ravel(),
                           np.ascontiguousarray(y).ravel(), out)
        return out, x.shape

    def value(self, x, y):
        out, shape = self._values(x, y)
        v = out.reshape(shape)
        return float(v) if v.ndim == 0 else v

    def grad(self, x, y) -> np.ndarray:
        out, shape = self._evaluate(x, y)
        return out[:, 1:3].reshape(shape + (2,))

    def hess(self, x, y) -> np.ndarray:
        out, shape = self._evaluate(x, y)
        h = out[:, [3, 4, 4, 5]]
        return h.reshape(shape + (2, 2))

    def sample_grads(self, x: float, y: float) -> np.ndarray:
        """Per-sample gradients (N, 2) at one point, for finite-sum surfaces."""
        if not self.spec.finite_sum:
            raise ValueError(f"surface {self.id!r} is not a finite sum")
        return self.params["scale"] * self.spec.sample_grads(self.packed, x, y)

    @property
    def key(self) -> tuple:
        """What identifies this surface (hashable): ``from_key(s.key)`` makes it again."""
        return (self.id, tuple(sorted(self.params.items())))

    def __repr__(self) -> str:
        return f"Surface({self.id!r}, {self.params})"


def get(surface: str, **params) -> Surface:
    """The surface ``surface`` with ``params`` (unspecified ones take their defaults)."""
    spec = _check_id(surface)
    return Surface(spec, resolve_params(spec, params))


from .custom import CustomSurface, custom  # noqa: E402  (a CustomSurface is a Surface)
from .custom import check_domain as custom_domain  # noqa: E402
from .expression import ExpressionError  # noqa: E402


def from_key(key: tuple) -> Surface:
    """The surface whose ``key`` is ``key`` (a built-in one, or a typed one)."""
    if key[0] == "custom":
        _, text, domain, scale = key
        return custom(text, domain, scale=scale)
    return get(key[0], **dict(key[1]))
