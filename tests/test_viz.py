"""Figure builders, without Streamlit: validity, payload, frame design, markers, colours."""
from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

import surfaces
from optim_core import run
from optim_core.catalogue import OPTIMIZERS
from viz.background import contour_data_uri
from viz.charts import curves_figure
from viz.common import decimals_for
from viz.palette import COLOURS, SYMBOLS
from viz.playground import playground_figure
from viz.view3d import surface3d_figure

CLASSROOM = ["sgd", "momentum", "nag", "adagrad", "rmsprop", "adam"]


@pytest.fixture(scope="module")
def valley():
    s = surfaces.get("valley")
    return s, [(o, run(o, "valley", s.start, 500)) for o in CLASSROOM]


@pytest.fixture(scope="module")
def runaway():
    s = surfaces.get("rosenbrock")
    runs = [(o, run(o, "rosenbrock", s.start, 300)) for o in ("sgd", "adam")]
    assert runs[0][1].status in ("diverged", "escaped")
    return s, runs


def build(s, runs, **kw):
    return playground_figure(s, runs, {o: o.upper() for o, _ in runs}, **kw)


def test_figure_is_valid_plotly(valley):
    s, runs = valley
    fig = build(s, runs, arrows=("grad", "velocity", "update"), inside="adam")
    go.Figure(fig)                                  # raises on any invalid property


def test_payload_bound_for_six_by_five_hundred(valley):
    s, runs = valley
    fig = build(s, runs, arrows=("grad", "update"), inside="adam")
    size = len(json.dumps(fig, separators=(",", ":")))
    assert size < 1_500_000, size


def test_frames_never_carry_the_surface(valley):
    s, runs = valley
    fig = build(s, runs, inside="adam")
    assert len(fig["layout"]["images"]) == 1 and fig["layout"]["images"][0]["source"].startswith("data:image/png")
    assert all(t["type"] == "scatter" for t in fig["data"])          # no contour / heatmap trace at all
    for fr in fig["frames"]:
        assert "layout" not in fr
        assert "data:image" not in json.dumps(fr)


def test_every_trace_listed_in_every_frame_static_ones_empty(valley):
    s, runs = valley
    fig = build(s, runs, inside="adam")
    n = len(fig["data"])
    for fr in fig["frames"]:
        assert fr["traces"] == list(range(n)) and len(fr["data"]) == n
    static = [i for i, t in enumerate(fig["data"]) if t.get("name") in ("grid", "minimum", "start")]
    assert static
    assert all(fr["data"][i] == {} for fr in fig["frames"] for i in static)


def test_at_most_a_hundred_frames_and_the_last_is_the_full_path(valley):
    s, runs = valley
    fig = build(s, runs, inside="adam")
    assert len(fig["frames"]) <= 101 and fig["frames"][-1]["name"] == "500"
    last = fig["frames"][-1]["data"]
    for oid, r in runs:
        chunks = [i for i, t in enumerate(fig["data"]) if t.get("name") == f"chunk:{oid}"]
        tail = next(i for i, t in enumerate(fig["data"]) if t.get("legendgroup") == oid and t.get("showlegend", True))
        assert all(last[i]["line"]["width"] > 0 for i in chunks)
        pts = set()
        for i in chunks:
            pts.update(zip(fig["data"][i]["x"], fig["data"][i]["y"]))
        pts.update(zip(last[tail]["x"], last[tail]["y"]))
        d = decimals_for(12.0)
        full = set(zip(np.round(r.xy[:, 0], d).tolist(), np.round(r.xy[:, 1], d).tolist()))
        assert full <= pts, f"{oid}: the final frame misses points of the full-resolution path"


def test_first_frame_shows_only_the_start(valley):
    s, runs = valley
    fig = build(s, runs)
    first = fig["frames"][0]
    widths = [d["line"]["width"] for d in first["data"] if "line" in d and "width" in d["line"]]
    assert widths and all(w == 0 for w in widths)
    heads = next(i for i, t in enumerate(fig["data"]) if t.get("name") == "heads")
    assert first["data"][heads]["x"] == [round(s.start[0], decimals_for(12.0))] * len(runs)


