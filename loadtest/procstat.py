"""Memory and CPU of the server process(es), read from /proc (no psutil): a sampler thread
records every ``period`` seconds each watched pid's resident memory (VmRSS) and the CPU it used
since the previous sample (utime + stime), plus the same for the processes they started (the
engine's warm-up workers), apart."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def parse_stat(text: str) -> dict:
    """Fields of /proc/<pid>/stat that we use. The command name (field 2) is in brackets and may
    itself hold spaces and brackets, so the rest is split after the last ')'."""
    rest = text[text.rindex(")") + 2:].split()
    # rest[0] is field 3 (state): field k is rest[k - 3]
    return {"state": rest[0], "ppid": int(rest[1]), "utime": int(rest[11]), "stime": int(rest[12]),
            "starttime": int(rest[19])}


def parse_rss_kb(status_text: str) -> int:
    """VmRSS of /proc/<pid>/status in kB (0 for a zombie, which has no VmRSS line)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def read_proc(pid: int) -> tuple[float, float] | None:
    """(rss MB, cpu seconds so far) of ``pid``, None once it is gone."""
    try:
        st = parse_stat(Path(f"/proc/{pid}/stat").read_text())
        rss = parse_rss_kb(Path(f"/proc/{pid}/status").read_text())
    except (OSError, ValueError):
        return None
    return rss / 1024, (st["utime"] + st["stime"]) / TICKS


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from each /proc/<p>/stat's parent id)."""
    parent = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parent[int(d.name)] = parse_stat((d / "stat").read_text())["ppid"]
            except (OSError, ValueError):
                continue
    out, frontier = [], {pid}
    while frontier:
        nxt = {p for p, pp in parent.items() if pp in frontier}
        out.extend(sorted(nxt))
        frontier = nxt
    return out


def loadavg() -> list[float]:
    """The 1, 5 and 15 minute load averages (what ``uptime`` prints)."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


class Sampler:
    """Samples ``pids()`` (a callable: replicas may come and go) every ``period`` seconds in a
    daemon thread. ``samples``: (t since start, rss MB of the servers, cpu % of the servers since
    the last sample, rss MB of their children, cpu % of their children)."""

    def __init__(self, pids, period: float = 0.5):
        self._pids, self.period = pids, period
        self.samples: list[tuple] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="loadtest-sampler")
        self.t0 = time.monotonic()
        self.cpu_s = 0.0           # servers' CPU seconds over the sampling
        self.child_cpu_s = 0.0

    def start(self) -> "Sampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _read(self):
        mains, kids = {}, {}
        for pid in self._pids():
            r = read_proc(pid)
            if r:
                mains[pid] = r
            for c in children(pid):
                rc = read_proc(c)
                if rc:
                    kids[c] = rc
        return mains, kids

    def _loop(self):
        prev_main, prev_kids = self._read()
        prev_t = time.monotonic()
        self.samples.append((0.0, sum(r for r, _ in prev_main.values()), 0.0,
                             sum(r for r, _ in prev_kids.values()), 0.0))
        while not self._stop.wait(self.period):
            mains, kids = self._read()
            now = time.monotonic()
            dt = max(now - prev_t, 1e-6)
            # a process that appeared since the last sample counts from zero; one that left, not at all
            d_main = sum(max(c - prev_main.get(p, (0, 0))[1], 0) for p, (_, c) in mains.items())
            d_kids = sum(max(c - prev_kids.get(p, (0, 0))[1], 0) for p, (_, c) in kids.items())
            self.cpu_s += d_main
            self.child_cpu_s += d_kids
            self.samples.append((round(now - self.t0, 3), round(sum(r for r, _ in mains.values()), 1),
                                 round(100 * d_main / dt, 1), round(sum(r for r, _ in kids.values()), 1),
                                 round(100 * d_kids / dt, 1)))
            prev_main, prev_kids, prev_t = mains, kids, now
