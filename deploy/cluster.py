"""nginx in front of a few Streamlit replicas of the app, on this machine: one command for a class.

    python -m deploy.cluster --replicas 3 --port 8080     # until Ctrl-C / SIGTERM, then stops all
    deploy/start.sh 3 8080                                 # the same

    with start_cluster(replicas=2) as cluster:             # tests and the load harness
        urllib.request.urlopen(cluster.url + "/_stcore/health")

Each replica is ``streamlit run app.py`` on its own loopback port (so it reads the hardened
.streamlit/config.toml), all sharing one Numba cache (warmed once before they start) and one
``server.cookieSecret``. nginx (Debian's package) runs in the foreground from a temporary prefix
directory that holds its rendered config, pid, logs and temp files; the config's template is
deploy/nginx.conf.template, and README "Running for a class" says why it is written as it is.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX = "/usr/sbin/nginx"
ROUTE_COOKIE = "dl_route"
START_TIMEOUT_S = 120.0


@dataclass
class Replica:
    port: int
    proc: subprocess.Popen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def max_upload_mb() -> int:
    """Streamlit's ``server.maxUploadSize``, which nginx enforces too (an upload too big fails
    at the proxy, before it reaches a replica)."""
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    return int(cfg["server"]["maxUploadSize"])


def render_nginx_conf(prefix: Path, port: int, replica_ports, listen: str = "127.0.0.1") -> str:
    """The nginx config for ``replica_ports`` behind ``listen:port``, its files under ``prefix``."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in replica_ports)
    # as root, nginx's workers switch to an unprivileged user; without a user line it would pick
    # "nobody:nobody", and Debian has no group "nobody"
    user_line = "user nobody nogroup;" if os.geteuid() == 0 else ""
    return string.Template(TEMPLATE.read_text()).substitute(
        user_line=user_line, prefix=str(prefix), port=port, listen=listen, servers=servers,
        cookie=ROUTE_COOKIE, max_body_mb=max_upload_mb())


