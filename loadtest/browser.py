"""Sessions in a real browser: N Playwright contexts (each its own cookies, so its own Streamlit
session) in ONE headless Debian chromium. Each loads the page, presses ▶ Play, and moves the
shared-learning-rate slider one option every ``interval`` seconds (the keyboard, as a person
nudging it). A rerun's latency: from the key press until the map shows the new runs and
Streamlit's running indicator is gone ("rerun"); and, read from the page's WebSocket frames, until
the script_finished message arrived ("rerun_ws": what the protocol driver measures)."""
from __future__ import annotations

import time

from bench.harness import BROWSER_ARGS, CHROMIUM, MAP

STATUS = "[data-testid=stStatusWidget]"
SIGNATURE = (f"(() => {{ const g = {MAP}; return g && g.data ? JSON.stringify(g.data.filter(t => t.showlegend !== "
             f"false || t.name === 'heads').map(t => [t.name, t.x, t.y])) : ''; }})()")
MAP_READY = (f"() => {{ const g = {MAP}; return g && g._fullLayout && g._fullLayout.images && "
             f"g._fullLayout.images.length === 1 && g.querySelector('image') && g._fullData && "
             f"g._fullData.length > 5; }}")


def _idle_and_changed_js() -> str:
    return (f"(s) => {{ if (document.querySelector('{STATUS}')) return false; const sig = {SIGNATURE};"
            f" return sig !== '' && sig !== s; }}")


class BrowserSession:
    def __init__(self, index: int, url: str, rng=None, rerun_timeout: float = 60.0, label="shared learning rate"):
        self.index, self.url, self.rng, self.rerun_timeout, self.label = index, url, rng, rerun_timeout, label
        self.errors: list[str] = []
        self.reruns = 0
        self.failed = False
        self.finished_at = 0.0      # perf_counter() of the last script_finished the page received

    async def run(self, browser, interval: float, duration: float, record, start_delay: float = 0.0) -> None:
        import asyncio
        await asyncio.sleep(start_delay)
        ctx = await browser.new_context(viewport={"width": 1280, "height": 720})
        try:
            page = await ctx.new_page()
            page.on("pageerror", lambda e: self.errors.append(f"session {self.index}: page error: {str(e)[:200]}"))
            page.on("websocket", self._watch_socket)
            t = time.monotonic()
            t0 = time.perf_counter()
            await page.goto(self.url, timeout=180_000)
            await page.wait_for_selector(".js-plotly-plot", state="attached", timeout=180_000)
            await page.wait_for_function(MAP_READY, timeout=180_000)
            record("load", t, time.perf_counter() - t0, self.index)
            await page.locator(".updatemenu-button", has_text="Play").first.click(timeout=30_000)
            deadline = time.monotonic() + duration      # moves for ``duration`` once the page is drawn
            thumb = page.locator("[data-testid=stSlider]", has_text=self.label).locator("input[type=range]")
            next_at = time.monotonic() + (self.rng.random() if self.rng else 0.5) * interval
            while True:
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                if time.monotonic() >= deadline:
                    break
                sig = await page.evaluate(SIGNATURE)
                await thumb.focus()
                key = await self._key(thumb)
                t = time.monotonic()
                t0 = time.perf_counter()
                await page.keyboard.press(key)
                await page.wait_for_function(_idle_and_changed_js(), arg=sig, timeout=self.rerun_timeout * 1000,
                                             polling=20)
                # the running indicator shows only after a moment: the run is over once its
                # script_finished has reached the page too
                while self.finished_at <= t0:
                    if time.perf_counter() - t0 > self.rerun_timeout:
                        raise TimeoutError("no script_finished after the map changed")
                    await asyncio.sleep(0.01)
                record("rerun", t, time.perf_counter() - t0, self.index)
                record("rerun_ws", t, self.finished_at - t0, self.index)     # where the protocol driver stops
                self.reruns += 1
                next_at = t + interval
        except Exception as e:
            self.failed = True
            self.errors.append(f"session {self.index}: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
        finally:
            await ctx.close()

    def _watch_socket(self, ws) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        def on_frame(payload):
            if isinstance(payload, (bytes, bytearray)) and len(payload) < 256:   # script_finished is tiny
                msg = ForwardMsg()
                try:
                    msg.ParseFromString(bytes(payload))
                except Exception:
                    return
                if msg.WhichOneof("type") == "script_finished" and msg.script_finished == 0:
                    self.finished_at = time.perf_counter()
        ws.on("framereceived", on_frame)

    async def _key(self, thumb) -> str:
        """A random walk like the protocol driver's: one option up or down, turning at the ends."""
        now, hi = await thumb.evaluate("e => [Number(e.value ?? e.getAttribute('aria-valuenow')),"
                                       " Number(e.max ?? e.getAttribute('aria-valuemax'))]")
        step = self.rng.choice((-1, 1)) if self.rng else 1
        if not 0 <= now + step <= hi:
            step = -step
        return "ArrowRight" if step > 0 else "ArrowLeft"


async def run_browsers(url: str, sessions: int, interval: float, duration: float, record, rng_for,
                       ramp_s: float):
    """All sessions in one chromium; returns the sessions (their errors and counts)."""
    import asyncio

    from playwright.async_api import async_playwright
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        try:
            ss = [BrowserSession(i, url, rng=rng_for(i)) for i in range(sessions)]
            await asyncio.gather(*(s.run(browser, interval, duration, record, start_delay=ramp_s * i / max(sessions, 1))
                                   for i, s in enumerate(ss)))
            return ss
        finally:
            await browser.close()
