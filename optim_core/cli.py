"""Command line: ``python -m optim_core list`` and ``python -m optim_core run ...``.

Bad input exits with code 2 and one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys

import surfaces

from .api import MAX_RUN_STEPS, MAX_RUNS, MAX_STEPS, run
from .catalogue import OPTIMIZERS
from .schedules import KINDS, PARAMS


class _Refusal(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage + message; we want one line
        raise _Refusal(message)


def _parse_value(text: str):
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        v = float(text)
    except ValueError:
        return text.strip()
    return int(v) if v.is_integer() and "." not in text and "e" not in low else v


def _pairs(items, what) -> dict:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise _Refusal(f"{what} {item!r} must look like name=value")
        k, v = item.split("=", 1)
        out[k.strip()] = _parse_value(v)
    return out


def _start(text):
    parts = text.split(",")
    if len(parts) != 2:
        raise _Refusal(f"--start {text!r} must be two numbers x,y")
    try:
        return tuple(float(p) for p in parts)
    except ValueError:
        raise _Refusal(f"--start {text!r} must be two numbers x,y") from None


def _listing() -> dict:
    opts = {}
    for o in OPTIMIZERS.values():
        opts[o.id] = {
            "name": o.name, "family": o.family, "source": o.source, "rule": o.rule,
            "schedulable": o.schedulable,
            "hyper": {h.name: ({"default": h.default, "choices": list(h.choices), "help": h.help} if h.is_choice
                               else {"default": h.default, "min": h.min, "max": h.max, "log": h.log,
                                     "integer": h.integer, "help": h.help})
                      for h in o.hyper}}
    surfs = {}
    for s in surfaces.SURFACES.values():
        inst = surfaces.get(s.id)
        surfs[s.id] = {"name": s.name, "formula": s.formula, "domain": list(s.domain), "start": list(s.start),
                       "minima": inst.minima, "saddles": inst.saddles, "finite_sum": s.finite_sum,
                       "params": {p.name: {"default": p.default, "min": p.min, "max": p.max}
                                  for p in s.all_params}}
    return {"optimizers": opts, "surfaces": surfs,
            "schedules": {k: {n: {"default": d, "min": lo, "max": hi} for n, (d, lo, hi, _) in PARAMS[k].items()}
                          for k in KINDS},
            "caps": {"run_steps": MAX_STEPS, "run_many_runs": MAX_RUNS, "run_many_run_steps": MAX_RUN_STEPS}}


def _print_listing(fmt: str, out) -> None:
    data = _listing()
    if fmt == "json":
        json.dump(data, out, indent=1, ensure_ascii=False)
        out.write("\n")
        return
    out.write("OPTIMIZERS (hyperparameter=default [min, max])\n")
    for oid, o in data["optimizers"].items():
        hs = []
        for name, h in o["hyper"].items():
            hs.append(f"{name}={h['default']} {{{'|'.join(map(str, h['choices']))}}}" if "choices" in h
                      else f"{name}={h['default']:g} [{h['min']:g}, {h['max']:g}]")
        out.write(f"  {oid:12s} {o['name']} ({o['family']}): {'; '.join(hs)}\n")
    out.write("\nSURFACES (domain; minima; parameters)\n")
    for sid, s in data["surfaces"].items():
        mins = ", ".join(f"({x:.4g}, {y:.4g})" for x, y in s["minima"]) or "none"
        ps = "; ".join(f"{n}={p['default']:g} [{p['min']:g}, {p['max']:g}]" for n, p in s["params"].items())
        out.write(f"  {sid:16s} domain {s['domain']}; minima {mins}; {ps}\n")
    out.write("\nSCHEDULES: " + ", ".join(f"{k}({', '.join(v)})" for k, v in data["schedules"].items())
              + "; every kind also takes warmup\n")
    caps = data["caps"]
    out.write(f"CAPS: run steps <= {caps['run_steps']}; run_many n <= {caps['run_many_runs']}, "
              f"n*steps <= {caps['run_many_run_steps']}\n")


def _write_run(res, fmt: str, out) -> None:
    if fmt == "json":
        json.dump({"optimizer": res.optimizer, "surface": res.surface, "hyper": res.hyper,
                   "status": res.status, "status_step": res.status_step, "reason": res.reason,
                   "xy": res.xy.tolist(), "loss": res.loss.tolist()}, out)
        out.write("\n")
        return
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["step", "x", "y", "loss"])
    for t, ((x, y), f) in enumerate(zip(res.xy, res.loss)):
        w.writerow([t, repr(float(x)), repr(float(y)), repr(float(f))])
    out.write(buf.getvalue())


def main(argv=None) -> int:
    parser = _Parser(prog="python -m optim_core", description="Descent Lab optimizer engine")
    sub = parser.add_subparsers(dest="command")
    p_list = sub.add_parser("list", help="optimizers, surfaces, schedules and caps")
    p_list.add_argument("--format", choices=("text", "json"), default="text")
    p_run = sub.add_parser("run", help="run one trajectory and print it")
    p_run.add_argument("--optimizer", required=True)
    p_run.add_argument("--surface", required=True)
    p_run.add_argument("--start", help="x,y (default: the surface's recommended start)")
    p_run.add_argument("--steps", type=int, default=500)
    p_run.add_argument("--set", action="append", metavar="NAME=VALUE", help="a hyperparameter (repeatable)")
    p_run.add_argument("--surface-param", action="append", metavar="NAME=VALUE", help="a surface parameter")
    p_run.add_argument("--schedule", action="append", metavar="NAME=VALUE",
                       help="schedule field, e.g. --schedule kind=step --schedule every=100 --schedule gamma=0.5")
    p_run.add_argument("--grad-noise", type=float, default=0.0)
    p_run.add_argument("--batch-size", type=int)
    p_run.add_argument("--seed", type=int, default=0)
    p_run.add_argument("--underflow", type=float, default=0.0)
    p_run.add_argument("--format", choices=("csv", "json"), default="csv")
    for p in (parser, p_list, p_run):
        p.error = _Parser.error.__get__(p)
    try:
        args = parser.parse_args(argv)
        if args.command == "list":
            _print_listing(args.format, sys.stdout)
            return 0
        if args.command != "run":
            raise _Refusal("choose a command: list or run")
        if args.surface not in surfaces.SURFACES:
            raise _Refusal(f"unknown surface {args.surface!r}; choose one of: {', '.join(surfaces.SURFACES)}")
        start = _start(args.start) if args.start else surfaces.SURFACES[args.surface].start
        res = run(args.optimizer, args.surface, start, args.steps, _pairs(args.set, "--set"),
                  schedule=_pairs(args.schedule, "--schedule") or None,
                  surface_params=_pairs(args.surface_param, "--surface-param"),
                  grad_noise=args.grad_noise, batch_size=args.batch_size, seed=args.seed,
                  underflow=args.underflow)
    except (_Refusal, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    _write_run(res, args.format, sys.stdout)
    if res.status != "ok":
        print(f"note: run stopped at step {res.status_step}: {res.status} ({res.reason})", file=sys.stderr)
    return 0
