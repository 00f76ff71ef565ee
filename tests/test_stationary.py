"""surfaces.stationary: stationary points of a typed 2-D function found and classified, on NumPy
evaluators written here by hand (value, gradient and Hessian derived on paper, not taken from
the app), with the known points of each function asserted."""
from __future__ import annotations

import math

import numpy as np
import pytest

from surfaces.stationary import NOTES, Stationary, find_stationary

SQUARE = (-2.0, 2.0, -2.0, 2.0)


def cols(x, *columns) -> np.ndarray:
    """The six columns stacked to x.shape + (6,), constants broadcast."""
    return np.stack([np.broadcast_to(np.asarray(c, dtype=float), x.shape) for c in columns], axis=-1)


def beale(x, y):
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    ax, bx, cx = y - 1, y**2 - 1, y**3 - 1          # d/dx of a, b, c
    ay, by, cy = x, 2 * x * y, 3 * x * y**2          # d/dy
    return cols(x, a**2 + b**2 + c**2,
                2 * (a * ax + b * bx + c * cx), 2 * (a * ay + b * by + c * cy),
                2 * (ax**2 + bx**2 + cx**2),
                2 * (ax * ay + a + bx * by + 2 * y * b + cx * cy + 3 * y**2 * c),
                2 * (ay**2 + by**2 + 2 * x * b + cy**2 + 6 * x * y * c))


def himmelblau(x, y):
    a, b = x**2 + y - 11, x + y**2 - 7
    return cols(x, a**2 + b**2, 4 * x * a + 2 * b, 2 * a + 4 * y * b,
                4 * a + 8 * x**2 + 2, 4 * (x + y), 4 * b + 8 * y**2 + 2)


def saddle(x, y):
    return cols(x, x**2 - y**2, 2 * x, -2 * y, 2, 0, -2)


def valley(x, y):
    return cols(x, 0.1 * x**2 + 2 * y**2, 0.2 * x, 4 * y, 0.2, 0, 4)


def plane(x, y):
    return cols(x, x + y, 1, 1, 0, 0, 0)


def abs_valley(x, y):
    return cols(x, np.abs(x) + 10 * y**2, np.sign(x), 20 * y, 0, 0, 20)


def quartic(x, y):
    return cols(x, x**4 + y**4, 4 * x**3, 4 * y**3, 12 * x**2, 0, 12 * y**2)


def monkey(x, y):          # x^3 - 3xy^2: the monkey saddle, Hessian 0 at the origin
    return cols(x, x**3 - 3 * x * y**2, 3 * x**2 - 3 * y**2, -6 * x * y, 6 * x, -6 * y, -6 * x)


def trough(x, y):          # x^2: every point of x = 0 is a (non-strict) minimum
    return cols(x, x**2, 2 * x, 0, 2, 0, 0)


def log_x(x, y):           # NaN for x < 0
    return cols(x, np.log(x) + y**2, 1 / x, 2 * y, -1 / x**2, 0, 2)


def x_log_x(x, y):         # NaN for x < 0; minimum at (1/e, 0)
    return cols(x, x * np.log(x) + y**2, np.log(x) + 1, 2 * y, 1 / x, 0, 2)


def tan_x(x, y):           # poles, no stationary point: tan' = 1 + tan^2 >= 1
    t = np.tan(x)
    return cols(x, t + y**2, 1 + t**2, 2 * y, 2 * t * (1 + t**2), 0, 2)


def tilted_well(x, y):     # (x^2 - 1)^2 + 0.3x + y^2: two minima of different depth, one saddle
    return cols(x, (x**2 - 1)**2 + 0.3 * x + y**2, 4 * x**3 - 4 * x + 0.3, 2 * y,
                12 * x**2 - 4, 0, 2)


def waves(x, y):           # sin(3x) cos(2y) + 0.1 (x^2 + y^2)
    s, c, S, C = np.sin(3 * x), np.cos(3 * x), np.sin(2 * y), np.cos(2 * y)
    return cols(x, s * C + 0.1 * (x**2 + y**2), 3 * c * C + 0.2 * x, -2 * s * S + 0.2 * y,
                -9 * s * C + 0.2, -6 * c * S, -4 * s * C + 0.2)


