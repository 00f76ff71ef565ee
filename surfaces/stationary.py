"""Stationary points of a user's 2-D function inside the plotting domain, found and classified
numerically, with notes on what could not be decided.

    >>> import numpy as np
    >>> def saddle(x, y):
    ...     z, one = np.zeros_like(x), np.ones_like(x)
    ...     return np.stack([x * x - y * y, 2 * x, -2 * y, 2 * one, z, -2 * one], axis=-1)
    >>> find_stationary(saddle, (-2.0, 2.0, -2.0, 2.0)).saddles
    [(0.0, 0.0)]

Method. Everything runs in normalised units, so that neither the size of the domain nor the scale
of the function matters (``1e4*f`` and ``1e-4*f`` give the same points): the domain is mapped to
the unit square and f is divided by its spread (10th to 90th percentile) on a coarse value grid.

1. Newton's method on grad f = 0 from a ``seeds`` x ``seeds`` grid of starts, all seeds at once as
   arrays. A singular Hessian is pseudo-inverted (its near-null directions are left alone, so
   flat directions do not send the step to infinity). Each seed has a trust radius: the step is
   clipped to it, taken only if it lowers |grad f| (the Newton step always lowers it when the
   Hessian is regular), and the radius doubles after a taken step and shrinks after a refused
   one. Seeds that leave the domain (5 % margin) are dropped; steps to NaN/inf are refused.
2. Points whose normalised |grad f| is below ``GRAD_TOL`` are accepted, deduplicated (tolerance
   ``MERGE_TOL`` of the domain size), polished by a few more Newton steps, and kept if inside
   the closed domain.
3. Classification by the eigenvalues of the Hessian: both > 0 minimum, both < 0 maximum,
   opposite signs saddle. When the smaller |eigenvalue| is below ``FLAT_TOL`` of the Hessian's
   scale the point is degenerate: f is compared on a small ring around it, all higher ->
   minimum, all lower -> maximum, some higher and some lower -> saddle (a stationary point that
   is not an extremum); otherwise (ties, e.g. a flat valley, or NaN on the ring) it is listed in
   ``degenerate``.
4. Whatever Newton found, the lowest point of the coarse value grid is refined by a zooming
   grid search (no derivatives) and reported as a minimum when it is strictly below its 8 grid
   neighbours, not on the domain boundary, and no point of step 2 is near it. This catches
   minima at kinks (``abs(x) + 10*y^2`` at the origin), where grad f never vanishes; a refined
   point where |grad f| explodes (a pole, e.g. of ``tan``) is not reported.

Notes (``Stationary.notes``, short codes for the UI to translate, in this order):

``"none_found"``         no stationary point was found inside the domain.
``"non_smooth"``         the caller said the function has kinks (abs/min/max): Newton cannot see a
                         kink, so a minimum there may be missed or only approximate (step 4 may
                         still catch the lowest one).
``"undefined_regions"``  f is NaN or inf on part of the domain (no points are searched there).
``"degenerate"``         at least one point has a singular Hessian (e.g. ``x^4 + y^4`` at the
                         origin, or a line of minima); it was classified by the ring test, or
                         listed in ``degenerate`` when the ring could not decide.
``"truncated"``          more than ``max_points`` points were found; minima (lowest first), then
                         saddles, maxima and degenerate points are kept up to ``max_points``.

Cost: a bounded number of ``evaluate`` calls, about 60 at most (the 41 x 41 grid, one per
Newton iteration on the live seeds, the polish and ring test on the few accepted points, 14 for
step 4); no loop runs until convergence. About 15-30 ms on a 24 x 24 seed grid with a plain
NumPy evaluator; the rest is the evaluator's own time.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Point = tuple[float, float]
Evaluator = Callable[[np.ndarray, np.ndarray], np.ndarray]

GRID = 41             # coarse value grid per axis (odd, so a symmetric domain has its centre)
ITERATIONS = 30       # Newton iterations from the seeds
POLISH = 8            # extra Newton iterations on the accepted points
MARGIN = 0.05         # seeds further than this outside the (unit) domain are dropped
GRAD_TOL = 1e-8       # accepted |grad f| in normalised units (domain size / spread of f)
MERGE_TOL = 1e-3      # points closer than this (fraction of the domain) are one point
FLAT_TOL = 1e-6       # |eigenvalue| below this fraction of the Hessian scale: degenerate
PINV_TOL = 1e-10      # eigenvalues below this fraction of the largest are not inverted
RING = 1e-2           # radius of the ring test (fraction of the domain)
RING_ANGLES = 32
NOTES = ("none_found", "non_smooth", "undefined_regions", "degenerate", "truncated")


class Stationary(NamedTuple):
    minima: list[Point]      # lowest value first
    saddles: list[Point]     # the rest ordered by position (x, then y)
    maxima: list[Point]
    degenerate: list[Point]  # singular Hessian that the ring test could not classify
    notes: tuple[str, ...]


class _Unit:
    """``evaluate`` on the unit square with f divided by ``spread``: columns f, gu, gv, huu, huv,
    hvv. Newton steps do not depend on this change of units; tolerances are then pure numbers."""

    def __init__(self, evaluate: Evaluator, domain: tuple[float, float, float, float]):
        self.f = evaluate
        self.x0, x1, self.y0, y1 = (float(d) for d in domain)
        self.w, self.h = x1 - self.x0, y1 - self.y0
        if not (np.isfinite([self.x0, self.y0, self.w, self.h]).all() and self.w > 0 and self.h > 0):
            raise ValueError(f"domain must be finite (x0, x1, y0, y1) with x0 < x1, y0 < y1: {domain!r}")
        self.spread = 1.0

    def xy(self, u, v):
        return self.x0 + self.w * u, self.y0 + self.h * v

    def __call__(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):  # NaN/inf are expected (log of negatives, poles)
            out = np.asarray(self.f(*self.xy(u, v)), dtype=np.float64)
            if out.shape != u.shape + (6,):
                raise ValueError(f"evaluate returned shape {out.shape}, expected {u.shape + (6,)}")
            w, h = self.w, self.h
            return out * (np.array([1.0, w, h, w * w, w * h, h * h]) / self.spread)


def _eig(F: np.ndarray):
    """Eigenvalues l1 >= l2 and unit eigenvectors (columns c, s) of the 2x2 Hessians in F."""
    a, b, c = F[..., 3], F[..., 4], F[..., 5]
    m, d = 0.5 * (a + c), np.hypot(0.5 * (a - c), b)
    t = 0.5 * np.arctan2(2.0 * b, a - c)   # angle of the eigenvector of l1; no special cases
    return m + d, m - d, np.cos(t), np.sin(t)


def _newton_step(F: np.ndarray) -> np.ndarray:
    """-H^+ g per point (pseudo-inverse: near-null eigen-directions get no step)."""
    l1, l2, co, si = _eig(F)
    g1 = co * F[..., 1] + si * F[..., 2]        # gradient along the two eigenvectors
    g2 = -si * F[..., 1] + co * F[..., 2]
    big = np.maximum(np.abs(l1), np.abs(l2))
    with np.errstate(all="ignore"):
        s1 = np.where(np.abs(l1) > PINV_TOL * big, -g1 / l1, 0.0)
        s2 = np.where(np.abs(l2) > PINV_TOL * big, -g2 / l2, 0.0)
    return np.stack([co * s1 - si * s2, si * s1 + co * s2], axis=-1)


def _newton(fn: _Unit, p: np.ndarray, radius: float, iterations: int):
    """Trust-region Newton from the points p (n, 2), all at once. Returns the points still in
    the domain (with margin) and finite, with their last evaluations."""
    if not len(p):
        return p, np.empty((0, 6))
    F = fn(p[:, 0], p[:, 1])
    keep = np.isfinite(F).all(axis=1)
    p, F = p[keep], F[keep]
    r = np.full(len(p), radius)
    live = np.ones(len(p), bool)             # still iterating
    for _ in range(iterations):
        i = np.flatnonzero(live)
        if not len(i):
            break
        Fi = F[i]
        gnorm = np.hypot(Fi[:, 1], Fi[:, 2])
        s = _newton_step(Fi)
        s[~np.isfinite(s).all(axis=1)] = 0.0
        # No usable Newton step (H = 0, e.g. a plane): try plain descent, the trust test decides.
        flat = ~(np.abs(s).sum(axis=1) > 0) & (gnorm > 0)
        s[flat] = -Fi[flat, 1:3] / gnorm[flat, None] * r[i[flat], None]
        n = np.hypot(s[:, 0], s[:, 1])
        s *= np.minimum(1.0, r[i] / np.maximum(n, 1e-300))[:, None]   # clip to the trust radius
        taken = np.minimum(n, r[i])
        q = p[i] + s
        Fq = fn(q[:, 0], q[:, 1])
        ok = np.isfinite(Fq).all(axis=1) & (np.hypot(Fq[:, 1], Fq[:, 2]) < gnorm)
        p[i[ok]], F[i[ok]] = q[ok], Fq[ok]
        r[i] = np.where(ok, np.minimum(2.0 * r[i], 0.25), 0.25 * r[i])
        # Converged (gradient exactly 0, or a step below rounding) or stuck: stop iterating.
        live[i] = (gnorm > 0) & (r[i] > 1e-14) & ~(ok & (taken < 1e-15))
        out = (np.abs(p[i] - 0.5) > 0.5 + MARGIN).any(axis=1)
        live[i[out]] = False
    inside = ~(np.abs(p - 0.5) > 0.5 + MARGIN).any(axis=1)
    return p[inside], F[inside]


def _dedup(p: np.ndarray, F: np.ndarray):
    """One point per cluster of points closer than MERGE_TOL, the one with the smallest |grad f|.
    Vectorised: first one point per MERGE_TOL cell (most seeds converge onto a few points), then
    a point is dropped when a better one is close to it (this also merges across cell edges)."""
    if not len(p):
        return p, F
    order = np.argsort(np.hypot(F[:, 1], F[:, 2]), kind="stable")
    p, F = p[order], F[order]
    _, first = np.unique(np.floor(p / MERGE_TOL), axis=0, return_index=True)
    first = np.sort(first)
    p, F = p[first], F[first]
    d2 = (p[:, None, 0] - p[None, :, 0]) ** 2 + (p[:, None, 1] - p[None, :, 1]) ** 2
    best = np.argmax(d2 < MERGE_TOL**2, axis=0)   # best point close to each (itself at worst)
    keep = best == np.arange(len(p))
    return p[keep], F[keep]


def _accept(p: np.ndarray, F: np.ndarray):
    ok = np.hypot(F[:, 1], F[:, 2]) <= GRAD_TOL
    return p[ok], F[ok]


def _classify(fn: _Unit, p: np.ndarray, F: np.ndarray):
    """Kind per point: 0 minimum, 1 saddle, 2 maximum, 3 degenerate; and whether the Hessian
    was singular (so the ring test decided)."""
    l1, l2, _, _ = _eig(F)
    kind = np.where(l2 > 0, 0, np.where(l1 < 0, 2, 1))
    small = np.minimum(np.abs(l1), np.abs(l2))
    # Scale: the larger |eigenvalue|, but at least 1 (f spans about 1 over the unit square).
    singular = ~(small > FLAT_TOL * np.maximum(np.maximum(np.abs(l1), np.abs(l2)), 1.0))
    if singular.any():
        t = np.linspace(0.0, 2.0 * np.pi, RING_ANGLES, endpoint=False)
        c = p[singular]
        ring = fn(c[:, :1] + RING * np.cos(t), c[:, 1:] + RING * np.sin(t))[..., 0]
        f0 = F[singular, 0][:, None]
        tol = 1e-12 + 64 * np.finfo(float).eps * np.abs(f0)   # rounding of f, in units of spread
        up, down = (ring > f0 + tol), (ring < f0 - tol)
        finite = np.isfinite(ring).all(axis=1)
        kind[singular] = np.where(~finite, 3, np.where(up.all(axis=1), 0, np.where(
            down.all(axis=1), 2, np.where(up.any(axis=1) & down.any(axis=1), 1, 3))))
    return kind, singular


def _zoom_min(fn: _Unit, p: np.ndarray, half: float, zooms: int = 12) -> np.ndarray:
    """Local minimum of f near p without derivatives (kinks welcome): take the lowest point of a
    9 x 9 grid over p +- half, then zoom in 4 times around it; stays inside the unit square."""
    t = np.linspace(-1.0, 1.0, 9)
    for _ in range(zooms):
        qu, qv = np.meshgrid(np.clip(p[0] + half * t, 0, 1), np.clip(p[1] + half * t, 0, 1))
        fq = fn(qu.ravel(), qv.ravel())[:, 0]
        k = np.argmin(np.where(np.isfinite(fq), fq, np.inf))
        p, half = np.array([qu.flat[k], qv.flat[k]]), 0.25 * half
    return p


def find_stationary(evaluate: Evaluator, domain: tuple[float, float, float, float], *,
                    smooth: bool = True, seeds: int = 24, max_points: int = 40) -> Stationary:
    """Stationary points of f inside ``domain = (x0, x1, y0, y1)``, classified (module docstring).

    ``evaluate(x, y)`` takes two float64 arrays of one shape and returns ``x.shape + (6,)``: f,
    df/dx, df/dy, d2f/dx2, d2f/dxdy, d2f/dy2 (NaN/inf allowed). ``smooth=False``: f has kinks.
    ``seeds`` per axis; at most ``max_points`` points in all. ValueError for an empty or
    non-finite domain, bad counts, or an ``evaluate`` result of the wrong shape."""
    if seeds < 1 or max_points < 0:
        raise ValueError(f"need seeds >= 1 and max_points >= 0, got {seeds}, {max_points}")
    fn = _Unit(evaluate, domain)
    notes = set() if smooth else {"non_smooth"}

    # Coarse value grid: scale of f, undefined regions, and the lowest point for step 4.
    g = np.linspace(0.0, 1.0, GRID)
    gu, gv = np.meshgrid(g, g, indexing="ij")
    fg = fn(gu, gv)[..., 0]
    finite = np.isfinite(fg)
    if not finite.all():
        notes.add("undefined_regions")
    if finite.any():
        lo, hi = np.percentile(fg[finite], [10, 90])
        spread = hi - lo
        if not spread > 0:   # (almost) constant: fall back to the full range, then to |f|
            spread = np.ptp(fg[finite]) or np.abs(fg[finite]).max() or 1.0
        fn.spread = float(spread) if np.isfinite(spread) else 1.0
        fg = fg / fn.spread

    # Steps 1-2: Newton from the seeds, accept, merge, polish.
    c = (np.arange(seeds) + 0.5) / seeds
    su, sv = np.meshgrid(c, c, indexing="ij")
    p, F = _newton(fn, np.stack([su.ravel(), sv.ravel()], axis=1), 2.0 / seeds, ITERATIONS)
    p, F = _dedup(*_accept(p, F))
    p, F = _newton(fn, p, MERGE_TOL, POLISH)
    p, F = _dedup(*_accept(p, F))
    inside = (np.abs(p - 0.5) <= 0.5 + 1e-9).all(axis=1)
    p, F = np.clip(p[inside], 0.0, 1.0), F[inside]
    kind, singular = _classify(fn, p, F)
    if singular.any():
        notes.add("degenerate")

    # Step 4: the lowest grid point, when it is a strict interior local minimum of the grid
    # and Newton found nothing near it (a kink; or a minimum the seeds missed).
    if finite.any():
        i, j = np.unravel_index(np.argmin(np.where(finite, fg, np.inf)), fg.shape)
        if 0 < i < GRID - 1 and 0 < j < GRID - 1:
            nb = fg[i - 1:i + 2, j - 1:j + 2].ravel()
            cell = 1.0 / (GRID - 1)
            near = len(p) > 0 and np.hypot(*(p - [g[i], g[j]]).T).min() < 2.0 * cell
            if np.isfinite(nb).all() and (np.delete(nb, 4) > nb[4]).all() and not near:
                q = _zoom_min(fn, np.array([g[i], g[j]]), cell)
                Fq = fn(q[:1], q[1:])
                # A pole or log singularity is not a minimum: at a kink the gradient stays of
                # the size of the grid's differences, near a pole it explodes.
                slope = (nb.max() - nb[4]) / cell
                # (The gradient may be NaN exactly at a kink, e.g. sqrt(x^2 + y^2) at 0.)
                if (np.isfinite(Fq[0, 0]) and not np.hypot(Fq[0, 1], Fq[0, 2]) > 100.0 * slope
                        and (np.abs(q - 0.5) < 0.5 - 1e-6).all()):   # the boundary is not stationary
                    p, F, kind = np.vstack([p, q]), np.vstack([F, Fq]), np.append(kind, 0)

    # Order: minima by value, the others by position; then truncate in that order.
    x, y = fn.xy(p[:, 0], p[:, 1])
    pts = [(float(a), float(b)) for a, b in zip(x, y)]
    lists = []
    for k in range(4):
        idx = np.flatnonzero(kind == k)
        idx = idx[np.argsort(F[idx, 0], kind="stable")] if k == 0 else \
            idx[np.lexsort((y[idx], x[idx]))]
        lists.append([pts[n] for n in idx])
    if len(pts) > max_points:
        notes.add("truncated")
        room = max_points
        for lst in lists:
            del lst[room:]
            room -= len(lst)
    if not pts:
        notes.add("none_found")
    return Stationary(*lists, notes=tuple(n for n in NOTES if n in notes))
