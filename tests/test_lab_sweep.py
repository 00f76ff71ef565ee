"""The Sweep page's computations (lab.sweep), without Streamlit: grids equal single runs, the
GD stability edge, fair tuning's budget and choice, the URL table."""
from __future__ import annotations

import math

import numpy as np
import pytest

import surfaces
from lab import sweep
from optim_core import run
from optim_core.catalogue import OPTIMIZERS

STATUS = {"ok": 0, "diverged": 1, "escaped": 2}


def cfg(**q):
    sc, notes = sweep.decode({k.replace("_", "."): v for k, v in q.items()})
    assert notes == []
    return sc


def test_defaults_map_adams_lr_against_beta1_and_round_trip():
    sc, notes = sweep.decode({})
    assert notes == [] and sc.mode == "map" and sc.optimizer == "adam"
    assert (sc.x, sc.y, sc.x_range, sc.y_range, sc.res) == ("lr", "beta1", (1e-4, 1.0), (0.0, 0.99), 60)
    assert sweep.encode(sc) == {}
    q = {"sw.mode": "map", "opt": "sgd,momentum", "sw.opt": "momentum", "sw.y": "dampening", "sw.res": "17",
         "sw.x.lo": "0.001", "sw.metric": "status", "lang": "zh"}
    sc2, notes = sweep.decode(q)
    assert notes == [] and (sc2.optimizer, sc2.y, sc2.res, sc2.x_range[0]) == ("momentum", "dampening", 17, 0.001)
    assert sweep.decode(sweep.encode(sc2))[0] == sc2


def test_bad_url_values_become_notes_and_defaults():
    sc, notes = sweep.decode({"sw.res": "5000", "sw.mode": "spiral", "sw.x": "__import__", "sw.obj": "<b>x</b>"})
    assert (sc.res, sc.mode, sc.x) == (60, "map", "lr")
    assert {(n.key, n.problem) for n in notes} >= {("sw.res", "out_of_range"), ("sw.mode", "unknown_value"),
                                                   ("sw.x", "unknown_value")}
    assert all("import" not in n.detail and "<" not in n.detail for n in notes)


@pytest.mark.parametrize("q, key, widget", [
    ({"sw.x.lo": "0.5", "sw.x.hi": "0.1"}, "sw_bad_range", "sw.x.lo"),
    ({"sw.res": "200", "steps": "2000"}, "sw_too_heavy", "sw.res"),
    ({"opt": "bfgs"}, "sw_need_two", "sw.x"),
    ({"opt": "none"}, "sw_need_optimizer", "opt"),
    ({"sw.mode": "tune", "sw.obj": "distance", "surface": "saddle"}, "sw_no_minima", "sw.obj"),
    ({"sw.mode": "tune", "sw.obj": "steps", "surface": "saddle"}, "sw_no_fmin", "sw.obj"),
])
def test_what_cannot_be_run_is_refused_with_the_widget_to_fix(q, key, widget):
    sc, _ = sweep.decode(q)
    with pytest.raises(sweep.SweepRefused) as e:
        sweep.check(sc)
    assert (e.value.key, e.value.widget) == (key, widget)


def test_a_sweep_map_equals_single_runs_at_sampled_cells():
    sc = cfg(surface="beale", sw_res="12", steps="120")
    m = sweep.sweep_map(sc)
    assert m.final_loss.shape == (12, 12) and np.all(np.diff(np.log(m.xs)) > 0)
    rng = np.random.default_rng(1)
    for j, i in rng.integers(0, 12, (10, 2)):
        scene = sweep.playground_scene(sc, "adam", {"lr": m.xs[i], "beta1": m.ys[j]})
        res = run("adam", "beale", scene.start, 120, scene.hyper["adam"])
        assert res.status == ["ok", "diverged", "escaped"][m.status[j, i]]
        assert res.loss[-1] == m.final_loss[j, i] or (math.isnan(res.loss[-1]) and math.isnan(m.final_loss[j, i]))


def test_gd_diverges_past_two_over_l_on_the_valley():
    valley = surfaces.get("valley")
    assert sweep.gd_edge(valley) == pytest.approx(2 / 4.0)          # L = 4 (the 2y² direction)
    sc = cfg(sw_mode="line", opt="sgd", sw_res="41", sw_x_lo="0.3", sw_x_hi="0.7", steps="300")
    (line,) = sweep.sweep_lines(sc)
    below, above = line.values < 0.5 * 0.98, line.values > 0.5 * 1.02
    assert (line.status[below] == 0).all() and (line.status[above] != 0).all()
    assert line.values[line.best] < 0.5


