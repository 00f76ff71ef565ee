"""The Basins page through streamlit.testing.v1.AppTest (no browser): both languages,
refusals next to the widget, the URL round trip."""
from __future__ import annotations

import json

import pytest

from .apptest_pages import compiled_engine, open_page, query_of, specs  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("compiled_engine")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_basins_renders_both_maps_as_images(lang):
    at = open_page("basins", {"lang": lang, "bas.res": "30"})
    assert not at.exception and not at.error
    (spec,) = specs(at)
    assert len(spec["layout"]["images"]) == 2
    assert all(im["source"].startswith("data:image/png;base64,") for im in spec["layout"]["images"])
    assert len(json.dumps(spec)) < 1_500_000
    table = " ".join(m.value for m in at.markdown)
    assert ("share of starts" in table) if lang == "en" else ("起点占比" in table)


def test_basins_at_the_largest_grid_stays_under_the_payload_limit():
    at = open_page("basins", {"bas.res": "300", "steps": "100"})
    assert not at.exception
    assert len(at.get("plotly_chart")[0].proto.spec) < 1_500_000


def test_basins_refuses_a_grid_too_heavy_next_to_its_size():
    at = open_page("basins", {"bas.res": "300", "steps": "5000"})
    assert not at.exception and any("more than one map may take" in e.value for e in at.error)




def test_both_grid_pages_take_a_typed_surface():
    q = {"surface": "custom", "expr": "(x^2 - 1)^2 + y^2", "domain": "-2,2,-1.5,1.5"}
    at = open_page("basins", {**q, "bas.res": "20"})
    assert not at.exception and not at.error
    table = " ".join(m.value for m in at.markdown)
    assert table.count("minimum") >= 2            # its two stationary minima, found numerically, are basins
    at = open_page("sweep", {**q, "sw.res": "10"})
    assert not at.exception and not at.error and specs(at)
