"""The numbers behind the lessons' own small figures: the Hessian at a point (its eigenvalues,
eigen-directions and what kind of point it is), where a surface is convex, and an exponential
moving average with and without its bias correction."""
from __future__ import annotations

import math

from typing import NamedTuple

import numpy as np

KINDS = ("minimum", "maximum", "saddle", "flat")


def classify(eigenvalues, tol: float = 1e-9) -> str:
    """What the Hessian's eigenvalues make a stationary point: both > tol a minimum, both < −tol
    a maximum, one of each a saddle; otherwise the second-order test cannot tell ("flat")."""
    lo, hi = sorted(float(e) for e in eigenvalues)
    if lo > tol:
        return "minimum"
    if hi < -tol:
        return "maximum"
    if lo < -tol and hi > tol:
        return "saddle"
    return "flat"


class HessianReadout(NamedTuple):
    point: tuple
    grad: tuple                  # ∇f at the point: a stationary point has it ~0
    hessian: np.ndarray          # 2×2
    eigenvalues: tuple           # ascending
    eigenvectors: np.ndarray     # columns, unit length, in the eigenvalues' order
    kind: str                    # classify(eigenvalues): the kind the point would be if stationary
    stationary: bool             # |∇f| small against the curvature


def hessian_readout(surface, x: float, y: float, grad_tol: float = 1e-6) -> HessianReadout:
    """The Hessian of ``surface`` at (x, y) and what it says there. Where it is undefined (a typed
    function's log of a negative, say), the eigenvalues and directions are NaN, the kind "flat" and
    the point not stationary: NumPy's eigh would return numbers for a NaN matrix."""
    h = np.asarray(surface.hess(x, y), dtype=float)
    g = np.asarray(surface.grad(x, y), dtype=float)
    if not (np.isfinite(h).all() and np.isfinite(g).all()):
        nan2 = (math.nan, math.nan)
        return HessianReadout((float(x), float(y)), (float(g[0]), float(g[1])), h, nan2, np.full((2, 2), np.nan),
                              "flat", False)
    w, v = np.linalg.eigh(h)
    scale = max(1.0, float(np.abs(w).max()))
    return HessianReadout((float(x), float(y)), (float(g[0]), float(g[1])), h, (float(w[0]), float(w[1])), v,
                          classify(w, 1e-9 * scale), bool(np.hypot(*g) <= grad_tol * scale))


def convex_share(surface, n: int = 61, domain=None) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(xs, ys, smallest Hessian eigenvalue on the n×n grid, share of grid points where the Hessian
    is positive semi-definite) over ``domain`` (default: the surface's). A surface is convex on a
    box exactly when its Hessian is positive semi-definite everywhere in it. Where the Hessian is
    undefined the eigenvalue is NaN and the share counts only the points where it is defined (NaN
    when there are none)."""
    x0, x1, y0, y1 = domain or surface.domain
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    lam = np.full((n, n), np.nan)
    for j, y in enumerate(ys):
        for i, x in enumerate(xs):
            h = np.asarray(surface.hess(x, y), dtype=float)
            if np.isfinite(h).all():
                lam[j, i] = np.linalg.eigvalsh(h)[0]
    defined = np.isfinite(lam)
    if not defined.any():
        return xs, ys, lam, math.nan
    tol = 1e-12 * max(1.0, float(np.abs(lam[defined]).max()))
    return xs, ys, lam, float((lam[defined] >= -tol).mean())


def ema_window(beta: float) -> float:
    """The effective window of an EMA with decay β: 1/(1 − β) steps (∞ for β = 1)."""
    return math.inf if beta >= 1.0 else 1.0 / (1.0 - beta)


def ema_series(signal, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """(raw, corrected) exponential moving averages of ``signal``: m_t = β m_{t−1} + (1−β) s_t from
    m_0 = 0, and m_t / (1 − βᵗ), Adam's bias correction, for t = 1..len(signal)."""
    s = np.asarray(signal, dtype=float)
    raw = np.empty_like(s)
    m = 0.0
    for t, value in enumerate(s):
        m = beta * m + (1.0 - beta) * value
        raw[t] = m
    corrected = raw / (1.0 - beta ** np.arange(1, len(s) + 1))
    return raw, corrected
