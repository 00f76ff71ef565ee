"""Early stopping: the step at which a run would have been stopped because its loss stopped
improving, the usual patience rule of Keras' and Lightning's ``EarlyStopping``.

The Playground does not cut a run short: it runs the whole race and shows, on the map and in the
leaderboard, where each optimizer would have stopped and what stopping there would have lost or
saved (the final loss against the loss at the stop).
"""
from __future__ import annotations

import math


def early_stop_step(loss, patience: int, min_delta: float) -> int:
    """The step at which early stopping ends the run whose losses are ``loss`` (f(θ_0), the start,
    then f(θ_t) after each step t = 1, 2, ...); −1 when it never stops.

    The rule, precisely:

    * the best loss so far starts as ``loss[0]`` (the loss at the start), and a counter at 0;
    * at each step t ≥ 1, the step *improves* when ``loss[t] < best − min_delta``: then
      ``best = loss[t]`` and the counter goes back to 0; any other step (a loss that went down by
      ``min_delta`` or less, stayed, went up, or is NaN/±inf as in a diverged run) adds 1 to the
      counter;
    * the run stops at the first step t where the counter reaches ``patience``: the last
      improvement was at step t − patience, and ``patience`` steps in a row have not improved on
      it.

    So ``patience`` 1 stops at the first step that does not improve, and ``min_delta`` 0 counts
    any decrease, however small, as an improvement. A non-finite ``loss[0]`` sets no best: the
    first finite loss then improves on it.
    """
    if patience < 1:
        raise ValueError(f"patience must be at least 1, got {patience}")
    if not (min_delta >= 0 and math.isfinite(min_delta)):
        raise ValueError(f"min_delta must be a finite number >= 0, got {min_delta}")
    values = [float(v) for v in loss]
    if not values:
        return -1
    best = values[0] if math.isfinite(values[0]) else math.inf
    waited = 0
    for t in range(1, len(values)):
        v = values[t]
        if math.isfinite(v) and v < best - min_delta:
            best, waited = v, 0
        else:
            waited += 1
            if waited >= patience:
                return t
    return -1


def stop_steps(runs, patience: int, min_delta: float) -> dict:
    """{optimizer id: the step it would stop at (−1: never)} for ``runs``, a list of (optimizer id,
    RunResult)."""
    return {oid: early_stop_step(r.loss, patience, min_delta) for oid, r in runs}
