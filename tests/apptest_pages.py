"""Opening a page of the app in streamlit.testing.v1.AppTest as a pasted link would, and reading
its charts and URL (shared by the AppTest files of the grid pages)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

TIMEOUT = 180
APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def compiled_engine():
    from lab.warmup import warm
    warm()


def open_page(page: str, query: dict | None = None) -> AppTest:
    """``page`` for ``query``. AppTest reaches a page of st.navigation only after a first run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(f"app_pages/{page}.py")
    for k in list(at.query_params):
        del at.query_params[k]
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def specs(at) -> list:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def query_of(at) -> dict:
    return {k: at.query_params[k] for k in at.query_params}
