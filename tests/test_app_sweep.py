"""The Sweep page (and both grid pages' URL round trip) through streamlit.testing.v1.AppTest (no browser): both languages,
refusals next to the widget, the URL round trip."""
from __future__ import annotations


import pytest

from .apptest_pages import compiled_engine, open_page, query_of, specs  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("compiled_engine")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sweep_map_renders_a_heatmap_with_a_click_layer(lang):
    at = open_page("sweep", {"lang": lang, "sw.res": "20"})
    assert not at.exception and not at.error
    (spec,) = specs(at)
    heat = [t for t in spec["data"] if t["type"] == "heatmap"]
    assert len(heat[0]["z"]) == 20 and len(heat[0]["z"][0]) == 20
    cells = next(t for t in spec["data"] if t.get("name") == "cells")
    assert len(cells["customdata"]) == 400
    caption = " ".join(c.value for c in at.caption)
    assert ("20 × 20" in caption) and (("Adam" in caption) if lang == "en" else ("组设置" in caption))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sweep_lines_and_tuning_render(lang):
    at = open_page("sweep", {"lang": lang, "sw.mode": "line", "opt": "sgd,adam", "sw.res": "15"})
    assert not at.exception and not at.error
    (spec,) = specs(at)
    curves = [t for t in spec["data"] if t.get("mode") == "lines+markers"]
    assert [t["customdata"][0] for t in curves] == ["sgd", "adam"] and len(curves[0]["x"]) == 15
    assert any(s.get("line", {}).get("dash") == "dash" for s in spec["layout"]["shapes"])   # 2/L for SGD
    at = open_page("sweep", {"lang": lang, "sw.mode": "tune", "opt": "sgd,adam", "lrmode": "shared", "lr": "0.3",
                             "sw.obj": "steps"})
    assert not at.exception and not at.error
    assert len(specs(at)) == 2                              # the tuning curves, the tuned race
    assert at.warning, "the planted disagreement is said"
    tables = " ".join(m.value for m in at.markdown)
    assert ("tuned" in tables) if lang == "en" else ("调参后" in tables)


@pytest.mark.parametrize("query, message", [
    ({"sw.x.lo": "0.5", "sw.x.hi": "0.1"}, "has to be below"),
    ({"sw.res": "200", "steps": "5000"}, "is more than one sweep may take"),
    ({"opt": "bfgs"}, "single hyperparameter"),
])
def test_sweep_refusals_are_shown_next_to_the_widget(query, message):
    at = open_page("sweep", query)
    assert not at.exception
    assert any(message in e.value for e in at.error) and not at.get("plotly_chart")


@pytest.mark.parametrize("page, query", [
    ("sweep", {"surface": "beale", "sw.res": "12", "sw.metric": "status", "opt": "sgd,momentum", "sw.opt": "momentum"}),
    ("sweep", {"sw.mode": "tune", "opt": "adam,rmsprop", "sw.extra": "1", "sw.m": "3", "sw.n": "6"}),
    ("basins", {"surface": "double_well", "bas.n": "1", "bas.p1.opt": "adam", "bas.res": "20"}),
])
def test_the_url_round_trips(page, query):
    at = open_page(page, query)
    assert not at.exception and query_of(at) == query


def test_a_malformed_link_falls_back_with_a_note():
    at = open_page("sweep", {"sw.res": "abc", "sw.mode": "<script>", "sw.res2": "1"})
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "sw.res" in text and "<script>" not in text
    assert specs(at)
