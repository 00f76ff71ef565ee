"""The Dockerfile, checked without a Docker engine: what it copies exists, it installs the same
requirements as CI, runs as a non-root user, warms Numba at build time, and serves app.py on 8501
with a health check."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
LINES = [ln.strip() for ln in re.sub(r"\\\n", " ", DOCKERFILE).splitlines() if ln.strip() and not ln.startswith("#")]


def instructions(name):
    return [ln[len(name):].strip() for ln in LINES if ln.upper().startswith(name + " ")]


def test_slim_python_base():
    (base,) = instructions("FROM")
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", base), base


def test_every_copied_path_exists():
    for args in instructions("COPY"):
        parts = [p for p in args.split() if not p.startswith("--")]
        for src in parts[:-1]:
            assert (ROOT / src).exists(), f"COPY source {src} is missing"


def test_app_sources_are_all_copied():
    copied = " ".join(instructions("COPY"))
    for needed in ("app.py", "app_pages/", "ui/", "viz/", "lab/", "optim_core/", "surfaces/", ".streamlit/",
                   "requirements.txt"):
        assert needed in copied, needed


def test_installs_the_runtime_requirements_of_ci():
    assert any("pip install -r requirements.txt" in r for r in instructions("RUN"))
    ci = (ROOT / ".ci" / "run").read_text()
    assert "requirements.txt" in ci
    reqs = (ROOT / "requirements.txt").read_text()
    for pkg in ("streamlit", "plotly", "numpy", "numba", "pillow"):
        assert re.search(rf"^{pkg}==", reqs, re.M | re.I), pkg


def test_non_root_user_and_numba_cache_warmed_after_it():
    users = instructions("USER")
    assert users and users[-1] not in ("root", "0")
    assert "NUMBA_CACHE_DIR=" in DOCKERFILE
    user_at = next(i for i, ln in enumerate(LINES) if ln.upper().startswith("USER "))
    warm_at = next(i for i, ln in enumerate(LINES) if "lab.warmup" in ln)
    assert warm_at > user_at, "warm the cache as the app user, so it can be read and extended at run time"
    from lab import warmup
    assert callable(warmup.warm)


def test_cjk_font_health_check_and_command():
    assert "fonts-noto-cjk" in DOCKERFILE
    (hc,) = instructions("HEALTHCHECK")
    assert "/_stcore/health" in hc and "8501" in hc
    (cmd,) = instructions("CMD")
    assert "streamlit" in cmd and "app.py" in cmd and "8501" in cmd
    assert "8501" in " ".join(instructions("EXPOSE"))


def test_streamlit_config():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["server"]["headless"] is True
