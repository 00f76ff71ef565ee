"""Runs over seeds (lab.seeds) and their drawing: common random numbers, the quantile bands, the
faint paths on the map."""
from __future__ import annotations

import numpy as np

from lab import config, seeds
from optim_core import run
from viz.charts import FAINT_PATHS, band_figure, faint_traces
from viz.playground import playground_figure


def scene(**q):
    cfg, notes = config.decode({k.replace("_", "."): v for k, v in q.items()})
    assert notes == []
    return cfg


def test_bands_are_the_seeds_own_runs_with_the_same_seeds_for_every_optimizer():
    cfg = scene(surface="noisy_bowl", batch="8", seeds_on="1", seeds_k="12", opt="sgd,adam", steps="80", seed="5")
    bands = seeds.seed_bands(cfg)
    assert [b.optimizer for b in bands] == ["sgd", "adam"]
    for b in bands:
        assert b.seeds.tolist() == list(range(5, 17)) and b.loss.shape == (12, 81)
        for k in (0, 7):
            res = run(b.optimizer, "noisy_bowl", cfg.start, 80, cfg.hyper[b.optimizer], batch_size=8,
                      seed=int(b.seeds[k]))
            np.testing.assert_array_equal(b.loss[k], res.loss)
        np.testing.assert_allclose(b.mean_loss, b.loss.mean(axis=0))
        np.testing.assert_allclose(b.low, np.quantile(b.loss, 0.1, axis=0))
        assert (b.low <= b.mean_loss + 1e-12).all() and (b.mean_loss <= b.high + 1e-12).all()
        assert b.stopped == 0
    # common random numbers: the mini-batch order depends on the seed only, so SGD's and Adam's
    # first gradients at the shared start are the same draw for the same seed, and differ by seed
    first = {oid: [run(oid, "noisy_bowl", cfg.start, 1, cfg.hyper[oid], batch_size=8, seed=s).extra["grad"][0]
                   for s in (5, 6)] for oid in ("sgd", "adam")}
    np.testing.assert_array_equal(first["sgd"][0], first["adam"][0])
    assert not np.array_equal(first["sgd"][0], first["sgd"][1])


def test_a_scene_without_randomness_is_not_stochastic():
    for q, want in (({"seeds_on": "1"}, False), ({"noise": "0.2"}, True), ({"surface": "noisy_bowl", "batch": "4"}, True)):
        cfg = scene(**q)
        assert seeds.stochastic(cfg, cfg.surface_object()) is want


def test_the_map_draws_the_runs_faint_and_the_mean_path_dashed():
    cfg = scene(noise="1", seeds_on="1", seeds_k="60", opt="sgd,momentum", steps="150")
    bands = seeds.seed_bands(cfg)
    surf = cfg.surface_object()
    traces = faint_traces(bands, surf.domain)
    assert [t["name"] for t in traces] == ["seed runs", "mean path"] * 2
    assert sum(v is None for v in traces[0]["x"]) == FAINT_PATHS         # at most 40 of the 60 drawn
    runs = [(oid, run(oid, "valley", cfg.start, 150, cfg.hyper[oid], grad_noise=1.0)) for oid in cfg.optimizers]
    fig = playground_figure(surf, runs, {}, seed_bands=bands)
    assert [t["name"] for t in fig["data"][:4]] == ["seed runs", "mean path"] * 2   # under everything else
    assert all(len(f["data"]) == len(fig["data"]) for f in fig["frames"])
    chart = band_figure(bands, {"sgd": "SGD"}, f_min=surf.f_min)
    fills = [t for t in chart["data"] if t.get("fill") == "tonexty"]
    assert len(fills) == 2 and chart["layout"]["yaxis"]["type"] == "log"


def test_seed_runs_round_trip_in_the_url():
    cfg = scene(noise="0.3", seeds_on="1", seeds_k="33")
    assert config.encode(cfg) == {"noise": "0.3", "seeds.on": "1", "seeds.k": "33"}
    assert config.decode(config.encode(cfg))[0] == cfg
    off = scene(noise="0.3")
    assert "seeds.k" not in config.encode(off) and off.n_seeds == 20
