"""The animated figure as one self-contained HTML file: it plays from a USB stick or an e-mail
attachment, on a classroom machine with no network.

plotly.js (about 4.7 MB) is embedded, so the file needs nothing from a CDN. The figure dicts of
``viz.playground`` are valid by construction, so they go to ``plotly.io.to_html`` as they are: a
``go.Figure`` round trip would spend about a second validating 100 frames.
"""
from __future__ import annotations

import html

import plotly.io as pio

CONFIG = {"displaylogo": False}


def standalone_html(fig: dict, title: str) -> str:
    """``fig`` (a Plotly figure dict, with its frames) as a full HTML page that works from file://.

    ``auto_play`` is off: an animation started at load fights the figure's own Play button (and a
    viewer should see the finished race first, as in the app). ``title`` is escaped into <title>.
    """
    page = pio.to_html(fig, include_plotlyjs=True, full_html=True, auto_play=False, validate=False,
                       config=CONFIG)
    head = "<head>"
    at = page.find(head)
    if at < 0:                                      # not expected from plotly.io; keep the page valid anyway
        raise ValueError("plotly.io.to_html returned a page without <head>")
    at += len(head)
    return page[:at] + f"\n    <title>{html.escape(str(title), quote=True)}</title>" + page[at:]
