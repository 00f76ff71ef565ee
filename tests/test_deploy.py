"""deploy/: nginx in front of two Streamlit replicas, on loopback (one cluster for the module).

The config renders and `nginx -t` takes it; metrics stay hidden; requests are sticky by cookie;
and, in headless chromium through nginx, a session keeps its state across reruns and across a
WebSocket reconnect (same replica, same session), and a killed replica's user reconnects to the
other one with the configuration of their URL intact. Which replica serves a session is read
from each replica's own /_stcore/metrics (its session counters, on its own port) and from nginx's
access log (the route key and the upstream of each request).
"""
from __future__ import annotations

import os
import re
import secrets
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.harness import CHROMIUM, wait_for_map
from deploy import cluster as dc

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.skipif(not os.path.exists(dc.NGINX), reason=f"{dc.NGINX} is missing: install Debian's nginx "
                       f"(apt-get install nginx) to run the deployment tests"),
]
needs_browser = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing: install "
                                   f"Debian's chromium to run the browser tests; no browser is ever downloaded")
# keeps a handle on every WebSocket the page opens, so a test can close one as a network blip would
RECORD_SOCKETS = """
(() => { const Native = window.WebSocket; window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__sockets.push(this); } }; })();
"""


def get(url: str, cookie: str | None = None):
    """(status, headers, body) of a GET, HTTP errors included."""
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def session_events(port: int) -> dict:
    """A replica's session counters from its own metrics endpoint: {"connect": n, "reconnect": n, ...}."""
    _, _, body = get(f"http://127.0.0.1:{port}/_stcore/metrics")
    return {m.group(1): float(m.group(2)) for m in
            re.finditer(r'^session_events_total\{type="(\w+)"\}\s+([\d.e+]+)', body.decode(), re.M)}


def wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout_s:.0f} s")


@pytest.fixture(scope="module")
def cluster():
    with dc.start_cluster(replicas=2) as c:
        yield c


def serving_replica(cluster, before: list[dict]) -> int:
    """The replica whose connection count rose since ``before`` (exactly one must have)."""
    def which():
        now = [session_events(r.port).get("connect", 0) for r in cluster.replicas]
        risen = [i for i, (b, n) in enumerate(zip(before, now)) if n > b.get("connect", 0)]
        return risen
    risen = wait_for(which, 30, "a replica to count the new session")
    assert len(risen) == 1, f"the page's session connected to replicas {risen}"
    return risen[0]


