"""The engine's warm-up queue (lab.warmup): what a fresh server compiles first, and a page's way of
going on without kernels that are not ready yet."""
from __future__ import annotations

import pytest

from lab import warmup
from lab.config import CLASSROOM
from optim_core import OPTIMIZERS
from optim_core.engine import KINDS


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """Markers looked for in an empty cache directory (compiled code stays where it was loaded from:
    Numba fixes a function's cache location when it is decorated)."""
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_the_map_comes_first_then_the_default_race_then_the_derivatives():
    kernels = warmup.all_kernels()
    assert kernels[0] == warmup.MAP
    assert kernels[1:1 + len(CLASSROOM)] == [(o, "trajectory") for o in CLASSROOM]
    assert kernels[1 + len(CLASSROOM)] == warmup.DERIVATIVES
    optimizer_kernels = [k for k in kernels if k not in (warmup.MAP, warmup.DERIVATIVES)]
    assert sorted(optimizer_kernels) == sorted((o, k) for o in OPTIMIZERS for k in KINDS)   # each once
    assert len(kernels) == len(OPTIMIZERS) * len(KINDS) + 2


@pytest.mark.parametrize("job", [warmup.MAP, warmup.DERIVATIVES])
def test_a_surfaces_job_marks_itself_ready_in_the_surfaces_unit(empty_cache, job):
    assert not warmup.is_ready(*job)
    warmup.compile_kernel(*job)
    assert warmup.is_ready(*job)
    (marker,) = empty_cache.glob(f"surfaces-*/{job[1]}.*.ready")
    assert marker == warmup.marker(*job)
    other = warmup.DERIVATIVES if job == warmup.MAP else warmup.MAP
    assert not warmup.is_ready(*other)          # one job's marker does not stand for the other


def test_not_ready_queues_what_is_missing_at_the_front_and_returns_at_once(empty_cache):
    w = warmup.Warmup(workers=1)                 # not started: nothing is compiled meanwhile
    warmup.compile_kernel("sgd", "trajectory")   # loaded in this process; marked in the empty cache
    late = w.not_ready([("sgd", "trajectory"), ("adam", "trajectory"), warmup.MAP])
    assert late == [("adam", "trajectory"), warmup.MAP]
    assert w.busy()
    assert w._next(wait=0) == ("adam", "trajectory")     # requested first: the order asked for
    warmup.compile_kernel("adam", "trajectory")
    assert w.not_ready([("sgd", "trajectory"), ("adam", "trajectory")]) == []


def test_not_ready_names_a_kernel_whose_compile_failed(empty_cache):
    w = warmup.Warmup(workers=1)
    w._failed[("adam", "trajectory")] = "RuntimeError: out of memory"
    with pytest.raises(RuntimeError, match="adam.*out of memory"):
        w.not_ready([("sgd", "trajectory"), ("adam", "trajectory")])
