"""Hypothesis fuzz over ``optim_core.run`` / ``run_many`` at and beyond the edges of every range
(issue 17, hostile input).

At the edges (every value allowed, however extreme): the only outcome is a result whose status is
ok, diverged or escaped, and an "ok" run has no NaN or infinity in its path or its loss. One value
beyond its range (or of the wrong type): a ``ValueError`` whose message names the argument and
says what is allowed. Never another exception; never a hang (steps are bounded by the engine's own
limit, and each call here is timed). Typed surfaces with undefined regions (log, 1/x, sqrt) are
among the surfaces.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surfaces
from optim_core import run, run_many
from optim_core.api import MAX_NOISE, MAX_RUN_STEPS, MAX_SEED, MAX_STEPS
from optim_core.catalogue import OPTIMIZERS
from optim_core.schedules import PARAMS as SCHEDULE_PARAMS
from optim_core.schedules import WARMUP

SLOW_CALL = 30.0          # seconds: far above any bounded call here, far below a hang
TYPED = [                 # each with a region where it is undefined (or overflows) inside its box
    ("log(x) + y^2", (-2.0, 2.0, -2.0, 2.0)),
    ("1/x + y^2", (-2.0, 2.0, -2.0, 2.0)),
    ("sqrt(x) + (y - 1)^2", (-2.0, 2.0, -2.0, 2.0)),
    ("log(x*y) + 0.1*(x^2 + y^2)", (-3.0, 3.0, -3.0, 3.0)),
    ("1/(x^2 + y^2)", (-1.0, 1.0, -1.0, 1.0)),
    ("exp(10*x) + y^2", (-10.0, 10.0, -1.0, 1.0)),
    ("x^64 + y^2", (-3.0, 3.0, -3.0, 3.0)),
    ("abs(x) + max(y, 0)", (-1.0, 1.0, -1.0, 1.0)),
]
SURFACE_IDS = tuple(surfaces.SURFACES)
NAMES_RANGE = ("allowed", "choose one of", "must", "use ", "are: ", "only")   # what to give instead


def _typed(i: int):
    return surfaces.custom(*TYPED[i])


def _surface_of(key):
    return _typed(key[1]) if key[0] == "typed" else key[0]


def _spec_of(key):
    return _typed(key[1]).spec if key[0] == "typed" else surfaces.SURFACES[key[0]]


def _edges(lo, hi, default, integer=False):
    mid = math.sqrt(lo * hi) if lo > 0 else (lo + hi) / 2
    vals = [lo, hi, default, int(round(mid)) if integer else mid]
    if not integer:
        vals += [np.float64(hi), np.nextafter(hi, lo), np.nextafter(lo, hi)]
    return st.sampled_from(vals)


def _beyond(lo, hi, integer=False):
    vals = [np.nextafter(lo, -math.inf), np.nextafter(hi, math.inf), lo - 1, hi * 10 + 1, math.nan, math.inf,
            -math.inf, "1", None, [lo], True, complex(lo, 1)]
    if integer:
        vals.append(lo + 0.5)
    return st.sampled_from(vals)


@st.composite
def scenes(draw):
    """A valid call: (kwargs of run, the surface's key). Every value is at or inside its range."""
    oid = draw(st.sampled_from(tuple(OPTIMIZERS)))
    spec = OPTIMIZERS[oid]
    key = draw(st.one_of(st.sampled_from(SURFACE_IDS).map(lambda s: (s,)),
                         st.integers(0, len(TYPED) - 1).map(lambda i: ("typed", i))))
    sspec = _spec_of(key)
    hyper = {}
    for h in spec.hyper:
        if draw(st.booleans()):
            hyper[h.name] = draw(st.sampled_from(h.choices) if h.is_choice else _edges(h.min, h.max, h.default,
                                                                                       h.integer))
    surface_params = {}
    if key[0] != "typed":
        for p in sspec.all_params:
            if draw(st.integers(0, 3)) == 0:
                surface_params[p.name] = draw(_edges(p.min, p.max, p.default, p.integer))
    x0, x1, y0, y1 = sspec.domain
    start = draw(st.one_of(
        st.tuples(st.floats(x0, x1), st.floats(y0, y1)),
        st.sampled_from([(x0, y0), (x1, y1), (x0, y1), ((x0 + x1) / 2, (y0 + y1) / 2), (0.0, 0.0),
                         (10 * x1, 10 * y1), (1e6, -1e6), (1e300, 1e300), (-1e-300, 5e-324)])))
    schedule = None
    if spec.schedulable and draw(st.booleans()):
        kind = draw(st.sampled_from(tuple(SCHEDULE_PARAMS)))
        schedule = {"kind": kind}
        for name, (default, lo, hi, integer) in list(SCHEDULE_PARAMS[kind].items()) + [("warmup", WARMUP)]:
            if draw(st.booleans()):
                schedule[name] = draw(_edges(lo, hi, default, integer))
    kwargs = dict(optimizer=oid, start=start, steps=draw(st.sampled_from([1, 2, 17, 200, 200, MAX_STEPS])),
                  hyper=hyper, schedule=schedule, grad_noise=draw(st.sampled_from([0.0, 1e-3, 1.0, MAX_NOISE])),
                  seed=draw(st.sampled_from([0, 1, 12345, MAX_SEED, np.int64(7)])),
                  underflow=draw(st.sampled_from([0.0, 6.1e-5, 1e-2, 1.0])))
    if surface_params:
        kwargs["surface_params"] = surface_params
    if sspec.finite_sum:
        n = int(surface_params.get("n_samples", next(p.default for p in sspec.all_params if p.name == "n_samples")))
        kwargs["batch_size"] = draw(st.sampled_from([None, 1, n // 2 or 1, n]))
    return kwargs, key


def _call(fn, *args, **kwargs):
    t0 = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    finally:
        assert time.perf_counter() - t0 < SLOW_CALL, "a bounded call took too long"


def check_result(res, steps: int) -> None:
    assert res.status in ("ok", "diverged", "escaped")
    if res.status == "ok":
        assert res.status_step == 0 and len(res.xy) == steps + 1 and len(res.loss) == steps + 1
        assert np.all(np.isfinite(res.xy)) and np.all(np.isfinite(res.loss)), "NaN or inf in an ok run"
        for name in ("update", "lr", "raw_xy"):
            assert np.all(np.isfinite(res.extra.get(name, 0.0))), f"NaN or inf in an ok run's {name}"
        # not checked: the gradient and the optimizer's state. Both may be non-finite in an ok run
        # whose points and losses are finite: Rprop moves by the gradient's sign only and walks on
        # through a NaN gradient (sqrt(x) at x = 0); AdaDelta's second moment overflows to inf where
        # g² does (1/x at x = 3e-152) while its step underflows to 0. Engine semantics: reported.
    else:
        assert 1 <= res.status_step <= steps and res.reason


ENGINE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ENGINE
@given(scenes())
def test_run_at_the_range_edges_is_ok_diverged_or_escaped(scene):
    kwargs, key = scene
    res = _call(run, surface=_surface_of(key), **kwargs)
    check_result(res, kwargs["steps"])


# ---------------------------------------------------------------- one value beyond its range

@st.composite
def one_beyond(draw):
    """A valid call with one argument beyond its range: (kwargs, the surface key, the words the
    refusal must name)."""
    kwargs, key = draw(scenes())
    spec = OPTIMIZERS[kwargs["optimizer"]]
    sspec = _spec_of(key)
    what = draw(st.sampled_from(["hyper", "steps", "seed", "grad_noise", "underflow", "start", "surface_params",
                                 "schedule", "batch_size", "optimizer", "surface", "option"]))
    if what == "hyper":
        h = draw(st.sampled_from(spec.hyper))
        bad = (draw(st.sampled_from(["nope", 0, 1, None, [h.choices[0]], str(h.choices[-1]).upper()]))
               if h.is_choice else draw(_beyond(h.min, h.max, h.integer)))
        if h.is_choice and any(bad == c and type(bad) is type(c) for c in h.choices):
            bad = "nope"
        kwargs["hyper"] = dict(kwargs["hyper"], **{h.name: bad})
        return kwargs, key, (h.name,)
    if what == "steps":
        kwargs["steps"] = draw(st.sampled_from([0, -1, MAX_STEPS + 1, 2**70, 5.0, "5", True, None]))
        return kwargs, key, ("steps",)
    if what == "seed":
        kwargs["seed"] = draw(st.sampled_from([-1, MAX_SEED + 1, 2**64, 1.5, 1.0, "0", True, None]))
        return kwargs, key, ("seed",)
    if what == "grad_noise":
        kwargs["grad_noise"] = draw(_beyond(0.0, MAX_NOISE))
        return kwargs, key, ("grad_noise",)
    if what == "underflow":
        kwargs["underflow"] = draw(_beyond(0.0, 1.0))
        return kwargs, key, ("underflow",)
    if what == "start":
        kwargs["start"] = draw(st.sampled_from([(math.nan, 0.0), (0.0, math.inf), (-math.inf, 1.0), (1.0,),
                                                (1.0, 2.0, 3.0), "ab", None, [[1.0, 2.0]], (1j, 0.0), {}]))
        return kwargs, key, ("start",)
    if what == "surface_params":
        if key[0] == "typed":     # a typed surface has its parameters already
            kwargs["surface_params"] = {"scale": 2.0}
            return kwargs, key, ("surface_params",)
        p = draw(st.sampled_from(sspec.all_params))
        bad = draw(st.one_of(_beyond(p.min, p.max, p.integer).map(lambda v: {p.name: v}),
                             st.sampled_from([{"nope": 1.0}, {1: 2.0}, {None: 1.0}, [("scale", 1.0)], "scale=2"])))
        kwargs["surface_params"] = bad
        named = [k for k in bad if isinstance(k, str)] if isinstance(bad, dict) else []
        return kwargs, key, (named[0] if named else "surface_params",)
    if what == "schedule":
        if not spec.schedulable:
            kwargs["schedule"] = {"kind": "step"}
            return kwargs, key, ("schedule",)
        kind = draw(st.sampled_from([k for k in SCHEDULE_PARAMS if SCHEDULE_PARAMS[k]]))
        name, (_, lo, hi, integer) = draw(st.sampled_from(list(SCHEDULE_PARAMS[kind].items()) + [("warmup", WARMUP)]))
        bad = draw(st.one_of(_beyond(lo, hi, integer).map(lambda v: {"kind": kind, name: v}),
                             st.sampled_from([{"kind": "nope"}, {"kind": "step", "nope": 1}, {1: 2, "kind": "step"},
                                              "step", ["step"], {"kind": None}])))
        kwargs["schedule"] = bad
        return kwargs, key, (name if isinstance(bad, dict) and name in bad else "schedule",)
    if what == "batch_size":
        if sspec.finite_sum:
            n = int(kwargs.get("surface_params", {}).get("n_samples", 200))
            kwargs["batch_size"] = draw(st.sampled_from([0, -1, n + 1, 1.5, "2", True]))
        else:
            kwargs["batch_size"] = draw(st.sampled_from([1, 0, 10]))
        return kwargs, key, ("batch_size",)
    if what == "optimizer":
        kwargs["optimizer"] = draw(st.sampled_from(["nope", "SGD", "", None, 1, ("sgd",), "<script>"]))
        kwargs["hyper"] = {}
        return kwargs, key, ("optimizer",)
    if what == "surface":
        return kwargs, ("bad", draw(st.sampled_from(["nope", "", None, 5, ("valley",), "VALLEY", "custom"]))), \
            ("surface",)
    kwargs[draw(st.sampled_from(["foo", "lr", "steps_max", "batch"]))] = 1
    return kwargs, key, ("option",)


@ENGINE
@given(one_beyond())
def test_one_value_beyond_its_range_is_a_value_error_naming_it(case):
    kwargs, key, names = case
    surface = key[1] if key[0] == "bad" else _surface_of(key)
    with pytest.raises(ValueError) as refused:
        _call(run, surface=surface, **kwargs)
    message = str(refused.value)
    assert any(n in message for n in names) or (names == ("option",) and "has no option" in message), message
    assert any(w in message for w in NAMES_RANGE), message


# ---------------------------------------------------------------- run_many

@st.composite
def grids(draw):
    kwargs, key = draw(scenes())
    kwargs["steps"] = min(kwargs["steps"], 200)
    spec, sspec = OPTIMIZERS[kwargs["optimizer"]], _spec_of(key)
    n = draw(st.integers(1, 6))
    x0, x1, y0, y1 = sspec.domain
    corners = [(x0, y0), (x1, y1), (x1, y0), (1e300, -1e300), ((x0 + x1) / 2, (y0 + y1) / 2)]
    kwargs["starts"] = np.array(draw(st.lists(st.sampled_from(corners), min_size=n, max_size=n)))
    del kwargs["start"]
    numeric = [h for h in spec.hyper if not h.is_choice]
    grid = {}
    for h in draw(st.lists(st.sampled_from(numeric), max_size=2, unique_by=lambda h: h.name)):
        grid[h.name] = [draw(_edges(h.min, h.max, h.default, h.integer)) for _ in range(n)]
    kwargs["hyper_grid"] = grid
    kwargs["seeds"] = draw(st.sampled_from([None, list(range(n)), [MAX_SEED] * n]))
    kwargs["tol"] = draw(st.sampled_from([0.0, 1e-6, math.inf]))
    kwargs["paths"] = draw(st.booleans())
    return kwargs, key


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids())
def test_run_many_at_the_range_edges_gives_finite_ok_runs(grid):
    kwargs, key = grid
    g = _call(run_many, surface=_surface_of(key), **kwargs)
    n = len(kwargs["starts"])
    assert g.status.shape == (n,) and set(np.unique(g.status)) <= {0, 1, 2}
    ok = g.status == 0
    assert np.all(np.isfinite(g.final_xy[ok])) and np.all(np.isfinite(g.final_loss[ok]))
    assert np.all(np.isfinite(g.loss_mean[ok]))
    if kwargs["paths"]:
        assert np.all(np.isfinite(g.xy[ok])) and np.all(np.isfinite(g.loss[ok]))


@pytest.mark.parametrize("change,named", [
    ({"starts": np.array([[0.0, math.nan]])}, "starts"),
    ({"starts": np.zeros((2, 3))}, "starts"),
    ({"starts": [[object(), 1.0]]}, "starts"),
    ({"hyper_grid": {"lr": [0.1, 1e9]}, "starts": np.zeros((2, 2))}, "lr"),
    ({"hyper_grid": {"lr": [{}]}}, "lr"),
    ({"hyper_grid": {"lr": ["a"]}}, "lr"),
    ({"hyper_grid": {"nope": [0.1]}}, "nope"),
    ({"hyper_grid": {"lr": [0.1, 0.2], "weight_decay": [0.0]}}, "mismatched"),
    ({"hyper_grid": [("lr", [0.1])]}, "hyper_grid"),
    ({"seeds": [-1]}, "seeds"),
    ({"seeds": [1.5]}, "seeds"),
    ({"seeds": [2**70]}, "seeds"),
    ({"tol": -1.0}, "tol"),
    ({"tol": math.nan}, "tol"),
    ({"settle_tol": "0"}, "settle_tol"),
    ({"paths": "yes"}, "paths"),
    ({"starts": np.zeros((MAX_RUN_STEPS // MAX_STEPS + 1, 2)), "steps": MAX_STEPS}, "n × steps"),
    ({"starts": np.zeros((2000, 2)), "steps": MAX_STEPS, "paths": True}, "paths"),
])
def test_run_many_refuses_a_value_beyond_its_range_by_name(change, named):
    kwargs = dict(optimizer="sgd", surface="valley", starts=(1.0, 1.0), steps=10) | change
    with pytest.raises(ValueError, match=named.replace("×", ".")):
        _call(run_many, **kwargs)


@pytest.mark.parametrize("surface_params", [{1: 2.0}, {None: 1.0, "scale": 1.0}])
def test_a_surface_parameter_that_is_not_a_name_is_a_value_error(surface_params):
    # found by the fuzz: surfaces.get(**params) raised TypeError ("keywords must be strings")
    with pytest.raises(ValueError, match="surface_params"):
        run("sgd", "valley", (1.0, 1.0), 5, surface_params=surface_params)


def test_a_schedule_key_that_is_not_a_name_is_a_value_error():
    # found by the fuzz: sorting {1, "kind"} in schedules.pack raised TypeError
    with pytest.raises(ValueError, match="schedule"):
        run("sgd", "valley", (1.0, 1.0), 5, schedule={"kind": "step", 1: 2})


@pytest.mark.parametrize("typed,start", [(3, (0.0, 0.0)), (0, (-1.0, 0.5)), (1, (0.0, 0.5)), (2, (-1.0, 0.5)),
                                          (4, (0.0, 0.0))])
@pytest.mark.parametrize("oid", ["sgd", "adam", "newton", "bfgs"])
def test_a_start_where_the_function_is_undefined_diverges_at_step_1(typed, start, oid):
    # found by the fuzz: log(x*y) at (0, 0) is -inf, yet SGD's run was "ok" (its first loss -inf,
    # its step finite) and run_many counted it ok with a mean loss of -inf
    res = run(oid, _typed(typed), start, 5, grad_noise=1e-3)
    assert (res.status, res.status_step, res.steps) == ("diverged", 1, 0)
    assert res.reason and not math.isfinite(res.loss[0]) and tuple(res.xy[0]) == start
    starts = np.array([start, (1.0, 0.75)])
    g = run_many(oid, _typed(typed), starts, 5, grad_noise=1e-3, paths=True)
    assert g.status[0] == 1 and g.settled_step[0] == 1 and g.steps_to_tol[0] == -1 and g.loss_mean[0] == math.inf
    assert tuple(g.final_xy[0]) == start and np.all(np.isnan(g.xy[0, 1:])) and np.all(np.isnan(g.loss[0, 1:]))
    assert g.status[1] == res_at(oid, typed, (1.0, 0.75))


def res_at(oid, typed, start) -> int:
    return {"ok": 0, "diverged": 1, "escaped": 2}[run(oid, _typed(typed), start, 5, grad_noise=1e-3).status]
