"""lab.race: running the lanes, distances, steps to tolerance, the leaderboard."""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

import optim_core
import surfaces
from lab.config import PlaygroundConfig
from lab.race import Lane, distances, lane_hyper, leaderboard, run_lanes, step_lengths, steps_to_tol


def test_classroom_race_runs_every_optimizer():
    cfg = PlaygroundConfig(steps=200)
    lanes = run_lanes(cfg)
    assert [ln.optimizer for ln in lanes] == list(cfg.optimizers)
    assert all(ln.ok and ln.result.xy.shape == (201, 2) for ln in lanes)


def test_shared_lr_is_applied_and_clipped_to_each_range():
    cfg = PlaygroundConfig(optimizers=("sgd", "newton", "adadelta"), lr_mode="shared", shared_lr=5.0)
    assert lane_hyper(cfg, "sgd") == ({"lr": 5.0, "weight_decay": 0.0}, ())
    hyper, notes = lane_hyper(cfg, "newton")
    assert hyper["lr"] == 2.0 and notes == ("lr_clipped",)
    cfg = PlaygroundConfig(optimizers=("adadelta",), lr_mode="shared", shared_lr=1e-4)
    assert lane_hyper(cfg, "adadelta")[0]["lr"] == 0.01


def test_rprop_runs_without_a_schedule_and_says_so():
    cfg = PlaygroundConfig(optimizers=("rprop", "sgd"), schedule={"kind": "step", "every": 10, "gamma": 0.5},
                           steps=50)
    lanes = run_lanes(cfg)
    assert all(ln.ok for ln in lanes)
    assert lanes[0].notes == ("no_schedule",) and lanes[1].notes == ()


def test_underflow_reaches_the_engine():
    # on the valley at (0.02, 0.001) g² = 1.6e-5 is below float16's 6.1e-5: AdaGrad's accumulator stays 0
    cfg = PlaygroundConfig(optimizers=("adagrad",), start=(0.02, 0.001), steps=20, underflow=6.1e-5)
    flushed = run_lanes(cfg)[0].result
    plain = run_lanes(PlaygroundConfig(optimizers=("adagrad",), start=(0.02, 0.001), steps=20))[0].result
    assert step_lengths(flushed.xy)[0] > 1000 * step_lengths(plain.xy)[0]
    direct = optim_core.run("adagrad", "valley", (0.02, 0.001), 20, cfg.hyper["adagrad"], underflow=6.1e-5)
    assert flushed.status == direct.status and np.array_equal(flushed.xy, direct.xy)


def test_engine_refusals_become_messages():
    cfg = PlaygroundConfig(optimizers=("sgd",), steps=10)
    cfg.hyper["sgd"]["lr"] = -1.0          # bypasses the URL checks: the engine must refuse
    lanes = run_lanes(cfg)
    assert not lanes[0].ok and "lr" in lanes[0].error


def test_distances_and_step_lengths():
    xy = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    assert np.allclose(distances(xy, [(0, 0), (1, 1)]), [0.0, math.hypot(2, 3), 0.0])
    assert np.isnan(distances(xy, [])).all()
    assert np.allclose(step_lengths(xy), [5.0, math.hypot(2, 3)])


@pytest.mark.parametrize("loss,f_min,tol,expected", [
    ([5, 3, 1, 0.5], 0.0, 1.0, 2), ([5, 3], 0.0, 1.0, -1), ([5, 3], math.nan, 1.0, -1), ([0.0], 0.0, 0.0, 0)])
def test_steps_to_tol(loss, f_min, tol, expected):
    assert steps_to_tol(np.array(loss, float), f_min, tol) == expected


def test_leaderboard_orders_reached_first_and_runaways_last():
    cfg = PlaygroundConfig(surface="rosenbrock", optimizers=("sgd", "adam", "momentum"), steps=300)
    lanes = run_lanes(cfg)
    surf = surfaces.get("rosenbrock")
    rows = leaderboard(lanes, surf, 1e-3)
    statuses = [r.status for r in rows]
    assert statuses.index("ok") < max(i for i, s in enumerate(statuses) if s != "ok")
    assert {r.optimizer for r in rows} == {"sgd", "adam", "momentum"}
    bad = [r for r in rows if r.status in ("diverged", "escaped")]
    assert bad and all(r.status_step > 0 for r in bad)


def _lane(oid, loss):
    """A finished lane with a hand-made loss curve (the leaderboard reads only these fields)."""
    n = len(loss)
    result = SimpleNamespace(loss=np.array(loss, float), xy=np.zeros((n, 2)), status="ok", status_step=0, reason="")
    return Lane(oid, {"lr": 0.1}, result)


def test_leaderboard_with_early_stopping_says_where_each_run_stops_and_what_it_costs():
    lanes = [_lane("sgd", [4, 3, 3, 3, 1]),          # patience 2: stops at 3 (loss 3), then falls to 1
             _lane("adam", [4, 1, 2, 3, 5]),         # stops at 3 (loss 3), then rises to 5
             _lane("nag", [4, 3, 2, 1, 0.5])]        # improves every step: never stops
    rows = {r.optimizer: r for r in leaderboard(lanes, surfaces.get("valley"), 1e-4, early_stop=(2, 0.0))}
    assert (rows["sgd"].stop_step, rows["sgd"].stop_loss, rows["sgd"].after_stop) == (3, 3.0, -2.0)   # lost 2
    assert (rows["adam"].stop_step, rows["adam"].stop_loss, rows["adam"].after_stop) == (3, 3.0, 2.0)  # saved 2
    assert rows["nag"].stop_step == -1 and math.isnan(rows["nag"].stop_loss) and math.isnan(rows["nag"].after_stop)
    # min_delta 1.5: a fall must exceed 1.5. sgd: 3, 3 do not (stop at 2); adam: 1 does, then 2, 3
    # do not (stop at 3); nag: 3 does not, 2 does (4 − 2 > 1.5), then 1 and 0.5 do not (stop at 4)
    rows = {r.optimizer: r for r in leaderboard(lanes, surfaces.get("valley"), 1e-4, early_stop=(2, 1.5))}
    assert rows["sgd"].stop_step == 2 and rows["adam"].stop_step == 3 and rows["nag"].stop_step == 4
    # off: no stop is computed
    assert all(r.stop_step == -1 for r in leaderboard(lanes, surfaces.get("valley"), 1e-4))
