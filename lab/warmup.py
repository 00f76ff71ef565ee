"""Compile (or load from Numba's cache) every engine kernel the app uses: one small run per
optimizer, on a plain surface and on the finite-sum one with mini-batches and noise.

Run at image build time (``python -m lab.warmup``) so the cache in NUMBA_CACHE_DIR is ready, and
once per server process at start-up (ui.cache.warm_engine).
"""
from __future__ import annotations

import time

from optim_core import OPTIMIZERS, run


def warm() -> float:
    t = time.perf_counter()
    for oid in OPTIMIZERS:
        run(oid, "valley", (-5.0, -2.0), 3)
        run(oid, "noisy_bowl", (-2.0, 2.5), 3, batch_size=10, grad_noise=0.1)
    return time.perf_counter() - t


if __name__ == "__main__":
    print(f"engine warm in {warm():.1f} s")
