"""Compile the engine's kernels ahead of use, in worker processes, most needed first.

Every optimizer has four kernels (a trajectory and a grid, for built-in and for typed surfaces,
``optim_core.engine``), each compiled in a few seconds and then cached on disk. Compiling happens
only here, in the main thread of a worker process: compiling cold inside Streamlit's script thread
was once seen to hang for good, so the app's own process only ever loads kernels that a worker has
finished (``Warmup.ensure``), or goes on without them (``Warmup.not_ready``).

    python -m lab.warmup            # everything, with one worker per core (the Docker build step)
    python -m lab.warmup --serve    # a worker: reads "optimizer kind" lines, answers "ok ..." lines
"""
from __future__ import annotations

import argparse
import hashlib
import heapq
import itertools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import surfaces
from lab.config import CLASSROOM
from optim_core import OPTIMIZERS, run, run_many
from optim_core.engine import KINDS, ready_marker
from surfaces import kernels as surface_kernels
from surfaces.jit_cache import unit_dir

ROOT = Path(__file__).resolve().parents[1]
CHECKOUT_TAG = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]


# Not an optimizer's kernels: the surfaces' vectorised value (``surfaces.kernels.value_many``),
# which every map of a built-in surface is drawn from, first in the queue, so that a fresh start
# draws its map while the optimizers still compile; and their vectorised derivatives
# (``evaluate_many``: the lessons' readouts, the sweeps' stability edge).
MAP, DERIVATIVES = ("surfaces", "map"), ("surfaces", "derivatives")


def all_kernels() -> list:
    """Every (optimizer, kind), in the order the app needs them: the map, the Playground's default
    trajectories, the other trajectories, the grids (the sweeps), then the same for typed
    surfaces."""
    first = [MAP] + [(o, "trajectory") for o in CLASSROOM] + [DERIVATIVES]
    rest = [(o, k) for k in KINDS for o in OPTIMIZERS if (o, k) not in first]
    return first + rest


def compile_kernel(optimizer: str, kind: str) -> None:
    """Compile (or load from the disk cache) one kernel in this process, then mark it ready."""
    surface = surfaces.custom("x^2 + 3*y^2") if kind.startswith("typed_") else "valley"
    if (optimizer, kind) == MAP:
        surfaces.get(surface)                # its minimum's value: one call of value_many
    elif (optimizer, kind) == DERIVATIVES:
        surfaces.get(surface).hess(0.0, 0.0)
    elif kind.endswith("trajectory"):
        run(optimizer, surface, (-2.0, -1.0), 2)
    else:
        run_many(optimizer, surface, [[-2.0, -1.0]], 2)
    done = marker(optimizer, kind)
    done.parent.mkdir(parents=True, exist_ok=True)
    done.touch()


def marker(optimizer: str, kind: str) -> Path:
    """``engine.ready_marker`` for this checkout: Numba files a compiled function under the absolute
    path of its source, so a cache shared by two checkouts holds each one's code apart, and a kernel
    ready for one is not ready for the other."""
    if (optimizer, kind) in (MAP, DERIVATIVES):
        m = unit_dir("surfaces", surface_kernels.DEPS) / f"{kind}.ready"
    else:
        m = ready_marker(optimizer, kind)
    return m.with_name(f"{m.stem}.{CHECKOUT_TAG}{m.suffix}")


def is_ready(optimizer: str, kind: str) -> bool:
    return marker(optimizer, kind).exists()


