"""Typed surfaces (``surfaces.custom``) behave like the built-in ones: every optimizer and variant
follows the same trajectory on a built-in surface typed as an expression as on the built-in
(also with gradient noise and schedules), ``run_many`` reproduces ``run`` bit for bit, undefined
regions stop a run with a status instead of an exception, the surface object has the built-in's
interface, bad input is refused with messages naming what is allowed, and a new expression
compiles nothing.

How "the same trajectory" is judged. The typed program and the hand-written built-in formula
round differently (``x*y^3`` is ``x*(y*(y*y))`` in the program, ``x*y*y*y`` in the built-in), so a
gradient may differ in its last bit. Where a run is well conditioned that changes nothing at
1e-9; where it is chaotic (SGD at lr·curvature ≈ 4 bouncing on Rastrigin, BFGS whose line
search flips on one bit) one bit grows to O(1) within a few dozen steps, and no evaluator but the
built-in itself could match it. So each comparison first measures the built-in run against its
own one-bit perturbations (start nudged by one ulp in x or y, scale nudged by one ulp up or
down). If none of them moves the run by more than 1e-10, the run is well conditioned and the
typed run must match it to 1e-9 over all steps, with the same status, stopping step and reason.
Otherwise the typed run must match it to 1e-9 for at least as many steps as the perturbed
built-ins do (it may not go wrong sooner than one bit of noise would). Each test also asserts that
most of its runs were compared in full, so it cannot pass by calling everything chaotic.
"""
from __future__ import annotations

import itertools
import math

import numba
import numpy as np
import pytest
from numba.core import event as numba_event

import surfaces
from optim_core import OPTIMIZERS, engine, run, run_many
from optim_core.api import REASONS
from surfaces import kernels, program

STEPS = 200
RTOL, ATOL = 1e-9, 1e-12          # typed vs built-in
YARD_RTOL = 1e-10                 # built-in vs its one-bit perturbations: "well conditioned"

# The built-in formulas of surfaces/kernels.py, typed (at their default parameters).
TYPED = {
    "beale": "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
    "saddle": "x^2 - y^2",
    "valley": "0.1*x^2 + 2*y^2",
    "rosenbrock": "(1 - x)^2 + 100*(y - x^2)^2",
    "himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "goldstein_price": "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
                       " * (30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
    "double_well": "(x^2 - 1)^2 + 0.3*x + y^2",
    "plateau": "1 - exp(-(x^2 + y^2)/(2*1^2))",
    "rastrigin": "2*10 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
}
# the parameter values written into the texts above
TYPED_DEFAULTS = {"double_well": {"tilt": 0.3}, "plateau": {"width": 1.0}, "rastrigin": {"A": 10.0}}
BEALE = TYPED["beale"]
BEALE_DOMAIN = (-4.5, 4.5, -4.5, 4.5)


def _variants(spec) -> list[dict]:
    """Every combination of the choices of ``spec``'s variant switches ({} when it has none)."""
    choice = [h for h in spec.hyper if h.is_choice]
    return [dict(zip((h.name for h in choice), combo)) for combo in itertools.product(*(h.choices for h in choice))]


OPTIMIZER_VARIANTS = [pytest.param(oid, v, id="-".join([oid] + [f"{k}={c}" for k, c in v.items()]))
                      for oid, spec in OPTIMIZERS.items() for v in _variants(spec)]


def _typed(sid: str, scale: float = 1.0) -> surfaces.CustomSurface:
    return surfaces.custom(TYPED[sid], surfaces.get(sid).domain, scale=scale)


