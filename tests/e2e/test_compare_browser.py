"""End to end in a real browser: Compare's panels play in lock-step from one Play, and
presentation mode hides the controls; screenshots of both are saved as test artefacts."""
from __future__ import annotations

import pytest

from .conftest import ARTIFACTS
from .helpers import MAP, click_button

pytestmark = pytest.mark.browser

FOUR_PANELS = "/compare?cmp.surfaces=rotated_valley,beale,saddle&opt=sgd,momentum,adam"


def wait_for_panels(page, n, timeout_ms=60_000):
    page.wait_for_selector(".js-plotly-plot", state="attached", timeout=timeout_ms)
    page.wait_for_function(f"() => {{ const g = {MAP}; return g && g._fullLayout && g._fullLayout.images"
                           f" && g._fullLayout.images.length === {n} && g.querySelectorAll('image').length === {n}; }}",
                           timeout=timeout_ms)


def panel_heads(page) -> list:
    """Per panel, the head positions drawn now."""
    return page.evaluate(f"() => {MAP}._fullData.filter(t => t.name === 'heads').map(t => [t.x, t.y])")


def lock_step(page) -> tuple:
    """(the step on the scrubber, whether every panel's heads are where that step's frame puts them)."""
    return tuple(page.evaluate(f"""() => {{
        const g = {MAP};
        const sl = g._fullLayout.sliders[0];
        const name = sl.steps[sl.active].args[0][0];
        const fr = g._transitionData._frameHash[name];
        const idx = g._fullData.map((t, i) => t.name === 'heads' ? i : -1).filter(i => i >= 0);
        const same = idx.every(i => JSON.stringify(fr.data[i].x) === JSON.stringify(g._fullData[i].x));
        return [name, same];
    }}"""))


def test_one_play_advances_every_panel_in_lock_step(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + FOUR_PANELS)
    wait_for_panels(page, 4)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "compare_en_1280x720.png"))
    before = panel_heads(page)
    assert len(before) == 4

    click_button(page, "Play")
    page.wait_for_timeout(1200)
    click_button(page, "Pause")
    page.wait_for_timeout(300)
    during = panel_heads(page)
    assert all(b != d for b, d in zip(before, during)), "a panel did not move after Play"
    step, same = lock_step(page)
    assert 0 < int(step) < 300 and same, f"panels not at the scrubber's step {step}"
    assert page.evaluate(f"() => {MAP}.querySelectorAll('image').length") == 4, "a surface image disappeared"
    assert not page.errors, page.errors


@pytest.mark.parametrize("lang,path", [("en", "/compare?cmp.mode=settings&present=1"),
                                       ("zh", "/compare?cmp.mode=multiples&opt=sgd,momentum,nag,adam&lang=zh&present=1"),
                                       ("en", "/?present=1"), ("zh", "/?present=1&lang=zh")])
def test_presentation_mode_hides_the_controls(server, page, lang, path):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + path)
    page.wait_for_selector(".js-plotly-plot", state="attached", timeout=60_000)
    page.wait_for_function(f"() => {MAP}._fullLayout && {MAP}.querySelectorAll('image').length >= 1", timeout=60_000)
    page.wait_for_timeout(800)
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    width = page.evaluate(f"() => {MAP}.getBoundingClientRect().width")
    assert width > 1100, f"the figure is {width:.0f} px wide in presentation mode"
    name = "compare" if "compare" in path else "playground"
    page.screenshot(path=str(ARTIFACTS / f"{name}_present_{lang}_1280x720.png"))
    exit_label = "退出演示" if lang == "zh" else "leave presentation"
    page.get_by_role("button", name=exit_label).click()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSidebar\"]') || "
                           "getComputedStyle(document.querySelector('[data-testid=\"stSidebar\"]')).display !== 'none'",
                           timeout=30_000)
    page.wait_for_function("() => !location.search.includes('present=1')", timeout=30_000)
    assert not page.errors, page.errors


def test_export_buttons_download_named_files(server, page):
    page.goto(server + "/compare?opt=sgd,adam&steps=60")
    wait_for_panels(page, 2)
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="CSV of the runs").click()
    csv_file = dl.value
    assert csv_file.suggested_filename.startswith("descent-lab_compare_valley-vs-rotated_valley_")
    assert csv_file.suggested_filename.endswith(".csv")
    head = open(csv_file.path(), encoding="utf-8").readline().strip()
    assert head.startswith("step,panel,optimizer,x,y,loss")

    page.get_by_role("button", name="Make a GIF").click()
    button = page.get_by_role("button", name="Download the GIF")
    button.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as dl:
        button.click()
    gif = dl.value
    assert gif.suggested_filename.endswith(".gif")
    assert open(gif.path(), "rb").read(6) == b"GIF89a"
    assert not page.errors, page.errors