class Warmup:
    """Worker processes compiling kernels from a priority queue; ``ensure`` moves kernels to the
    front and waits for them. Thread-safe; one per server process."""

    def __init__(self, workers: int | None = None):
        self._workers = max(1, workers or os.cpu_count() or 1)
        self._cv = threading.Condition()
        self._queue: list = []               # (priority, order, kernel)
        self._order = itertools.count()
        self._pending: set = set()           # queued or compiling
        self._compiling: set = set()         # taken by a worker (never by two: a kernel queued twice)
        self._failed: dict = {}
        self._threads: list = []

    def start(self, kernels=None) -> "Warmup":
        self.request([k for k in (kernels or all_kernels()) if not is_ready(*k)], priority=1)
        for _ in range(self._workers):
            t = threading.Thread(target=self._serve, daemon=True, name="engine-warmup")
            t.start()
            self._threads.append(t)
        return self

    def request(self, kernels, priority: int = 0) -> None:
        """Queue ``kernels`` (lower priority first; 0 is what a page waits for)."""
        with self._cv:
            for k in kernels:
                if not is_ready(*k):
                    heapq.heappush(self._queue, (priority, next(self._order), k))
                    self._pending.add(k)
            self._cv.notify_all()

    def ensure(self, kernels, timeout: float = 600.0) -> None:
        """Return once every kernel in ``kernels`` is compiled on disk (at once when it already is)."""
        todo = self.not_ready(kernels)
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                missing = [k for k in todo if not is_ready(*k)]
                self._raise_if_failed(missing)
                if not missing:
                    return
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"kernels not compiled after {timeout:.0f} s: {missing}")
                self._cv.wait(min(left, 1.0))

    def not_ready(self, kernels) -> list:
        """Those of ``kernels`` not compiled yet, moved to the front of the queue; returns at once
        (a page that can show something without them does not wait)."""
        todo = [k for k in kernels if not is_ready(*k)]
        self._raise_if_failed(todo)
        if todo:
            self.request(todo, priority=0)
        return todo

    def _raise_if_failed(self, kernels) -> None:
        with self._cv:                       # a reentrant lock: ensure holds it already
            failed = [k for k in kernels if k in self._failed]
        if failed:
            raise RuntimeError(f"compiling {failed[0]} failed: {self._failed[failed[0]]}")

    def busy(self) -> bool:
        with self._cv:
            return bool(self._pending)

    def _next(self, wait: float | None):
        """The most urgent kernel still to compile; None when none came within ``wait`` seconds."""
        with self._cv:
            while True:
                while self._queue:
                    _, _, k = heapq.heappop(self._queue)
                    if k in self._compiling:         # its other copy in the queue: a worker has it
                        continue
                    if k in self._pending and not is_ready(*k):
                        self._compiling.add(k)
                        return k
                    self._pending.discard(k)
                if not self._cv.wait(wait):
                    return None

    def _serve(self) -> None:
        proc = None
        while True:
            # an idle worker process is let go (it holds ~150 MB); a new request starts another
            k = self._next(wait=2.0 if proc is not None else None)
            if k is None:
                proc.stdin.close()
                proc.wait()
                proc = None
                continue
            try:
                if proc is None or proc.poll() is not None:
                    proc = subprocess.Popen([sys.executable, "-m", "lab.warmup", "--serve"], cwd=ROOT,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                proc.stdin.write(f"{k[0]} {k[1]}\n")
                proc.stdin.flush()
                answer = proc.stdout.readline().strip()
                if answer != f"ok {k[0]} {k[1]}":
                    raise RuntimeError(answer or f"worker exited with {proc.wait()}")
            except (OSError, RuntimeError) as e:
                with self._cv:
                    self._failed[k] = str(e)
            with self._cv:
                self._pending.discard(k)
                self._compiling.discard(k)
                self._cv.notify_all()


def warm(workers: int | None = None, load: bool = True) -> float:
    """Compile every kernel (in worker processes), then load them into this process; seconds taken."""
    t = time.perf_counter()
    kernels = all_kernels()
    Warmup(workers).start(kernels).ensure(kernels, timeout=1800)
    if load:
        for k in kernels:
            compile_kernel(*k)   # each is on disk now: this only loads it
    return time.perf_counter() - t


def _serve() -> None:
    try:
        for line in sys.stdin:
            optimizer, kind = line.split()
            try:
                compile_kernel(optimizer, kind)
                print(f"ok {optimizer} {kind}", flush=True)
            except Exception as e:  # reported to the parent, which raises it where it waits
                print(f"error {optimizer} {kind}: {type(e).__name__}: {e}".replace("\n", " "), flush=True)
    except BrokenPipeError:     # the server stopped while this worker compiled: nobody to tell
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # (Python's recipe: no exit noise)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--serve", action="store_true", help="be a worker (reads kernel names on stdin)")
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    args = ap.parse_args()
    if args.serve:
        _serve()
    else:
        print(f"engine compiled and loaded in {warm(args.workers):.1f} s")
