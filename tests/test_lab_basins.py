"""The Basins page's computations (lab.basins): labels by the nearest listed minimum, known
basins, the URL table."""
from __future__ import annotations

import numpy as np
import pytest

import surfaces
from lab import basins
from optim_core import run


def test_defaults_and_round_trip():
    bc, notes = basins.decode({})
    assert notes == [] and bc.base.surface == "himmelblau" and bc.n_panels == 2
    assert [oid for oid, _ in bc.settings] == ["sgd", "adam"] and basins.encode(bc) == {}
    q = {"surface": "double_well", "bas.n": "1", "bas.p1.opt": "momentum", "bas.p1.lr": "0.002", "bas.res": "33"}
    bc2, notes = basins.decode(q)
    assert notes == [] and bc2.settings == (("momentum", {"lr": 0.002, "momentum": 0.9, "dampening": 0.0,
                                                          "form": "classic"}),)
    assert basins.decode(basins.encode(bc2))[0] == bc2
    _, notes = basins.decode({"bas.res": "9999", "bas.n": "3"})
    assert {(n.key, n.problem) for n in notes} == {("bas.res", "out_of_range"), ("bas.n", "out_of_range")}


def test_labels_nearest_minimum_within_radius_and_status():
    final = np.array([[0.0, 0.0], [1.01, 0.0], [5.0, 5.0], [1.0, 0.0], [0.0, 0.0]])
    status = np.array([0, 0, 0, 1, 2])
    lab = basins.label_points(final, status, [(0.0, 0.0), (1.0, 0.0)], radius=0.05)
    assert lab.tolist() == [0, 1, basins.OTHER, basins.DIVERGED, basins.ESCAPED]
    assert basins.label_points(final, np.zeros(5, int), [], 1.0).tolist() == [basins.OTHER] * 5


def test_double_well_basins_are_split_where_x_crosses_the_ridge():
    # separable double well: for GD at a small lr the sign of x − x_saddle decides the minimum
    dw = surfaces.get("double_well")
    ridge = dw.saddles[0][0]
    bc, _ = basins.decode({"surface": "double_well", "bas.n": "1", "bas.p1.lr": "0.01", "bas.res": "40",
                           "steps": "2000"})
    m = basins.basin_map(bc, 0)
    left = int(np.argmin([x for x, _ in dw.minima]))
    X = np.broadcast_to(m.xs, m.label.shape)
    cell = m.xs[1] - m.xs[0]
    clear = np.abs(X - ridge) > cell
    want = np.where(X < ridge, left, 1 - left)
    assert (m.label[clear] == want[clear]).all()
    shares = m.shares(2)
    assert shares[0] + shares[1] == pytest.approx(1.0)


def test_gd_from_a_full_grid_finds_all_four_himmelblau_minima():
    bc, _ = basins.decode({"bas.n": "1", "bas.res": "30", "bas.p1.lr": "0.01"})
    m = basins.basin_map(bc, 0)
    shares = m.shares(4)
    assert all(shares[i] > 0.1 for i in range(4)), shares
    assert shares[basins.DIVERGED] == shares[basins.ESCAPED] == 0.0


def test_a_basin_cell_is_the_run_from_that_start():
    bc, _ = basins.decode({"bas.res": "12", "steps": "200"})
    m = basins.basin_map(bc, 1)       # Adam
    s = surfaces.get("himmelblau")
    for j, i in [(0, 0), (5, 7), (11, 3)]:
        scene = basins.playground_scene(bc, 1, (m.xs[i], m.ys[j]))
        assert scene.optimizers == ("adam",) and scene.start == (m.xs[i], m.ys[j])
        res = run("adam", "himmelblau", scene.start, 200, scene.hyper["adam"])
        want = basins.label_points(res.xy[-1:], np.array([0]), s.minima, m.radius)[0]
        assert m.label[j, i] == want


def test_too_heavy_grids_are_refused():
    bc, _ = basins.decode({"bas.res": "300", "steps": "5000"})
    assert basins.too_heavy(bc)
    assert not basins.too_heavy(basins.decode({"bas.res": "300", "steps": "500"})[0])
