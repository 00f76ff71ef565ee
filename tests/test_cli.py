"""The command line: listing, csv/json output that parses back to the engine's numbers, and
refusals as exit code 2 with one line on stderr."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from optim_core import OPTIMIZERS, run
import surfaces

ROOT = Path(__file__).resolve().parents[1]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "optim_core", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_list_names_every_optimizer_and_surface_with_defaults_and_ranges():
    out = cli("list")
    assert out.returncode == 0, out.stderr
    for oid in OPTIMIZERS:
        assert f"  {oid} " in out.stdout
    for sid in surfaces.SURFACES:
        assert f"  {sid} " in out.stdout
    assert "lr=0.01 [1e-06, 10]" in out.stdout and "kappa=20 [1, 1000]" in out.stdout
    data = json.loads(cli("list", "--format", "json").stdout)
    assert data["optimizers"]["radam"]["hyper"]["threshold"]["default"] == 5.0
    assert data["surfaces"]["beale"]["minima"] == [[3.0, 0.5]]
    assert data["caps"]["run_steps"] == 20000


def test_run_csv_matches_the_engine_exactly():
    out = cli("run", "--optimizer", "adam", "--surface", "beale", "--start", "1,1.5", "--steps", "500",
              "--set", "lr=0.01", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == ["step", "x", "y", "loss"] and len(rows) == 501
    res = run("adam", "beale", (1.0, 1.5), 500, {"lr": 0.01})
    got = np.array([[float(r["x"]), float(r["y"]), float(r["loss"])] for r in rows])
    np.testing.assert_array_equal(got[:, :2], res.xy)
    np.testing.assert_array_equal(got[:, 2], res.loss)


def test_run_json_with_variant_schedule_and_surface_parameter():
    out = cli("run", "--optimizer", "nadam", "--surface", "rotated_valley", "--steps", "50", "--set", "variant=pytorch",
              "--surface-param", "kappa=50", "--schedule", "kind=step", "--schedule", "every=10",
              "--schedule", "gamma=0.5", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    res = run("nadam", "rotated_valley", surfaces.get("rotated_valley").start, 50, {"variant": "pytorch"},
              surface_params={"kappa": 50}, schedule={"kind": "step", "every": 10, "gamma": 0.5})
    np.testing.assert_array_equal(np.array(data["xy"]), res.xy)
    assert data["status"] == "ok" and data["hyper"]["variant"] == "pytorch"


@pytest.mark.parametrize("args,needle", [
    (["run", "--optimizer", "adamm", "--surface", "beale"], "unknown optimizer 'adamm'"),
    (["run", "--optimizer", "adam", "--surface", "bael"], "unknown surface 'bael'"),
    (["run", "--optimizer", "adam", "--surface", "beale", "--set", "lr=50"], "lr=50 is out of range"),
    (["run", "--optimizer", "adam", "--surface", "beale", "--set", "lr"], "must look like name=value"),
    (["run", "--optimizer", "adam", "--surface", "beale", "--start", "nan,1"], "must be two finite numbers"),
    (["run", "--optimizer", "adam", "--surface", "beale", "--start", "1"], "must be two numbers x,y"),
    (["run", "--optimizer", "adam", "--surface", "beale", "--steps", "0"], "steps=0 is out of range"),
    (["run", "--optimizer", "adam", "--surface", "beale", "--steps", "99999"], "steps=99999 is out of range"),
    (["run", "--optimizer", "adam", "--surface", "beale", "--colour", "red"], "unrecognized arguments"),
    (["run", "--optimizer", "adam", "--surface", "beale", "--batch-size", "4"], "not a finite sum"),
    (["run", "--surface", "beale"], "required: --optimizer"),
    (["fly"], "invalid choice"),
])
def test_refusals_exit_2_with_one_line(args, needle):
    out = cli(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
