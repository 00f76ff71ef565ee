"""What a lesson is made of: the :class:`Lesson` record and the measuring helpers its ``measure``
function uses (the runs of a scene, steps to a tolerance, the spread of a path's tail, ...).

The lessons themselves are in the chapter modules beside this one; ``lab.lessons`` puts them in
course order."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from ..compare import CompareConfig, run_panels
from ..config import PlaygroundConfig
from ..race import distances, run_lanes

FIGURES = ("", "ema", "hessian", "convexity")     # "": the scene's own animated map


@dataclass(frozen=True)
class Lesson:
    """One lesson.

    ``scene``: what is shown (a PlaygroundConfig opens in the Playground, a CompareConfig in
    Compare); ``rules``: the optimizer ids whose update rules are shown (their variants as in the
    scene); ``measure(scene) -> dict``: the numbers the claim is about, from the engine with the
    scene's settings; ``claim(numbers) -> bool``: whether they show the phenomenon; ``figure``: a
    special figure drawn instead of / beside the map (FIGURES); ``uses``: optimizer ids the lesson
    is about (the Reference page links them here; default: ``rules``); ``counter(scene) ->
    scene``: the same scene with the one change that removes the phenomenon (the optimizers
    swapped, another lr, ...), on which the claim must fail — the test that the claim can fail.
    """
    id: str
    chapter: str
    scene: object
    rules: tuple
    measure: Callable[[object], dict]
    claim: Callable[[dict], bool]
    counter: Callable[[object], object] | None = None
    figure: str = ""
    uses: tuple = ()

    @property
    def page(self) -> str:
        return "compare" if isinstance(self.scene, CompareConfig) else "playground"

    @property
    def optimizers(self) -> tuple:
        return self.uses or self.rules

    def text(self, lang: str = "en") -> dict:
        """{"title", "text", "watch", "measured"} in ``lang`` ("en" or "zh")."""
        from . import text_en, text_zh
        return (text_zh if lang == "zh" else text_en).TEXTS[self.id]

    def check(self, scene=None, lang: str = "en") -> tuple[bool, str]:
        """(holds, measured): the claim on the engine's numbers for ``scene`` (default: the
        lesson's own), and the measured sentence in ``lang``."""
        numbers = self.measure(self.scene if scene is None else scene)
        return bool(self.claim(numbers)), self.text(lang)["measured"].format(**numbers)


# ---------------------------------------------------------------- measuring helpers

def with_hyper(scene: PlaygroundConfig, oid: str, **values) -> PlaygroundConfig:
    """``scene`` with some of ``oid``'s hyperparameters changed (a counter-scene's usual change)."""
    return replace(scene, hyper={**scene.hyper, oid: {**scene.hyper[oid], **values}})


def runs(scene: PlaygroundConfig) -> dict:
    """{optimizer id: RunResult} of a Playground scene; a refused run is an error (a lesson's scene
    must run)."""
    out = {}
    for lane in run_lanes(scene):
        if not lane.ok:
            raise ValueError(f"lesson scene refused by the engine: {lane.error}")
        out[lane.optimizer] = lane.result
    return out


def panel_runs(scene: CompareConfig) -> list:
    """Per panel of a Compare scene, its {optimizer id: RunResult}."""
    out = []
    for p in run_panels(scene):
        bad = [ln for ln in p.lanes if not ln.ok]
        if bad:
            raise ValueError(f"lesson scene refused by the engine: {bad[0].error}")
        out.append({ln.optimizer: ln.result for ln in p.lanes})
    return out


def gap(run, surface) -> np.ndarray:
    """f(θ_t) − f* for t = 0..steps."""
    return np.asarray(run.loss) - surface.f_min


def first_step(mask) -> int:
    """The first index where ``mask`` holds; −1 when it never does."""
    hit = np.nonzero(np.asarray(mask))[0]
    return int(hit[0]) if hit.size else -1


def steps_to(run, surface, tol: float) -> int:
    """The first step t with f(θ_t) − f* ≤ tol; −1 when never."""
    return first_step(gap(run, surface) <= tol)


def tail(xy: np.ndarray, n: int = 100) -> np.ndarray:
    """The last ``n`` points of a path (all of them when it is shorter)."""
    return np.asarray(xy)[-n:]


def tail_spread(xy: np.ndarray, n: int = 100) -> float:
    """Root-mean-square distance of the last ``n`` points from their own mean: how much a run
    still jitters at the end."""
    t = tail(xy, n)
    return float(np.sqrt(((t - t.mean(axis=0)) ** 2).sum(axis=1).mean()))


def tail_distance(xy: np.ndarray, point, n: int = 100) -> float:
    """Mean distance of the last ``n`` points to ``point``."""
    t = tail(xy, n)
    return float(np.sqrt(((t - np.asarray(point, dtype=float)) ** 2).sum(axis=1)).mean())


def nearest_minimum(point, surface) -> int:
    """The index of the minimum of ``surface`` nearest to ``point`` (−1: it lists none)."""
    if not len(surface.minima):
        return -1
    d = [math.hypot(point[0] - m[0], point[1] - m[1]) for m in surface.minima]
    return int(np.argmin(d))


def distance_to_minimum(xy: np.ndarray, surface) -> np.ndarray:
    """Distance of every point of ``xy`` to the nearest listed minimum."""
    return distances(np.asarray(xy), surface.minima)
