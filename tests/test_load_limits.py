"""What keeps one server holding a class: every Streamlit cache bounded, the runs over seeds capped
per scene (not only per band), the server-wide gate on heavy work, the engine's own caps."""
import os
import re
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from lab import config, seeds

ROOT = Path(__file__).resolve().parents[1]
SINGLETONS = {("ui/cache.py", "engine_warmup"), ("ui/heavy.py", "heavy_gate")}   # one object per process


def _cached_functions():
    for path in sorted([*ROOT.glob("ui/*.py"), *ROOT.glob("app_pages/*.py"), *ROOT.glob("lab/**/*.py"),
                        *ROOT.glob("viz/*.py"), ROOT / "app.py"]):
        text = path.read_text()
        for m in re.finditer(r"@st\.(cache_data|cache_resource)(\([^)]*\))?\s*\n\s*def (\w+)", text):
            yield str(path.relative_to(ROOT)), m.group(3), m.group(2) or ""


def test_every_cache_is_bounded():
    found = list(_cached_functions())
    assert len(found) >= 15                       # the parser does find the app's caches
    unbounded = [(f, name) for f, name, args in found
                 if "max_entries=" not in args and "ttl=" not in args and (f, name) not in SINGLETONS]
    assert unbounded == []


def _scene(**kw):
    cfg, _ = config.PLAYGROUND.decode({})
    return replace(cfg, **kw)


def test_seed_bands_are_capped_per_scene():
    light = _scene(n_seeds=20, steps=300, over_seeds=True)
    assert not seeds.too_many(light) and not seeds.heavy(light)
    # 16 optimizers × 200 seeds × 20,000 steps: each band is under run_many's own cap of 4e6 points
    # only if alone; together they would keep 64e6 points (1.5 GB)
    all_opts = tuple(config.OPTIMIZERS)
    big = _scene(optimizers=all_opts, n_seeds=200, steps=19_000, over_seeds=True)
    assert seeds.band_points(big) <= 4_000_000 and seeds.too_many(big)
    assert seeds.band_limit(big) * len(all_opts) <= seeds.MAX_SCENE_POINTS
    with pytest.raises(ValueError, match="more than a scene's bands may keep"):
        seeds.seed_bands(big)
    assert seeds.heavy(_scene(n_seeds=200, steps=1000, over_seeds=True))


def test_heavy_gate_lets_one_through_and_says_it_is_full():
    from ui.heavy import HeavyGate
    gate = HeavyGate(1)
    inside, order = threading.Event(), []

    def first():
        with gate.hold():
            inside.set()
            time.sleep(0.3)
            order.append("first done")

    def second():
        with gate.hold():
            order.append("second ran")
    a = threading.Thread(target=first)
    a.start()
    assert inside.wait(5)
    assert gate.full and gate.running == 1
    b = threading.Thread(target=second)
    b.start()
    a.join(5)
    b.join(5)
    assert order == ["first done", "second ran"]
    assert not gate.full and gate.running == 0


def test_engine_caps_work_per_request():
    from optim_core import api, run, run_many
    with pytest.raises(ValueError, match="out of range"):
        run("sgd", "valley", (-5.0, -2.0), api.MAX_STEPS + 1)
    with pytest.raises(ValueError, match="too large"):
        run_many("sgd", "valley", [[-5.0, -2.0]] * 300_000, api.MAX_STEPS)


def test_settle_heap_freezes_only_the_first_runs():
    import gc

    from ui import heap as cache
    was = cache._LATE_FREEZES[0]
    try:
        cache._LATE_FREEZES[0] = 1
        junk = [[i] for i in range(1000)]       # tracked objects the freeze moves out of the collector's sight
        before = gc.get_freeze_count()
        cache.settle_heap()
        frozen = gc.get_freeze_count()
        assert frozen >= before + 1000
        cache.settle_heap()                     # no freezes left: later runs' objects stay collectable
        more = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen and cache._LATE_FREEZES[0] == 0
        del junk, more
    finally:
        cache._LATE_FREEZES[0] = was
        gc.unfreeze()


def test_plotly_encodes_with_orjson():
    """st.plotly_chart encodes the map with plotly.io.to_json on every rerun; with orjson its
    "auto" engine is 4–5× faster than the json module (loadtest: a tenth of a rerun's CPU)."""
    import plotly.io as pio
    import orjson  # noqa: F401
    assert pio.json.config.default_engine in ("auto", "orjson")
    fig = {"data": [{"type": "scatter", "x": [1.5, 2.0], "y": [0.25, 3.0]}], "layout": {}}
    assert pio.json.to_json_plotly(fig, engine="orjson") == pio.json.to_json_plotly(fig, engine="json").replace(" ", "")


def test_heavy_seed_runs_say_they_wait_while_the_gate_is_full(monkeypatch):
    from ui import cache
    from ui import heavy as gates
    events = []

    class Slot:
        def info(self, text):
            events.append(("note", text))

        def empty(self):
            events.append(("cleared", None))
    monkeypatch.setattr(gates.st, "empty", Slot)
    monkeypatch.setattr(cache, "ensure_kernels", lambda *a, **k: None)
    monkeypatch.setattr(cache, "_seed_bands", lambda key, cfg: events.append(("computed", key)) or [])
    gate = gates.HeavyGate(1)
    monkeypatch.setattr(gates, "heavy_gate", lambda: gate)
    heavy = _scene(n_seeds=200, steps=1000, over_seeds=True)
    with gate.hold():                       # another session's grid is running
        cache.seed_bands(heavy)
    assert [e[0] for e in events] == ["note", "computed", "cleared"]
    assert "grids are running" in events[0][1] or "网格" in events[0][1]
    events.clear()
    cache.seed_bands(_scene(n_seeds=20, steps=300, over_seeds=True))     # light: never queued, no note
    assert [e[0] for e in events] == ["computed"]


def _glibc_heap():
    from ui import heap
    if heap._glibc() is None:
        pytest.skip("not a glibc system: ui.heap does nothing there")
    return heap


def _rss_mb() -> float:
    from loadtest.procstat import read_proc
    return read_proc(os.getpid())[0]


def test_the_heap_trimmer_gives_freed_memory_back():
    """Freed blocks glibc keeps for reuse go back to the system (RSS falls)."""
    heap = _glibc_heap()
    blocks = [bytearray(2000) for _ in range(100_000)]        # 200 MB of small blocks: on the heap, not mmap
    keep = blocks[::1000]                                       # a few survivors pin the heap's top
    del blocks
    before = _rss_mb()
    assert heap.trim()
    assert _rss_mb() < before - 50
    del keep


def test_large_freed_blocks_go_back_at_once():
    """After ``release_freed_memory``, 0.6 MB blocks (a map's JSON) freed between small survivors
    leave no memory behind, with no trim (without it: none of the 180 MB comes back); one trimming
    thread per process. In a fresh process: the setting is for the whole process."""
    import subprocess
    import sys
    _glibc_heap()
    script = """
import os
import threading
from loadtest.procstat import read_proc
from ui import heap
assert heap.release_freed_memory(every_s=3600) and heap.release_freed_memory()
assert [t.name for t in threading.enumerate()].count("heap-trim") == 1
first = bytearray(600_000)
del first                    # glibc's own rule would now keep blocks this large on the heap
big, small = [], []
for i in range(300):
    big.append(bytearray(600_000))
    small.append(bytearray(1000))     # survivors on the same heap (not Python's small-object arenas)
before = read_proc(os.getpid())[0]
del big
print(round(before - read_proc(os.getpid())[0]))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) > 150          # of the 180 MB freed
