"""Descent Lab's optimizer engine: every optimizer of the course notes, Numba-compiled.

    >>> from optim_core import run
    >>> res = run("adam", "beale", start=(1.0, 1.5), steps=500, hyper={"lr": 0.01})
    >>> res.status, res.xy.shape
    ('ok', (501, 2))
"""
import os

import numba

import surfaces  # noqa: F401  (sets the Numba cache directory before anything compiles)

# The app calls parallel kernels from many Streamlit session threads at once. Numba's
# ``workqueue`` layer aborts the process on concurrent use; insist on a thread-safe one
# (tbb from requirements.txt, or omp) unless the user chose a layer explicitly.
if "NUMBA_THREADING_LAYER" not in os.environ:
    numba.config.THREADING_LAYER = "threadsafe"

from .api import MAX_RUN_STEPS, MAX_RUNS, MAX_STEPS, GridResult, RunResult, run, run_many  # noqa: E402
from .catalogue import OPTIMIZERS, Hyper, OptimizerSpec  # noqa: E402
from .schedules import KINDS as SCHEDULE_KINDS  # noqa: E402

__all__ = ["run", "run_many", "OPTIMIZERS", "RunResult", "GridResult", "Hyper", "OptimizerSpec",
           "SCHEDULE_KINDS", "MAX_STEPS", "MAX_RUNS", "MAX_RUN_STEPS"]
