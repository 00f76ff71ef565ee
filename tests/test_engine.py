"""Engine behaviour beyond the per-optimizer formulas (those are in test_reference.py and
test_torch_golden.py): stops, refusals, gradient oracles, common random numbers, run_many, threads."""
import threading

import numpy as np
import pytest

import surfaces
from optim_core import OPTIMIZERS, run, run_many


# ---------- stops: a lesson, not an error ----------

def test_a_too_large_learning_rate_stops_with_a_status_and_keeps_the_last_finite_point():
    res = run("sgd", "valley", (-5.0, -2.0), 500, {"lr": 2.0})
    assert res.status in ("diverged", "escaped")
    assert 0 < res.status_step < 500
    assert len(res.xy) == res.status_step + 1 == len(res.loss)
    assert np.all(np.isfinite(res.xy))
    assert len(res.extra["grad"]) == res.status_step
    assert res.reason


def test_escaping_the_plotting_domain_tenfold_is_its_own_status():
    s = surfaces.get("saddle")
    res = run("sgd", "saddle", (0.5, 0.5), 1000, {"lr": 0.1})
    assert res.status == "escaped" and "10×" in res.reason
    x0, x1, y0, y1 = s.escape_box
    last = res.xy[-1]
    assert not (x0 <= last[0] <= x1 and y0 <= last[1] <= y1)
    assert np.all(np.abs(res.xy[:-1, 1]) <= y1)


def test_nan_or_huge_values_stop_as_diverged():
    # one step of 10 × a gradient of ~1e9 lands beyond |θ| = 1e6 (and beyond the escape box)
    res = run("sgd", "goldstein_price", (1.5, 1.5), 50, {"lr": 10.0}, surface_params={"scale": 1e4})
    assert res.status == "diverged" and res.status_step == 1
    assert np.all(np.isfinite(res.xy))


def test_newton_stops_on_a_singular_hessian():
    # far out on the plateau e^{-r^2/2} underflows: H is numerically zero
    res = run("newton", "plateau", (4.9, 4.9), 10)
    assert res.status == "diverged" and res.status_step == 1
    assert "singular" in res.reason and len(res.xy) == 1


def test_diagonal_newton_stops_on_zero_curvature():
    x = 1.0 / np.sqrt(3.0)  # the double well's d2f/dx2 = 12x^2 - 4 vanishes here
    res = run("diag_newton", "double_well", (x, 0.5), 10)
    assert res.status == "diverged" and "zero" in res.reason


def test_newton_jumps_to_the_saddle_in_one_step():
    res = run("newton", "saddle", (-1.5, 0.01), 3)
    np.testing.assert_allclose(res.xy[1], [0.0, 0.0], atol=1e-15)


# ---------- diagnostics ----------

@pytest.mark.parametrize("oid", list(OPTIMIZERS))
def test_every_optimizer_reports_its_diagnostics(oid):
    lr = OPTIMIZERS[oid].hyper[0]
    res = run(oid, "beale", (1.0, 1.5), 30, {"lr": max(lr.min, 0.001)})
    k = len(res.xy) - 1
    for key in ("grad", "update", "eff_lr"):
        assert res.extra[key].shape == (k, 2), key
    assert res.extra["lr"].shape == (k,)
    np.testing.assert_array_equal(res.extra["update"], np.diff(res.xy, axis=0))
    for key in ("velocity", "second_moment"):
        assert (key in res.extra) == (key in OPTIMIZERS[oid].diagnostics)
    assert ("raw_xy" in res.extra) == (oid == "asgd")


# ---------- catalogue metadata ----------

@pytest.mark.parametrize("oid", list(OPTIMIZERS))
def test_catalogue_metadata_is_usable(oid):
    """Every optimizer cites a source with an identifier; every variant rule belongs to a value
    of one of its choice hyperparameters; the notes' defaults are valid settings that differ."""
    import re
    from optim_core.api import resolve_hyper
    spec = OPTIMIZERS[oid]
    assert re.search(r"arXiv:\d{4}\.\d{4,5}|doi:10\.\d{4,9}/\S+|https://\S+|no DOI", spec.paper), spec.paper
    values = [c for h in spec.hyper if h.is_choice for c in h.choices]
    for key in spec.variant_rules:
        assert any(key == c and type(key) is type(c) for c in values), key
    defaults = spec.defaults()
    resolve_hyper(spec, spec.notes_defaults)          # raises on a bad name or value
    for name, value in spec.notes_defaults.items():
        assert value != defaults[name], (oid, name)


