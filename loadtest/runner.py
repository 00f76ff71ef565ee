"""One load run (N sessions for a duration) and the knee search, their JSON and plots."""
from __future__ import annotations

import asyncio
import datetime
import json
import os
import random
import time
from pathlib import Path

from . import stats
from .procstat import Sampler, loadavg, read_proc

RESULTS = Path(__file__).resolve().parent / "results"
MAX_SESSIONS = {"protocol": 400, "browser": 60}
MAX_DURATION_S = 1800
KNEE_P95_S = 2.0
LIGHT_P95_S = 0.5
MAX_ERRORS_KEPT = 50
TARGETS = {"p95_rerun_s": KNEE_P95_S, "p95_light_rerun_s": LIGHT_P95_S, "growth_mb_per_50_sessions": 100.0}


def check_bounds(driver: str, sessions: int, duration: float, interval: float) -> None:
    if not 1 <= sessions <= MAX_SESSIONS[driver]:
        raise SystemExit(f"--sessions {sessions}: the {driver} driver runs 1..{MAX_SESSIONS[driver]}")
    if not 1 <= duration <= MAX_DURATION_S:
        raise SystemExit(f"--duration {duration}: 1..{MAX_DURATION_S} s")
    if not 0.5 <= interval <= 600:
        raise SystemExit(f"--interval {interval}: 0.5..600 s")


def run_load(target, driver: str, sessions: int, interval: float, duration: float, query: str,
             page: str = "", seed: int = 0, ramp_s: float | None = None, sample_period: float = 0.5) -> dict:
    """``sessions`` users on ``target``, each moving its slider for ``duration`` seconds once its page
    is drawn (they join over ``ramp_s``, default one interval: a class arriving); returns the
    result dict."""
    check_bounds(driver, sessions, duration, interval)
    ramp_s = interval if ramp_s is None else ramp_s
    records: list[tuple] = []
    t_start = time.monotonic()

    def record(kind, t, latency, session):
        records.append((kind, round(t - t_start, 3), round(latency, 4), session))

    def rng_for(i):
        return random.Random(seed * 100_003 + i)
    url = target.url + page + ("?" + query if query else "")
    # the teacher opens the page first (once per replica: each new cookie is routed anew), so the
    # servers' imports and first caches are not counted as the class's
    from .protocol import ProtocolSession
    for i in range(max(target.replicas, 1)):
        teacher = ProtocolSession(-1 - i, target.url + page, query)
        asyncio.run(teacher.run(interval, 0.0, lambda *a: None))
        if teacher.failed:
            raise SystemExit(f"the first page load failed: {teacher.errors}")
    load_before = loadavg()
    me_before = read_proc(os.getpid())
    sampler = Sampler(target.pids, period=sample_period).start()
    time.sleep(2 * sample_period)            # the server's memory before any session
    try:
        if driver == "protocol":
            from .protocol import ProtocolSession
            ss = [ProtocolSession(i, target.url + page, query, rng=rng_for(i)) for i in range(sessions)]

            async def go():
                await asyncio.gather(*(s.run(interval, duration, record, start_delay=ramp_s * i / sessions)
                                       for i, s in enumerate(ss)))
            asyncio.run(go())
        else:
            from .browser import run_browsers
            ss = asyncio.run(run_browsers(url, sessions, interval, duration, record, rng_for, ramp_s))
    finally:
        time.sleep(2 * sample_period)
        sampler.stop()
    me_after = read_proc(os.getpid())
    load_after = loadavg()
    return summarize(records, ss, sampler, dict(
        driver=driver, sessions=sessions, interval_s=interval, duration_s=duration, ramp_s=ramp_s, query=query,
        page=page or "playground", seed=seed, target=target.kind, replicas=target.replicas, url=target.url,
        cores=os.cpu_count()), load_before, load_after,
        driver_cpu_s=(me_after[1] - me_before[1]) if me_before and me_after else None, settle_s=ramp_s)