def test_line_mode_keeps_each_optimizer_inside_its_own_range():
    sc = cfg(sw_mode="line", opt="sgd,newton", sw_res="20", sw_x_lo="0.001", sw_x_hi="10")
    lines = {ln.optimizer: ln for ln in sweep.sweep_lines(sc)}
    assert len(lines["sgd"].values) == 20
    h = OPTIMIZERS["newton"].hyper[0]
    assert lines["newton"].values.min() >= h.min and lines["newton"].values.max() <= h.max
    assert len(lines["newton"].values) < 20


def test_best_index_prefers_fewest_steps_then_lowest_gap_and_only_ok_runs():
    gap = np.array([1e-9, 1e-12, 1e-3, 0.0])
    steps = np.array([30, 30, 50, 10])
    status = np.array([0, 0, 0, 1])
    assert sweep.best_index("steps", gap, steps, status) == 1
    assert sweep.best_index("loss", gap, steps, status) == 1
    assert sweep.best_index("loss", gap, steps, np.ones(4, int)) == -1


def test_tuning_gives_every_optimizer_the_same_budget():
    # SGD has no second hyperparameter to tune (weight decay is not one): it gets as many lr values instead
    sc = cfg(sw_mode="tune", opt="sgd,momentum,adam", sw_extra="1", sw_n="8", sw_m="3", steps="100")
    tu = sweep.tune(sc)
    assert [r.runs for r in tu.results] == [24, 24, 24] and tu.budget == 24 * 100
    by = {r.optimizer: r for r in tu.results}
    assert (by["sgd"].extra, len(by["sgd"].lrs)) == ("", 24)
    assert (by["adam"].extra, len(by["adam"].lrs), len(by["adam"].extra_values)) == ("beta1", 8, 3)
    np.testing.assert_allclose(by["momentum"].extra_values, [0.0, 0.9, 0.99])


@pytest.mark.parametrize("objective", sweep.OBJECTIVES)
def test_the_chosen_setting_is_the_grids_best(objective):
    sc = cfg(sw_mode="tune", opt="momentum,rmsprop", sw_extra="1", sw_n="10", sw_m="3", sw_obj=objective,
             steps="150")
    for r in sweep.tune(sc).results:
        assert r.best_value == r.objective.min()
        j, i = np.unravel_index(np.argmin(r.objective), r.objective.shape)
        chosen = r.objective[np.isclose(r.extra_values, r.best[r.extra])[:, None] & np.isclose(r.lrs, r.best["lr"])]
        assert chosen[0] == r.objective[j, i]
        lo, hi = r.robust
        assert lo <= r.best["lr"] <= hi


def test_objectives_score_a_stopped_run_as_infinitely_bad():
    sc = cfg(sw_mode="tune", opt="sgd", sw_n="12", sw_x_lo="0.1", sw_x_hi="5", sw_obj="auc")
    (r,) = sweep.tune(sc).results
    assert np.isinf(r.objective[0, r.lrs > 0.6]).all()           # past 2/L = 0.5 the valley throws GD out
    assert np.isfinite(r.objective[0, r.lrs < 0.45]).all()


def test_robust_range_is_contiguous_within_the_factor():
    values = np.array([9.0, 3.0, 1.5, 1.0, 4.0, 20.0, 2.0])
    mask = sweep.within("steps", values, 1.0, 4.0, 0.0)
    assert sweep._contiguous(mask, 3) == (1, 4)                   # 2.0 at the end is cut off by 20.0
    assert sweep.within("loss", np.array([1e-9, 1e-5, 0.1]), 1e-9, 10, 1e-4).tolist() == [True, True, False]


def test_planted_case_where_tuning_overturns_the_shared_lr_verdict():
    # at one shared lr = 0.3 on the valley, SGD reaches the tolerance before Adam; each at its own
    # best lr, Adam is faster: a one-lr race says more about the lr than the optimizers
    sc = cfg(sw_mode="tune", opt="sgd,adam", lrmode="shared", lr="0.3", sw_obj="steps")
    tu = sweep.tune(sc)
    by = {r.optimizer: r for r in tu.results}
    assert by["sgd"].base_value < by["adam"].base_value and by["adam"].best_value < by["sgd"].best_value
    assert tu.ranking(False) == ["sgd", "adam"] and tu.ranking(True) == ["adam", "sgd"] and tu.disagree
    scene = sweep.tuned_config(sc, tu)
    assert scene.lr_mode == "own" and scene.hyper["adam"]["lr"] == by["adam"].best["lr"]


def test_tune_values_of_a_coefficient_approach_one():
    h = next(h for h in OPTIMIZERS["adam"].hyper if h.name == "beta1")
    np.testing.assert_allclose(sweep.tune_values(h, 5), 1 - np.geomspace(1, 0.01, 5))
