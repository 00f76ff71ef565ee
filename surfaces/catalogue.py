"""The surface catalogue: what each test function is, where to look at it, where its
minima and saddle points are, and which parameters it takes.

To add a surface: add its id to ``kernels.SURFACE_IDS`` and its formula to ``kernels.evaluate``
under that code, then add a ``SurfaceSpec`` here (its stationary points, domain, start and parameters).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import kernels as k


@dataclass(frozen=True)
class SurfaceParam:
    name: str
    default: float
    min: float
    max: float
    help: str
    integer: bool = False
    log: bool = False


SCALE = SurfaceParam("scale", 1.0, 1e-4, 1e4, "multiplies the whole loss (f -> s*f)", log=True)


@dataclass(frozen=True)
class SurfaceSpec:
    id: str
    name: str
    formula: str                      # LaTeX
    summary: str
    domain: tuple                     # (xmin, xmax, ymin, ymax)
    start: tuple
    log_levels: bool
    params: tuple = ()                # SurfaceParam, besides the shared ``scale``
    stationary: Callable = None       # params -> (minima [(x, y)], saddles [(x, y)])
    derived: Callable = None          # params -> extra float64 values appended to sp
    finite_sum: bool = False
    sample_grads: Callable = None     # (packed, x, y) -> (N, 2) per-sample gradients, unscaled

    @property
    def code(self) -> int:
        """The kernels' code of this surface (one source: ``kernels.SURFACE_IDS``)."""
        return k.SURFACE_IDS.index(self.id)

    @property
    def all_params(self) -> tuple:
        return (SCALE,) + tuple(self.params)


def _fixed(minima, saddles=()):
    return lambda p: (list(minima), list(saddles))


def _bowl_data(p) -> np.ndarray:
    """The noisy bowl's samples: centres (1, 0.5) + spread * N(0, I), from ``data_seed``."""
    rng = np.random.default_rng(int(p["data_seed"]))
    n = int(p["n_samples"])
    return np.array([1.0, 0.5]) + p["spread"] * rng.standard_normal((n, 2))


BOWL_CURVATURE = (1.0, 2.0)  # per-sample loss 0.5*(a*(x-cx)^2 + b*(y-cy)^2)


def _bowl_derived(p) -> np.ndarray:
    c = _bowl_data(p)
    mean = c.mean(axis=0)
    var = ((c - mean) ** 2).mean(axis=0)
    return np.concatenate([[*BOWL_CURVATURE, mean[0], mean[1], var[0], var[1]], c[:, 0], c[:, 1]])


def _bowl_stationary(p):
    m = _bowl_data(p).mean(axis=0)
    return [(float(m[0]), float(m[1]))], []


def _bowl_sample_grads(sp, x, y) -> np.ndarray:
    n, h = int(sp[1]), k.BOWL_HEADER
    c = np.stack([sp[h:h + n], sp[h + n:h + 2 * n]], axis=1)
    return sp[4:6] * (np.array([x, y]) - c)


SPARSE_TRUTH = (1.5, 1.5)   # the θ* the targets come from; the minimum is near it, not on it
SPARSE_TARGET_NOISE = 0.1


def _sparse_data(p) -> tuple:
    """The sparse problem's samples (a, b, c), from ``data_seed``: every sample has a dense
    feature a ~ U(0.5, 1.5); exactly round(rare_share·N) of them (at least one, so that the
    minimum is unique) have a rare feature b ~ U(0.5, 1.5), all others b = 0; targets
    c = a x* + b y* + 0.1·N(0, 1) with (x*, y*) = SPARSE_TRUTH."""
    rng = np.random.default_rng(int(p["data_seed"]))
    n = int(p["n_samples"])
    a = rng.uniform(0.5, 1.5, n)
    b = np.zeros(n)
    rare = rng.choice(n, max(1, int(round(p["rare_share"] * n))), replace=False)
    b[rare] = rng.uniform(0.5, 1.5, rare.size)
    c = a * SPARSE_TRUTH[0] + b * SPARSE_TRUTH[1] + SPARSE_TARGET_NOISE * rng.standard_normal(n)
    return a, b, c


def _sparse_minimum(a, b, c) -> np.ndarray:
    return np.linalg.lstsq(np.stack([a, b], axis=1), c, rcond=None)[0]


def _sparse_derived(p) -> np.ndarray:
    a, b, c = _sparse_data(p)
    m = _sparse_minimum(a, b, c)
    r = a * m[0] + b * m[1] - c
    hess = [np.mean(a * a), np.mean(a * b), np.mean(b * b)]
    return np.concatenate([hess, m, [0.5 * np.mean(r * r)], a, b, c])


def _sparse_stationary(p):
    m = _sparse_minimum(*_sparse_data(p))
    return [(float(m[0]), float(m[1]))], []


