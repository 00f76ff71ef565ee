"""A cached animated figure is kept with its frames already encoded (``ui.fastfig.WireFigure``):
what Streamlit sends, and what an export gets back, must be exactly the plain figure's."""
from __future__ import annotations

import plotly.io as pio
import pytest

import surfaces
from optim_core import run
from ui.fastfig import PrebuiltFigure, WireFigure, full
from viz.playground import playground_figure


@pytest.fixture(scope="module")
def figure():
    s = surfaces.get("beale")
    runs = [(o, run(o, "beale", s.start, 400)) for o in ("sgd", "adam", "bfgs")]
    return playground_figure(s, runs, {o: o.upper() + " <b>&</b>" for o, _ in runs}, arrows=("grad",))


def test_the_wire_form_encodes_to_the_same_json_as_the_dict(figure):
    assert len(figure["frames"]) > 50
    plain = pio.to_json(PrebuiltFigure(figure), validate=False, engine="orjson")
    wired = pio.to_json(PrebuiltFigure(WireFigure(figure)), validate=False, engine="orjson")
    assert wired == plain
    assert "<" not in wired and "\\u003c" in wired      # plotly's HTML-safe escapes reach the frames too


def test_the_export_gets_the_plain_figure_back(figure):
    wf = WireFigure(figure)
    assert full(wf) == figure and full(figure) is figure
    assert len(wf.frames_json) > 0.5 * len(pio.to_json(figure, validate=False, engine="orjson"))   # frames: most of it


def test_a_figure_without_frames_is_passed_through():
    static = {"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4]}], "layout": {}}
    wf = WireFigure(static)
    assert wf.wire is static and full(wf) == static
    assert pio.to_json(PrebuiltFigure(wf), validate=False, engine="orjson") == \
        pio.to_json(PrebuiltFigure(static), validate=False, engine="orjson")


def test_the_cached_maps_are_kept_wire_ready(figure):
    """The Playground's (lessons', sweep cells') map and Compare's maps live in the cache as
    WireFigures: a plain dict there would hold ~4× the memory and be encoded again every rerun."""
    from lab.config import PlaygroundConfig
    from ui import cache
    from viz.common import Panel
    cfg = PlaygroundConfig(optimizers=("sgd", "adam"), steps=60)
    surf = surfaces.from_key(cfg.surface_key)
    runs = [(o, run(o, cfg.surface, surf.start, 60)) for o in cfg.optimizers]
    labels = {o: o for o, _ in runs}
    fig = cache.main_figure(cfg, surf, runs, labels, None, {}, False)
    assert isinstance(fig, WireFigure) and len(fig.frames_json) > 1000
    panels = [Panel("a", surf, runs, labels, False), Panel("b", surf, runs[:1], labels, False)]
    assert isinstance(cache._compare_main("test", panels, True, None, (), {}), WireFigure)
