"""The Docker image's start-up sequence, run here without a Docker engine: its build step
(`python -m lab.warmup`, as root, into the Numba cache), then its command (`streamlit run app.py`)
as an unprivileged user for whom the app's files and the Numba cache are read-only and only a
fresh HOME/TMPDIR (what the image's tmpfs on /tmp is) is writable, with the image's environment.
The server must answer /_stcore/health and draw the Playground without writing anywhere else.

Privileges are dropped with setpriv (util-linux). The unprivileged process keeps one capability,
CAP_DAC_READ_SEARCH: it lets it read and traverse directories it could not otherwise (this
machine's Python lives under /root, mode 0700) and grants no write of any kind, so every write is
still checked against the user's own permissions, as in the container.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from bench.harness import free_port, wait_for_map

ROOT = Path(__file__).resolve().parents[1]
SETPRIV = shutil.which("setpriv")
NOBODY = 65534
START_TIMEOUT_S = 30

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root, to start the app as an unprivileged user"),
    pytest.mark.skipif(SETPRIV is None, reason="setpriv (util-linux) is missing"),
]


def image_env(home: str, cache: str) -> dict:
    """The Dockerfile's ENV at run time, with HOME and TMPDIR on the tmpfs stand-in."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TMPDIR": home,
            "MPLCONFIGDIR": os.path.join(home, "matplotlib"), "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1", "NUMBA_CACHE_DIR": cache,
            "NUMBA_CACHE_LOCATOR_CLASSES": "surfaces.readonly_cache.ReadOnlyCacheLocator"}


def unprivileged(argv) -> list:
    return [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--no-new-privs",
            "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search", *argv]


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    cache = os.environ.get("NUMBA_CACHE_DIR") or str(ROOT / ".numba_cache")
    # the image's build step, as root: compiles whatever is not in the cache yet
    subprocess.run([sys.executable, "-m", "lab.warmup"], cwd=ROOT, check=True, timeout=1800,
                   stdout=subprocess.DEVNULL, env={**os.environ, "NUMBA_CACHE_DIR": cache})
    home = tempfile.mkdtemp(prefix="descent-lab-tmpfs-")
    os.chown(home, NOBODY, NOBODY)
    env = image_env(home, cache)
    port = free_port()
    log_path = Path(home) / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            unprivileged([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                          "--server.address", "127.0.0.1", "--server.headless=true"]),
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the app did not start as the unprivileged user: " + log_path.read_text()[-3000:])
            time.sleep(0.1)
    yield {"url": url, "home": home, "cache": cache, "env": env, "log": log_path, "proc": proc}
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(home, ignore_errors=True)


def test_the_app_and_the_cache_are_read_only_to_the_user(image):
    probe = ("import os, sys\n"
             "for d in sys.argv[1:]:\n"
             "    try:\n"
             "        open(os.path.join(d, '.write-probe'), 'w').close()\n"
             "        print('writable', d)\n"
             "    except PermissionError:\n"
             "        print('read-only', d)\n")
    unit = next(p for p in Path(image["cache"]).iterdir() if p.is_dir())
    dirs = [str(ROOT), str(ROOT / "ui"), image["cache"], str(unit), image["home"]]
    out = subprocess.run(unprivileged([sys.executable, "-c", probe, *dirs]), env=image["env"], capture_output=True,
                         text=True, timeout=30, cwd="/")
    assert out.stdout.splitlines() == [f"read-only {d}" for d in dirs[:-1]] + [f"writable {image['home']}"], \
        out.stdout + out.stderr
    os.remove(os.path.join(image["home"], ".write-probe"))


def test_health_and_the_page_answer(image):
    with urllib.request.urlopen(image["url"] + "/_stcore/health", timeout=5) as r:
        assert r.status == 200 and r.read() == b"ok"
    with urllib.request.urlopen(image["url"] + "/", timeout=5) as r:
        assert r.status == 200 and b"<html" in r.read().lower()


@pytest.mark.browser
def test_playground_draws_from_the_read_only_cache(image, browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = ctx.new_page()
        page.goto(image["url"] + "/")
        wait_for_map(page, timeout_ms=40_000)
        exceptions = page.locator('[data-testid="stException"]').count()
    finally:
        ctx.close()
    assert exceptions == 0
    log = image["log"].read_text(errors="replace")
    # a kernel the build did not compile would be compiled now and fail to save: PermissionError
    assert "Traceback" not in log and "PermissionError" not in log, log[-3000:]
    # and Numba did not fall back to a cache of its own under HOME (it would compile everything)
    assert not (Path(image["home"]) / ".cache" / "numba").exists()
    assert image["proc"].poll() is None