def test_the_notes_defaults_the_lessons_rely_on():
    assert OPTIMIZERS["rmsprop"].notes_defaults["alpha"] == 0.9
    assert OPTIMIZERS["adam"].notes_defaults["lr"] == OPTIMIZERS["radam"].notes_defaults["lr"] == 0.001
    assert OPTIMIZERS["adagrad"].notes_defaults["lr"] == 0.01
    assert {o: OPTIMIZERS[o].notes_defaults.get("eps_placement") for o in ("adagrad", "rmsprop")} == \
        {"adagrad": "inside", "rmsprop": "inside"}


def test_adam_effective_step_size_is_per_coordinate():
    res = run("adam", "valley", (-5.0, -2.0), 50, {"lr": 0.1})
    eff = res.extra["eff_lr"]
    # the steep y direction gets the smaller step size: that is what adaptivity means
    assert np.all(eff[5:, 1] < eff[5:, 0])
    v, m = res.extra["second_moment"], res.extra["velocity"]
    assert np.all(v >= 0) and m.shape == v.shape


# ---------- gradient oracles ----------

def test_gradient_noise_has_the_requested_scale():
    sigma = 0.7
    s = surfaces.get("valley")
    res = run("sgd", "valley", (-5.0, -2.0), 20000, {"lr": 1e-3}, grad_noise=sigma, seed=11)
    noise = res.extra["grad"] - s.grad(res.xy[:-1, 0], res.xy[:-1, 1])
    assert np.all(np.abs(noise.std(axis=0) / sigma - 1) < 0.05)
    assert np.all(np.abs(noise.mean(axis=0)) < 0.05 * sigma)
    assert abs(np.corrcoef(noise[:, 0], noise[:, 1])[0, 1]) < 0.05


def test_full_batch_is_exactly_the_deterministic_gradient():
    s = surfaces.get("noisy_bowl")
    for bs in (None, 200):
        res = run("sgd", "noisy_bowl", s.start, 40, {"lr": 0.1}, batch_size=bs, seed=3)
        np.testing.assert_array_equal(res.extra["grad"], s.grad(res.xy[:-1, 0], res.xy[:-1, 1]))


@pytest.mark.parametrize("B", [1, 10, 50])
def test_minibatch_gradient_std_matches_sampling_without_replacement(B):
    s = surfaces.get("noisy_bowl")
    N = s.params["n_samples"]
    # a batch gradient minus the full gradient does not depend on the point on this surface,
    # so every step of a run is one draw of the batch noise
    res = run("sgd", "noisy_bowl", s.start, 20000, {"lr": 1e-4}, batch_size=B, seed=2)
    noise = res.extra["grad"] - s.grad(res.xy[:-1, 0], res.xy[:-1, 1])
    sigma_sample = s.sample_grads(0.0, 0.0).std(axis=0)
    expected = sigma_sample / np.sqrt(B) * np.sqrt((N - B) / (N - 1))
    np.testing.assert_allclose(noise.std(axis=0), expected, rtol=0.05)


def test_every_sample_is_used_once_per_epoch():
    s = surfaces.get("noisy_bowl", n_samples=20)
    res = run("sgd", "noisy_bowl", s.start, 20, {"lr": 1e-6}, batch_size=1, surface_params={"n_samples": 20}, seed=4)
    per_sample = np.array([s.sample_grads(x, y) for x, y in res.xy[:-1]])  # (steps, N, 2)
    used = [int(np.argmin(np.abs(per_sample[t] - res.extra["grad"][t]).sum(axis=1))) for t in range(20)]
    assert sorted(used) == list(range(20))
    assert used != list(range(20))  # shuffled


