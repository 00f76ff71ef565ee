"""lab.compare: the Compare configuration, its URL form and its panels."""
from __future__ import annotations

import pytest

from lab.compare import (DEFAULT_SETTINGS, MAX_MULTIPLES, PRESETS, CompareConfig, decode, differences, encode,
                         panel_configs, panel_default, run_panels)
from lab.config import PlaygroundConfig
from optim_core.catalogue import OPTIMIZERS


def test_defaults_encode_to_an_empty_query():
    assert encode(CompareConfig()) == {}
    cc, notes = decode({})
    assert notes == [] and cc == CompareConfig()


def full_config() -> CompareConfig:
    base = PlaygroundConfig(lang="zh", surface="beale", optimizers=("adam", "sgd"), steps=400, noise=0.05, seed=3,
                            schedule={"kind": "step", "every": 50, "gamma": 0.5, "warmup": 0}, present=True)
    return CompareConfig(base=base, mode="settings",
                         settings=(("adam", {"lr": 0.1, "weight_decay": 0.5}), ("adamw", {"lr": 0.1, "weight_decay": 0.5}),
                                   ("nadam", {"variant": "pytorch"})))


def test_round_trip_of_every_compare_parameter():
    cc = full_config()
    q = encode(cc)
    assert q["present"] == "1" and q["cmp.mode"] == "settings" and q["cmp.n"] == "3"
    back, notes = decode(q)
    assert notes == [] and back == cc and encode(back) == q


@pytest.mark.parametrize("mode,others", [("surfaces", ("rotated_valley", "beale", "saddle")), ("surfaces", ()),
                                         ("multiples", ("rotated_valley",))])
def test_round_trip_of_the_other_modes(mode, others):
    cc = CompareConfig(mode=mode, other_surfaces=others)
    back, notes = decode(encode(cc))
    assert notes == [] and back == cc


@pytest.mark.parametrize("query,key,problem", [
    ({"cmp.mode": "sideways"}, "cmp.mode", "unknown_value"),
    ({"cmp.surfaces": "valley,atlantis"}, "cmp.surfaces", "unknown_value"),
    ({"cmp.surfaces": "valley,beale,saddle,wavy"}, "cmp.surfaces", "unknown_value"),   # at most 3 more
    ({"cmp.mode": "settings", "cmp.n": "9"}, "cmp.n", "out_of_range"),
    ({"cmp.mode": "settings", "cmp.n": "2", "cmp.p1.lr": "banana"}, "cmp.p1.lr", "not_number"),
    ({"cmp.mode": "settings", "cmp.n": "2", "cmp.p2.opt": "<script>"}, "cmp.p2.opt", "unknown_value"),
    ({"cmp.zzz": "1"}, "cmp.zzz", "unknown_key"),
    ({"cmp.mode": "x" * 500}, "cmp.mode", "too_long"),
])
def test_malformed_values_fall_back_with_a_note(query, key, problem):
    cc, notes = decode(query)
    assert any(n.key == key and n.problem == problem for n in notes), notes
    default = CompareConfig()
    if key == "cmp.mode":
        assert cc.mode == default.mode
    if key == "cmp.surfaces":
        assert cc.other_surfaces == default.other_surfaces


def test_panel_defaults_follow_the_default_comparison():
    assert panel_default(1, "sgd")["lr"] == DEFAULT_SETTINGS[0][1]["lr"]
    assert panel_default(2, "sgd")["lr"] == DEFAULT_SETTINGS[1][1]["lr"]
    assert panel_default(2, "adam") == OPTIMIZERS["adam"].defaults()
    cc, _ = decode({"cmp.mode": "settings", "cmp.n": "3"})
    assert [hp["lr"] for _, hp in cc.settings] == [0.01, 0.1, 0.01]


