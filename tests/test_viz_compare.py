"""Compare's figure builder, without Streamlit: lock-step frames, payload, panels, legend."""
from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

import surfaces
from optim_core import run
from viz.charts import compare_loss_figure
from viz.common import Panel, decimals_for
from viz.compare import compare_figure, figure_height, grid_shape, panel_domains

FOUR = ["sgd", "momentum", "rmsprop", "adam"]


def panels_for(surface_ids, optimizers, steps):
    out = []
    for sid in surface_ids:
        s = surfaces.get(sid)
        runs = [(o, run(o, sid, s.start, steps)) for o in optimizers]
        out.append(Panel(s.name, s, runs, {o: f"{o}<br>η=0.01" for o in optimizers}))
    return out


@pytest.fixture(scope="module")
def four_by_four():
    return panels_for(["valley", "rotated_valley", "beale", "rosenbrock"], FOUR, 500)


def test_valid_plotly_and_payload_bound_four_panels_by_four_optimizers(four_by_four):
    fig = compare_figure(four_by_four)
    go.Figure(fig)
    size = len(json.dumps(fig, separators=(",", ":")))
    assert size <= 2_500_000, size


def test_every_frame_moves_every_panel_to_the_same_step(four_by_four):
    fig = compare_figure(four_by_four, legend=True)
    heads = [i for i, t in enumerate(fig["data"]) if t["name"] == "heads"]
    assert len(heads) == 4
    axes = [fig["data"][i].get("xaxis", "x") for i in heads]
    assert axes == ["x", "x2", "x3", "x4"]                                  # one head trace per panel
    n = len(fig["data"])
    for fr in fig["frames"]:
        s = int(fr["name"])
        assert fr["traces"] == list(range(n))
        for p, i in zip(four_by_four, heads):
            dec = decimals_for(max(p.surface.domain[1] - p.surface.domain[0], p.surface.domain[3] - p.surface.domain[2]))
            want = [round(float(np.clip(r.xy[min(s, len(r.xy) - 1), 0], -1e9, 1e9)), dec) for _, r in p.runs]
            got = fr["data"][i]["x"]
            finite = [k for k, w in enumerate(want) if abs(w) < 1e3 and p.runs[k][1].status == "ok"]
            assert [got[k] for k in finite] == [want[k] for k in finite]


def test_one_set_of_controls_and_no_surface_in_frames(four_by_four):
    fig = compare_figure(four_by_four)
    lay = fig["layout"]
    assert len(lay["sliders"]) == 1 and len(lay["updatemenus"]) == 2
    assert len(lay["images"]) == 4 and [im["xref"] for im in lay["images"]] == ["x", "x2", "x3", "x4"]
    assert all(t["type"] == "scatter" for t in fig["data"])
    assert all("data:image" not in json.dumps(fr) for fr in fig["frames"])
    assert len(fig["frames"]) <= 101 and fig["frames"][-1]["name"] == "500"


def test_panels_are_titled_and_the_legend_names_each_optimizer_once(four_by_four):
    fig = compare_figure(four_by_four, legend=True)
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles == [f"<b>{p.title}</b>" for p in four_by_four]
    named = [t["legendgroup"] for t in fig["data"] if t.get("showlegend") and t.get("legendgroup")]
    assert sorted(named) == sorted(FOUR)
    no_legend = compare_figure(four_by_four, legend=False)
    assert not no_legend["layout"]["showlegend"]


def test_equal_scales_in_every_panel(four_by_four):
    lay = compare_figure(four_by_four)["layout"]
    for k in ("", "2", "3", "4"):
        assert lay[f"yaxis{k}"]["scaleanchor"] == f"x{k}" and lay[f"yaxis{k}"]["scaleratio"] == 1


def test_grid_shapes_and_domains_do_not_overlap():
    assert [grid_shape(n) for n in (2, 3, 4, 5, 6)] == [(1, 2), (2, 2), (2, 2), (2, 3), (2, 3)]
    for n in (2, 3, 4, 6):
        doms = panel_domains(n, 0.8, gap_y=0.1)
        for i, (xa, ya) in enumerate(doms):
            assert 0 <= xa[0] < xa[1] <= 0.8 and 0 <= ya[0] < ya[1] <= 1
            for xb, yb in doms[i + 1:]:
                assert xa[1] <= xb[0] or xb[1] <= xa[0] or ya[1] <= yb[0] or yb[1] <= ya[0]


def test_presentation_mode_is_larger_everywhere():
    p = panels_for(["valley", "beale"], ["adam"], 50)
    normal, big = compare_figure(p), compare_figure(p, present=True)
    assert big["layout"]["font"]["size"] > normal["layout"]["font"]["size"]
    def width(f):
        return max(t["line"]["width"] for t in f["data"] if t["name"].startswith("chunk"))

    def head(f):
        return next(t for t in f["data"] if t["name"] == "heads")["marker"]["size"]
    assert width(big) > width(normal) and head(big) > head(normal)
    assert figure_height(p, legend=True, present=True) > figure_height(p, legend=True, present=False)


def test_loss_chart_has_one_curve_per_panel_and_optimizer(four_by_four):
    series = [(i, f"{i + 1}. {o}", o, r, p.surface.f_min) for i, p in enumerate(four_by_four) for o, r in p.runs]
    fig = compare_loss_figure(series)
    go.Figure(fig)
    assert len(fig["data"]) == 16
    dashes = {t["line"]["dash"] for t in fig["data"]}
    assert len(dashes) == 4                                # one dash per panel
    assert fig["layout"]["yaxis"]["type"] == "log"


def test_asgd_raw_iterate_and_nag_lookahead_in_every_panel_they_run_in():
    panels = panels_for(["valley", "rotated_valley"], ["sgd", "nag", "asgd"], 80)
    fig = compare_figure(panels, legend=True, arrows=("lookahead",))
    go.Figure(fig)
    faint = [t for t in fig["data"] if t.get("opacity") == 0.35]
    assert {t["legendgroup"] for t in faint} == {"asgd"}
    assert {t.get("xaxis", "x") for t in faint} == {"x", "x2"}                    # both panels draw it
    assert sum(bool(t.get("showlegend")) for t in faint) == 1               # one legend entry for the figure
    arrows = [t for t in fig["data"] if t.get("name") == "arrow:lookahead"]
    assert len(arrows) == 2 and all(len(t["x"]) == 3 for t in arrows)       # NAG's arrow per panel, no other
    single = compare_figure(panels_for(["valley", "beale"], ["sgd", "adam"], 40), arrows=("lookahead",))
    assert not [t for t in single["data"] if t.get("opacity") == 0.35 or t.get("name") == "arrow:lookahead"]