def test_same_seed_same_path_bit_for_bit_and_another_seed_differs():
    kw = dict(grad_noise=0.5, batch_size=8, seed=123)
    a = run("adam", "noisy_bowl", (-2.0, 2.5), 300, {"lr": 0.05}, **kw)
    b = run("adam", "noisy_bowl", (-2.0, 2.5), 300, {"lr": 0.05}, **kw)
    np.testing.assert_array_equal(a.xy, b.xy)
    c = run("adam", "noisy_bowl", (-2.0, 2.5), 300, {"lr": 0.05}, **{**kw, "seed": 124})
    assert not np.array_equal(a.xy, c.xy)


def test_common_random_numbers_across_optimizers():
    s = surfaces.get("noisy_bowl")
    noises = []
    for oid, hyper in [("sgd", {"lr": 0.05}), ("adam", {"lr": 0.05}), ("momentum", {"lr": 0.01}),
                       ("rmsprop", {"lr": 0.01})]:
        res = run(oid, "noisy_bowl", s.start, 200, hyper, grad_noise=0.3, batch_size=10, seed=9)
        assert res.status == "ok"
        noises.append(res.extra["grad"] - s.grad(res.xy[:-1, 0], res.xy[:-1, 1]))
    for other in noises[1:]:
        np.testing.assert_allclose(other, noises[0], rtol=0, atol=1e-12)


def test_rprop_refuses_a_schedule_but_accepts_none():
    with pytest.raises(ValueError, match="rprop takes no learning-rate schedule"):
        run("rprop", "beale", (1, 1.5), 10, schedule={"kind": "step", "every": 5, "gamma": 0.5})
    assert run("rprop", "beale", (1, 1.5), 10, schedule={"kind": "constant"}).status == "ok"


# ---------- run_many ----------

@pytest.mark.parametrize("oid", list(OPTIMIZERS))
def test_run_many_equals_run_at_random_grid_points(oid):
    rng = np.random.default_rng(list(OPTIMIZERS).index(oid))
    spec = OPTIMIZERS[oid]
    lr_lo, lr_hi = max(spec.hyper[0].min, 1e-3), min(spec.hyper[0].max, 1.0)
    n = 12
    for surface, kw in [("beale", {}), ("noisy_bowl", {"grad_noise": 0.2, "batch_size": 16}), ("rosenbrock", {})]:
        s = surfaces.get(surface)
        x0, x1, y0, y1 = s.domain
        starts = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
        lrs = np.exp(rng.uniform(np.log(lr_lo), np.log(lr_hi), n))
        seeds = rng.integers(0, 2**40, n)
        grid = run_many(oid, surface, starts, 150, hyper_grid={"lr": lrs}, seeds=seeds, tol=1e-3, settle_tol=1e-4,
                        paths=True, **kw)
        for i in range(n):
            res = run(oid, surface, starts[i], 150, {"lr": lrs[i]}, seed=int(seeds[i]), **kw)
            np.testing.assert_array_equal(grid.final_xy[i], res.xy[-1])
            assert grid.final_loss[i] == res.loss[-1] or (np.isnan(grid.final_loss[i]) and np.isnan(res.loss[-1]))
            assert grid.status[i] == {"ok": 0, "diverged": 1, "escaped": 2}[res.status]
            hit = np.nonzero(res.loss - s.f_min <= 1e-3)[0]
            assert grid.steps_to_tol[i] == (hit[0] if len(hit) else -1)
            # the whole path, NaN after a stop; the mean loss; the last step longer than settle_tol
            k = len(res.xy)
            np.testing.assert_array_equal(grid.xy[i, :k], res.xy)
            np.testing.assert_array_equal(grid.loss[i, :k], res.loss)
            assert np.isnan(grid.xy[i, k:]).all() and np.isnan(grid.loss[i, k:]).all()
            if res.status == "ok":
                np.testing.assert_allclose(grid.loss_mean[i], res.loss.mean(), rtol=1e-12)
                long_steps = np.nonzero(np.abs(np.diff(res.xy, axis=0)).max(axis=1) > 1e-4)[0]
                assert grid.settled_step[i] == (long_steps[-1] + 1 if len(long_steps) else 0)
            else:
                assert grid.loss_mean[i] == np.inf and grid.settled_step[i] == res.status_step