def _sparse_sample_grads(sp, x, y) -> np.ndarray:
    n, h = int(sp[1]), k.SPARSE_HEADER
    a, b, c = sp[h:h + n], sp[h + n:h + 2 * n], sp[h + 2 * n:h + 3 * n]
    r = a * x + b * y - c
    return np.stack([r * a, r * b], axis=1)


def _rotation(p) -> np.ndarray:
    a = math.radians(p["angle_deg"])
    return np.array([math.cos(a), math.sin(a)])


def _roots_1d(fprime, fsecond, lo, hi, n=4000):
    """Roots of ``fprime`` in [lo, hi] by sign change and bisection; (root, curvature) pairs."""
    xs = np.linspace(lo, hi, n)
    d = fprime(xs)
    roots = []
    for i in np.nonzero(np.sign(d[:-1]) * np.sign(d[1:]) <= 0)[0]:
        a, b = xs[i], xs[i + 1]
        if fprime(a) == 0:
            b = a
        for _ in range(200):
            m = 0.5 * (a + b)
            if np.sign(fprime(m)) == np.sign(fprime(a)):
                a = m
            else:
                b = m
        r = float(0.5 * (a + b))
        if not roots or abs(r - roots[-1][0]) > 1e-9:
            roots.append((r, float(fsecond(r))))
    return roots


def _wavy_stationary(p, domain=(-8.0, 8.0)):
    c = p["c"]
    roots = _roots_1d(lambda x: np.cos(c * x) - c * x * np.sin(c * x),
                      lambda x: -2 * c * np.sin(c * x) - c * c * x * np.cos(c * x), *domain)
    return ([(r, 0.0) for r, h in roots if h > 0], [(r, 0.0) for r, h in roots if h < 0])


def _double_well_stationary(p):
    xs = sorted(r.real for r in np.roots([4.0, 0.0, -4.0, p["tilt"]]) if abs(r.imag) < 1e-12)
    minima, saddles = [], []
    for x in xs:
        # one Newton polish of 4x^3 - 4x + tilt = 0 for full precision
        for _ in range(3):
            x -= (4 * x**3 - 4 * x + p["tilt"]) / (12 * x * x - 4)
        (minima if 12 * x * x - 4 > 0 else saddles).append((float(x), 0.0))
    return minima, saddles


