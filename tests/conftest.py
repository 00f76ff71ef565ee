"""The one headless Debian chromium of a test run, shared by the browser tests in every folder
(tests/e2e, the deployment and Docker start-up tests): Playwright's sync API runs one instance per
process, and a second one started while the first is alive fails ("Sync API inside the asyncio
loop")."""
from __future__ import annotations

import os

import pytest

from bench.harness import BROWSER_ARGS, CHROMIUM


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run "
                    f"the browser tests; no browser is ever downloaded")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        yield b
        b.close()
