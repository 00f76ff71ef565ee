"""ui.binding: a configuration loaded into the widgets' session-state keys reads back the same,
and a group reset takes the defaults the other values make. Runs Streamlit's session state in
bare mode (no server)."""
from __future__ import annotations

import pytest
import streamlit as st

from lab.compare import CompareConfig
from lab.config import PlaygroundConfig
from ui import binding


@pytest.fixture(autouse=True)
def clean_session():
    for k in list(st.session_state.keys()):
        del st.session_state[k]
    yield
    for k in list(st.session_state.keys()):
        del st.session_state[k]


def on(page):
    st.session_state[binding.PAGE] = page


@pytest.mark.parametrize("page,cfg", [
    ("playground", PlaygroundConfig()),
    ("playground", PlaygroundConfig(lang="zh", surface="noisy_bowl", batch=8, steps=50, step=20, arrows=("grad",),
                                    optimizers=("adam", "rmsprop"), hyper={"adam": {"beta1": 0.5}}, bands=8,
                                    schedule={"kind": "step", "every": 10}, inside="rmsprop", present=True)),
    ("compare", CompareConfig(mode="settings", settings=(("adam", {"lr": 0.1}), ("adamw", {}), ("sgd", {})))),
    ("compare", CompareConfig(mode="surfaces", other_surfaces=("beale", "saddle", "rosenbrock"))),
])
def test_load_then_read_gives_the_configuration_back(page, cfg):
    on(page)
    binding.load(cfg)
    assert binding.read() == cfg
    # the widget form: lists for multiselects, the shown step as a number
    if page == "playground":
        assert st.session_state["w:opt"] == list(cfg.optimizers) and st.session_state["w:step"] == cfg.shown_step


def test_a_value_no_widget_can_hold_reads_as_the_default():
    on("playground")
    st.session_state["w:steps"] = 0                 # out of range
    st.session_state["w:surface"] = "no-such-surface"
    st.session_state["w:opt"] = ["adam", "bogus"]
    cfg = binding.read()
    assert cfg.steps == 300 and cfg.surface == "valley" and cfg.optimizers == ("adam",)


def test_a_shown_step_at_the_end_reads_as_the_last_step():
    on("playground")
    st.session_state["w:steps"], st.session_state["w:step"] = 80, 80
    assert binding.read().step == -1


def test_reset_surface_takes_the_new_surfaces_start_and_parameters():
    on("playground")
    binding.load(PlaygroundConfig(surface="rotated_valley", surface_params={"kappa": 100.0}, start=(1.0, 1.0)))
    st.session_state["w:surface"] = "rosenbrock"         # what the selectbox does before its callback
    binding.reset("surface")
    cfg = binding.read()
    assert cfg.surface == "rosenbrock" and cfg.start == (-1.2, 1.0)


def test_reset_of_a_compare_panel_takes_its_new_optimizers_defaults():
    on("compare")
    binding.load(CompareConfig(mode="settings"))
    st.session_state["w:cmp.p2.opt"] = "adam"
    binding.reset("cmp.p2")
    cc = binding.read()
    assert cc.settings[1] == ("adam", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08, "weight_decay": 0.0,
                                       "bias_correction": True})
    assert cc.settings[0] == ("sgd", {"lr": 0.01, "weight_decay": 0.0})


def test_field_gives_the_range_the_current_values_make():
    on("playground")
    st.session_state["w:steps"] = 120
    assert binding.field("step").kind.hi == 120
    with pytest.raises(KeyError):
        binding.field("cmp.mode")              # not a Playground setting