def _first_difference(a, b, rtol: float):
    """The first row where runs ``a`` and ``b`` differ beyond ``rtol`` (xy or loss; NaN == NaN),
    the shorter length when one stops sooner or with another status, or None: the same run."""
    n = min(len(a.xy), len(b.xy))
    bad = ~np.isclose(a.xy[:n], b.xy[:n], rtol=rtol, atol=ATOL).all(axis=1)
    bad |= ~np.isclose(a.loss[:n], b.loss[:n], rtol=rtol, atol=ATOL, equal_nan=True)
    if bad.any():
        return int(np.argmax(bad))
    if len(a.xy) != len(b.xy) or (a.status, a.status_step, a.reason) != (b.status, b.status_step, b.reason):
        return n
    return None


def _one_bit_horizon(oid, hyper, sid, start, scale, **opts):
    """The first step at which a one-bit perturbation of the built-in run (start ± one ulp in x or
    y, scale ± one ulp) moves it by more than YARD_RTOL; None when none does (well conditioned)."""
    base = run(oid, sid, start, STEPS, hyper, surface_params={"scale": scale}, **opts)
    perturbed = []
    for i in (0, 1):
        s = np.array(start, dtype=float)
        s[i] = np.nextafter(s[i], np.inf)
        perturbed.append(run(oid, sid, s, STEPS, hyper, surface_params={"scale": scale}, **opts))
    for s in (np.nextafter(scale, np.inf), np.nextafter(scale, -np.inf)):
        perturbed.append(run(oid, sid, start, STEPS, hyper, surface_params={"scale": float(s)}, **opts))
    steps = [k for k in (_first_difference(base, p, YARD_RTOL) for p in perturbed) if k is not None]
    return min(steps, default=None)


def check_typed_run(oid, hyper, sid, scale=1.0, **opts) -> bool:
    """Typed ``sid`` vs the built-in, from the built-in's start (see the module docstring).
    Returns True when the run was well conditioned and compared over all its steps."""
    start = surfaces.get(sid).start
    built = run(oid, sid, start, STEPS, hyper, surface_params=None if scale == 1.0 else {"scale": scale}, **opts)
    typed = run(oid, _typed(sid, scale), start, STEPS, hyper, **opts)
    assert typed.surface == "custom" and typed.hyper == built.hyper
    horizon = _one_bit_horizon(oid, hyper, sid, start, scale, **opts)
    where = f"{oid} {hyper} on typed {sid} (scale {scale}, {opts})"
    if horizon is None:
        assert (typed.status, typed.status_step, typed.reason) == (built.status, built.status_step, built.reason), where
        assert len(typed.xy) == len(built.xy) == len(typed.loss), where
        assert np.allclose(typed.xy, built.xy, rtol=RTOL, atol=ATOL), where
        assert np.allclose(typed.loss, built.loss, rtol=RTOL, atol=ATOL, equal_nan=True), where
        return True
    k = _first_difference(built, typed, RTOL)
    assert k is None or k >= horizon, (f"{where}: differs from step {k}, but one bit of noise moves the built-in "
                                       f"run only from step {horizon}")
    return False


# ---------- 1. every optimizer and variant: typed built-ins follow the built-in trajectories ----------

def test_the_typed_texts_are_written_at_the_catalogue_defaults():
    for sid, params in TYPED_DEFAULTS.items():
        for name, value in params.items():
            assert surfaces.get(sid).params[name] == value, (sid, name)


@pytest.mark.parametrize("oid,variant", OPTIMIZER_VARIANTS)
def test_typed_builtin_surfaces_give_the_builtin_trajectories(oid, variant):
    full = [sid for sid in TYPED if check_typed_run(oid, variant, sid)]
    assert len(full) >= 2 * len(TYPED) // 3, f"only {full} were well conditioned"


# ---------- 2. with gradient noise and with learning-rate schedules ----------

OPTIONS = {
    "noise": {"grad_noise": 0.5, "seed": 3},
    "step schedule": {"schedule": {"kind": "step", "every": 50, "gamma": 0.5, "warmup": 10}},
    "exponential schedule + noise": {"schedule": {"kind": "exponential", "decay": 0.01}, "grad_noise": 0.5,
                                     "seed": 3},
}


