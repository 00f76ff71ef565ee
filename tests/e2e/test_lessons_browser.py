"""End to end in a real browser: lessons open from their URL, play, read on a projector, and hand
their scene to the Playground; the Hessian lesson reads out a clicked point."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from lab import lessons

from .conftest import ARTIFACTS
from .helpers import MAP, click_button, heads

pytestmark = pytest.mark.browser


def wait_for_figure(page, timeout_ms=120_000):
    page.wait_for_selector(".js-plotly-plot", state="attached", timeout=timeout_ms)
    page.wait_for_function(f"() => {{ const g = {MAP}; return g && g._fullData && g._fullData.length > 1; }}",
                           timeout=timeout_ms)


def _first(figure: str = "", page_: str = "playground"):
    return next(lesson for lesson in lessons.LESSONS if lesson.figure == figure and lesson.page == page_)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_lesson_opens_from_its_url_and_plays(server, page, lang):
    lesson = _first()
    page.goto(f"{server}/lessons?lesson={lesson.id}&lang={lang}")
    wait_for_figure(page)
    page.get_by_text(lesson.text(lang)["title"]).first.wait_for(timeout=60_000)
    page.get_by_text(lesson.check(lang=lang)[1][:40]).first.wait_for(timeout=60_000)
    before = heads(page)
    click_button(page, "▶")
    time.sleep(1.5)
    assert heads(page) != before                       # the heads moved: it animates
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"lesson_{lesson.id}_{lang}_1280x720.png"), full_page=True)
    assert not page.errors, page.errors


def test_a_compare_lesson_on_the_projector(server, page):
    lesson = _first(page_="compare")
    page.goto(f"{server}/lessons?lesson={lesson.id}&present=1")
    wait_for_figure(page)
    page.get_by_text(lesson.check()[1][:40]).first.wait_for(timeout=60_000)
    assert page.get_by_text("Open in Compare").count() == 0      # the projector shows the lesson, not the controls
    page.screenshot(path=str(ARTIFACTS / f"lesson_{lesson.id}_present_1280x720.png"))
    assert not page.errors, page.errors


def test_the_open_button_hands_the_scene_to_the_playground(server, page):
    lesson = _first()
    page.goto(f"{server}/lessons?lesson={lesson.id}")
    wait_for_figure(page)
    page.get_by_text("Open in the Playground").first.click()
    page.wait_for_function("() => !window.location.pathname.includes('lessons')", timeout=30_000)
    wait_for_figure(page)
    q = {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}
    from lab import config
    decoded, notes = config.decode(q)
    assert notes == [] and decoded.optimizers == lesson.scene.optimizers and decoded.surface == lesson.scene.surface


def test_the_hessian_lesson_reads_out_a_clicked_point(server, page):
    lesson = _first("hessian")
    page.goto(f"{server}/lessons?lesson={lesson.id}")
    wait_for_figure(page)
    page.wait_for_function(f"() => {MAP}._fullData.some(t => t.name === 'pick')", timeout=60_000)
    before = page.url
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()     # below the lesson's heading at 720 px
    time.sleep(0.5)
    px, py, x, y = page.evaluate(f"""() => {{ const g = {MAP}; const L = g._fullLayout;
        const t = g._fullData.find(t => t.name === 'pick'); const k = 31 * 7;
        const r = g.querySelector('.nsewdrag').getBoundingClientRect();
        return [r.x + L.xaxis.l2p(t.x[k]), r.y + L.yaxis.l2p(t.y[k]), t.x[k], t.y[k]]; }}""")
    page.mouse.click(px, py)
    page.wait_for_function(f"() => window.location.href !== '{before}'", timeout=30_000)
    q = parse_qs(urlparse(page.url).query)
    assert abs(float(q["pt.x"][0]) - x) < 1e-3 and abs(float(q["pt.y"][0]) - y) < 1e-3
    page.screenshot(path=str(ARTIFACTS / "lesson_hessian_1280x720.png"), full_page=True)
    assert not page.errors, page.errors