def test_run_many_broadcasts_one_start_and_varies_two_hyperparameters():
    lrs = np.array([0.001, 0.01, 0.1])
    b1 = np.array([0.0, 0.5, 0.9])
    grid = run_many("adam", "beale", (1.0, 1.5), 100, hyper={"beta2": 0.99},
                    hyper_grid={"lr": lrs, "beta1": b1})
    assert grid.final_xy.shape == (3, 2) and grid.status.dtype == np.int8
    for i in range(3):
        res = run("adam", "beale", (1.0, 1.5), 100, {"lr": lrs[i], "beta1": b1[i], "beta2": 0.99})
        np.testing.assert_array_equal(grid.final_xy[i], res.xy[-1])


def test_paths_are_refused_beyond_their_cap_and_must_be_a_flag():
    with pytest.raises(ValueError, match="at most 4000000"):
        run_many("sgd", "beale", np.zeros((4000, 2)), 1000, paths=True)
    with pytest.raises(ValueError, match="paths='yes' must be True or False"):
        run_many("sgd", "beale", (1, 1), 10, paths="yes")
    with pytest.raises(ValueError, match="settle_tol=-1"):
        run_many("sgd", "beale", (1, 1), 10, settle_tol=-1)
    assert run_many("sgd", "beale", (1, 1), 10).xy is None


def test_steps_to_tol_is_minus_one_without_a_minimum():
    grid = run_many("sgd", "saddle", np.array([[0.5, 0.0], [1.0, 0.0]]), 20, tol=10.0)
    np.testing.assert_array_equal(grid.steps_to_tol, [-1, -1])


def test_run_and_run_many_are_safe_from_many_threads_at_once():
    starts = np.random.default_rng(0).uniform(-4, 4, (2000, 2))
    want_grid = run_many("adam", "beale", starts, 200).final_xy
    want_run = run("rmsprop", "beale", (1.0, 1.5), 500).xy
    errors, results = [], []

    def work(i):
        try:
            if i % 2:
                results.append(("grid", run_many("adam", "beale", starts, 200).final_xy))
            else:
                results.append(("run", run("rmsprop", "beale", (1.0, 1.5), 500).xy))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 8
    for kind, value in results:
        np.testing.assert_array_equal(value, want_grid if kind == "grid" else want_run)


# ---------- refusals: a message naming the value and what is allowed ----------

BAD_CALLS = [
    (dict(optimizer="adamm"), "unknown optimizer 'adamm'; choose one of: sgd"),
    (dict(surface="bael"), "unknown surface 'bael'"),
    (dict(hyper={"learning_rate": 0.1}), "adam has no hyperparameter 'learning_rate'; its hyperparameters are: lr"),
    (dict(hyper={"lr": 11}), r"lr=11 is out of range; allowed range is \[1e-06, 10\]"),
    (dict(hyper={"lr": 0.0}), r"lr=0.0 is out of range"),
    (dict(hyper={"beta1": 1.0}), r"beta1=1.0 is out of range; allowed range is \[0, 0.9999\]"),
    (dict(hyper={"eps": 1.0}), r"eps=1.0 is out of range; allowed range is \[1e-12, 0.1\]"),
    (dict(hyper={"weight_decay": -0.1}), r"weight_decay=-0.1 is out of range"),
    (dict(hyper={"lr": float("nan")}), "lr=nan is out of range"),
    (dict(hyper={"lr": "fast"}), "lr='fast' is out of range"),
    (dict(optimizer="momentum", hyper={"form": "polyak"}), "form='polyak' is not allowed; choose one of"),
    (dict(optimizer="newton", hyper={"lr": 3.0}), r"lr=3.0 is out of range; allowed range is \[0.01, 2\]"),
    (dict(optimizer="adadelta", hyper={"lr": 0.001}), r"allowed range is \[0.01, 10\]"),
    (dict(optimizer="asgd", hyper={"t0": 2.5}), "t0=2.5 must be a whole number"),
    (dict(start=(float("nan"), 0.0)), "start=.* must be two finite numbers"),
    (dict(start=(1.0, float("inf"))), "must be two finite numbers"),
    (dict(start=(1.0, 2.0, 3.0)), "must be two finite numbers"),
    (dict(steps=0), r"steps=0 is out of range; allowed: a whole number in \[1, 20000\]"),
    (dict(steps=20001), r"steps=20001 is out of range"),
    (dict(steps=10.5), r"steps=10.5 is out of range"),
    (dict(grad_noise=11.0), r"grad_noise=11.0 is out of range; allowed range is \[0, 10\]"),
    (dict(grad_noise=-1.0), r"grad_noise=-1.0 is out of range"),
    (dict(batch_size=10), "surface 'beale' is not a finite sum; use batch_size=None"),
    (dict(surface="noisy_bowl", batch_size=0), r"batch_size=0 is out of range; allowed: a whole number in \[1, 200\]"),
    (dict(surface="noisy_bowl", batch_size=201), r"batch_size=201 is out of range"),
    (dict(seed=-1), r"seed=-1 is out of range"),
    (dict(underflow=2.0), r"underflow=2.0 is out of range; allowed range is \[0, 1\]"),
    (dict(schedule={"kind": "cosine"}), "unknown schedule kind 'cosine'; choose one of: constant, step"),
    (dict(schedule={"kind": "step", "every": 0}), r"schedule every=0 is out of range; allowed range is \[1, 20000\]"),
    (dict(schedule={"kind": "exponential", "rate": 0.1}), "schedule 'exponential' has no parameter 'rate'"),
    (dict(schedule="step"), "schedule must be a dict"),
    (dict(surface_params={"scale": 0.0}), r"scale=0.0 is out of range; allowed range is \[0.0001, 10000\]"),
    (dict(surface_params={"kappa": 5}), "surface 'beale' has no parameter 'kappa'"),
]