def test_config_renders_and_nginx_accepts_it(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(dc.render_nginx_conf(tmp_path, 18080, [18501, 18502, 18503]))
    check = dc.nginx_check(conf, tmp_path)
    assert check.returncode == 0, check.stderr
    # the directives, without the comments that explain them
    text = "\n".join(line.split("#")[0] for line in conf.read_text().splitlines())
    assert "ip_hash" not in text and "hash $route_key consistent;" in text
    assert text.count("server 127.0.0.1:185") == 3
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "proxy_http_version 1.1;" in text
    assert "proxy_set_header Host $http_host;" in text
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", text).group(1))
    assert read_timeout >= 10 * 30, "well above Streamlit's 30 s WebSocket ping"
    assert re.search(r"location \^~ /_stcore/metrics \{\s*return 404;", text)
    assert f"client_max_body_size {dc.max_upload_mb()}m;" in text


def test_health_through_nginx_and_metrics_hidden(cluster):
    status, _, body = get(cluster.url + "/_stcore/health")
    assert (status, body) == (200, b"ok")
    # the replicas do serve metrics on their own ports: nginx is what hides them
    assert get(f"http://127.0.0.1:{cluster.replicas[0].port}/_stcore/metrics")[0] == 200
    for path in ("/_stcore/metrics", "/_stcore/metrics?families=session_events"):
        assert get(cluster.url + path)[0] == 404


def test_route_cookie_set_once_and_sticky(cluster):
    status, headers, _ = get(cluster.url + "/")
    assert status == 200
    cookie = headers.get("Set-Cookie", "")
    assert re.match(rf"{dc.ROUTE_COOKIE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax$", cookie), cookie
    key = cookie.split(";")[0]
    # with the cookie, no new one, and every request lands where the first one did
    status, headers, _ = get(cluster.url + "/", cookie=key)
    assert status == 200 and headers.get("Set-Cookie") is None
    keys = [f"{dc.ROUTE_COOKIE}={secrets.token_hex(16)}" for _ in range(16)]
    for k in keys:
        for _ in range(3):
            get(cluster.url + "/_stcore/health", cookie=k)
    served: dict[str, set] = {}
    for line in cluster.access_log().splitlines():
        m = re.search(r"key=(\S+) upstream=(\S+)", line)
        if m:
            served.setdefault(m.group(1), set()).add(m.group(2))
    first_key = key.split("=", 1)[1]
    assert len(served[first_key]) == 1
    for k in keys:
        assert len(served[k.split("=", 1)[1]]) == 1, served[k.split("=", 1)[1]]
    # 16 random keys all on one of two replicas would be a 1-in-30 000 fluke: stickiness is per user
    assert len(set().union(*(served[k.split("=", 1)[1]] for k in keys))) == 2


def lr_slider(page):
    return page.locator("[data-testid=stSlider]", has_text="shared learning rate").locator("input[type=range]")


@needs_browser
def test_session_state_kept_across_reruns_and_a_websocket_reconnect(cluster, browser):
    before = [session_events(r.port) for r in cluster.replicas]
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(RECORD_SOCKETS)
    page = ctx.new_page()
    try:
        page.goto(cluster.url + "/")
        wait_for_map(page)
        i = serving_replica(cluster, before)
        route = next(c["value"] for c in ctx.cookies() if c["name"] == dc.ROUTE_COOKIE)
        # rerun 1: a radio; rerun 2: the slider it reveals; the radio keeps its choice
        page.get_by_text("same for all").click()
        lr_slider(page).wait_for(timeout=20_000)
        lr_slider(page).focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => /[?&]lr=/.test(location.search)", timeout=20_000)
        lr = lr_slider(page).input_value()
        # the slider exists only while the radio says "same for all": the radio kept its choice
        assert "lrmode=shared" in page.url
        url = page.url
        counts = session_events(cluster.replicas[i].port)

        page.evaluate("() => window.__sockets.filter(s => s.readyState === 1).forEach(s => s.close())")
        wait_for(lambda: session_events(cluster.replicas[i].port).get("reconnect", 0) > counts.get("reconnect", 0),
                 30, "the page to reconnect")
        # the same replica took it back, as the same session (a reconnect, not a new connection)
        after = session_events(cluster.replicas[i].port)
        assert after.get("connect", 0) == counts.get("connect", 0)
        assert [session_events(r.port).get("connect", 0) for j, r in enumerate(cluster.replicas) if j != i] \
            == [b.get("connect", 0) for j, b in enumerate(before) if j != i]
        assert next(c["value"] for c in ctx.cookies() if c["name"] == dc.ROUTE_COOKIE) == route
        assert lr_slider(page).input_value() == lr and page.url == url
        # and the resumed session goes on from where it was
        lr_slider(page).focus()
        page.keyboard.press("ArrowRight")
        wait_for(lambda: lr_slider(page).input_value() != lr, 20, "the slider to move on")
        assert float(lr_slider(page).input_value()) > float(lr)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        ctx.close()


@needs_browser
def test_killed_replica_users_reconnect_elsewhere_with_their_configuration(cluster, browser):
    from tests.e2e.helpers import heads
    before = [session_events(r.port) for r in cluster.replicas]
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        page.goto(cluster.url + "/?opt=sgd,adam&steps=150")
        wait_for_map(page)
        drawn = heads(page)
        assert len(drawn) == 2, drawn
        i = serving_replica(cluster, before)
        other = 1 - i
        others_before = session_events(cluster.replicas[other].port)
        cluster.kill_replica(i)
        wait_for(lambda: session_events(cluster.replicas[other].port).get("connect", 0)
                 > others_before.get("connect", 0), 45, "the page to connect to the other replica")
        # A new session there, built from the URL; the first change made on the page after the
        # failover reaches it with every widget's value and wins over the URL (ui.state). The
        # page turns Chinese, rerun on the survivor, and draws the same two runs to the same end
        # points (a session from scratch would draw the default six).
        page.locator("[data-testid=stRadio] label", has_text="中文").click()
        page.wait_for_function("() => location.search.includes('lang=zh')", timeout=60_000)
        page.get_by_text("游乐场").first.wait_for(timeout=30_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000)
        wait_for_map(page)
        assert sorted(heads(page).values()) == sorted(drawn.values())
        assert re.search(r"opt=sgd(%2C|,)adam", page.url) and "steps=150" in page.url, page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "Traceback" not in cluster.log(other)
    finally:
        ctx.close()
