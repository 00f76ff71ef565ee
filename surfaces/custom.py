"""A surface from a typed expression: ``surfaces.custom("x^2 - y^2", (-2, 2, -2, 2))``.

The text goes through the whitelist parser (``surfaces.expression``), the tree becomes a program
(``surfaces.program``) packed where a built-in surface keeps its parameters, and the result is a
``Surface`` like any other: ``run`` and ``run_many`` take it directly, and every optimizer sees
the exact gradient and Hessian of the typed function. Its stationary points are found
numerically (``surfaces.stationary``) on first use, not when the surface is made, so drawing a
new expression is not held up by the search.
"""
from __future__ import annotations

import math
from functools import cached_property, lru_cache

import numpy as np

from . import Surface, expression, program, resolve_params, stationary
from .catalogue import SurfaceSpec

DEFAULT_DOMAIN = (-3.0, 3.0, -3.0, 3.0)
MAX_COORDINATE = 1e4      # |x0|, |x1|, |y0|, |y1| at most
MIN_SPAN = 1e-3           # x1 - x0 and y1 - y0 at least
LOG_RANGE = 1e3           # log colour levels when f >= 0 spans more than this factor


def check_domain(domain) -> tuple:
    """(x0, x1, y0, y1) as floats, or a ValueError naming what is wrong and what is allowed."""
    allowed = (f"allowed: four numbers (x0, x1, y0, y1) with x0 < x1, y0 < y1, each within "
               f"±{MAX_COORDINATE:g}, each side at least {MIN_SPAN:g} long")
    try:
        d = tuple(float(v) for v in domain)
    except (TypeError, ValueError):
        raise ValueError(f"domain={domain!r} is not four numbers; {allowed}") from None
    if len(d) != 4:
        raise ValueError(f"domain={domain!r} is not four numbers; {allowed}")
    if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in d):
        raise ValueError(f"domain={domain!r} is out of range; {allowed}")
    if not (d[1] - d[0] >= MIN_SPAN and d[3] - d[2] >= MIN_SPAN):
        raise ValueError(f"domain={domain!r} is empty or too small; {allowed}")
    return d


def _spec(text: str, tree, domain: tuple, start: tuple, log_levels: bool) -> SurfaceSpec:
    return SurfaceSpec("custom", text, "f=" + expression.latex(tree), "", domain, start, log_levels)


def _look(tree, domain):
    """(start, log_levels) of a typed function: where a run starts by default, and how it is coloured.

    The start is a point of a 9 × 9 interior grid on a slope (its value between the 40th and 70th
    percentile of the grid's finite values: neither a top nor a minimum), the one nearest to a spot
    up and left of the centre (off the axes, where symmetric functions have their stationary
    points, and well inside the box, so that a run has room to move). Log levels when f >= 0
    spans orders of magnitude (as Beale or Rosenbrock), so that the low region is not one flat band."""
    x0, x1, y0, y1 = domain
    X, Y = np.meshgrid(np.linspace(x0, x1, 11)[1:-1], np.linspace(y0, y1, 11)[1:-1])
    with np.errstate(all="ignore"):
        f = np.broadcast_to(expression.evaluate(tree, X, Y), X.shape)
    ok = np.isfinite(f)
    if not ok.any():
        return ((x0 + x1) / 2, (y0 + y1) / 2), False
    lo_q, hi_q = np.quantile(f[ok], [0.4, 0.7])
    band = ok & (f >= lo_q) & (f <= hi_q)
    spot = (x0 + 0.32 * (x1 - x0), y0 + 0.66 * (y1 - y0))
    dist = np.hypot((X - spot[0]) / (x1 - x0), (Y - spot[1]) / (y1 - y0))
    k = np.argmin(np.where(band if band.any() else ok, dist, np.inf))
    start = (float(X.flat[k]), float(Y.flat[k]))
    lo, hi = float(f[ok].min()), float(f[ok].max())
    spread = np.quantile(f[ok], 0.9) - lo
    log_levels = lo >= 0.0 and hi > 0.0 and hi - lo > LOG_RANGE * max(spread * 1e-3, np.quantile(f[ok], 0.1) - lo, 1e-300)
    return start, bool(log_levels)


