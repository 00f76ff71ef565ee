"""Handing a prebuilt figure dict to ``st.plotly_chart`` without re-validation.

``st.plotly_chart`` passes a dict through ``plotly.graph_objs.Figure(**dict)`` (about 1 s for
100 frames); a ``BaseFigure`` it only asks for ``to_dict()``. Our builders return dicts that are
valid by construction (tests/test_viz.py validates them with plotly), so this wrapper returns
the dict as is.
"""
from __future__ import annotations

import plotly.graph_objects as go


class PrebuiltFigure(go.Figure):
    def __init__(self, fig: dict):
        super().__init__()
        self._prebuilt = fig

    def to_dict(self):
        return self._prebuilt

    def to_plotly_json(self):
        return self._prebuilt