def test_shown_step_sets_the_still_picture_and_the_slider(valley):
    s, runs = valley
    fig = build(s, runs, shown_step=250)
    heads = next(t for t in fig["data"] if t.get("name") == "heads")
    assert heads["x"][0] == round(float(runs[0][1].xy[250, 0]), decimals_for(12.0))
    active = fig["layout"]["sliders"][0]["active"]
    assert fig["layout"]["sliders"][0]["steps"][active]["label"] == "250"


def test_runaway_paths_end_with_their_marker(runaway):
    s, runs = runaway
    fig = build(s, runs)
    ends = next(t for t in fig["data"] if t.get("name") == "ends")
    assert len(ends["x"]) == 1 and ends["marker"]["symbol"] == "x"
    assert ends["marker"]["color"] == [COLOURS["sgd"]]
    x0, x1, y0, y1 = s.domain
    assert x0 <= ends["x"][0] <= x1 and y0 <= ends["y"][0] <= y1
    assert fig["frames"][0]["data"][fig["data"].index(ends)]["x"] == []     # not before the end
    json.dumps(fig, allow_nan=False)                                        # no NaN / inf reaches the page


def test_early_stop_marks_sit_on_each_lane_at_its_stop_step(valley):
    from lab.early_stop import stop_steps
    s, runs = valley
    stops = stop_steps(runs, 20, 1e-4)
    stopping = [oid for oid, _ in runs if stops[oid] >= 0]
    assert len(stopping) >= 2                       # the test needs some lanes that stop
    fig = build(s, runs, stops=stops)
    go.Figure(fig)
    i = next(i for i, t in enumerate(fig["data"]) if t.get("name") == "stops")
    mark, d, path = fig["data"][i], decimals_for(12.0), dict(runs)
    assert mark["marker"]["symbol"] == "square"
    assert mark["x"] == [round(float(path[o].xy[stops[o], 0]), d) for o in stopping]
    assert mark["y"] == [round(float(path[o].xy[stops[o], 1]), d) for o in stopping]
    assert mark["marker"]["color"] == [COLOURS[o] for o in stopping]
    assert all(f"(step {stops[o]})" in text for o, text in zip(stopping, mark["customdata"]))
    heads = next(j for j, t in enumerate(fig["data"]) if t.get("name") == "heads")
    assert i < heads                                # drawn under the heads
    # a mark appears from the frame its head reaches the stop on
    for fr in fig["frames"]:
        s_ = int(fr["name"])
        assert len(fr["data"][i]["x"]) == sum(stops[o] <= s_ for o in stopping)
    json.dumps(fig, allow_nan=False)


def test_no_stop_marks_without_early_stopping_or_when_no_lane_stops(valley):
    s, runs = valley
    for stops in (None, {oid: -1 for oid, _ in runs}):
        assert not any(t.get("name") == "stops" for t in build(s, runs, stops=stops)["data"])


def test_colours_are_stable_and_distinct():
    assert set(COLOURS) == set(OPTIMIZERS) == set(SYMBOLS)
    assert len(set(COLOURS.values())) == len(COLOURS)
    assert len(set(SYMBOLS.values())) == len(SYMBOLS)
    s = surfaces.get("valley")
    a = build(s, [(o, run(o, "valley", s.start, 20)) for o in ("adam", "sgd")])
    b = build(s, [(o, run(o, "valley", s.start, 20)) for o in ("sgd", "nag", "adam")])
    def colour_of(fig, oid):
        return next(t["line"]["color"] for t in fig["data"] if t.get("legendgroup") == oid)
    assert colour_of(a, "adam") == colour_of(b, "adam") == COLOURS["adam"]
    assert colour_of(a, "sgd") == colour_of(b, "sgd") == COLOURS["sgd"]


def test_arrows_and_inside_panel_follow_the_frames(valley):
    s, runs = valley
    fig = build(s, runs, arrows=("grad", "velocity", "update"), inside="adam")
    names = [t.get("name") for t in fig["data"]]
    for kind in ("grad", "velocity", "update"):
        i = names.index(f"arrow:{kind}")
        assert fig["frames"][10]["data"][i]["x"] != fig["frames"][50]["data"][i]["x"]
        assert any(v is not None for v in fig["data"][i]["x"]), f"no {kind} arrow in the still picture"
    cursor = names.index("cursor")
    readout = names.index("readout")
    assert fig["frames"][10]["data"][cursor]["x"] != fig["frames"][50]["data"][cursor]["x"]
    assert fig["frames"][10]["data"][readout]["text"] != fig["frames"][50]["data"][readout]["text"]


