"""What the load goes to: a server this harness starts (after compiling the engine ahead), a URL
given (loopback only), or nginx with N replicas from the deploy helper (``deploy.cluster``)."""
from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bench.harness import ROOT, free_port, start_server, stop_server

WARMUP_TIMEOUT_S = 900       # a cold engine compiles in a few minutes on two cores


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def pids_listening(port: int) -> list[int]:
    """Processes with a TCP socket listening on ``port`` (from /proc/net/tcp{,6} and each
    process's open sockets): the server behind a --url, to sample its memory and CPU."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:     # 0A: LISTEN
                inodes.add(f[9])
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            for fd in (d / "fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    out.append(int(d.name))
                    break
        except OSError:
            continue
    return sorted(out)


class Target:
    """``url``; ``pids()``: the server processes to sample; ``stop()``: stop what we started."""

    def __init__(self, url: str, pids, stop=lambda: None, kind: str = "url", replicas: int = 1):
        self.url, self.pids, self._stop, self.kind, self.replicas = url, pids, stop, kind, replicas

    def stop(self) -> None:
        self._stop()
        self._stop = lambda: None


def warm_engine() -> None:
    """``python -m lab.warmup``: every kernel compiled on disk before the server starts, so that
    no measured rerun waits for a compile."""
    subprocess.run([sys.executable, "-m", "lab.warmup"], cwd=ROOT, check=True, timeout=WARMUP_TIMEOUT_S,
                   stdout=subprocess.DEVNULL)


def own_server(env: dict | None = None) -> Target:
    warm_engine()
    port = free_port()
    proc = start_server(port, env=env)
    return Target(f"http://127.0.0.1:{port}/", lambda: [proc.pid] if proc.poll() is None else [],
                  lambda: stop_server(proc), kind="own server")


def given_url(url: str) -> Target:
    if not is_loopback(url):
        raise SystemExit(f"--url {url!r}: only loopback addresses (127.0.0.0/8, localhost, ::1) are load-tested")
    port = urlsplit(url).port or 80
    return Target(url if url.endswith("/") else url + "/", lambda: pids_listening(port), kind="url")


def cluster(replicas: int) -> Target:
    try:
        from deploy.cluster import start_cluster     # the deploy helper's module (issue 17, scale-out)
    except ImportError as e:
        raise SystemExit(f"--replicas needs deploy/cluster.py ({e}); use --url against a server meanwhile") from e
    warm_engine()
    c = start_cluster(replicas=replicas)
    return Target(c.url if c.url.endswith("/") else c.url + "/", c.pids, c.stop, kind="nginx cluster",
                  replicas=replicas)