@pytest.mark.parametrize("options", list(OPTIONS), ids=list(OPTIONS))
@pytest.mark.parametrize("oid,variant", [("sgd", {}), ("momentum", {"form": "ema"}), ("nag", {"variant": "pytorch"}),
                                         ("adam", {}), ("newton", {})])
def test_typed_surfaces_match_with_noise_and_schedules(oid, variant, options):
    full = [sid for sid in TYPED if check_typed_run(oid, variant, sid, **OPTIONS[options])]
    assert len(full) >= 2 * len(TYPED) // 3, f"only {full} were well conditioned"


def test_noise_changes_the_typed_run_as_it_changes_the_builtin():
    s = surfaces.get("valley")
    quiet = run("sgd", _typed("valley"), s.start, 50)
    noisy = run("sgd", _typed("valley"), s.start, 50, grad_noise=0.5, seed=3)
    assert not np.allclose(quiet.xy, noisy.xy)
    np.testing.assert_allclose(noisy.xy, run("sgd", "valley", s.start, 50, grad_noise=0.5, seed=3).xy,
                               rtol=RTOL, atol=ATOL)


# ---------- 3. run_many on a typed surface reproduces run bit for bit ----------

def _grid_starts(domain, side=8):
    x0, x1, y0, y1 = domain
    g = np.array(np.meshgrid(np.linspace(x0, x1, side), np.linspace(y0, y1, side))).reshape(2, -1).T
    return np.vstack([g, [[1.0, 1.5], [3.0, 0.5], [0.0, 1.0], [-4.4, 4.4], [4.4, -4.4], [0.3, -0.2]]])  # 70 > BLOCK


GRID_STATUS = {0: "ok", 1: "diverged", 2: "escaped"}


def _assert_grid_is_run(oid, surface, starts, steps, hyper=None, tol=1e-6):
    g = run_many(oid, surface, starts, steps, hyper, tol=tol)
    f_min = surface.f_min
    for i, st in enumerate(starts):
        r = run(oid, surface, st, steps, hyper)
        assert GRID_STATUS[int(g.status[i])] == r.status, (oid, st)
        np.testing.assert_array_equal(g.final_xy[i], r.xy[-1], err_msg=f"{oid} from {st}")
        np.testing.assert_array_equal(g.final_loss[i], r.loss[-1], err_msg=f"{oid} from {st}")
        # a stopping step whose point is kept is the last row, and it is not a hit
        counted = r.loss[:-1] if r.status != "ok" and len(r.xy) - 1 == r.status_step else r.loss
        hits = np.nonzero(counted - f_min <= tol)[0]
        assert g.steps_to_tol[i] == (hits[0] if hits.size else -1), (oid, st)
    return g


@pytest.mark.parametrize("oid,hyper", [("sgd", {"lr": 0.01}), ("momentum", {"lr": 0.003}), ("adam", None),
                                       ("rprop", None), ("newton", None), ("diag_newton", None), ("bfgs", None),
                                       ("nag", {"lr": 0.003}), ("nag", {"lr": 0.003, "variant": "pytorch"})])
def test_run_many_on_a_typed_surface_is_run_bit_for_bit(oid, hyper):
    s = surfaces.custom(BEALE, BEALE_DOMAIN)
    g = _assert_grid_is_run(oid, s, _grid_starts(BEALE_DOMAIN), 150, hyper)
    if oid in ("sgd", "momentum"):
        assert (g.status != 0).sum() >= 5 and (g.status == 0).sum() >= 5   # both kinds of start


@pytest.mark.parametrize("oid,hyper", [("newton", {"damping": 0.5}), ("nag", {"lr": 0.01}), ("adam", {"lr": 0.05}),
                                       ("bfgs", None)])
