"""The largest WebSocket message each page sends, on its heaviest settings: what
``server.maxMessageSize`` in .streamlit/config.toml must stay above (with headroom).

    python bench/message_size.py            # writes bench/results/message_size.json

Streamlit refuses a message above the limit and shows an error in its place, so the limit is set
from these numbers, never guessed. A page's messages are read in headless chromium from the
WebSocket frames the server sends while the page draws and settles.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import BROWSER_ARGS, CHROMIUM, ROOT, free_port, start_server, stop_server  # noqa: E402

ALL = "sgd,momentum,nag,asgd,rprop,adagrad,adadelta,rmsprop,adam,amsgrad,adamw,nadam,radam,newton,diag_newton,bfgs"
# each page's default and its heaviest settings the widgets allow
CASES = {
    "playground default": "/",
    "playground 16 optimizers x 20000 steps, inside": f"/?opt={ALL}&steps=20000&inside=adam",
    "playground 3-D view, 16 optimizers": f"/?opt={ALL}&steps=20000&view3d=1",
    "playground 200 seeds, noise": "/?opt=sgd,momentum,nag,adagrad,rmsprop,adam&noise=1&seeds.on=1&seeds.k=200",
    "compare default": "/compare",
    "compare multiples 16 optimizers x 20000 steps": f"/compare?cmp.mode=multiples&opt={ALL}&steps=20000",
    "compare 4 surfaces x 16 optimizers x 20000 steps": f"/compare?cmp.mode=surfaces&opt={ALL}&steps=20000",
    "sweep default": "/sweep",
    "sweep 200x200": "/sweep?opt=adam&sw.opt=adam&sw.res=200",
    "basins default": "/basins",
    "basins 2 x 300x300": "/basins?bas.res=300",
    "lessons": "/lessons",
    "reference": "/reference",
}
NO_FIGURE = {"reference"}
SETTLE_S = 4.0


def largest_messages(base: str) -> dict:
    from playwright.sync_api import sync_playwright
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for name, path in CASES.items():
            sizes: list[int] = []
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: sizes.append(len(payload))))
            page.goto(base + path, wait_until="domcontentloaded")
            if name not in NO_FIGURE:
                # a heavy grid computes for a while between its spinner and its figure
                page.wait_for_selector(".js-plotly-plot", state="attached", timeout=180_000)
            # wait until the page stops sending: a settle period without a new frame
            last, seen = time.time(), 0
            deadline = time.time() + 120
            while time.time() < deadline:
                page.wait_for_timeout(250)
                if len(sizes) != seen:
                    seen, last = len(sizes), time.time()
                elif seen and time.time() - last > SETTLE_S:
                    break
            out[name] = {"url": path, "largest_bytes": max(sizes, default=0), "total_bytes": sum(sizes),
                         "messages": len(sizes)}
            print(f"{name:50s} largest {max(sizes, default=0) / 1e6:6.2f} MB  total {sum(sizes) / 1e6:6.2f} MB")
            page.close()
        browser.close()
    return out


def main() -> None:
    port = free_port()
    server = start_server(port)
    try:
        result = largest_messages(f"http://127.0.0.1:{port}")
    finally:
        stop_server(server)
    largest = max(r["largest_bytes"] for r in result.values())
    print(f"largest message: {largest / 1e6:.2f} MB")
    path = ROOT / "bench" / "results" / "message_size.json"
    path.write_text(json.dumps({"cases": result, "largest_bytes": largest}, indent=1) + "\n")


if __name__ == "__main__":
    main()
