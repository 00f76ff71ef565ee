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