def test_run_many_is_run_bit_for_bit_on_a_function_that_calls_the_maths_library(oid, hyper):
    """The block passes' other branch: programs with sin, exp, log run the one-point Hessian per lane."""
    s = surfaces.custom("sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2) + log(1 + exp(x))", (-3, 3, -3, 3))
    _assert_grid_is_run(oid, s, _grid_starts(s.domain), 120, hyper)


def test_run_many_through_undefined_regions_is_run_bit_for_bit():
    s = surfaces.custom("log(x) + y^2", (-1, 3, -2, 2))
    starts = np.array([[0.5, 0.5], [2.0, -1.0], [0.1, 0.0], [2.9, 1.9], [0.5, 0.0]])
    g = _assert_grid_is_run("sgd", s, starts, 50, {"lr": 1.0})
    assert (g.status == 1).any() and np.isnan(g.final_loss[g.status == 1]).all()
    s = surfaces.custom("1/x + y^2", (-1, 1, -1, 1))
    g = _assert_grid_is_run("sgd", s, np.array([[-0.5, 0.5], [-0.5, -0.5], [0.9, 0.1]]), 30, {"lr": 0.125})
    assert GRID_STATUS[int(g.status[0])] == "diverged" and g.final_loss[0] == math.inf


# ---------- 4. undefined regions stop a run, never raise ----------

NONFINITE = REASONS[engine.R_NONFINITE]

UNDEFINED = [
    # text, optimizer, hyper, start, status, status_step, reason, stored points, last loss
    ("log(x) + y^2", "sgd", {"lr": 1.0}, (0.5, 0.5), "diverged", 1, NONFINITE, 2, "nan"),    # to x = -1.5
    ("1/x + y^2", "sgd", {"lr": 0.125}, (-0.5, 0.5), "diverged", 1, NONFINITE, 2, "inf"),    # onto x = 0 exactly
    ("sqrt(x) + y^2", "sgd", {"lr": 1.0}, (0.5, 0.5), "diverged", 1, NONFINITE, 2, "nan"),   # to x < 0
    # onto x = 0, where sqrt is 0 but its slope is undefined: the next step is NaN and is not kept
    ("sqrt(x) + y^2", "sgd", {"lr": 0.25}, (0.25, 0.5), "diverged", 2, NONFINITE, 2, "finite"),
    ("exp(x^2) + y^2", "sgd", {"lr": 1.0}, (2.9, 0.5), "diverged", 1, NONFINITE, 2, "inf"),  # overflow
    ("x^y", "adam", {"lr": 0.1}, (0.5, 0.5), "diverged", None, NONFINITE, None, "nan"),      # a negative base
    ("0/x + y^2", "sgd", {"lr": 0.1}, (0.0, 0.5), "diverged", 1, NONFINITE, 1, "nan"),       # undefined start
    ("x + y^2", "newton", None, (0.5, 0.5), "diverged", 1, REASONS[engine.R_SINGULAR], 1, "finite"),
    ("x + y^2", "diag_newton", None, (0.5, 0.5), "diverged", 1, REASONS[engine.R_ZERO_CURVATURE], 1, "finite"),
    ("-x - y", "sgd", {"lr": 1.0}, (0.5, 0.5), "escaped", 30, REASONS[engine.R_ESCAPED], 31, "finite"),
]


@pytest.mark.parametrize("text,oid,hyper,start,status,step,reason,points,last", UNDEFINED,
                         ids=[f"{u[0]}-{u[1]}-{u[3]}" for u in UNDEFINED])
def test_undefined_regions_stop_the_run_with_a_status(text, oid, hyper, start, status, step, reason, points, last):
    s = surfaces.custom(text, (-3, 3, -3, 3))
    r = run(oid, s, start, 100, hyper)
    assert (r.status, r.reason) == (status, reason) and r.reason
    if step is not None:
        assert r.status_step == step
    if points is not None:
        assert len(r.xy) == len(r.loss) == points
    assert np.all(np.isfinite(r.xy))                        # only finite points are stored
    assert np.all(np.isfinite(r.loss[:-1]))
    assert {"nan": math.isnan, "inf": lambda v: v == math.inf, "finite": math.isfinite}[last](r.loss[-1])
    g = run_many(oid, s, [start, start], 100, hyper)
    assert [GRID_STATUS[int(c)] for c in g.status] == [status, status]
    np.testing.assert_array_equal(g.final_xy[0], r.xy[-1])