def test_inside_panel_for_an_optimizer_without_state(valley):
    s, runs = valley
    fig = build(s, runs, inside="sgd")
    go.Figure(fig)
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert texts.count("(none for this optimizer)") == 2


def test_long_runs_are_decimated_for_display():
    s = surfaces.get("valley")
    runs = [(o, run(o, "valley", s.start, 20000)) for o in ("sgd", "adam")]
    fig = build(s, runs, inside="adam")
    assert len(fig["frames"]) <= 101
    size = len(json.dumps(fig, separators=(",", ":")))
    assert size < 1_500_000, size


def test_every_surface_renders_a_background_and_a_figure():
    for sid in surfaces.SURFACES:
        s = surfaces.get(sid)
        assert contour_data_uri(s).startswith("data:image/png;base64,")
        fig = build(s, [("adam", run("adam", sid, s.start, 30))], inside="adam")
        json.dumps(fig, allow_nan=False)


def test_curves_and_3d_figures_are_valid(valley, runaway):
    s, runs = valley
    go.Figure(curves_figure(runs, {}, f_min=s.f_min, minima=s.minima))
    go.Figure(surface3d_figure(s, runs, {}))
    sr, rr = runaway
    fig = curves_figure(rr, {}, f_min=sr.f_min, minima=sr.minima)
    json.dumps(fig, allow_nan=False)
    saddle = surfaces.get("saddle")
    fig = curves_figure([("sgd", run("sgd", "saddle", saddle.start, 50))], {}, f_min=saddle.f_min, minima=[])
    assert fig["layout"]["yaxis"]["type"] == "linear"
    go.Figure(fig)


def test_exit_point_is_where_the_path_crosses_the_border():
    from viz.common import exit_point
    dom = (-1.0, 1.0, -1.0, 1.0)
    xy = np.array([[0.0, 0.0], [0.5, 0.0], [3.0, 0.0], [1e9, 0.0]])
    p = exit_point(xy, dom, inset=0.0)
    assert np.allclose(p, [1.0, 0.0])
    xy = np.array([[0.0, 0.0], [0.5, 0.5], [np.inf, np.nan]])
    assert np.allclose(exit_point(xy, dom, inset=0.0), [0.5, 0.5])
    assert np.allclose(exit_point(np.array([[0.0, 0.0], [0.2, 0.1]]), dom, inset=0.0), [0.2, 0.1])
    inset = exit_point(np.array([[0.0, 0.0], [5.0, 5.0]]), dom, inset=0.05)
    assert np.allclose(inset, [0.9, 0.9])


def test_map_has_equal_scales_and_a_wide_surface_gets_its_legend_below(valley, runaway):
    # equal scales: the gradient is drawn perpendicular to the contours, the valley as narrow as it is
    s, runs = valley
    lay = build(s, runs, inside="adam")["layout"]
    assert lay["yaxis"]["scaleanchor"] == "x" and lay["yaxis"]["scaleratio"] == 1
    assert lay["legend"]["orientation"] == "h" and lay["xaxis"]["domain"][1] > 0.7   # valley is 2:1
    s, runs = runaway
    lay = build(s, runs, inside="adam")["layout"]
    assert lay["yaxis"]["scaleanchor"] == "x"
    assert lay["legend"]["orientation"] == "v" and lay["xaxis"]["domain"][1] <= 0.5   # rosenbrock is square


def test_undefined_parts_of_a_typed_surface_are_hatched_not_coloured_as_high():
    import io

    from PIL import Image

    from viz.background import UNDEFINED, contour_png
    s = surfaces.custom("log(x) + y^2", (-2.0, 2.0, -1.0, 1.0))
    img = np.asarray(Image.open(io.BytesIO(contour_png(s, 80, 40))).convert("RGB")).astype(float)
    left, right = img[:, :38].reshape(-1, 3), img[:, 42:].reshape(-1, 3)
    pink = (np.abs(left - UNDEFINED[1]).sum(axis=1) < 1).mean()
    assert pink > 0.3                                                  # x < 0: hatched
    assert (np.abs(right - UNDEFINED[1]).sum(axis=1) < 1).mean() == 0  # x > 0: drawn


# ---------------------------------------------------------------- NAG's look-ahead, ASGD's raw iterate