def scaled(f, k):
    return lambda x, y: k * f(x, y)


def close(p, q, tol) -> bool:
    return math.hypot(p[0] - q[0], p[1] - q[1]) <= tol


def assert_points(found, expected, tol):
    """found and expected are the same points, each within tol."""
    assert len(found) == len(expected), (found, expected)
    for q in expected:
        assert any(close(p, q, tol) for p in found), (q, found)


def every_point(r: Stationary):
    return r.minima + r.saddles + r.maxima + r.degenerate


def test_beale_minimum_is_the_lowest_and_its_saddles_are_saddles():
    r = find_stationary(beale, (-4.5, 4.5, -4.5, 4.5))
    # The stationary points of Beale in this square, solved independently (polynomial system):
    # the minimum (3, 0.5) and two saddles.
    assert len(r.minima) == 1 and close(r.minima[0], (3.0, 0.5), 1e-8)
    assert_points(r.saddles, [(0.0, 1.0), (0.10053793732415837, -2.644513585023125)], 1e-8)
    assert r.maxima == [] and r.degenerate == [] and r.notes == ()


def test_saddle_at_the_origin_only():
    r = find_stationary(saddle, SQUARE)
    assert r.minima == [] and r.maxima == [] and r.degenerate == [] and r.notes == ()
    assert_points(r.saddles, [(0.0, 0.0)], 1e-12)


def test_himmelblau_four_minima_one_maximum_four_saddles():
    r = find_stationary(himmelblau, (-5.0, 5.0, -5.0, 5.0))
    assert_points(r.minima, [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                             (3.584428, -1.848127)], 1e-6)
    assert_points(r.maxima, [(-0.270845, -0.923039)], 1e-6)
    assert_points(r.saddles, [(-3.073026, -0.081353), (-0.127961, -1.953715),
                              (0.086678, 2.884255), (3.385154, 0.073852)], 1e-6)
    assert r.degenerate == [] and r.notes == ()
    for p in every_point(r):     # converged, not just close
        assert np.abs(himmelblau(np.array(p[0]), np.array(p[1]))[1:3]).max() < 1e-9


def test_valley_has_one_minimum():
    r = find_stationary(valley, (-5.0, 5.0, -5.0, 5.0))
    assert_points(r.minima, [(0.0, 0.0)], 1e-12)
    assert r.saddles == r.maxima == r.degenerate == [] and r.notes == ()


def test_minima_lowest_first_and_other_kinds():
    r = find_stationary(tilted_well, SQUARE)
    roots = np.sort(np.roots([4, 0, -4, 0.3]).real)     # x of the three stationary points
    assert_points(r.minima, [(roots[0], 0.0), (roots[2], 0.0)], 1e-10)
    assert r.minima[0][0] < 0 < r.minima[1][0]          # the deeper well (x < 0) first
    assert_points(r.saddles, [(roots[1], 0.0)], 1e-10)
    assert r.maxima == [] and r.notes == ()


def test_no_stationary_point_in_the_domain():
    r = find_stationary(plane, (1.0, 2.0, 1.0, 2.0))
    assert every_point(r) == [] and r.notes == ("none_found",)


def test_kink_minimum_found_by_the_value_grid():
    r = find_stationary(abs_valley, SQUARE, smooth=False)
    assert "non_smooth" in r.notes and "none_found" not in r.notes
    assert len(r.minima) == 1 and close(r.minima[0], (0.0, 0.0), 1e-6)
    # Off the grid too: the kink at x = 0.3 (the grid has no point there).
    r = find_stationary(lambda x, y: abs_valley(x - 0.3, y + 0.2), SQUARE, smooth=False)
    assert len(r.minima) == 1 and close(r.minima[0], (0.3, -0.2), 1e-6)


def test_lowest_grid_point_on_the_boundary_is_not_a_minimum():
    r = find_stationary(lambda x, y: abs_valley(x - 3.0, y), SQUARE, smooth=False)
    assert every_point(r) == [] and r.notes == ("none_found", "non_smooth")


