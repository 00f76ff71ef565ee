"""The standalone HTML export plays from file:// in headless Chromium with the network off.

Uses the ``browser``/``page`` fixtures of conftest.py (Debian's /usr/bin/chromium, skipped with a
reason where it is missing; no browser is ever downloaded) and no Streamlit server."""
from __future__ import annotations

import time

import pytest

import surfaces
from optim_core import run
from viz.html_export import standalone_html
from viz.playground import playground_figure

from .helpers import click_button, heads, wait_for_map, wait_until_changes

pytestmark = pytest.mark.browser

LOCAL = ("file://", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def html_file(tmp_path_factory):
    s = surfaces.get("valley")
    runs = [(o, run(o, "valley", s.start, 200)) for o in ("sgd", "momentum", "adam")]
    fig = playground_figure(s, runs, {o: o.upper() for o, _ in runs})
    path = tmp_path_factory.mktemp("export") / "descent-lab_playground_valley.html"
    path.write_text(standalone_html(fig, "Descent Lab · valley"), encoding="utf-8")
    return path


def test_standalone_html_plays_offline_from_file(html_file, page):
    requests, blocked = [], []
    page.context.set_offline(True)

    def guard(route):
        url = route.request.url
        if url.startswith(LOCAL):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()
    page.route("**/*", guard)
    page.on("request", lambda r: requests.append(r.url))

    page.goto(html_file.as_uri())
    wait_for_map(page, timeout_ms=30_000)
    assert page.title() == "Descent Lab · valley"
    before = heads(page)
    assert set(before) == {"SGD", "MOMENTUM", "ADAM"}
    page.wait_for_timeout(500)
    assert heads(page) == before, "the figure must not play by itself (auto_play is off)"

    click_button(page, "▶ Play")                               # 100 frames at 60 ms: about 6 s
    during, _ = wait_until_changes(page, lambda: heads(page), before, timeout_s=10)
    assert set(during) == set(before)
    # polled rather than slept: on a busy machine the browser draws fewer frames per second
    deadline = time.time() + 40
    while heads(page) != before and time.time() < deadline:
        page.wait_for_timeout(250)
    assert heads(page) == before, "after playing, the heads should be back at their final positions"

    assert not blocked, f"the page tried to reach the network: {blocked[:5]}"
    assert requests and all(u.startswith(LOCAL) for u in requests), [u for u in requests if not u.startswith(LOCAL)]
    assert not page.errors, page.errors
