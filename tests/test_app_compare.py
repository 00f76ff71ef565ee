"""The Compare page and presentation mode through streamlit.testing.v1.AppTest (no browser)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab.compare import CompareConfig, encode
from lab.config import PlaygroundConfig

TIMEOUT = 120
APP = str(Path(__file__).resolve().parents[1] / "app.py")
COMPARE = "app_pages/compare.py"


@pytest.fixture(scope="module", autouse=True)
def compiled_engine():
    from lab.warmup import warm
    warm()


def compare(query: dict | None = None) -> AppTest:
    """The Compare page for ``query``. AppTest reaches a page of st.navigation only after a first
    run; the query is then set as a pasted link would."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(COMPARE)
    for k in list(at.query_params):
        del at.query_params[k]
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def spec_of(at, i=0) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) > i, "chart missing"
    return json.loads(charts[i].proto.spec)


def titles(spec) -> list:
    return [a["text"] for a in spec["layout"]["annotations"]]


def text_of(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "warning", "error", "info", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


def test_default_mode_two_surfaces_in_lock_step():
    at = compare()
    assert not at.exception and not at.warning
    spec = spec_of(at)
    assert titles(spec) == ["<b>Valley 0.1x² + 2y²</b>", "<b>Rotated valley</b>"]
    assert len(spec["layout"]["images"]) == 2 and len(spec["layout"]["sliders"]) == 1
    assert sum(t["name"] == "heads" for t in spec["data"]) == 2
    assert len(at.get("plotly_chart")) == 1                    # the panels; the loss chart is a tab away
    at.session_state["x:below_panels"] = "Loss of every panel"
    at.run()
    assert len(at.get("plotly_chart")) == 2
    at.session_state["x:below_panels"] = "Per panel"
    at.run()
    table = next(m.value for m in at.markdown if m.value.startswith("| panel |"))
    assert len(table.splitlines()) == 2 + 2 * 6                  # one row per panel and optimizer
    assert "Compare" in text_of(at)


def test_settings_mode_titles_say_what_differs():
    at = compare({"cmp.mode": "settings"})
    assert not at.exception
    assert titles(spec_of(at)) == ["<b>SGD · η=0.01</b>", "<b>SGD · η=0.1</b>"]



def rules_tab(at) -> tuple[list, str]:
    """Open the update-rules tab: its LaTeX blocks and its text."""
    assert "Update rules" in [t.label for t in at.tabs]
    at.session_state["x:below_panels"] = "Update rules"
    at.run()
    assert not at.exception
    return [str(e.value).removeprefix("$$\n").removesuffix("\n$$") for e in at.get("latex")], text_of(at)


def test_update_rules_tab_shows_each_surface_and_each_optimizer_of_the_panels():
    from optim_core.catalogue import OPTIMIZERS
    from surfaces import SURFACES
    at = compare()
    assert not at.get("latex")                                    # a closed (lazy) tab computes nothing
    latex, _ = rules_tab(at)
    assert latex[:2] == [SURFACES["valley"].formula, SURFACES["rotated_valley"].formula]
    assert latex[2:] == [OPTIMIZERS[o].rule for o in ("sgd", "momentum", "nag", "adagrad", "rmsprop", "adam")]


def test_update_rules_tab_shows_each_variant_the_panels_run():
    from optim_core.catalogue import OPTIMIZERS
    at = compare({"cmp.mode": "settings", "cmp.p1.opt": "nag", "cmp.p2.opt": "nag", "cmp.p2.variant": "pytorch"})
    latex, text = rules_tab(at)
    nag = OPTIMIZERS["nag"]
    assert latex[1:] == [nag.rule, nag.variant_rules["pytorch"]]          # after the one surface
    assert "(panels 1)" in text and "(panels 2)" in text


def test_multiples_mode_one_panel_per_optimizer():
    at = compare({"cmp.mode": "multiples", "opt": "sgd,adam,rmsprop"})
    assert not at.exception
    spec = spec_of(at)
    assert len(spec["layout"]["images"]) == 3
    assert [t.split(" · ")[0] for t in titles(spec)] == ["<b>SGD", "<b>Adam", "<b>RMSProp"]
    assert not spec["layout"]["showlegend"]


def test_changing_controls_changes_the_figure():
    at = compare()
    before = spec_of(at)
    at.multiselect(key="w:cmp.surfaces").set_value(["rotated_valley", "beale", "saddle"]).run()
    assert not at.exception
    after = spec_of(at)
    assert len(after["layout"]["images"]) == 4 and after["data"] != before["data"]

    at.segmented_control(key="w:cmp.mode").set_value("settings").run()
    assert titles(spec_of(at))[1] == "<b>SGD · η=0.1</b>"
    at.select_slider(key="w:cmp.p2.lr").set_value(0.2).run()
    assert not at.exception
    assert titles(spec_of(at))[1] == "<b>SGD · η=0.2</b>"
    at.selectbox(key="w:cmp.p2.opt").set_value("adam").run()
    t = titles(spec_of(at))
    assert t[0].startswith("<b>SGD") and t[1].startswith("<b>Adam")
    assert at.session_state["w:cmp.p2.lr"] == 0.01                # a new optimizer starts from its defaults


def test_preset_loads_a_ready_made_comparison():
    at = compare({"cmp.mode": "settings"})
    at.selectbox(key="cmp_preset").set_value("l2_vs_adamw").run()
    assert not at.exception
    t = titles(spec_of(at))
    assert t[0].startswith("<b>Adam") and t[1].startswith("<b>AdamW") and at.session_state["w:surface"] == "beale"
    at.selectbox(key="cmp_preset").set_value("momentum_forms").run()
    assert len(titles(spec_of(at))) == 3 and at.session_state["w:sched"] == "step"


def test_url_round_trip_reproduces_the_state():
    base = PlaygroundConfig(surface="beale", optimizers=("adam",), steps=200, seed=4)
    cc = CompareConfig(base=base, mode="settings", settings=(("adam", {"beta1": 0.5}), ("adam", {"beta1": 0.9}),
                                                             ("nadam", {"variant": "pytorch"})))
    q = encode(cc)
    at = compare(q)
    assert not at.exception and not at.warning
    ss = at.session_state
    assert ss["w:cmp.mode"] == "settings" and ss["w:cmp.n"] == 3 and ss["w:cmp.p3.opt"] == "nadam"
    assert ss["w:cmp.p1.beta1"] == 0.5 and ss["w:surface"] == "beale" and ss["w:steps"] == 200
    assert encode(ss["_url_cfg"]) == q
    assert all(at.query_params.get(k) in (v, [v]) for k, v in q.items())


def test_malformed_compare_values_fall_back_with_a_note():
    at = compare({"cmp.mode": "<b>x</b>", "cmp.surfaces": "nowhere"})
    assert not at.exception
    text = " ".join(str(w.value) for w in at.warning)
    assert "`cmp.mode`" in text and "`cmp.surfaces`" in text and "<b>" not in text
    assert len(spec_of(at)["layout"]["images"]) == 2             # the defaults still draw


def test_chinese():
    at = compare({"lang": "zh", "cmp.mode": "multiples"})
    assert not at.exception
    assert "对比" in text_of(at)
    spec = spec_of(at)
    assert any("播放" in b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"])


def test_fewer_than_two_panels_is_a_hint_not_an_error():
    at = compare({"cmp.surfaces": "none"})
    assert not at.exception and at.info and not at.get("plotly_chart")


@pytest.mark.parametrize("page", ["playground", "compare"])
def test_presentation_flag_on_and_off(page):
    if page == "compare":
        at = compare({"present": "1"})
    else:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params["present"] = "1"
        at.run()
    assert not at.exception
    big = spec_of(at)
    assert big["layout"]["font"]["size"] >= 22
    assert not any(b.key == "render_gif_" + page for b in at.button)      # no controls, no exports
    assert "Inside" not in json.dumps(big["layout"].get("annotations", []))
    at.button(key="present_exit").click().run()
    assert not at.exception
    at.session_state["x:below_panels" if page == "compare" else "x:below_map"] = "Export"
    at.run()
    normal = spec_of(at)
    assert normal["layout"]["font"]["size"] < big["layout"]["font"]["size"]
    assert at.session_state["w:present"] is False
    assert any(b.key == "render_gif_" + page for b in at.button)


def test_settings_survive_a_page_switch():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["surface"] = "beale"
    at.query_params["steps"] = "123"
    at.run()
    at.switch_page(COMPARE)
    for k in list(at.query_params):
        del at.query_params[k]                 # Streamlit clears the query string on a page switch
    at.run()
    assert not at.exception
    assert at.session_state["w:surface"] == "beale" and at.session_state["w:steps"] == 123
    assert titles(spec_of(at))[0] == "<b>Beale</b>"


def test_gif_is_rendered_on_request_then_offered_for_download():
    at = compare({"opt": "sgd,adam", "steps": "60"})
    at.session_state["x:below_panels"] = "Export"
    at.run()
    assert not at.get("download_button") or all("gif" not in str(b.proto.label).lower() for b in at.get("download_button"))
    at.button(key="render_gif_compare").click().run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the GIF" in labels and "CSV of the runs" in labels and "Interactive HTML" in labels
    gif = at.session_state["_export_gif"][1]
    assert gif[:6] == b"GIF89a"


def test_shared_legend_leaves_statuses_to_the_maps_and_the_table():
    at = compare({"surface": "rosenbrock", "cmp.surfaces": "beale", "opt": "sgd,adam"})
    assert not at.exception
    spec = spec_of(at)
    names = [t["name"] for t in spec["data"] if t.get("showlegend") and t.get("legendgroup")]
    assert sorted(n.split(" · ")[0] for n in names) == ["Adam", "SGD"] and not any("✖" in n for n in names)
    ends = [t for t in spec["data"] if t["name"] == "ends"]
    assert ends and ends[0].get("xaxis", "x") == "x"                     # SGD escapes on Rosenbrock: ✖ on panel 1
    table = next(m.value for m in at.markdown if m.value.startswith("| panel |"))
    assert "✖" in table


def test_each_panel_takes_its_own_batch_size_on_a_finite_sum():
    q = {"surface": "noisy_bowl", "opt": "sgd", "cmp.mode": "settings", "cmp.n": "3",
         "cmp.p2.batch": "32", "cmp.p3.batch": "1"}
    at = compare(q)
    assert not at.exception
    widgets = {w.key: w.value for w in at.number_input if w.key and w.key.endswith(".batch")}
    assert widgets == {"w:cmp.p1.batch": 0, "w:cmp.p2.batch": 32, "w:cmp.p3.batch": 1}
    shown = titles(spec_of(at))[:3]
    assert all(what in title for what, title in zip(("full batch", "batch 32", "batch 1"), shown))
    # no batch widget on a surface that is not a finite sum
    assert not [w for w in compare({"cmp.mode": "settings"}).number_input if w.key.endswith(".batch")]
