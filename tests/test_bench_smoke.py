"""The benchmark script still runs and writes its JSON (numbers are not asserted: timings are
measured in bench/, never in tests)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_engine_benchmark_runs_and_writes_json(tmp_path):
    out = tmp_path / "engine.json"
    proc = subprocess.run([sys.executable, "bench/bench_engine.py", "--quick", "--no-cold", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert data["quick"] is True
    rows = data["engines"]["this checkout"]
    assert rows["single (steps/s)"] > 0 and rows["grid (steps/s)"] > 0
    assert rows["grid runs alive at the end (%)"] == 100.0
    assert "single: Numba / tight Python" in rows
    assert "measure" in proc.stdout and "target" in proc.stdout


def test_custom_benchmark_runs_and_writes_json(tmp_path):
    out = tmp_path / "custom.json"
    proc = subprocess.run([sys.executable, "bench/bench_custom.py", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert data["quick"] is True and data["grid"] == {"side": 64, "steps": 100, "box": [-4, 4]}
    assert [r["optimizer"] for r in data["run_many"]] == ["sgd", "momentum", "nag", "adam", "newton", "bfgs"]
    assert all(r["builtin_s"] > 0 and r["typed_s"] > 0 for r in data["run_many"])
    assert all(v > 0 for v in data["new_expression"].values())
    assert "built-in/typed" in proc.stdout and "target" in proc.stdout


def test_landscape_benchmark_runs_and_agrees_with_numpy(tmp_path):
    out = tmp_path / "landscape.json"
    proc = subprocess.run([sys.executable, "bench/bench_landscape.py", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    rows = data["rows"]
    assert data["quick"] is True and len(rows) == 4
    assert [r["case"].split()[0] for r in rows] == ["sweep", "basin", "two", "20"]
    assert all(r["engine_s"] > 0 and r["steps"] > 0 for r in rows)
    # the NumPy reference and the engine end at the same points on the GD basin maps (every lane),
    # and on most of the Adam sweep (high-lr Adam on Beale is chaotic: the last bit differs there)
    assert rows[1]["agree"] == 1.0 and rows[2]["agree"] == 1.0 and rows[0]["agree"] > 0.9
    assert rows[1]["payload_mb"] < 1.5 and "×NumPy" in proc.stdout
