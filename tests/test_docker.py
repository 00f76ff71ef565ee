"""The Dockerfile, checked without a Docker engine: what it copies exists, it installs the same
requirements as CI, runs as a non-root user that cannot change its code, compiles Numba's cache at
build time into a path only read at run time, writes only under /tmp (the tmpfs of `--read-only`),
has the thread-safe threading layer, and serves app.py on 8501 with a health check.
tests/test_docker_run.py runs the image's start-up sequence the same way."""
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


def env_value(name: str) -> str:
    m = re.search(rf"\b{name}=(\S+)", " ".join(instructions("ENV")))
    assert m, f"ENV {name} is not set"
    return m.group(1)


def test_non_root_user_runs_code_it_cannot_change():
    users = instructions("USER")
    assert users and users[-1] not in ("root", "0")
    user_at = max(i for i, ln in enumerate(LINES) if ln.upper().startswith("USER "))
    # everything is copied and compiled as root, before the switch to the app user
    last_copy = max(i for i, ln in enumerate(LINES) if ln.upper().startswith("COPY "))
    assert last_copy < user_at
    assert not any("--chown" in c for c in instructions("COPY")), "the app user must not own its code"


def test_numba_cache_compiled_at_build_into_a_path_only_read_at_run_time():
    cache = env_value("NUMBA_CACHE_DIR")
    assert cache.startswith("/opt/"), "outside the app user's HOME and outside /tmp (the tmpfs)"
    warm_at = next(i for i, ln in enumerate(LINES) if "lab.warmup" in ln)
    user_at = max(i for i, ln in enumerate(LINES) if ln.upper().startswith("USER "))
    assert warm_at < user_at, "warmed as root: the app user can read the cache, never write it"
    # Numba's own locator ignores a cache directory it cannot write; this one loads from it
    locator = env_value("NUMBA_CACHE_LOCATOR_CLASSES")
    module, cls = locator.rsplit(".", 1)
    import importlib
    assert isinstance(getattr(importlib.import_module(module), cls), type)
    # bytecode compiled at build too: the read-only /app cannot take it at run time
    assert "compileall" in LINES[warm_at]


def test_only_tmp_is_written_at_run_time():
    # Streamlit and matplotlib write small state files under HOME; with --read-only, the tmpfs
    # on /tmp is the one writable place
    assert env_value("HOME") == "/tmp" and env_value("TMPDIR") == "/tmp"
    assert env_value("MPLCONFIGDIR").startswith("/tmp/")
    assert env_value("PYTHONDONTWRITEBYTECODE") == "1"
    assert "--read-only" in DOCKERFILE and "--tmpfs /tmp" in DOCKERFILE


def test_thread_safe_threading_layer_present():
    assert re.search(r"^tbb==", (ROOT / "requirements.txt").read_text(), re.M)
    run = " ".join(instructions("RUN"))
    # pip puts libtbb in /usr/local/lib, found by the loader only after ldconfig
    assert "ldconfig" in run and "import numba.np.ufunc.tbbpool" in run
    assert "NUMBA_THREADING_LAYER=workqueue" not in DOCKERFILE
    init = (ROOT / "optim_core" / "__init__.py").read_text()
    assert 'THREADING_LAYER = "threadsafe"' in init


def test_cjk_font_health_check_and_command():
    assert "fonts-noto-cjk" in DOCKERFILE
    (hc,) = instructions("HEALTHCHECK")
    assert "/_stcore/health" in hc and "8501" in hc
    (cmd,) = instructions("CMD")
    assert "streamlit" in cmd and "app.py" in cmd and "8501" in cmd
    assert "8501" in " ".join(instructions("EXPOSE"))


def test_streamlit_config_is_copied_and_headless():
    assert any(c.split()[0] == ".streamlit/" for c in instructions("COPY"))
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["server"]["headless"] is True
