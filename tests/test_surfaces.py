"""Every surface: gradient and Hessian against finite differences, stationary points classified
by the Hessian, vectorised shapes, parameters refused out of range."""
import numpy as np
import pytest

import surfaces

# (id, params): every surface at its defaults, and the parametrised ones off their defaults
CASES = [(sid, {}) for sid in surfaces.SURFACES] + [
    ("rotated_valley", {"kappa": 50, "angle_deg": -60}), ("wavy", {"c": 2.5}),
    ("double_well", {"tilt": -0.7}), ("plateau", {"width": 2.0}), ("rastrigin", {"A": 3.0}),
    ("noisy_bowl", {"n_samples": 37, "spread": 2.0, "data_seed": 5}), ("beale", {"scale": 0.01}),
    ("sparse_features", {"n_samples": 41, "rare_share": 0.3, "data_seed": 9, "scale": 2.5}),
    ("sparse_features", {"n_samples": 10, "rare_share": 0.01}),   # one rare sample: still a unique minimum
]
IDS = [f"{s}-{p}" for s, p in CASES]


def _points(s, n=25, seed=0):
    x0, x1, y0, y1 = s.domain
    rng = np.random.default_rng(seed)
    return rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)


@pytest.mark.parametrize("sid,params", CASES, ids=IDS)
def test_gradient_matches_central_differences(sid, params):
    s = surfaces.get(sid, **params)
    x, y = _points(s)
    h = 1e-6
    fd = np.stack([(s.value(x + h, y) - s.value(x - h, y)) / (2 * h),
                   (s.value(x, y + h) - s.value(x, y - h)) / (2 * h)], axis=-1)
    g = s.grad(x, y)
    scale = np.abs(s.value(x, y))[:, None] + np.abs(g) + 1.0
    assert np.all(np.abs(g - fd) <= 1e-6 * scale), (sid, np.max(np.abs(g - fd) / scale))


@pytest.mark.parametrize("sid,params", CASES, ids=IDS)
def test_hessian_matches_differences_of_the_gradient(sid, params):
    s = surfaces.get(sid, **params)
    x, y = _points(s, seed=1)
    h = 1e-6
    fd = np.stack([(s.grad(x + h, y) - s.grad(x - h, y)) / (2 * h),
                   (s.grad(x, y + h) - s.grad(x, y - h)) / (2 * h)], axis=-1)  # [..., i, j] = d g_i / d x_j
    H = s.hess(x, y)
    assert H.shape == (25, 2, 2)
    np.testing.assert_array_equal(H[:, 0, 1], H[:, 1, 0])
    scale = np.abs(H) + np.abs(s.grad(x, y))[..., None] + 1.0
    assert np.all(np.abs(H - fd) <= 1e-5 * scale), (sid, np.max(np.abs(H - fd) / scale))


@pytest.mark.parametrize("sid,params", CASES, ids=IDS)
def test_listed_stationary_points_are_stationary_and_classified(sid, params):
    s = surfaces.get(sid, **params)
    assert s.minima or s.saddles
    for pts, want in ((s.minima, "min"), (s.saddles, "saddle")):
        for x, y in pts:
            g = s.grad(x, y)
            H = s.hess(x, y)
            assert np.linalg.norm(g) <= 1e-9 * max(1.0, np.abs(H).max()), (sid, x, y, g)
            ev = np.linalg.eigvalsh(H)
            if want == "min":
                assert ev.min() > 0, (sid, x, y, ev)
            else:
                assert ev.min() < 0 < ev.max(), (sid, x, y, ev)
    if s.minima:
        assert s.f_min == min(s.value(x, y) for x, y in s.minima)


def test_required_surfaces_and_their_facts():
    beale = surfaces.get("beale")
    assert beale.domain == (-4.5, 4.5, -4.5, 4.5) and (3.0, 0.5) in beale.minima and beale.f_min == 0.0
    assert surfaces.get("saddle").value(1.0, 2.0) == 1.0 - 4.0
    valley = surfaces.get("valley")
    assert valley.value(1.0, 1.0) == pytest.approx(2.1) and valley.start == (-5.0, -2.0)
    assert len(surfaces.get("himmelblau").minima) == 4
    assert surfaces.get("rotated_valley", kappa=20, angle_deg=0).value(1.3, -0.7) == pytest.approx(
        valley.value(1.3, -0.7), rel=1e-14)


def test_noisy_bowl_is_the_mean_of_its_sample_losses():
    s = surfaces.get("noisy_bowl", n_samples=50, spread=1.5, data_seed=3)
    rng = np.random.default_rng(3)
    c = np.array([1.0, 0.5]) + 1.5 * rng.standard_normal((50, 2))
    for x, y in [(0.3, -1.2), (2.0, 2.0)]:
        per_sample = 0.5 * ((x - c[:, 0]) ** 2 + 2.0 * (y - c[:, 1]) ** 2)
        assert s.value(x, y) == pytest.approx(per_sample.mean(), rel=1e-13)
        np.testing.assert_allclose(s.sample_grads(x, y).mean(axis=0), s.grad(x, y), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s.minima[0], c.mean(axis=0), rtol=1e-13)