def test_pole_is_not_a_minimum():
    r = find_stationary(tan_x, (-5.0, 5.0, -5.0, 5.0))
    assert every_point(r) == [] and r.notes == ("none_found",)


def test_quartic_origin_is_a_minimum_by_the_ring_test():
    # The Hessian vanishes at the origin: the design promises the ring test classifies it as a
    # minimum (not left in `degenerate`) and says so with the "degenerate" note.
    r = find_stationary(quartic, SQUARE)
    assert len(r.minima) == 1 and close(r.minima[0], (0.0, 0.0), 1e-4)
    assert r.saddles == r.maxima == r.degenerate == [] and r.notes == ("degenerate",)


def test_monkey_saddle_is_a_saddle_by_the_ring_test():
    r = find_stationary(monkey, SQUARE)
    assert len(r.saddles) == 1 and close(r.saddles[0], (0.0, 0.0), 1e-4)
    assert r.minima == r.maxima == r.degenerate == [] and r.notes == ("degenerate",)


def test_line_of_minima_is_listed_degenerate():
    r = find_stationary(trough, SQUARE)
    assert r.minima == r.saddles == r.maxima == [] and r.notes == ("degenerate",)
    assert len(r.degenerate) > 1 and all(abs(x) < 1e-9 for x, _ in r.degenerate)


def test_undefined_half_of_the_domain():
    r = find_stationary(log_x, SQUARE)
    assert every_point(r) == [] and r.notes == ("none_found", "undefined_regions")
    r = find_stationary(x_log_x, (-1.0, 2.0, -1.0, 1.0))
    assert_points(r.minima, [(1 / math.e, 0.0)], 1e-10)
    assert r.notes == ("undefined_regions",)
    r = find_stationary(lambda x, y: np.full(x.shape + (6,), np.nan), SQUARE)
    assert every_point(r) == [] and r.notes == ("none_found", "undefined_regions")


@pytest.mark.parametrize("f,domain", [(beale, (-4.5, 4.5, -4.5, 4.5)),
                                      (himmelblau, (-5.0, 5.0, -5.0, 5.0)),
                                      (valley, (-5.0, 5.0, -5.0, 5.0)), (quartic, SQUARE)])
def test_scale_of_the_function_does_not_matter(f, domain):
    base = find_stationary(f, domain)
    for k in (1e4, 1e-4):
        r = find_stationary(scaled(f, k), domain)
        assert r.notes == base.notes
        for got, want in zip(r[:4], base[:4]):
            assert_points(got, want, 1e-9 if f is not quartic else 1e-5)


def test_many_points_truncated_minima_first():
    r = find_stationary(waves, (-3.0, 3.0, -3.0, 3.0), max_points=10)
    assert r.notes == ("truncated",) and len(every_point(r)) == 10 and len(r.minima) == 10
    full = find_stationary(waves, (-1.0, 1.0, -1.0, 1.0))
    assert full.notes == () and full.minima and full.saddles and full.maxima
    for kind, pts in zip(("min", "saddle", "max"), full[:3]):
        for x, y in pts:
            F = waves(np.array(x), np.array(y))
            assert np.abs(F[1:3]).max() < 1e-9
            ev = np.linalg.eigvalsh([[F[3], F[4]], [F[4], F[5]]])
            assert {"min": ev.min() > 0, "saddle": ev[0] < 0 < ev[1], "max": ev.max() < 0}[kind]


def test_rectangular_domain_and_bad_input():
    r = find_stationary(lambda x, y: valley(x - 40.0, 100.0 * y), (0.0, 100.0, -0.1, 0.1))
    assert_points(r.minima, [(40.0, 0.0)], 1e-9)
    with pytest.raises(ValueError, match="domain"):
        find_stationary(valley, (1.0, 1.0, 0.0, 1.0))
    with pytest.raises(ValueError, match="shape"):
        find_stationary(lambda x, y: x + y, SQUARE)


def test_notes_are_documented():
    import surfaces.stationary as st
    for code in NOTES:
        assert f'``"{code}"``' in st.__doc__