def summarize(records, sessions, sampler, config, load_before, load_after, driver_cpu_s=None, settle_s=0.0):
    reruns = [r for r in records if r[0] == "rerun"]
    loads = [r for r in records if r[0] == "load"]
    errors = [e for s in sessions for e in s.errors]
    mem = stats.memory_summary([(s[0], s[1]) for s in sampler.samples], config["sessions"], settle_s=settle_s)
    span = sampler.samples[-1][0] if sampler.samples else 0
    cpu = {"server_cpu_s": round(sampler.cpu_s, 2), "server_cpu_mean_pct": round(100 * sampler.cpu_s / span, 1)
           if span else None, "server_cpu_s_per_rerun": round(sampler.cpu_s / len(reruns), 4) if reruns else None,
           "children_cpu_s": round(sampler.child_cpu_s, 2),
           "driver_cpu_s": None if driver_cpu_s is None else round(driver_cpu_s, 2)}
    out = {"when": datetime.datetime.now().isoformat(timespec="seconds"), "config": config,
           "loadavg_before": load_before, "loadavg_after": load_after,
           "first_load": stats.latency_summary(r[2] for r in loads),
           "rerun": stats.latency_summary(r[2] for r in reruns),
           "rerun_ws": stats.latency_summary(r[2] for r in records if r[0] == "rerun_ws"),
           "sessions_failed": sum(1 for s in sessions if s.failed),
           "sessions_ok": sum(1 for s in sessions if not s.failed),
           "errors": len(errors), "error_messages": errors[:MAX_ERRORS_KEPT],
           "memory": mem, "cpu": cpu,
           "samples": {"columns": ["t_s", "server_rss_mb", "server_cpu_pct", "children_rss_mb", "children_cpu_pct"],
                       "rows": sampler.samples},
           "records": {"columns": ["kind", "t_s", "latency_s", "session"], "rows": records}}
    out["verdict"] = verdict(out)
    return out


def verdict(res: dict) -> dict:
    p95 = res["rerun"]["p95_s"]
    growth = res["memory"].get("growth_mb_per_50_sessions")
    return {"zero_failed_sessions": res["sessions_failed"] == 0 and res["errors"] == 0,
            "p95_rerun_le_2s": p95 is not None and p95 <= KNEE_P95_S,
            "p95_rerun_le_0.5s_light": p95 is not None and p95 <= LIGHT_P95_S,
            "growth_le_100mb_per_50_sessions": growth is not None and growth <= TARGETS["growth_mb_per_50_sessions"]}


def stem(res: dict, prefix: str = "") -> str:
    c = res["config"] if "config" in res else res
    return (f"{prefix}{c['driver']}_{c['sessions']}s_{int(c['duration_s'])}d_"
            f"{c['target'].replace(' ', '-')}{c.get('replicas', 1)}")


def write(res: dict, name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(res, indent=1))
    plot(res, RESULTS / f"{name}.png")
    return path


