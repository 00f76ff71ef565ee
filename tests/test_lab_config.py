"""lab.config: the URL form of a Playground configuration."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import surfaces
from lab.config import CLASSROOM, DEFAULT_STEPS, MAX_VALUE_CHARS, PlaygroundConfig, decode, default_inside, encode
from optim_core.catalogue import OPTIMIZERS


def test_defaults_encode_to_an_empty_query():
    assert encode(PlaygroundConfig()) == {}
    cfg, notes = decode({})
    assert notes == [] and cfg.optimizers == CLASSROOM and cfg.steps == DEFAULT_STEPS


def full_config() -> PlaygroundConfig:
    return PlaygroundConfig(
        lang="zh", surface="rotated_valley", surface_params={"kappa": 100.0, "angle_deg": 45.0, "scale": 2.0},
        optimizers=("adam", "momentum", "rmsprop"),
        hyper={"adam": {"lr": 0.05, "beta1": 0.8}, "momentum": {"form": "ema", "momentum": 0.95},
               "rmsprop": {"centered": True}},
        lr_mode="shared", shared_lr=0.02, schedule={"kind": "step", "every": 50, "gamma": 0.5, "warmup": 10},
        noise=0.1, underflow=6.1e-5, seed=7, steps=800, start=(2.5, -1.25), arrows=("grad", "update"),
        view3d=True, inside="rmsprop", step=120, tol=1e-3)


def test_round_trip_of_every_parameter():
    cfg = full_config()
    q = encode(cfg)
    back, notes = decode(q)
    assert notes == []
    assert back == cfg
    assert encode(back) == q


def test_round_trip_noisy_bowl_batch():
    cfg = PlaygroundConfig(surface="noisy_bowl", surface_params={"n_samples": 100}, batch=8)
    back, notes = decode(encode(cfg))
    assert notes == [] and back.batch == 8 and back.surface_params["n_samples"] == 100


@pytest.mark.parametrize("query,key,problem", [
    ({"surface": "nope"}, "surface", "unknown_value"),
    ({"steps": "abc"}, "steps", "not_number"),
    ({"steps": "0"}, "steps", "out_of_range"),
    ({"steps": "1e9"}, "steps", "out_of_range"),
    ({"steps": "12.5"}, "steps", "not_number"),
    ({"noise": "nan"}, "noise", "not_number"),
    ({"noise": "inf"}, "noise", "not_number"),
    ({"underflow": "0.5"}, "underflow", "out_of_range"),
    ({"underflow": "-1e-5"}, "underflow", "out_of_range"),
    ({"underflow": "nan"}, "underflow", "not_number"),
    ({"h.adam.lr": "-1"}, "h.adam.lr", "out_of_range"),
    ({"h.momentum.form": "bogus"}, "h.momentum.form", "unknown_value"),
    ({"lang": "fr"}, "lang", "unknown_value"),
    ({"x0": "1e300"}, "x0", "out_of_range"),
    ({"seed": "9" * (MAX_VALUE_CHARS + 1)}, "seed", "too_long"),
    ({"zzz": "1"}, "zzz", "unknown_key"),
    ({"arrows": "grad,nope"}, "arrows", "unknown_value"),
    ({"sched": "cosine"}, "sched", "unknown_value"),
])
def test_malformed_values_fall_back_with_a_note(query, key, problem):
    cfg, notes = decode(query)
    assert [(n.key, n.problem) for n in notes] == [(key, problem)]
    default = PlaygroundConfig()
    assert cfg.steps == default.steps and cfg.surface == default.surface and cfg.noise == default.noise
    assert cfg.underflow == default.underflow == 0.0


def test_underflow_is_off_by_default_and_round_trips_through_the_url():
    assert PlaygroundConfig().underflow == 0.0 and "underflow" not in encode(PlaygroundConfig())
    cfg = PlaygroundConfig(underflow=6.1e-5)
    q = encode(cfg)
    assert q == {"underflow": "6.1e-05"}
    back, notes = decode(q)
    assert notes == [] and back.underflow == 6.1e-5 and back == cfg


def test_unknown_optimizers_are_dropped_and_noted():
    cfg, notes = decode({"opt": "adam,<script>,sgd"})
    assert cfg.optimizers == ("adam", "sgd")
    assert [(n.key, n.problem) for n in notes] == [("opt", "unknown_value")]


def test_notes_never_carry_raw_text():
    cfg, notes = decode({"<img src=x onerror=alert(1)>": "1", "a" * 500: "2"})
    assert {n.key for n in notes} == {"…"}


def test_list_values_take_the_last():
    cfg, _ = decode({"steps": ["10", "20"]})
    assert cfg.steps == 20


def test_default_inside_prefers_adam_then_a_second_moment():
    assert default_inside(CLASSROOM) == "adam"
    assert default_inside(("sgd", "rmsprop")) == "rmsprop"
    assert default_inside(("sgd",)) == "sgd"
    assert default_inside(()) == ""


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["surface", "opt", "steps", "seed", "noise", "x0", "y0", "lr", "lrmode",
                                        "sched", "sched.every", "h.adam.lr", "h.sgd.lr", "s.kappa", "lang", "step",
                                        "tol", "arrows", "view3d", "inside", "batch", "underflow", "junk"]),
                       st.text(max_size=80)))
def test_decode_never_raises_and_always_gives_a_runnable_config(query):
    cfg, notes = decode(query)
    assert isinstance(cfg, PlaygroundConfig)
    assert 1 <= cfg.steps <= 20000 and all(o in OPTIMIZERS for o in cfg.optimizers)
    x0, x1, y0, y1 = surfaces.SURFACES[cfg.surface].domain
    assert x0 <= cfg.start[0] <= x1 and y0 <= cfg.start[1] <= y1
    assert math.isfinite(cfg.noise) and math.isfinite(cfg.shared_lr) and 0.0 <= cfg.underflow <= 1e-2
    back, notes2 = decode(encode(cfg))
    assert notes2 == [] and encode(back) == encode(cfg)


def test_the_inside_panel_is_off_by_default_and_kept_in_the_url_when_on():
    assert PlaygroundConfig().inside_optimizer == ""
    cfg = PlaygroundConfig(inside="adam")
    assert encode(cfg) == {"inside": "adam"}
    back, notes = decode({"inside": "adam"})
    assert notes == [] and back.inside_optimizer == "adam"
    assert decode({"opt": "sgd", "inside": "adam"})[0].inside_optimizer == ""     # not a selected optimizer


def test_early_stopping_is_off_by_default_with_patience_20_and_no_min_delta():
    cfg = PlaygroundConfig()
    assert (cfg.early_stop, cfg.patience, cfg.min_delta) == (False, 20, 0.0)
    assert cfg.early_stop_rule is None


def test_early_stopping_round_trips_and_its_settings_apply_only_when_on():
    cfg = PlaygroundConfig(early_stop=True, patience=10, min_delta=0.001)
    q = encode(cfg)
    assert q == {"es.on": "1", "es.patience": "10", "es.delta": "0.001"}
    back, notes = decode(q)
    assert notes == [] and back == cfg and back.early_stop_rule == (10, 0.001)
    # off: patience and min_delta have no effect and stay out of the URL
    assert encode(PlaygroundConfig(early_stop=False, patience=10, min_delta=0.001)) == {}
    # a hand-written link may say "true"
    back, notes = decode({"es.on": "true", "es.patience": "10"})
    assert notes == [] and back.early_stop_rule == (10, 0.0)
    # a view setting: it changes what is shown, not the race
    assert cfg.run_key() == PlaygroundConfig().run_key()


@pytest.mark.parametrize("query,key,problem", [
    ({"es.on": "1", "es.patience": "0"}, "es.patience", "out_of_range"),
    ({"es.on": "1", "es.patience": "1001"}, "es.patience", "out_of_range"),
    ({"es.on": "1", "es.patience": "2.5"}, "es.patience", "not_number"),
    ({"es.on": "1", "es.delta": "2"}, "es.delta", "out_of_range"),
    ({"es.on": "1", "es.delta": "-0.1"}, "es.delta", "out_of_range"),
    ({"es.on": "maybe"}, "es.on", "unknown_value"),
])
def test_bad_early_stopping_values_fall_back_with_a_note(query, key, problem):
    cfg, notes = decode(query)
    assert [(n.key, n.problem) for n in notes] == [(key, problem)]
    assert (cfg.patience, cfg.min_delta) == (20, 0.0)