class CustomSurface(Surface):
    """A typed function as a surface (see the module docstring). Besides the attributes of a
    built-in ``Surface`` it has ``expression`` (the text), ``tree``, ``smooth``, ``latex``,
    ``gradient_latex``, ``hessian_latex`` and ``stationary`` (with maxima, degenerate points and
    the notes of the search)."""

    def __init__(self, text: str, domain: tuple, scale: float = 1.0):
        self.tree = expression.parse(text)
        self.expression = text.strip()
        self.domain = check_domain(domain)
        self.params = {"scale": _checked_scale(scale)}
        self.smooth = expression.is_smooth(self.tree)
        self.start, self.log_levels = _look(self.tree, self.domain)
        self.spec = _spec(self.expression, self.tree, self.domain, self.start, self.log_levels)
        self.id, self.code, self.name = "custom", self.spec.code, self.expression
        self.packed = program.compile_tree(self.tree)
        self.packed[0] = self.params["scale"]

    def _evaluate(self, x, y) -> tuple:
        # its own evaluator, not kernels.evaluate_many: drawing a built-in surface's map then
        # never waits for the typed surface's interpreter to compile (first start measured 45.6 -> 35.1 s)
        x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        return program.evaluate(self.packed, x, y).reshape(-1, 6) * self.params["scale"], x.shape

    def _values(self, x, y) -> tuple:
        out, shape = self._evaluate(x, y)
        return out[:, 0], shape

    @property
    def key(self) -> tuple:
        return ("custom", self.expression, self.domain, self.params["scale"])

    @cached_property
    def stationary(self) -> stationary.Stationary:
        return stationary.find_stationary(lambda x, y: program.evaluate(self.packed, x, y), self.domain,
                                          smooth=self.smooth)

    @property
    def minima(self) -> list:
        return list(self.stationary.minima)

    @property
    def saddles(self) -> list:
        return list(self.stationary.saddles)

    @cached_property
    def f_min(self) -> float:
        """The lowest minimum found (the target of "steps to tolerance"); NaN when none was."""
        return min((float(self.value(*m)) for m in self.minima), default=math.nan)

    @cached_property
    def latex(self) -> str:
        return expression.latex(self.tree)

    @cached_property
    def gradient_latex(self) -> tuple:
        return tuple(expression.latex(t) for t in expression.gradient(self.tree))

    @cached_property
    def hessian_latex(self) -> tuple:
        return tuple(expression.latex(t) for t in expression.hessian(self.tree))

    def __repr__(self) -> str:
        return f"custom({self.expression!r}, {self.domain})"


_SCALE_ONLY = SurfaceSpec("custom", "", "", "", DEFAULT_DOMAIN, (0.0, 0.0), False)   # its one parameter


def _checked_scale(scale) -> float:
    """``scale`` checked exactly as a built-in surface's (``surfaces.resolve_params``)."""
    return resolve_params(_SCALE_ONLY, {"scale": scale})["scale"]


@lru_cache(maxsize=256)
def _made(text: str, domain: tuple, scale: float) -> CustomSurface:
    return CustomSurface(text, domain, scale)


def custom(expr: str, domain=DEFAULT_DOMAIN, *, scale: float = 1.0) -> CustomSurface:
    """The surface of the typed expression ``expr`` on ``domain`` = (x0, x1, y0, y1).

    Raises ``ExpressionError`` (a ``ValueError``, with ``.position``) for a refused expression and
    ``ValueError`` for a bad domain. The same text, domain and scale give the same object."""
    if not isinstance(expr, str):
        raise expression.ExpressionError("the expression must be text", code="not_text")
    # checked before the cache: True == 1.0 would otherwise find the object made for 1.0
    return _made(expr.strip(), check_domain(domain), _checked_scale(scale))