def test_each_mode_runs_the_panels_it_describes():
    base = PlaygroundConfig(optimizers=("sgd", "adam", "rmsprop"), steps=60)
    a = CompareConfig(base=base, mode="surfaces", other_surfaces=("rotated_valley", "beale"))
    cfgs = panel_configs(a)
    assert [c.surface for c in cfgs] == ["valley", "rotated_valley", "beale"]
    assert all(c.optimizers == base.optimizers for c in cfgs)
    assert cfgs[2].start == (1.0, 1.5)                           # each surface's own start

    b = CompareConfig(base=base, mode="settings", settings=(("adam", {"beta1": 0.5}), ("adam", {"beta1": 0.9})))
    cfgs = panel_configs(b)
    assert [c.optimizers for c in cfgs] == [("adam",), ("adam",)]
    assert [c.hyper["adam"]["beta1"] for c in cfgs] == [0.5, 0.9]
    assert differences(b) == [{"optimizer": "adam", "beta1": 0.5}, {"optimizer": "adam", "beta1": 0.9}]

    c = CompareConfig(base=PlaygroundConfig(optimizers=tuple(OPTIMIZERS)[:8]), mode="multiples")
    assert len(panel_configs(c)) == MAX_MULTIPLES == c.n_panels
    panels = run_panels(CompareConfig(base=base, mode="multiples"))
    assert [p.lanes[0].optimizer for p in panels] == ["sgd", "adam", "rmsprop"]
    assert all(p.lanes[0].result.xy.shape == (61, 2) for p in panels)


def test_settings_panels_run_exactly_their_own_hyperparameters():
    from optim_core import run
    cc = CompareConfig(base=PlaygroundConfig(steps=50), mode="settings",
                       settings=(("sgd", {"lr": 0.01}), ("sgd", {"lr": 0.1})))
    panels = run_panels(cc)
    for p, (_, hp) in zip(panels, cc.settings):
        ref = run("sgd", "valley", (-5.0, -2.0), 50, hp)
        assert (p.lanes[0].result.xy == ref.xy).all()


def test_each_settings_panel_runs_its_own_batch_size():
    """BGD, mini-batch and SGD side by side: each panel walks its own mini-batches of the same data."""
    from optim_core import run
    base = PlaygroundConfig(surface="noisy_bowl", optimizers=("sgd",), steps=40, seed=3)
    cc = CompareConfig(base=base, mode="settings", settings=(("sgd", {"lr": 0.1}),) * 3, batches=(0, 32, 1))
    decoded, notes = decode(encode(cc))
    assert notes == [] and decoded.batches == (0, 32, 1)
    assert encode(cc)["cmp.p2.batch"] == "32" and "cmp.p1.batch" not in encode(cc)
    assert [d["batch"] for d in differences(cc)] == [0, 32, 1]
    for p, batch in zip(run_panels(cc), (None, 32, 1)):
        ref = run("sgd", "noisy_bowl", base.start, 40, {"lr": 0.1}, batch_size=batch, seed=3)
        assert (p.lanes[0].result.xy == ref.xy).all()


def test_a_panel_batch_defaults_to_the_base_batch_and_is_refused_out_of_range():
    cc, notes = decode({"surface": "noisy_bowl", "batch": "8", "cmp.mode": "settings", "cmp.p2.batch": "999999"})
    assert cc.batches == (8, 8)
    assert [(n.key, n.problem) for n in notes] == [("cmp.p2.batch", "out_of_range")]
    # outside mode "settings" the rows do not apply: not written to the URL
    assert not any(k.endswith(".batch") for k in encode(CompareConfig(base=PlaygroundConfig(surface="noisy_bowl"))))


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_are_valid_and_their_panels_differ(name):
    preset = PRESETS[name]
    cc = CompareConfig(base=PlaygroundConfig(surface=preset.get("surface", "valley"), steps=200,
                                             schedule=preset.get("schedule", {"kind": "constant"})),
                       mode="settings", settings=preset["panels"])
    panels = run_panels(cc)
    assert all(ln.ok for p in panels for ln in p.lanes)
    paths = [p.lanes[0].result.xy for p in panels]
    assert all(not (paths[0] == q).all() for q in paths[1:]), "a preset whose panels run the same path"