VALLEY_GRAD = lambda x, y: np.array([0.2 * x, 4.0 * y])     # noqa: E731  f = 0.1x² + 2y² (scale 1)


def nag_notes_by_hand(start, steps, lr, mu):
    """The notes' NAG, written out: v_t = μv + η∇f(θ − μv), θ_t = θ − v_t; returns θ_s and the
    point where step s + 1 takes its gradient, θ_s − μ v_s, for s = 0..steps."""
    theta, v = np.array(start, dtype=float), np.zeros(2)
    points, ahead = [theta.copy()], [theta.copy()]
    for _ in range(steps):
        v = mu * v + lr * VALLEY_GRAD(*(theta - mu * v))
        theta = theta - v
        points.append(theta.copy())
        ahead.append(theta - mu * v)
    return np.array(points), np.array(ahead)


def arrow_trace(fig, kind):
    return next((t for t in fig["data"] if t.get("name") == f"arrow:{kind}"), None)


def test_lookahead_arrow_ends_where_the_notes_nag_takes_its_next_gradient():
    s = surfaces.get("valley")
    lr, mu = 0.05, 0.9
    res = run("nag", "valley", s.start, 60, {"lr": lr, "momentum": mu})
    points, ahead = nag_notes_by_hand(s.start, 60, lr, mu)
    np.testing.assert_allclose(res.xy, points, rtol=0, atol=1e-12)       # the hand rule is the engine's
    d = decimals_for(12.0)
    for step in (1, 7, 30, 60):
        fig = build(s, [("sgd", run("sgd", "valley", s.start, 60)), ("nag", res)], arrows=("lookahead",),
                    shown_step=step)
        tr = arrow_trace(fig, "lookahead")
        assert tr["x"][2] is None and len(tr["x"]) == 3                  # one arrow: NAG's, none for SGD
        assert (tr["x"][0], tr["y"][0]) == (round(points[step, 0], d), round(points[step, 1], d))
        assert abs(tr["x"][1] - ahead[step, 0]) <= 10 ** -d and abs(tr["y"][1] - ahead[step, 1]) <= 10 ** -d
    # the frames follow: the frame of step 30 draws the same arrow as the still picture at 30
    i = fig["data"].index(tr)
    frame = next(f for f in fig["frames"] if f["name"] == "30")
    assert abs(frame["data"][i]["x"][1] - ahead[30, 0]) <= 10 ** -d
    go.Figure(fig)


def test_lookahead_arrow_only_where_the_gradient_is_taken_ahead():
    s = surfaces.get("valley")
    plain = [(o, run(o, "valley", s.start, 30)) for o in ("sgd", "momentum", "nadam")]
    torch_nag = ("nag", run("nag", "valley", s.start, 30, {"variant": "pytorch"}))
    for runs in (plain, plain + [torch_nag]):     # torch's θ is the look-ahead point: nothing to point at
        fig = build(s, runs, arrows=("grad", "lookahead"))
        assert arrow_trace(fig, "lookahead") is None and arrow_trace(fig, "grad") is not None
        go.Figure(fig)
    fig = build(s, plain + [("nag", run("nag", "valley", s.start, 30))], arrows=("lookahead",), shown_step=0)
    assert arrow_trace(fig, "lookahead")["x"] == [None] * 3               # v_0 = 0: no offset at the start


def faint(fig):
    return [t for t in fig["data"] if t.get("opacity") == 0.35]


def test_asgd_raw_iterate_is_a_faint_headless_path_beside_its_average():
    s = surfaces.get("valley")
    runs = [(o, run(o, "valley", s.start, 300, {"lr": 0.05}, grad_noise=1.0, seed=4)) for o in ("sgd", "asgd", "adam")]
    fig = build(s, runs)
    go.Figure(fig)
    raw = faint(fig)
    assert raw and {t["legendgroup"] for t in raw} == {"asgd"}            # ASGD's only
    assert all(t["line"]["color"] == COLOURS["asgd"] and t["line"]["width"] < 4 and "markers" not in t["mode"]
               for t in raw)
    named = [t for t in raw if t.get("showlegend")]
    assert [t["name"] for t in named] == ["↳ raw iterate θₜ (before averaging)"]
    heads = next(t for t in fig["data"] if t.get("name") == "heads")
    assert len(heads["x"]) == 3                                            # no head of its own
    # the last frame draws the raw iterate to its end, and it is not the plotted (averaged) path
    d = decimals_for(12.0)
    asgd = dict(runs)["asgd"]
    tail = fig["data"].index(named[0])
    last = fig["frames"][-1]["data"][tail]
    assert (last["x"][-1], last["y"][-1]) == (round(asgd.extra["raw_xy"][-1, 0], d), round(asgd.extra["raw_xy"][-1, 1], d))
    assert np.abs(asgd.extra["raw_xy"] - asgd.xy).max() > 0.01
    assert not faint(build(s, [r for r in runs if r[0] != "asgd"]))


