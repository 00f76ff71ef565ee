"""python -m loadtest [--driver protocol|browser] [--sessions N] [--interval S] [--duration S]
                    [--url URL | --replicas N] [--page playground] [--soak]
python -m loadtest knee [--driver ...] [--start N] [--step N] [--max N] ...

Stops by itself: a watchdog ends everything (the server it started, the browser) after the run's
own time plus a margin, and Ctrl-C or SIGTERM stop it cleanly."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time

from . import runner, target as targets

START_MARGIN_S = 1200      # warm-up (a cold compile), server start, the class joining, the last reruns
SOAK_S = 600


def _args(argv):
    ap = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", nargs="?", choices=["run", "knee"], default="run")
    ap.add_argument("--driver", choices=["protocol", "browser"], default="protocol")
    ap.add_argument("--sessions", type=int, default=40)
    ap.add_argument("--interval", type=float, default=5.0, help="seconds between a session's slider moves")
    ap.add_argument("--duration", type=float, default=120.0, help="seconds each session moves its slider once its page is drawn")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--url", help="a running server (loopback only)")
    where.add_argument("--replicas", type=int, help="start nginx + N replicas (deploy.cluster)")
    ap.add_argument("--page", default="playground", choices=["playground"],
                    help="the page the sessions use (its slider: the shared learning rate)")
    ap.add_argument("--query", default="lrmode=shared",
                    help="the page's query string (e.g. add seeds.on=1&seeds.k=50 for heavy reruns)")
    ap.add_argument("--soak", action="store_true", help=f"run {SOAK_S} s (the memory must stay flat)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--name", help="results file name (default: from the settings)")
    ap.add_argument("--start", type=int, default=10, help="knee: first session count")
    ap.add_argument("--step", type=int, default=10, help="knee: sessions added per step")
    ap.add_argument("--max", type=int, default=200, help="knee: the last count tried")
    a = ap.parse_args(argv)
    if a.soak:
        a.duration = max(a.duration, SOAK_S)
    return a


def _make_target(a):
    if a.url:
        return targets.given_url(a.url)
    if a.replicas:
        return targets.cluster(a.replicas)
    return targets.own_server()


def _watchdog(seconds: float, cleanup) -> None:
    """After ``seconds``, stop what we started and leave, whatever the run is doing."""
    def fire():
        print(f"loadtest: watchdog: still running after {seconds:.0f} s; stopping", file=sys.stderr, flush=True)
        try:
            cleanup()
        finally:
            os._exit(3)
    t = threading.Timer(seconds, fire)
    t.daemon = True
    t.start()


def main(argv=None) -> int:
    a = _args(sys.argv[1:] if argv is None else argv)
    page = "" if a.page == "playground" else a.page
    started = []

    def cleanup():
        while started:
            started.pop().stop()

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    steps = 1 if a.mode == "run" else max(1, (a.max - a.start) // max(a.step, 1) + 1)
    _watchdog(START_MARGIN_S + steps * (a.duration + 2 * a.interval + 60), cleanup)
    t0 = time.monotonic()
    try:
        if a.mode == "knee":
            def make():
                t = _make_target(a)
                started.append(t)
                return t
            res = runner.knee(make, a.driver, a.start, a.step, a.max, a.interval, a.duration, a.query, page,
                              a.seed)
            name = a.name or f"knee_{a.driver}_{res['config']['target'].replace(' ', '-')}{res['config']['replicas']}"
            runner.RESULTS.mkdir(parents=True, exist_ok=True)
            path = runner.RESULTS / f"{name}.json"
            path.write_text(json.dumps(res, indent=1))
            runner.plot_knee(res, runner.RESULTS / f"{name}.png")
            print(f"knee: {res['knee_sessions']} sessions = {res['knee_sessions_per_core']} sessions per core "
                  f"(p95 passed 2 s at {res['passed_2s_at']}); written {path}")
            return 0
        t = _make_target(a)
        started.append(t)
        res = runner.run_load(t, a.driver, a.sessions, a.interval, a.duration, a.query, page, a.seed)
        path = runner.write(res, a.name or runner.stem(res, "soak_" if a.soak else ""))
        print(report(res))
        print(f"written {path} (+ .png) in {time.monotonic() - t0:.0f} s")
        return 0 if all(v for k, v in res["verdict"].items() if "light" not in k) else 1
    except KeyboardInterrupt:
        print("loadtest: interrupted; stopping", file=sys.stderr)
        return 130
    finally:
        cleanup()


def report(res: dict) -> str:
    c, r, m, cpu = res["config"], res["rerun"], res["memory"], res["cpu"]
    lines = [f"{c['driver']} driver · {c['sessions']} sessions · a move every {c['interval_s']:g} s · "
             f"{c['duration_s']:g} s · {c['target']} ×{c['replicas']} · load {res['loadavg_before']} → "
             f"{res['loadavg_after']}",
             f"first load  p50 {res['first_load']['p50_s']} s  p95 {res['first_load']['p95_s']} s  "
             f"max {res['first_load']['max_s']} s",
             f"rerun (n={r['n']})  p50 {r['p50_s']} s  p95 {r['p95_s']} s  max {r['max_s']} s",
             *([f"  of which until script_finished reached the page (n={res['rerun_ws']['n']}): p50 "
                f"{res['rerun_ws']['p50_s']} s  p95 {res['rerun_ws']['p95_s']} s"] if res["rerun_ws"]["n"] else []),
             f"failed sessions {res['sessions_failed']} · errors {res['errors']}",
             f"server RSS {m.get('rss_start_mb')} → {m.get('rss_end_mb')} MB (peak {m.get('rss_peak_mb')}; "
             f"{m.get('growth_mb_per_50_sessions')} MB per 50 sessions; trend "
             f"{m.get('trend_mb_per_min_after_settle')} MB/min)",
             f"server CPU {cpu['server_cpu_s']} s = {cpu['server_cpu_mean_pct']} % of one core "
             f"({cpu['server_cpu_s_per_rerun']} s per rerun); driver {cpu['driver_cpu_s']} s",
             "verdict " + ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in res["verdict"].items())]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