def plot(res: dict, path: Path) -> None:
    """Latency of every rerun over time (p95 and the 2 s / 0.5 s lines) above the server's RSS and
    CPU over time."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 6.5), sharex=True)
    rec = res["records"]["rows"]
    for kind, colour in (("load", "tab:grey"), ("rerun", "tab:blue")):
        pts = [(r[1], r[2]) for r in rec if r[0] == kind]
        if pts:
            ax1.scatter(*zip(*pts), s=6, c=colour, label=kind, alpha=0.6)
    if res["rerun"]["p95_s"] is not None:
        ax1.axhline(res["rerun"]["p95_s"], color="tab:blue", ls="--", lw=1, label=f"p95 {res['rerun']['p95_s']:.2f} s")
    ax1.axhline(KNEE_P95_S, color="tab:red", ls=":", lw=1, label="2 s")
    ax1.axhline(LIGHT_P95_S, color="tab:orange", ls=":", lw=1, label="0.5 s")
    ax1.set_yscale("log")
    ax1.set_ylabel("latency (s)")
    ax1.legend(fontsize=8, loc="upper left", ncol=5)
    c = res["config"]
    ax1.set_title(f"{c['driver']} driver, {c['sessions']} sessions, a move every {c['interval_s']:g} s, "
                  f"{c['target']} ×{c['replicas']}; load {res['loadavg_before'][0]:.1f} → {res['loadavg_after'][0]:.1f}",
                  fontsize=9)
    s = res["samples"]["rows"]
    if s:
        t = [r[0] for r in s]
        ax2.plot(t, [r[1] for r in s], color="tab:green", label="server RSS (MB)")
        ax2.set_ylabel("RSS (MB)")
        ax3 = ax2.twinx()
        ax3.plot(t, [r[2] for r in s], color="tab:purple", lw=0.6, alpha=0.6, label="server CPU (%)")
        ax3.set_ylabel("CPU (%)")
        ax2.legend(fontsize=8, loc="upper left")
        ax3.legend(fontsize=8, loc="upper right")
    ax2.set_xlabel("time (s)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def knee(make_target, driver: str, start: int, step: int, max_sessions: int, interval: float, duration: float,
         query: str, page: str = "", seed: int = 0) -> dict:
    """Step the session count up (one server for the whole search) until p95 passes 2 s or a
    session fails; the knee is the last count that held, reported per core."""
    steps = []
    target = make_target()
    try:
        n = start
        while n <= max_sessions:
            res = run_load(target, driver, n, interval, duration, query, page=page, seed=seed)
            row = {"sessions": n, "p50_s": res["rerun"]["p50_s"], "p95_s": res["rerun"]["p95_s"],
                   "max_s": res["rerun"]["max_s"], "reruns": res["rerun"]["n"], "failed": res["sessions_failed"],
                   "errors": res["errors"], "rss_end_mb": res["memory"].get("rss_end_mb"),
                   "server_cpu_pct": res["cpu"]["server_cpu_mean_pct"], "loadavg": res["loadavg_after"]}
            steps.append(row)
            print(f"  {n:4d} sessions: p50 {row['p50_s']} s, p95 {row['p95_s']} s, max {row['max_s']} s, "
                  f"failed {row['failed']}, server CPU {row['server_cpu_pct']} %, load {row['loadavg']}", flush=True)
            if row["p95_s"] is None or row["p95_s"] > KNEE_P95_S or row["failed"]:
                break
            n += step
    finally:
        target.stop()
    held = [r["sessions"] for r in steps if r["p95_s"] is not None and r["p95_s"] <= KNEE_P95_S and not r["failed"]]
    cores = os.cpu_count() or 1
    k = max(held) if held else 0
    return {"when": datetime.datetime.now().isoformat(timespec="seconds"),
            "config": {"driver": driver, "start": start, "step": step, "max_sessions": max_sessions,
                       "interval_s": interval, "duration_s": duration, "query": query, "cores": cores,
                       "target": target.kind, "replicas": target.replicas},
            "steps": steps, "knee_sessions": k, "knee_sessions_per_core": round(k / cores, 1),
            "passed_2s_at": next((r["sessions"] for r in steps if r["p95_s"] is None or r["p95_s"] > KNEE_P95_S
                                  or r["failed"]), None)}


def plot_knee(res: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4))
    xs = [r["sessions"] for r in res["steps"]]
    for key, lab in (("p50_s", "p50"), ("p95_s", "p95"), ("max_s", "max")):
        ax.plot(xs, [r[key] if r[key] is not None else float("nan") for r in res["steps"]], marker="o", label=lab)
    ax.axhline(KNEE_P95_S, color="tab:red", ls=":", label="2 s")
    ax.set_xlabel("sessions")
    ax.set_ylabel("rerun latency (s)")
    ax.set_yscale("log")
    ax.set_title(f"knee: {res['knee_sessions']} sessions = {res['knee_sessions_per_core']} per core "
                 f"({res['config']['driver']} driver)", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
