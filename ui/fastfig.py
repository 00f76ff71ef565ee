"""Handing a prebuilt figure dict to ``st.plotly_chart`` without re-validation, and keeping a
cached animated figure ready for the wire.

``st.plotly_chart`` passes a dict through ``plotly.graph_objs.Figure(**dict)`` (about 1 s for
100 frames); a ``BaseFigure`` it only asks for ``to_dict()``. Our builders return dicts that are
valid by construction (tests/test_viz.py validates them with plotly), so this wrapper returns
the dict as is.

An animation's frames are ~90 % of its figure (560 of 620 kB for the default Playground). A
``WireFigure`` holds them serialised once, as the JSON that plotly's orjson engine embeds as it
is (``orjson.Fragment``): a rerun that shows a cached figure then neither unpickles a copy of it
(``st.cache_data``: 6–10 ms) nor walks its frames again to encode them, and the cache holds
0.6 MB of bytes instead of ~4 MB of Python lists.
"""
from __future__ import annotations

import orjson
import plotly.graph_objects as go

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY     # plotly's own, for its orjson engine


class WireFigure:
    """A figure dict whose frames are kept as JSON bytes; ``full()`` gives the dict back."""

    def __init__(self, fig: dict):
        self.frames_json = orjson.dumps(fig.get("frames", []), option=_OPTIONS)
        self.wire = {**fig, "frames": orjson.Fragment(self.frames_json)} if "frames" in fig else fig

    def full(self) -> dict:
        return {**self.wire, "frames": orjson.loads(self.frames_json)} if "frames" in self.wire else self.wire


def full(fig) -> dict:
    """The plain dict of a figure dict or a ``WireFigure`` (for an export)."""
    return fig.full() if isinstance(fig, WireFigure) else fig


class PrebuiltFigure(go.Figure):
    def __init__(self, fig):
        super().__init__()
        self._prebuilt = fig.wire if isinstance(fig, WireFigure) else fig

    def to_dict(self):
        return self._prebuilt

    def to_plotly_json(self):
        return self._prebuilt