def test_an_undefined_point_evaluates_to_nan_or_inf_without_an_error():
    s = surfaces.custom("log(x) + sqrt(y)")
    assert math.isnan(s.value(-1.0, 1.0)) and math.isnan(s.value(1.0, -1.0))
    assert s.value(0.0, 1.0) == -math.inf
    assert surfaces.custom("1/x + y^2").value(0.0, 1.0) == math.inf
    v = s.value(np.array([-1.0, 1.0, 2.0]), np.array([1.0, 1.0, 4.0]))
    assert math.isnan(v[0]) and v[1] == 1.0 and v[2] == pytest.approx(math.log(2.0) + 2.0)


# ---------- 5. the surface object ----------

def test_a_typed_saddle_has_its_saddle_and_no_minimum():
    s = surfaces.custom("x^2 - y^2", (-2, 2, -2, 2))
    assert isinstance(s, surfaces.Surface) and isinstance(s, surfaces.CustomSurface)
    assert s.minima == [] and len(s.saddles) == 1
    np.testing.assert_allclose(s.saddles[0], (0.0, 0.0), atol=1e-9)
    assert math.isnan(s.f_min)
    assert s.domain == (-2.0, 2.0, -2.0, 2.0) and s.name == "x^2 - y^2" and s.smooth
    assert s.id == "custom" and s.code == kernels.CUSTOM


def test_typed_beale_has_the_builtin_stationary_points():
    s, b = surfaces.custom(BEALE, BEALE_DOMAIN), surfaces.get("beale")
    assert len(s.minima) == 1
    np.testing.assert_allclose(s.minima[0], (3.0, 0.5), atol=1e-9)
    assert abs(s.f_min) < 1e-12
    assert len(s.saddles) == len(b.saddles)
    np.testing.assert_allclose(sorted(s.saddles), sorted(b.saddles), atol=1e-9)
    assert s.stationary.maxima == [] and s.stationary.notes == ()
    assert s.log_levels is True and s.escape_box == b.escape_box


def test_the_same_arguments_give_the_same_object_and_the_key_round_trips():
    s = surfaces.custom(BEALE, BEALE_DOMAIN)
    assert surfaces.custom(BEALE, BEALE_DOMAIN) is s
    assert surfaces.custom("  " + BEALE + " ", [-4.5, 4.5, -4.5, 4.5]) is s
    assert surfaces.custom(BEALE, BEALE_DOMAIN, scale=10) is not s
    for t in (s, surfaces.custom(BEALE, BEALE_DOMAIN, scale=10), surfaces.custom("x^2 - y^2", (-2, 2, -2, 2))):
        hash(t.key)
        assert surfaces.from_key(t.key) is t
    assert s.key == ("custom", BEALE, BEALE_DOMAIN, 1.0)
    assert surfaces.from_key(surfaces.get("beale").key).key == surfaces.get("beale").key


@pytest.mark.parametrize("x,y", [(1.0, 2.0), (np.float64(-0.5), 0.25), (np.linspace(-1, 1, 5), 0.5),
                                 (np.ones((3, 4)), np.linspace(-2, 2, 12).reshape(3, 4)),
                                 (np.zeros((2, 1)), np.arange(3.0))])
