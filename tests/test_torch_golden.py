"""The engine against torch.optim: committed golden trajectories, step by step.

``tests/golden/make_golden.py`` (torch and numpy only, never ``optim_core``) ran 18 torch.optim
configurations (SGD with and without weight decay, momentum, Nesterov, Rprop, Adagrad, Adadelta,
RMSprop, Adam, AMSGrad, AdamW, NAdam, RAdam; float64, ``foreach=False``) on four surfaces (beale,
saddle, valley, noisy_bowl) for 200 steps and stored the paths in ``golden/torch_golden.npz``; the
configurations, the engine id and hyperparameters of each case and its trust horizon are in
``golden/manifest.json``.

1. ``test_engine_matches_torch``: ``optim_core.run`` must follow each golden path to
   ``rtol=1e-9, atol=1e-12``, up to the case's trust horizon.
2. ``test_goldens_reproduce_with_torch``: when torch is importable, ``generate()`` is rerun and
   must give the committed numbers (to 1e-12) and the same manifest. It skips only when torch
   is not installed (CI installs torch==2.13.0, so there it runs).

The trust horizon
-----------------
torch's autograd gradient and the engine's analytic gradient differ in the last bits, and some
dynamics amplify rounding (by up to ~6x per step), so no analytic engine can follow torch's path
past the step where rounding alone decides. For each case the generator also ran torch from the
start moved by one ulp (``np.nextafter`` in x and y) and recorded the first step at which the two
torch paths differ by more than 1e-11 relative (``split``; the horizon is that step, or 200 if
they never split). This test compares rows 0 .. horizon-1 of the path (all 201 rows when the
paths never split), and checks separately that most cases (at least 90 %) have a horizon of at
least 20 steps; the short ones are listed in the test's output and in the manifest
(``short_horizon``).

Stop rules: where the torch path leaves 10x the plotting domain (or |θ| > 1e6) before the
horizon, the engine must stop there too, with the same status and step, and the rows up to and
including that step are compared.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
RTOL, ATOL = 1e-9, 1e-12          # engine vs torch
REGEN_RTOL = REGEN_ATOL = 1e-12   # regenerated goldens vs the committed file
MIN_HORIZON, MIN_LONG_FRACTION = 20, 0.9


def _load_make_golden():
    spec = importlib.util.spec_from_file_location("make_golden", GOLDEN_DIR / "make_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)   # imports torch only inside generate()
    return module


mg = _load_make_golden()
MANIFEST = json.loads(mg.MANIFEST_PATH.read_text())
CASES = MANIFEST["cases"]
with np.load(mg.NPZ_PATH) as _npz:
    GOLDEN = {k: _npz[k] for k in _npz.files}


def _first_bad_row(actual: np.ndarray, desired: np.ndarray, rtol: float, atol: float):
    """First row where assert_allclose(rtol, atol) would fail, or None."""
    with np.errstate(invalid="ignore"):
        ok = np.abs(actual - desired) <= atol + rtol * np.abs(desired)
    ok |= actual == desired
    bad = np.nonzero(~ok.all(axis=1))[0]
    return int(bad[0]) if bad.size else None


def test_golden_file_matches_manifest():
    ids = [c["id"] for c in CASES]
    assert list(GOLDEN["case_ids"]) == ids
    assert [c["id"] for c in mg.cases()] == ids, "make_golden.CONFIGS changed: rerun make_golden.py"
    assert list(GOLDEN["horizon"]) == [c["horizon"] for c in CASES]
    assert list(GOLDEN["stop_step"]) == [-1 if c["stop_step"] is None else c["stop_step"] for c in CASES]
    for c in CASES:
        xy = GOLDEN[f"xy:{c['id']}"]
        assert xy.shape == (c["steps"] + 1, 2) and xy.dtype == np.float64
        np.testing.assert_array_equal(xy[0], c["start"])


def test_horizons_are_mostly_long():
    short = [(c["id"], c["horizon"]) for c in CASES if c["horizon"] < MIN_HORIZON]
    print(f"\n{len(short)} of {len(CASES)} cases have a trust horizon below {MIN_HORIZON} steps"
          + "".join(f"\n  {cid}: horizon {h}" for cid, h in short))
    assert [c["id"] for c in CASES if c["short_horizon"]] == [cid for cid, _ in short]
    assert len(CASES) - len(short) >= MIN_LONG_FRACTION * len(CASES), f"too many short horizons: {short}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_engine_matches_torch(case):
    from optim_core import run

    golden = GOLDEN[f"xy:{case['id']}"]
    res = run(case["optimizer"], case["surface"], tuple(case["start"]), case["steps"],
              hyper=dict(case["hyper"]))
    n = mg.compare_rows(case)          # rows before the trust horizon
    stop = case["stop_step"]
    where = f"{case['id']} ({case['torch_class']} {case['torch_kwargs']})"
    if stop is not None and stop < n:
        assert (res.status, res.status_step) == (case["stop_status"], stop), (
            f"{where}: the torch path is {case['stop_status']} at step {stop}; the engine stopped "
            f"{res.status!r} at step {res.status_step} ({res.reason})")
        n = stop + 1
    else:
        assert res.steps + 1 >= n, (
            f"{where}: the engine stopped {res.status!r} at step {res.status_step} ({res.reason}) "
            f"inside the trust horizon ({n - 1} steps); torch went on")
        if stop is None and case["split"] is None:
            assert res.status == "ok", f"{where}: engine status {res.status!r} ({res.reason})"
    actual = res.xy[:n]
    desired = golden[:n]
    bad = _first_bad_row(actual, desired, RTOL, ATOL)
    msg = "" if bad is None else (
        f"{where}: first differing step {bad} of {n - 1} trusted (horizon {case['horizon']}): "
        f"engine {actual[bad].tolist()} vs torch {desired[bad].tolist()}; "
        f"previous step engine {actual[bad - 1].tolist() if bad else None} vs torch "
        f"{desired[bad - 1].tolist() if bad else None}")
    np.testing.assert_allclose(actual, desired, rtol=RTOL, atol=ATOL, err_msg=msg)


def test_goldens_reproduce_with_torch():
    try:
        import torch
    except ImportError:
        pytest.skip("torch is not installed: the torch.optim goldens cannot be regenerated here "
                    "(CI installs torch==2.13.0 and runs this test)")
    data = mg.generate()
    committed = f"committed with torch {MANIFEST['torch_version']}, regenerated with torch {torch.__version__}"
    fresh = json.loads(json.dumps(mg.manifest(data)))["cases"]
    assert [c["id"] for c in fresh] == [c["id"] for c in CASES], committed
    for new, old in zip(fresh, CASES):
        assert new == old, f"{old['id']}: the manifest entry changed ({committed}): rerun make_golden.py"
    arrays = mg.to_arrays(data)
    assert sorted(arrays) == sorted(GOLDEN)
    for key, value in arrays.items():
        if value.dtype.kind == "f":
            np.testing.assert_allclose(value, GOLDEN[key], rtol=REGEN_RTOL, atol=REGEN_ATOL,
                                       err_msg=f"{key}: {committed}")
        else:
            np.testing.assert_array_equal(value, GOLDEN[key], err_msg=f"{key}: {committed}")