def test_asgd_reports_its_average_and_the_plain_sgd_iterate_behind_it():
    s = surfaces.get("valley")
    lr, alpha, t0 = 0.05, 0.9, 10
    res = run("asgd", "valley", s.start, 80, {"lr": lr, "alpha": alpha, "t0": t0})
    theta, avg = np.array(s.start, dtype=float), None
    raw, mean = [theta.copy()], [theta.copy()]
    for t in range(1, 81):
        theta = theta - lr * VALLEY_GRAD(*theta)                    # SGD at ASGD's lr
        avg = theta.copy() if t < t0 else alpha * avg + (1 - alpha) * theta
        raw.append(theta.copy())
        mean.append(avg.copy())
    np.testing.assert_allclose(res.extra["raw_xy"], raw, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.xy, mean, rtol=0, atol=1e-12)          # the path drawn is the average
    noisy = {"grad_noise": 0.5, "seed": 3}                                # with noise: SGD's own run, same seed
    np.testing.assert_array_equal(run("asgd", "valley", s.start, 80, {"lr": lr}, **noisy).extra["raw_xy"],
                                  run("sgd", "valley", s.start, 80, {"lr": lr}, **noisy).xy)


def test_the_convexity_map_shades_the_not_psd_region_into_its_one_image():
    """plotly.js draws only one of two layout images in the same place, so the shade is composited
    into the map's own image: one image per panel, tinted exactly where λ_min < 0."""
    import base64
    import io

    from PIL import Image

    import surfaces
    from lab import readouts
    from viz.background import layout_image
    from viz.lessons import convexity_figure

    s = surfaces.custom("x^4 - 2*x^2 + y^2", (-2, 2, -2, 2))
    _, _, lam, share = readouts.convex_share(s, n=81)
    fig = convexity_figure([("mine", s, lam, share)])
    (img,) = fig["layout"]["images"]

    def pixels(uri):
        return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"), float)
    shaded, plain = pixels(img["source"]), pixels(layout_image(s)["source"])
    h, w, _ = shaded.shape
    changed = np.abs(shaded - plain).sum(axis=2) > 3
    # λ_min < 0 exactly where |x| < 1/√3: the middle column is tinted, the edges are not
    assert changed[:, w // 2].all() and not changed[:, 2].any() and not changed[:, w - 3].any()
    assert shaded[h // 2, w // 2, 0] > shaded[h // 2, w // 2, 2]            # towards red


@pytest.mark.parametrize("oid,surface,start,steps,hyper", [("adam", "valley", (-5.0, -2.0), 300, None),
                                                           ("sgd", "beale", (1.0, 1.5), 500, {"lr": 0.1}),
                                                           ("asgd", "rosenbrock", (-1.5, 2.0), 2000, None)])
def test_a_tracks_rounded_tail_and_head_are_its_state_rounded(oid, surface, start, steps, hyper):
    """Frames read the tail and head from lists rounded once per track: the same numbers as
    rounding each frame's state."""
    from viz import common as c
    from viz.animation import Track
    s = surfaces.get(surface)
    dec = decimals_for(max(s.domain[1] - s.domain[0], s.domain[3] - s.domain[2]))
    result = run(oid, surface, start, steps, hyper)
    assert oid != "sgd" or result.status == "escaped"        # a path clipped at the map's edge
    tr = Track(oid, result, s.domain)
    for step in list(range(0, tr.n + 3)) + [10 ** 6]:
        _, tail, head, _ = tr.state(step)
        assert tr.tail_lists(step, dec) == (c.rounded(tail[:, 0], dec), c.rounded(tail[:, 1], dec)), step
        assert list(tr.head_lists(step, dec)) == c.rounded(head, dec), step