@pytest.mark.parametrize("override,match", BAD_CALLS, ids=[m[:40] for _, m in BAD_CALLS])
def test_run_refuses_bad_input_with_a_clear_message(override, match):
    kw = dict(optimizer="adam", surface="beale", start=(1.0, 1.5), steps=10)
    kw.update(override)
    with pytest.raises(ValueError, match=match):
        run(kw.pop("optimizer"), kw.pop("surface"), kw.pop("start"), kw.pop("steps"), kw.pop("hyper", None), **kw)


def test_unknown_keyword_options_are_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match=r"run\(\) has no option 'momentum'; its options are: schedule, "):
        run("adam", "beale", (1.0, 1.5), 10, momentum=0.9)
    with pytest.raises(ValueError, match=r"run_many\(\) has no option 'lr'; its options are: hyper_grid, tol"):
        run_many("adam", "beale", (1.0, 1.5), 10, lr=0.1)


@pytest.mark.parametrize("kw,match", [
    (dict(hyper_grid={"lr": [0.1, 0.2, 0.3]}, starts=np.zeros((2, 2))),
     r"mismatched lengths: starts has 2, hyper_grid\['lr'\] has 3"),
    (dict(hyper_grid={"lr": [0.1, 0.2]}, seeds=[1, 2, 3]), "mismatched lengths"),
    (dict(hyper_grid={"lr": [0.1, 20.0]}), r"hyper_grid lr=20.0 is out of range; allowed range is \[1e-06, 10\]"),
    (dict(hyper_grid={"gamma": [0.1]}), "adam has no hyperparameter 'gamma'"),
    (dict(optimizer="nadam", hyper_grid={"variant": ["notes"]}), "variant is a variant and cannot vary"),
    (dict(starts=np.zeros((3, 3))), r"starts has shape \(3, 3\); allowed: \(n, 2\) or \(2,\)"),
    (dict(starts=[[0.0, np.nan]]), "starts must be finite numbers"),
    (dict(seeds=[-1]), "seeds must be whole numbers"),
    (dict(steps=20001), "steps=20001 is out of range"),
    (dict(tol=-1.0), r"tol=-1.0 is out of range"),
])
def test_run_many_refuses_bad_input(kw, match):
    args = dict(optimizer="adam", surface="beale", starts=(1.0, 1.5), steps=10)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        run_many(args.pop("optimizer"), args.pop("surface"), args.pop("starts"), args.pop("steps"), **args)