def nginx_check(conf: Path, prefix: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` on ``conf``: its return code and what it said."""
    return subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True,
                          timeout=30)


def warm_engine(env: dict) -> None:
    """Compile every engine kernel not yet in the shared cache once, before the replicas start, so
    that they only ever load them (a few seconds when the cache is warm: it loads each kernel once,
    which also compiles what a cache shared between checkouts lacks for this one's paths)."""
    subprocess.run([sys.executable, "-m", "lab.warmup"], cwd=ROOT, env=env, check=True, timeout=1800,
                   stdout=subprocess.DEVNULL)


class Cluster:
    """A running nginx and its replicas; ``stop`` ends them all (also on leaving a ``with``)."""

    def __init__(self, url: str, replicas: list[Replica], nginx: subprocess.Popen, workdir: Path, env: dict):
        self.url = url
        self.replicas = replicas
        self._nginx = nginx
        self._workdir = workdir
        self._env = env
        self._lock = threading.Lock()
        self._stopped = False

    def pids(self) -> list[int]:
        """The replica server pids (each is the Streamlit server process itself)."""
        return [r.proc.pid for r in self.replicas]

    def kill_replica(self, i: int) -> None:
        """SIGKILL replica ``i`` (and anything it started), as a crashed machine would go; the
        others keep serving."""
        proc = self.replicas[i].proc
        if proc.poll() is None:
            _signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=10)

    def restart_replica(self, i: int, timeout: float = START_TIMEOUT_S) -> None:
        """Start replica ``i`` again on its port (nginx sends its sessions back to it once it
        answers), after a kill or a crash."""
        r = self.replicas[i]
        if r.proc.poll() is None:
            return
        r.proc = _start_replica(r.port, self._env, self._workdir / f"replica-{i}.log")
        _wait_healthy([(f"http://127.0.0.1:{r.port}", r.proc)], timeout)

    def stop(self) -> None:
        """Stop nginx and every replica (SIGTERM, then SIGKILL after 10 s); safe to call again."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        procs = [self._nginx] + [r.proc for r in self.replicas]
        for p in procs:
            if p.poll() is None:
                _signal_group(p, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(p, signal.SIGKILL)
                p.wait(timeout=10)
        shutil.rmtree(self._workdir, ignore_errors=True)

    def access_log(self) -> str:
        """nginx's access log so far: one line per request, with its route key and the replica
        (``upstream=127.0.0.1:port``) that answered it."""
        path = self._workdir / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log(self, i: int) -> str:
        """What replica ``i`` wrote to stderr so far (for a failing test's message)."""
        path = self._workdir / f"replica-{i}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    # each child leads its own process group: its own children (the engine's warm-up workers)
    # go with it
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def _start_replica(port: int, env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
            start_new_session=True)


def _wait_healthy(targets, timeout: float) -> None:
    """Return once every (url, process) answers /_stcore/health; raise if one exits or the time is
    up."""
    deadline = time.monotonic() + timeout
    waiting = list(targets)
    while waiting:
        url, proc = waiting[0]
        if healthy(url):
            waiting.pop(0)
            continue
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} for {url} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer /_stcore/health within {timeout:.0f} s")
        time.sleep(0.1)


def start_cluster(replicas: int = 2, port: int | None = None, env: dict | None = None,
                  listen: str = "127.0.0.1") -> Cluster:
    """Warm the engine once, start ``replicas`` Streamlit servers and nginx on ``port`` (a free one
    when None); return once nginx and every replica answer /_stcore/health. ``env`` is added to
    this process's environment for the replicas (e.g. NUMBA_CACHE_DIR,
    STREAMLIT_SERVER_COOKIE_SECRET: a fresh secret is made when neither gives one). ``listen`` is
    nginx's address: 0.0.0.0 to serve a classroom's network."""
    if replicas < 1:
        raise ValueError("at least one replica")
    if not Path(NGINX).exists():
        raise RuntimeError(f"{NGINX} is missing: apt-get install nginx")
    env = {**os.environ, **(env or {})}
    # one secret for all replicas: a cookie or XSRF token signed by one is valid on the others
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    port = port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="descent-lab-cluster-"))
    # as root, nginx's workers run as nobody and must reach their temp directories here
    workdir.chmod(0o755)
    started: list[subprocess.Popen] = []
    try:
        warm_engine(env)
        reps = []
        for i in range(replicas):
            rport = free_port()
            reps.append(Replica(rport, _start_replica(rport, env, workdir / f"replica-{i}.log")))
            started.append(reps[-1].proc)
        conf = workdir / "nginx.conf"
        conf.write_text(render_nginx_conf(workdir, port, [r.port for r in reps], listen))
        check = nginx_check(conf, workdir)
        if check.returncode != 0:
            raise RuntimeError("nginx -t refused the config: " + check.stderr)
        with open(workdir / "nginx.stderr", "ab") as err:
            nginx = subprocess.Popen([NGINX, "-p", str(workdir), "-c", str(conf)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        started.append(nginx)
        url = f"http://127.0.0.1:{port}"
        _wait_healthy([(f"http://127.0.0.1:{r.port}", r.proc) for r in reps] + [(url, nginx)], START_TIMEOUT_S)
        return Cluster(url, reps, nginx, workdir, env)
    except BaseException:
        for p in started:
            if p.poll() is None:
                _signal_group(p, signal.SIGKILL)
                p.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Descent Lab: nginx in front of Streamlit replicas")
    ap.add_argument("--replicas", type=int, default=2, help="Streamlit servers (default 2; one per core)")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    ap.add_argument("--listen", default="127.0.0.1", help="nginx's address (0.0.0.0 for a classroom network)")
    args = ap.parse_args(argv)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    cluster = start_cluster(args.replicas, args.port, listen=args.listen)
    try:
        print(f"Descent Lab: {len(cluster.replicas)} replicas behind http://{args.listen}:{args.port}"
              f" (replica ports {', '.join(str(r.port) for r in cluster.replicas)}); Ctrl-C stops all",
              flush=True)
        while not stop.wait(2.0):
            # a replica that died is started again: its students reconnect, to another replica
            # meanwhile, their configuration intact in their URL
            for i, r in enumerate(cluster.replicas):
                if r.proc.poll() is not None and not stop.is_set():
                    print(f"replica {i} (port {r.port}) exited with {r.proc.returncode}: restarting", flush=True)
                    try:
                        cluster.restart_replica(i)
                    except RuntimeError as e:
                        print(f"replica {i} did not come back: {e}", flush=True)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
