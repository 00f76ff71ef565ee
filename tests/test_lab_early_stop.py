"""lab.early_stop: the patience rule on hand-made loss sequences (every expected step worked out
by hand from the rule in the docstring, not by running the function)."""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from lab.early_stop import early_stop_step, stop_steps

NAN, INF = math.nan, math.inf


@pytest.mark.parametrize("loss,patience,min_delta,expected", [
    # patience 1: the first step that does not improve (t=2: 4 is not < 4)
    ([5, 4, 4, 3], 1, 0.0, 2),
    # a plateau of two steps, then an improvement resets the counter; stops 3 steps after it (t=7)
    ([5, 4, 4, 4, 3, 3, 3, 3], 3, 0.0, 7),
    # the same with patience 4: the plateaus last 2 and 3 steps, never 4
    ([5, 4, 4, 4, 3, 3, 3, 3], 4, 0.0, -1),
    # min_delta 0: every decrease, however small, is an improvement
    ([1.0, 0.9, 0.89, 0.889, 0.8889], 2, 0.0, -1),
    # min_delta 0.05: after 0.9, decreases of 0.01 and 0.001 do not count; second miss at t=3
    ([1.0, 0.9, 0.89, 0.889, 0.8889], 2, 0.05, 3),
    # a decrease of exactly min_delta is not an improvement (0.5 < 1.0 − 0.5 is false)
    ([1.0, 0.5, 0.0], 1, 0.5, 1),
    # measured against the best so far, not the previous step: t=3 and t=4 go down but stay above 3
    ([5, 3, 4, 3.5, 3.2], 3, 0.0, 4),
    # a loss going up counts as no improvement
    ([2, 1, 2, 4, 8], 3, 0.0, 4),
    # divergence: NaN and inf are no improvement (t=2, t=3)
    ([3, 2, NAN, INF, 1], 2, 0.0, 3),
    # ... and a finite loss below the best after them still improves (t=4), so patience 3 never fires
    ([3, 2, NAN, INF, 1], 3, 0.0, -1),
    # −inf is not a loss: no improvement either
    ([3, -INF], 1, 0.0, 1),
    # a run that ends (diverged, truncated) before the counter reaches patience never stops
    ([3, 2, NAN], 5, 0.0, -1),
    # the start alone, and an empty run: nothing to stop
    ([5], 1, 0.0, -1),
    ([], 1, 0.0, -1),
    # a non-finite start sets no best: the first finite loss improves (t=1), t=2 does not
    ([NAN, 5, 5], 1, 0.0, 2),
    # a constant loss stops exactly `patience` steps after the start
    ([7, 7, 7, 7, 7, 7], 5, 0.0, 5),
])
def test_early_stop_step_by_hand(loss, patience, min_delta, expected):
    assert early_stop_step(loss, patience, min_delta) == expected
    assert early_stop_step(np.array(loss, dtype=np.float64), patience, min_delta) == expected


@pytest.mark.parametrize("patience,min_delta", [(0, 0.0), (-3, 0.0), (2, -0.1), (2, NAN)])
def test_bad_settings_are_refused(patience, min_delta):
    with pytest.raises(ValueError):
        early_stop_step([1.0, 0.5], patience, min_delta)


def test_stop_steps_of_several_runs():
    runs = [("sgd", SimpleNamespace(loss=np.array([4.0, 3.0, 3.0, 3.0]))),
            ("adam", SimpleNamespace(loss=np.array([4.0, 3.0, 2.0, 1.0])))]
    assert stop_steps(runs, 2, 0.0) == {"sgd": 3, "adam": -1}