def _sparse_samples(n, share, seed):
    """The sparse problem's data, regenerated here from its documented recipe."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 1.5, n)
    b = np.zeros(n)
    rare = rng.choice(n, max(1, round(share * n)), replace=False)
    b[rare] = rng.uniform(0.5, 1.5, rare.size)
    return a, b, 1.5 * a + 1.5 * b + 0.1 * rng.standard_normal(n)


def test_sparse_features_is_the_mean_of_its_least_squares_terms():
    s = surfaces.get("sparse_features", n_samples=60, rare_share=0.1, data_seed=4)
    a, b, c = _sparse_samples(60, 0.1, 4)
    assert np.count_nonzero(b) == 6
    for x, y in [(0.3, -1.2), (2.0, 2.0), (-2.0, -2.0)]:
        r = a * x + b * y - c
        assert s.value(x, y) == pytest.approx(np.mean(0.5 * r * r), rel=1e-12)
        np.testing.assert_allclose(s.grad(x, y), [np.mean(r * a), np.mean(r * b)], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s.sample_grads(x, y), np.stack([r * a, r * b], axis=1), rtol=1e-13)
    H = np.array([[np.mean(a * a), np.mean(a * b)], [np.mean(a * b), np.mean(b * b)]])
    np.testing.assert_allclose(s.hess(0.7, -0.1), H, rtol=1e-13)


@pytest.mark.parametrize("params", [{}, {"n_samples": 500, "rare_share": 0.02, "data_seed": 11},
                                    {"n_samples": 13, "rare_share": 0.5, "data_seed": 2}])
def test_sparse_features_minimum_is_the_least_squares_solution(params):
    p = {"n_samples": 200, "rare_share": 0.05, "data_seed": 0, **params}
    s = surfaces.get("sparse_features", **params)
    a, b, c = _sparse_samples(p["n_samples"], p["rare_share"], p["data_seed"])
    want = np.linalg.lstsq(np.stack([a, b], axis=1), c, rcond=None)[0]
    np.testing.assert_allclose(s.minima[0], want, rtol=1e-12)
    # the exact full-batch gradient vanishes at the listed minimum; the mean of the per-sample
    # gradients (the mini-batch code's terms) does so up to rounding
    assert np.all(s.grad(*s.minima[0]) == 0.0)
    assert np.abs(s.sample_grads(*s.minima[0]).mean(axis=0)).max() < 1e-13
    assert s.f_min == pytest.approx(np.mean(0.5 * (a * want[0] + b * want[1] - c) ** 2), rel=1e-10)
    lo, hi, ylo, yhi = s.domain
    assert lo < want[0] < hi and ylo < want[1] < yhi   # the minimum is on the map


def test_sparse_features_minibatches_without_a_rare_sample_have_no_y_gradient():
    from surfaces import kernels
    s = surfaces.get("sparse_features", n_samples=100, rare_share=0.05, data_seed=1)
    b = s.packed[kernels.SPARSE_HEADER + 100:kernels.SPARSE_HEADER + 200]
    rare, dense = np.flatnonzero(b), np.flatnonzero(b == 0)
    assert rare.size == 5
    h = kernels.header(s.packed)
    for x, y in [(-2.0, -2.0), (0.4, 2.5)]:
        no_rare = dense[:10].astype(np.int64)
        gx, gy = kernels.batch_grad(s.code, h, s.packed, no_rare, 0, 10, x, y)
        assert gy == 0.0 and gx != 0.0
        with_rare = np.concatenate([dense[:9], rare[:1]]).astype(np.int64)
        gx, gy = kernels.batch_grad(s.code, h, s.packed, with_rare, 0, 10, x, y)
        assert gy != 0.0
        np.testing.assert_allclose((gx, gy), s.sample_grads(x, y)[with_rare].mean(axis=0), rtol=1e-13)
        f = kernels.batch_value(s.code, h, s.packed, with_rare, 0, 10, x, y)
        r = s.sample_grads(x, y)[with_rare, 0] / s.packed[kernels.SPARSE_HEADER + with_rare]   # r = g_x / a
        assert f == pytest.approx(np.mean(0.5 * r * r), rel=1e-12)
    # the whole data set as one batch is the full loss
    every = np.arange(100, dtype=np.int64)
    np.testing.assert_allclose(kernels.batch_grad(s.code, h, s.packed, every, 0, 100, 0.3, 0.9),
                               s.grad(0.3, 0.9), rtol=1e-12, atol=1e-14)
    assert kernels.batch_value(s.code, h, s.packed, every, 0, 100, 0.3, 0.9) == pytest.approx(
        s.value(0.3, 0.9), rel=1e-12)


def test_scale_multiplies_value_gradient_and_hessian():
    a, b = surfaces.get("goldstein_price"), surfaces.get("goldstein_price", scale=1e-3)
    assert b.value(0.1, 0.2) == pytest.approx(1e-3 * a.value(0.1, 0.2), rel=1e-14)
    np.testing.assert_allclose(b.hess(0.1, 0.2), 1e-3 * a.hess(0.1, 0.2), rtol=1e-14)


def test_vectorised_shapes():
    s = surfaces.get("beale")
    X, Y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 3))
    assert s.value(X, Y).shape == (3, 4)
    assert s.grad(X, Y).shape == (3, 4, 2)
    assert s.hess(X, Y).shape == (3, 4, 2, 2)
    assert isinstance(s.value(1.0, 1.0), float)


@pytest.mark.parametrize("call,match", [
    (lambda: surfaces.get("bael"), "unknown surface 'bael'"),
    (lambda: surfaces.get("rotated_valley", kappa=0.5), r"kappa=0.5 is out of range; allowed range is \[1, 1000\]"),
    (lambda: surfaces.get("beale", scale=1e5), r"scale=100000.0 is out of range"),
    (lambda: surfaces.get("wavy", c=float("nan")), "c=nan is out of range"),
    (lambda: surfaces.get("noisy_bowl", n_samples=20.5), "must be a whole number"),
    (lambda: surfaces.get("beale", kappa=3), "has no parameter 'kappa'"),
    (lambda: surfaces.get("valley", scale="big"), "is not a number"),
])
def test_bad_surface_parameters_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()