def test_value_grad_hess_have_the_builtin_shapes_and_values(x, y):
    s, b = surfaces.custom(BEALE, BEALE_DOMAIN), surfaces.get("beale")
    for name in ("value", "grad", "hess"):
        got, want = getattr(s, name)(x, y), getattr(b, name)(x, y)
        assert type(got) is type(want) and np.shape(got) == np.shape(want), name
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * np.max(np.abs(want)))
    assert isinstance(s.value(1.0, 2.0), float)
    assert s.grad(1.0, 2.0).shape == (2,) and s.hess(1.0, 2.0).shape == (2, 2)
    h = s.hess(x, y)
    np.testing.assert_array_equal(h[..., 0, 1], h[..., 1, 0])


def test_scale_multiplies_value_grad_and_hess():
    one, ten = surfaces.custom(BEALE, BEALE_DOMAIN), surfaces.custom(BEALE, BEALE_DOMAIN, scale=10)
    x, y = np.meshgrid(np.linspace(-4, 4, 9), np.linspace(-4, 4, 7))
    for name in ("value", "grad", "hess"):
        np.testing.assert_array_equal(getattr(ten, name)(x, y), 10 * getattr(one, name)(x, y))
    assert ten.params == {"scale": 10.0}
    np.testing.assert_allclose(ten.minima, one.minima, atol=1e-9)   # the search does not depend on the scale
    assert ten.start == one.start


@pytest.mark.parametrize("oid", ["sgd", "momentum", "adam", "rmsprop", "newton", "bfgs"])
def test_a_scaled_typed_surface_runs_like_the_scaled_builtin(oid):
    hyper = {"lr": 1e-3} if oid in ("sgd", "momentum") else None
    full = [sid for sid in ("beale", "valley", "rosenbrock", "himmelblau", "plateau", "double_well")
            if check_typed_run(oid, hyper, sid, scale=10.0)]
    assert len(full) >= 4, full


def test_latex_of_a_typed_surface():
    s = surfaces.custom("x^2 - y^2", (-2, 2, -2, 2))
    assert isinstance(s.latex, str) and s.latex
    assert len(s.gradient_latex) == 2 and len(s.hessian_latex) == 3
    assert s.spec.formula == "f=" + s.latex


# ---------- 6. refusals ----------

def test_surface_params_with_a_surface_object_are_refused():
    s = surfaces.custom(BEALE, BEALE_DOMAIN)
    with pytest.raises(ValueError, match="surface_params"):
        run("adam", s, (1.0, 1.5), 10, surface_params={"scale": 2})
    with pytest.raises(ValueError, match="surface_params"):
        run_many("adam", s, [(1.0, 1.5)], 10, surface_params={"scale": 2})
    run("adam", s, (1.0, 1.5), 10, surface_params={})   # nothing to override: accepted


@pytest.mark.parametrize("text", ["x +", "x + (y", "foo(x)", "x $ y", "", "2 ** * x"])
def test_a_refused_expression_raises_with_its_position(text):
    with pytest.raises(surfaces.ExpressionError) as e:
        surfaces.custom(text, (-1, 1, -1, 1))
    assert isinstance(e.value, ValueError)
    if text == "x +":
        assert e.value.position == 3 and "character 4" in str(e.value)
    assert e.value.position is None or 0 <= e.value.position <= len(text)


def test_a_non_text_expression_is_refused():
    with pytest.raises(surfaces.ExpressionError):
        surfaces.custom(42)


@pytest.mark.parametrize("domain", [(1, 0, 0, 1), (0, 1, 0, float("nan")), (0, 1e9, 0, 1), "abc", (0, 1, 0),
                                    (0, 1, 0, 1, 2), (0, 1e-5, 0, 1), (0, 1, float("inf"), 2), None, (0, 1, 0, "y")])
def test_a_bad_domain_is_refused_naming_the_allowed_range(domain):
    with pytest.raises(ValueError) as e:
        surfaces.custom("x^2 + y^2", domain)
    msg = str(e.value)
    assert not isinstance(e.value, surfaces.ExpressionError)
    assert "domain" in msg and "allowed" in msg and "x0 < x1" in msg and "±10000" in msg and "0.001" in msg