SURFACE_LIST = [
    SurfaceSpec(
        "beale", "Beale",
        r"f=(1.5-x+xy)^2+(2.25-x+xy^2)^2+(2.625-x+xy^3)^2",
        "A classic benchmark: flat plateaus, a curved valley and sharp walls.",
        (-4.5, 4.5, -4.5, 4.5), (1.0, 1.5), True,
        stationary=_fixed([(3.0, 0.5)], [(0.0, 1.0), (0.10053793732415837, -2.644513585023125)])),
    SurfaceSpec(
        "saddle", "Saddle x² − y²", r"f=x^2-y^2",
        "A pure saddle: downhill along y, uphill along x. Plain GD lingers near the centre.",
        (-2.0, 2.0, -2.0, 2.0), (-1.5, 0.01), False,
        stationary=_fixed([], [(0.0, 0.0)])),
    SurfaceSpec(
        "valley", "Valley 0.1x² + 2y²", r"f=0.1x^2+2y^2",
        "An ill-conditioned bowl (condition number 20): GD zig-zags across, momentum glides along.",
        (-6.0, 6.0, -3.0, 3.0), (-5.0, -2.0), True,
        stationary=_fixed([(0.0, 0.0)])),
    SurfaceSpec(
        "noisy_bowl", "Noisy bowl (finite sum)",
        r"f=\frac{1}{N}\sum_{i=1}^{N}\tfrac12\left[(x-c_{i,x})^2+2(y-c_{i,y})^2\right]",
        "The mean of N per-sample quadratic losses: mini-batches give real sampling noise.",
        (-3.0, 3.0, -3.0, 3.0), (-2.0, 2.5), True,
        params=(SurfaceParam("n_samples", 200, 10, 5000, "number of samples N", integer=True),
                SurfaceParam("spread", 1.0, 0.0, 5.0, "std of the sample centres"),
                SurfaceParam("data_seed", 0, 0, 2**31 - 1, "seed of the data set",
                             integer=True)),
        stationary=_bowl_stationary, derived=_bowl_derived, finite_sum=True,
        sample_grads=_bowl_sample_grads),
    SurfaceSpec(
        "rosenbrock", "Rosenbrock", r"f=(1-x)^2+100(y-x^2)^2",
        "A long curved banana valley: easy to reach, slow to follow to (1, 1).",
        (-2.0, 2.0, -1.0, 3.0), (-1.2, 1.0), True, stationary=_fixed([(1.0, 1.0)])),
    SurfaceSpec(
        "himmelblau", "Himmelblau (four minima)",
        r"f=(x^2+y-11)^2+(x+y^2-7)^2",
        "Four equal minima: the start and the optimizer decide which basin wins.",
        (-5.0, 5.0, -5.0, 5.0), (0.0, 0.0), True,
        stationary=_fixed(
            [(3.0, 2.0), (-2.805118086952745, 3.131312518250573),
             (-3.779310253377747, -3.2831859912861696), (3.5844283403304917, -1.8481265269644036)],
            [(-3.0730257507643897, -0.08135304428796751), (0.08667750455539634, 2.884254701174776),
             (3.385154183607021, 0.07385187983774928), (-0.12796134673068005, -1.9537149802445766)])),
    SurfaceSpec(
        "rastrigin", "Rastrigin (many minima)",
        r"f=2A+x^2-A\cos 2\pi x+y^2-A\cos 2\pi y",
        "An egg-crate of local minima around one global minimum at the origin.",
        (-5.12, 5.12, -5.12, 5.12), (3.2, 2.6), False,
        params=(SurfaceParam("A", 10.0, 0.0, 20.0, "depth of the ripples"),),
        stationary=_fixed([(0.0, 0.0)])),
    SurfaceSpec(
        "rotated_valley", "Rotated valley",
        r"f=0.1\,(u^2+\kappa v^2),\ (u,v)=R_{\alpha}(x,y)",
        "The valley turned by an angle: per-coordinate adaptive methods lose their advantage.",
        (-6.0, 6.0, -6.0, 6.0), (-5.0, -2.0), True,
        params=(SurfaceParam("kappa", 20.0, 1.0, 1000.0, "condition number", log=True),
                SurfaceParam("angle_deg", 30.0, -90.0, 90.0, "rotation angle in degrees")),
        stationary=_fixed([(0.0, 0.0)]), derived=_rotation),
    SurfaceSpec(
        "goldstein_price", "Goldstein–Price",
        r"f=[1+(x+y+1)^2(19-14x+3x^2-14y+6xy+3y^2)]\,[30+(2x-3y)^2(18-32x+12x^2+48y-36xy+27y^2)]",
        "Huge dynamic range, one global minimum f = 3 at (0, −1) and three local ones.",
        (-2.0, 2.0, -2.0, 2.0), (-0.5, 1.5), True,
        stationary=_fixed([(0.0, -1.0), (-0.6, -0.4), (1.8, 0.2), (1.2, 0.8)],
                          [(-0.4, -0.6), (0.6, 0.4), (1.4, 0.6), (1.2, -0.2)])),
    SurfaceSpec(
        "wavy", "Wavy x·cos(cx) + y²", r"f=x\cos(cx)+y^2",
        "A row of local minima of different depth: a large step can land in a worse one.",
        (-8.0, 8.0, -4.0, 4.0), (1.0, 2.0), False,
        params=(SurfaceParam("c", 1.0, 0.1, 5.0, "frequency of the waves"),),
        stationary=_wavy_stationary),
    SurfaceSpec(
        "double_well", "Double well", r"f=(x^2-1)^2+t\,x+y^2",
        "A shallow and a deep well: noise can kick a run out of the shallow one.",
        (-2.0, 2.0, -1.5, 1.5), (1.6, 1.0), False,
        params=(SurfaceParam("tilt", 0.3, -1.5, 1.5, "tilt t: makes one well deeper"),),
        stationary=_double_well_stationary),
    SurfaceSpec(
        "plateau", "Well in a plateau", r"f=1-e^{-(x^2+y^2)/(2w^2)}",
        "Far from the well the gradient almost vanishes: plain GD barely moves.",
        (-5.0, 5.0, -5.0, 5.0), (3.5, 3.0), False,
        params=(SurfaceParam("width", 1.0, 0.3, 3.0, "width w of the well"),),
        stationary=_fixed([(0.0, 0.0)])),
    SurfaceSpec(
        "sparse_features", "Sparse features (finite sum)",
        r"f=\frac{1}{N}\sum_{i=1}^{N}\tfrac12\left(a_i x+b_i y-c_i\right)^2,\ b_i=0\text{ for most }i",
        "Least squares where y's feature appears in few samples: most mini-batches say nothing about y.",
        (-3.0, 3.0, -3.0, 3.0), (-2.0, -2.0), True,
        params=(SurfaceParam("n_samples", 200, 10, 5000, "number of samples N", integer=True),
                SurfaceParam("rare_share", 0.05, 0.01, 0.5, "share of samples with the rare feature"),
                SurfaceParam("data_seed", 0, 0, 2**31 - 1, "seed of the data set",
                             integer=True)),
        stationary=_sparse_stationary, derived=_sparse_derived, finite_sum=True,
        sample_grads=_sparse_sample_grads),
]

SURFACES = {s.id: s for s in SURFACE_LIST}
