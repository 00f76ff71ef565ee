"""The numbers behind the lessons' own figures: Hessian readouts, convexity maps, the EMA."""
import math

import numpy as np
import pytest

import surfaces
from lab import readouts


@pytest.mark.parametrize("eigenvalues, kind", [((1.0, 2.0), "minimum"), ((-3.0, -0.5), "maximum"),
                                               ((-1.0, 4.0), "saddle"), ((0.0, 2.0), "flat"), ((0.0, 0.0), "flat")])
def test_the_eigenvalues_classify_a_stationary_point(eigenvalues, kind):
    assert readouts.classify(eigenvalues) == kind


def test_the_saddle_reads_out_as_a_saddle_with_axis_eigen_directions():
    s = surfaces.get("saddle")
    r = readouts.hessian_readout(s, 0.0, 0.0)
    assert r.kind == "saddle" and r.stationary
    assert r.eigenvalues == pytest.approx((-2.0, 2.0))
    # f = x² − y²: the direction of negative curvature is y, of positive curvature x
    assert abs(r.eigenvectors[1, 0]) == pytest.approx(1.0) and abs(r.eigenvectors[0, 1]) == pytest.approx(1.0)


def test_a_point_off_the_stationary_points_is_not_called_stationary():
    s = surfaces.get("valley")
    r = readouts.hessian_readout(s, 1.0, 1.0)
    assert not r.stationary and r.kind == "minimum"
    assert r.grad == pytest.approx((0.2, 4.0))


def test_the_valley_is_convex_everywhere_and_himmelblau_is_not():
    *_, valley = readouts.convex_share(surfaces.get("valley"), n=21)
    xs, ys, lam, himmelblau = readouts.convex_share(surfaces.get("himmelblau"), n=41, domain=(-5, 5, -5, 5))
    assert valley == 1.0
    assert 0.3 < himmelblau < 0.95
    # by hand: Himmelblau's Hessian at (0, 0) is [[4(x²+y−11)+8x²+2, 4(x+y)], [., 4(x+y²−7)+8y²+2]]
    # = diag(−42, −26), a maximum; the grid's centre is (0, 0)
    assert xs[20] == 0 and ys[20] == 0 and lam[20, 20] == pytest.approx(-42.0)
    assert readouts.hessian_readout(surfaces.get("himmelblau"), 0.0, 0.0).kind == "maximum"


def test_the_ema_of_a_constant_is_pulled_to_zero_and_the_correction_undoes_it():
    raw, corrected = readouts.ema_series([1.0] * 30, 0.9)
    t = np.arange(1, 31)
    np.testing.assert_allclose(raw, 1 - 0.9 ** t, rtol=1e-12)
    np.testing.assert_allclose(corrected, 1.0, rtol=1e-12)
    assert raw[9] == pytest.approx(1 - 0.9 ** 10) and math.isclose(raw[0], 0.1)