@pytest.mark.parametrize("scale", [0, -1, 1e5, float("nan"), "2"])
def test_a_bad_scale_is_refused(scale):
    with pytest.raises(ValueError, match="scale"):
        surfaces.custom("x^2 + y^2", scale=scale)


def test_mini_batches_on_a_typed_surface_are_refused():
    s = surfaces.custom("x^2 + y^2")
    for fn, starts in ((run, (1.0, 1.0)), (run_many, [(1.0, 1.0)])):
        with pytest.raises(ValueError, match="batch_size") as e:
            fn("sgd", s, starts, 10, batch_size=4)
        assert "not a finite sum" in str(e.value)
    with pytest.raises(ValueError, match="not a finite sum"):
        s.sample_grads(0.0, 0.0)


# ---------- 7. a new expression compiles nothing ----------

_FRESH = itertools.count(1)


def _compiled(oid) -> list:
    """What Numba holds for the dispatchers a typed run goes through: per dispatcher the number of
    compiled signatures and of its disk-cache hits and misses."""
    dispatchers = [engine.trajectory_kernel(oid, True), engine.grid_kernel(oid, True), kernels.evaluate_many,
                   program.evaluate_grid]
    return [(len(d.signatures), sum(d.stats.cache_hits.values()), sum(d.stats.cache_misses.values()))
            for d in dispatchers]


def _use(s: surfaces.CustomSurface, oid: str):
    """Everything the app does with a new expression: draw it, run, run a grid, find its points."""
    x0, x1, y0, y1 = s.domain
    X, Y = np.meshgrid(np.linspace(x0, x1, 48), np.linspace(y0, y1, 40))
    s.value(X, Y), s.grad(X, Y), s.hess(1.0, 0.5)
    run(oid, s, s.start, 100)
    run(oid, s, s.start, 100, grad_noise=0.1, seed=1, schedule={"kind": "step", "every": 10, "gamma": 0.5})
    run_many(oid, s, np.stack([X.ravel()[::7], Y.ravel()[::7]], axis=1), 50)
    assert s.stationary is not None and isinstance(s.f_min, float)


@pytest.mark.parametrize("oid", ["adam", "newton"])
def test_a_new_expression_compiles_nothing(oid):
    # How: Numba fires a "numba:compile" event around every real compilation (a dispatcher's
    # cache miss, in any thread: listeners are process-wide), and never for a call that reuses a
    # compiled signature. A recorder installed around everything a new expression goes through
    # must record no event. Loading another specialisation from the disk cache would fire no
    # event, so the dispatchers' signature counts and cache-hit counts must not change either
    # (a new expression is new data for the same machine code, never a new specialisation).
    with numba_event.install_recorder("numba:compile") as control:   # the method sees a compilation
        numba.njit(lambda a: a + 1)(1)
    assert control.buffer
    _use(surfaces.custom("(x - 1)^2 + 3*(y + 0.5)^2", (-3, 3, -3, 3)), oid)   # warm-up: polynomial, call-free
    before = _compiled(oid)
    with numba_event.install_recorder("numba:compile") as rec:
        # texts never seen in this process (a fresh constant each), with another program length,
        # stack depth, functions that call the maths library, min/max, and a scale
        for text, domain, scale in [
                (f"sin(3*x)*exp(-y^2/4) + 0.1*x^2 + log(1 + y^2) + {next(_FRESH)}e-9*y", (-4, 4, -3, 3), 1.0),
                (f"max(abs(x), 2*y^2) - min(x, y)/7 + {next(_FRESH)}e-9*x", (-2, 2, -2, 2), 1.0),
                (BEALE + f" + {next(_FRESH)}e-11*x*y", BEALE_DOMAIN, 3.0)]:
            _use(surfaces.custom(text, domain, scale=scale), oid)
    assert rec.buffer == [], [ev.data["dispatcher"] for _, ev in rec.buffer]
    assert _compiled(oid) == before
