"""End to end in a real browser: the Playground loads, plays in the browser with the surface
still drawn, redraws on a slider change, and a click on the map moves the start."""
from __future__ import annotations

import time

import pytest

from .conftest import ARTIFACTS
from .helpers import (MAP, click_button, heads, map_grey_fraction, map_signature, surface_drawn, wait_for_map,
                      wait_until_changes)

pytestmark = pytest.mark.browser


def test_play_moves_heads_and_keeps_the_surface(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "/")
    wait_for_map(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "playground_en_1280x720.png"))
    before = heads(page)
    assert len(before) == 6, before
    grey_before = map_grey_fraction(page)
    assert grey_before > 0.3, f"the contour map is not drawn ({grey_before:.0%} grey pixels)"

    click_button(page, "Play")
    page.wait_for_timeout(900)                       # mid-animation
    during = heads(page)
    assert during != before, "the heads did not move after Play"
    assert surface_drawn(page), "the surface image disappeared while playing"
    assert map_grey_fraction(page) > 0.3, "the contour map is not visible while playing"
    page.screenshot(path=str(ARTIFACTS / "playground_playing.png"))

    # 100 frames at 60 ms take 6 s at full speed; a loaded machine draws fewer frames a second
    # (10-13 s measured while another test run shared the two cores): wait for the last frame
    deadline = time.time() + 40
    while heads(page) != before and time.time() < deadline:
        page.wait_for_timeout(200)
    after = heads(page)
    assert surface_drawn(page), "the surface image disappeared after playing"
    assert map_grey_fraction(page) > 0.3, "the contour map is not visible after playing"
    assert after == before, "after playing, the heads should be back at their final positions"
    # Pause mid-way, then scrub with the slider's frames: no error in the page
    click_button(page, "Restart")
    page.wait_for_timeout(300)
    start_heads = heads(page)
    assert all(abs(a[0] - b[0]) + abs(a[1] - b[1]) > 1e-9 for a, b in zip(start_heads.values(), before.values()))
    assert not page.errors, page.errors


def test_speed_buttons_and_pause(server, page):
    page.goto(server + "/")
    wait_for_map(page)
    click_button(page, "0.25×")
    page.wait_for_timeout(600)
    click_button(page, "Pause")
    page.wait_for_timeout(200)
    paused = heads(page)
    page.wait_for_timeout(600)
    assert heads(page) == paused, "the heads moved while paused"
    click_button(page, "Play")                        # resumes from the paused frame
    page.wait_for_timeout(400)
    assert heads(page) != paused
    assert surface_drawn(page)
    assert not page.errors, page.errors


def test_slider_change_redraws_the_figure(server, page):
    page.goto(server + "/")
    wait_for_map(page)
    sig0 = map_signature(page)
    page.get_by_text("same for all").click()
    sig1, _ = wait_until_changes(page, lambda: map_signature(page), sig0)
    wait_for_map(page)
    # that run has ended (it writes the URL last): a key pressed while it still ran could be lost
    page.wait_for_function("() => location.search.includes('lrmode=shared')", timeout=20000)
    thumb = page.locator("[data-testid=stSlider]", has_text="shared learning rate").locator("input[type=range]")
    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    sig2, seconds = wait_until_changes(page, lambda: map_signature(page), sig1, timeout_s=40)
    assert "η=0.1" in sig2 or "η=0.05" in sig2 or "η=0.02" in sig2, sig2
    assert surface_drawn(page)
    # the URL is written when the run ends, just after the figure was sent
    page.wait_for_function("() => location.search.includes('lrmode=shared') && /[?&]lr=/.test(location.search)",
                           timeout=20000)
    assert not page.errors, page.errors


def test_click_on_map_moves_the_start(server, page):
    page.goto(server + "/")
    wait_for_map(page)
    # the pixel of the grid point nearest to (3, 1.5) on the valley (domain x ±6, y ±3)
    xy = page.evaluate(f"""() => {{ const g = {MAP}; const L = g._fullLayout;
        const gx = g._fullData[0].x, gy = g._fullData[0].y; let best = 0, d = 1e9;
        for (let i = 0; i < gx.length; i++) {{ const e = Math.abs(gx[i] - 3) + Math.abs(gy[i] - 1.5);
            if (e < d) {{ d = e; best = i; }} }}
        const r = g.querySelector('.nsewdrag').getBoundingClientRect();
        return [r.x + L.xaxis.l2p(gx[best]), r.y + L.yaxis.l2p(gy[best]), gx[best], gy[best]]; }}""")
    page.mouse.click(xy[0], xy[1])
    page.wait_for_function("() => window.location.search.includes('x0=')", timeout=20000)
    wait_for_map(page)
    start = page.evaluate(f"() => {{ const t = {MAP}._fullData.find(t => t.name === 'start'); return [t.x[0], t.y[0]]; }}")
    assert abs(start[0] - xy[2]) < 1e-6 and abs(start[1] - xy[3]) < 1e-6, (start, xy)
    assert not page.errors, page.errors


@pytest.mark.parametrize("lang,size", [("en", (1280, 720)), ("zh", (1280, 720)), ("en", (1536, 864)),
                                       ("zh", (1536, 864))])
def test_screenshots(server, browser, lang, size):
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = ctx.new_page()
    q = "?lang=zh" if lang == "zh" else ""
    pg.goto(server + "/" + q)
    wait_for_map(pg)
    pg.wait_for_timeout(800)
    if lang == "zh":
        assert pg.get_by_text("游乐场").count() >= 1
    pg.screenshot(path=str(ARTIFACTS / f"playground_{lang}_{size[0]}x{size[1]}.png"))
    pg.screenshot(path=str(ARTIFACTS / f"playground_{lang}_{size[0]}x{size[1]}_full.png"), full_page=True)
    ctx.close()


def test_language_switch_goes_to_the_url(server, page):
    """Also the first click on a fresh server process: widgets created before st.navigation lost it."""
    page.goto(server + "/?steps=120")
    wait_for_map(page)
    page.locator("[data-testid=stRadio] label", has_text="中文").click()
    page.wait_for_function("() => window.location.search.includes('lang=zh')", timeout=20000)
    page.get_by_text("游乐场").first.wait_for(timeout=20000)
    assert "steps=120" in page.url
    wait_for_map(page)
    assert page.locator(".updatemenu-button", has_text="播放").count() == 1
    assert not page.errors, page.errors
