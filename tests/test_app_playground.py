"""The Playground page through streamlit.testing.v1.AppTest (no browser)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab.config import PlaygroundConfig, encode

TIMEOUT = 120
APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module", autouse=True)
def compiled_engine():
    """Compile the engine before the first AppTest run: a fresh clone has no Numba cache, and a
    cold compile (a minute or two) would eat the runs' timeout."""
    from lab.warmup import warm
    warm()


def show(at, key: str, state) -> AppTest:
    """Open a lazy expander (state True) or select a lazy tab (state: its label), then rerun."""
    at.session_state[key] = state
    return at.run()


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def map_spec(at) -> dict:
    charts = at.get("plotly_chart")
    assert charts, "no chart rendered"
    return json.loads(charts[0].proto.spec)


def legend_names(spec) -> list:
    return [t["name"] for t in spec["data"] if t.get("showlegend", True) and t.get("legendgroup")]


def all_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "warning", "error", "info", "latex", "title", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts)


def test_default_render():
    at = app()
    assert not at.exception
    spec = map_spec(at)
    assert len(legend_names(spec)) == 6
    assert spec["layout"]["images"][0]["source"].startswith("data:image/png")
    assert len(spec["frames"]) <= 101
    assert not at.warning and not at.error
    assert len(at.get("plotly_chart")) == 1          # the map; curves, rules, export and 3-D wait to be opened
    board = next(m.value for m in at.markdown if m.value.startswith("| \\# |"))
    assert len(board.splitlines()) == 2 + 6                      # header, rule, one row per optimizer
    assert not at.get("latex")
    assert "w:h.adam.lr" not in {w.key for w in at.select_slider}       # in a closed (lazy) expander
    show(at, "x:below_map", "Loss, distance, step length")
    assert len(at.get("plotly_chart")) == 2          # + the curves
    show(at, "x:below_map", "Update rules")
    assert len(at.get("latex")) == 7                 # the surface formula + six rules


def test_changing_surface_optimizers_and_a_slider_changes_the_figure():
    at = app()
    before = map_spec(at)
    at.sidebar.selectbox(key="w:surface").set_value("rosenbrock").run()
    assert not at.exception
    after_surface = map_spec(at)
    assert after_surface["layout"]["xaxis"]["range"] != before["layout"]["xaxis"]["range"]
    assert at.session_state["w:x0"] == -1.2                      # the new surface's start

    at.sidebar.multiselect(key="w:opt").set_value(["adam", "sgd"]).run()
    assert len(legend_names(map_spec(at))) == 2
    show(at, "x:hyper", True)                                    # the hyperparameters' expander

    spec0 = map_spec(at)
    at.select_slider(key="w:h.adam.lr").set_value(0.1).run()
    spec1 = map_spec(at)
    assert not at.exception
    assert any("η=0.1" in n for n in legend_names(spec1))
    assert spec1["data"] != spec0["data"]
    # the configuration the page hands to the URL sync (AppTest reruns only the page after a widget
    # change, so the URL write itself is checked in the browser test)
    assert encode(at.session_state["_url_cfg"])["h.adam.lr"] == "0.1"

    show(at, "x:run", True)                                      # steps, noise, seed
    at.number_input(key="w:steps").set_value(120).run()
    assert map_spec(at)["frames"][-1]["name"] == "120"
    assert at.session_state["w:step"] == 120                     # the still picture follows the new end


def test_shared_learning_rate_switch_labels_every_legend_entry():
    at = app({"lrmode": "shared", "lr": "0.05"})
    assert not at.exception
    names = legend_names(map_spec(at))
    assert len(names) == 6 and all("η=0.05" in n for n in names)


def test_url_with_every_parameter_reproduces_the_state():
    cfg = PlaygroundConfig(
        lang="zh", surface="rotated_valley", surface_params={"kappa": 100.0, "angle_deg": 45.0, "scale": 2.0},
        optimizers=("adam", "momentum", "rmsprop"),
        hyper={"adam": {"lr": 0.05, "beta1": 0.8}, "momentum": {"form": "ema", "momentum": 0.95},
               "rmsprop": {"centered": True}},
        lr_mode="own", schedule={"kind": "step", "every": 50, "gamma": 0.5, "warmup": 10},
        noise=0.1, seed=7, steps=400, start=(2.5, -1.25), arrows=("grad", "update"), view3d=True,
        inside="rmsprop", step=120, tol=1e-3)
    q = encode(cfg)
    at = app(q)
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    ss = at.session_state
    assert ss["w:surface"] == "rotated_valley" and ss["w:s.kappa"] == 100.0 and ss["w:s.angle_deg"] == 45.0
    assert ss["w:opt"] == ["adam", "momentum", "rmsprop"]
    assert ss["w:h.adam.lr"] == 0.05 and ss["w:h.momentum.form"] == "ema" and ss["w:h.rmsprop.centered"] is True
    assert ss["w:sched"] == "step" and ss["w:sched.every"] == 50 and ss["w:sched.warmup"] == 10
    assert ss["w:noise"] == 0.1 and ss["w:seed"] == 7 and ss["w:steps"] == 400
    assert (ss["w:x0"], ss["w:y0"]) == (2.5, -1.25)
    assert ss["w:arrows"] == ["grad", "update"] and ss["w:view3d"] is True
    assert ss["w:inside"] == "rmsprop" and ss["w:step"] == 120 and ss["w:lang"] == "zh"
    assert all(at.query_params.get(k) in (v, [v]) for k, v in q.items())
    assert encode(at.session_state["_url_cfg"]) == q
    assert len(at.get("plotly_chart")) == 2                      # the 3-D view was asked for
    spec = map_spec(at)
    assert any(t.get("name") == "arrow:grad" for t in spec["data"])
    assert "游乐场" in all_text(at)


@pytest.mark.parametrize("query,key", [
    ({"steps": "abc"}, "steps"), ({"surface": "no_such"}, "surface"), ({"h.adam.lr": "1e99"}, "h.adam.lr"),
    ({"seed": "1" * 200}, "seed"), ({"opt": "adam,bogus"}, "opt")])
def test_malformed_query_values_fall_back_with_a_visible_note(query, key):
    at = app(query)
    assert not at.exception
    assert at.warning, "no note shown"
    text = " ".join(str(w.value) for w in at.warning)
    assert f"`{key}`" in text
    assert map_spec(at)                                          # the page still draws


def test_raw_query_text_is_never_echoed():
    evil = "<img src=x onerror=alert(1)>"
    at = app({evil: "1", "steps": evil, "surface": "**bold**"})
    assert not at.exception
    text = all_text(at)
    assert "onerror" not in text and "**bold**" not in text and "<img" not in text
    assert at.warning


def test_chinese_renders_every_string():
    at = app({"lang": "zh"})
    assert not at.exception
    text = all_text(at)
    assert "游乐场" in text and "达到容差的步数" in text          # the page and the leaderboard
    assert [tab.label for tab in at.tabs][:2] == ["排行榜", "损失、距离、步长"]
    spec = map_spec(at)
    labels = [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]]
    assert any("播放" in b for b in labels)


def test_no_optimizer_selected_shows_a_hint():
    at = app({"opt": "none"})
    assert not at.exception
    assert at.info and not at.get("plotly_chart")


def test_reset_to_defaults_and_view_options():
    at = app({"h.adam.lr": "0.1", "h.sgd.lr": "0.05"})
    assert at.session_state["w:h.adam.lr"] == 0.1
    show(at, "x:hyper", True)
    at.button(key="reset_hyper").click().run()
    assert not at.exception
    assert at.session_state["w:h.adam.lr"] == 0.01 and at.session_state["w:h.sgd.lr"] == 0.01
    assert all("η=0.01" in n for n in legend_names(map_spec(at)) if "AdaGrad" not in n)

    at.toggle(key="w:view3d").set_value(True).run()
    assert len(at.get("plotly_chart")) == 2
    assert not any("Inside" in (a.get("text") or "") for a in map_spec(at)["layout"].get("annotations", []))
    at.selectbox(key="w:inside").set_value("sgd").run()
    texts = [a.get("text") for a in map_spec(at)["layout"]["annotations"]]
    assert any("SGD" in (t or "") for t in texts)


def test_schedule_and_rprop_note():
    at = app({"opt": "rprop,sgd", "sched": "step", "sched.every": "20"})
    assert not at.exception
    assert any("Rprop" in str(c.value) and "schedule" in str(c.value) for c in at.caption)


def test_underflow_has_its_widget_and_a_visible_note_when_on():
    at = app()
    assert not any("float16" in str(c.value) for c in at.caption)        # off by default: no note
    show(at, "x:run", True)                                              # steps, noise, seed
    assert at.number_input(key="w:underflow").value == 0.0
    at = app({"underflow": "6.1e-05", "opt": "adagrad", "x0": "0.02", "y0": "0.001"})
    assert not at.exception and not at.warning
    assert any("float16" in str(c.value) and "6.1e-05" in str(c.value) for c in at.caption)
    show(at, "x:run", True)
    assert at.number_input(key="w:underflow").value == 6.1e-5
    assert encode(at.session_state["_url_cfg"])["underflow"] == "6.1e-05"


def test_noisy_bowl_batch_and_shown_step():
    at = app({"surface": "noisy_bowl", "batch": "10", "step": "50", "opt": "sgd,adam"})
    assert not at.exception and not at.warning
    spec = map_spec(at)
    active = spec["layout"]["sliders"][0]["active"]
    assert spec["layout"]["sliders"][0]["steps"][active]["label"] == "50"


def test_hyperparameters_are_edited_one_optimizer_at_a_time_and_kept():
    at = app({"h.sgd.lr": "0.05"})
    assert "w:h.adam.lr" not in {w.key for w in at.select_slider}           # a closed expander draws nothing
    show(at, "x:hyper", True)
    assert at.selectbox(key="v:tune").value == "adam"                      # the inside optimizer first
    keys = {w.key for w in list(at.select_slider) + list(at.slider)}
    assert "w:h.adam.beta1" in keys and "w:h.sgd.lr" not in keys
    at.selectbox(key="v:tune").set_value("sgd").run()
    at.select_slider(key="w:h.sgd.lr").set_value(0.2).run()
    at.selectbox(key="v:tune").set_value("adam").run()              # sgd's slider is not drawn now
    assert not at.exception
    assert at.session_state["w:h.sgd.lr"] == 0.2
    assert any("η=0.2" in n for n in legend_names(map_spec(at)))


def test_contour_bands_setting_reaches_the_map_and_the_url():
    at = app()
    before = map_spec(at)["layout"]["images"][0]["source"]
    show(at, "x:map", True)
    at.number_input(key="w:bands").set_value(6).run()
    assert not at.exception
    assert map_spec(at)["layout"]["images"][0]["source"] != before
    assert encode(at.session_state["_url_cfg"]) == {"bands": "6"}
    # and a shared link with it loads into the widget
    assert app({"bands": "6"}).session_state["w:bands"] == 6


def _start_here_shown(at) -> bool:
    from ui.strings_en import STRINGS
    return any(STRINGS["start_here_title"] in m.value for m in at.markdown)


def test_a_first_visit_shows_start_here_with_the_first_lesson_until_dismissed():
    from lab.lessons import LESSONS
    at = app()
    assert _start_here_shown(at)
    links = [ln.proto for ln in at.get("page_link") if ln.proto.page == "lessons"]
    assert links and LESSONS[0].text("en")["title"] in links[0].label
    assert f"lesson={LESSONS[0].id}" in links[0].query_string
    at.button(key="start_here_ok").click().run()
    assert not _start_here_shown(at)
    at.run()                                   # dismissed for the session, not for one run
    assert not _start_here_shown(at)


def test_start_here_is_never_shown_in_presentation_mode():
    assert not _start_here_shown(app({"present": "1"}))


def test_early_stopping_adds_leaderboard_columns_and_stop_marks_on_the_map():
    at = app({"es.on": "true", "es.patience": "10"})
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    board = next(m.value for m in at.markdown if m.value.startswith("| \\# |"))
    header = board.splitlines()[0]
    assert "would stop at" in header and "loss at stop" in header and "final − at stop" in header
    assert len(board.splitlines()) == 2 + 6
    spec = map_spec(at)
    stops = next(t for t in spec["data"] if t.get("name") == "stops")
    assert stops["x"] and all("would stop here (step " in c for c in stops["customdata"])
    assert any("Early stopping (patience 10" in str(c.value) for c in at.caption)
    # the settings are in the sidebar's run settings, and in the URL as the page writes it
    show(at, "x:run", True)
    assert at.toggle(key="w:es.on").value is True and at.number_input(key="w:es.patience").value == 10
    assert encode(at.session_state["_url_cfg"]) == {"es.on": "1", "es.patience": "10"}
    # off: the columns and the marks go
    at.toggle(key="w:es.on").set_value(False).run()
    board = next(m.value for m in at.markdown if m.value.startswith("| \\# |"))
    assert "would stop at" not in board
    assert not any(t.get("name") == "stops" for t in map_spec(at)["data"])


def test_early_stopping_in_chinese():
    at = app({"es.on": "1", "es.patience": "10", "lang": "zh"})
    assert not at.exception
    board = next(m.value for m in at.markdown if m.value.startswith("| \\# |"))
    assert "早停于第几步" in board and "最终 − 早停时" in board
    stops = next(t for t in map_spec(at)["data"] if t.get("name") == "stops")
    assert all("会在这里停下" in c for c in stops["customdata"])


class _HalfReady:
    """The server's warm-up on a first start: Adam's and NAG's kernels are still compiling."""
    def __init__(self):
        self.late = {"adam", "nag"}

    def not_ready(self, kernels):
        return [k for k in kernels if k[0] in self.late]

    def ensure(self, kernels, timeout=600.0):
        assert not [k for k in kernels if k[0] in self.late], "the Playground waited for a late kernel"


def test_a_first_start_draws_the_map_with_the_ready_runs_and_names_the_rest(monkeypatch):
    from ui import cache, page
    warm = _HalfReady()
    monkeypatch.setattr(cache, "engine_warmup", lambda: warm)
    monkeypatch.setattr(page, "is_ready", lambda *k: False)     # the page's own rerun: not in this test
    at = app()
    assert not at.exception
    assert [n.split("<br>")[0] for n in legend_names(map_spec(at))] == ["SGD", "Momentum", "AdaGrad", "RMSProp"]
    (note,) = [str(e.value) for e in at.info]
    assert "Nesterov (NAG)" in note and "Adam" in note and "join" in note
    assert "opt" not in list(at.query_params)    # the link still names the default six (left out as defaults)
    board = next(m.value for m in at.markdown if m.value.startswith("| \\# |"))
    assert len(board.splitlines()) == 2 + 4
    warm.late = set()                                                   # compiled now
    at.run()
    assert len(legend_names(map_spec(at))) == 6 and not at.info


def test_a_first_start_before_any_kernel_is_ready_still_draws_the_map(monkeypatch):
    from ui import cache, page
    warm = _HalfReady()
    warm.late = set(PlaygroundConfig().optimizers)
    monkeypatch.setattr(cache, "engine_warmup", lambda: warm)
    monkeypatch.setattr(page, "is_ready", lambda *k: False)
    at = app({"lang": "zh"})
    assert not at.exception
    spec = map_spec(at)
    assert spec["layout"]["images"][0]["source"].startswith("data:image/png") and not legend_names(spec)
    (note,) = [str(e.value) for e in at.info]
    assert "Adam" in note and "编译" in note and "、" in note and ", " not in note     # the language's own list


def test_a_stale_url_sent_with_a_quick_second_change_does_not_undo_it():
    """Two quick changes: the browser may send the second one with the URL from before the first
    one's write reached it. That URL is not a new link: the newer widget value wins."""
    at = app()
    at.session_state["w:steps"] = 400
    at.run()
    assert at.query_params["steps"] == "400"
    for k in list(at.query_params):          # the URL as it was before that write
        del at.query_params[k]
    at.session_state["w:steps"] = 500        # the second change, sent with it
    at.run()
    assert not at.exception
    assert at.session_state["w:steps"] == 500 and at.query_params["steps"] == "500"
    assert "300 steps" not in all_text(at) and "500 steps" in all_text(at)


def test_the_back_button_still_restores_the_previous_url():
    """A URL unlike the last one written, with the widgets as that write left them, is navigation
    (the back button, an edited link): it is decoded."""
    at = app()
    at.session_state["w:steps"] = 400
    at.run()
    at.session_state["w:steps"] = 500
    at.run()
    assert at.query_params["steps"] == "500"
    at.query_params["steps"] = "400"         # back to the previous entry
    at.run()
    assert not at.exception
    assert at.session_state["w:steps"] == 400 and at.query_params["steps"] == "400"


def _new_session_of(old: AppTest) -> AppTest:
    """A session the server does not know for a page the browser shows (its replica died): the
    browser's URL, and every widget value it holds with its request (one just changed, not yet run)."""
    from unittest import mock

    import ui.i18n
    page_lang = old.session_state["w:lang"]
    with mock.patch.object(ui.i18n, "lang", lambda: page_lang):   # the options as the page drew them
        sent = old._tree.get_widget_states()
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in old.query_params.items():
        fresh.query_params[k] = v
    return fresh._run(widget_state=sent)


@pytest.mark.parametrize("url_lang, click", [("en", "zh"), ("zh", "en")])
def test_a_change_sent_to_a_new_session_is_not_undone_by_the_url(url_lang, click):
    """After a failover the first change reaches a session built from the URL: the change wins,
    the rest comes from the URL, and the whole page (the navigation too) is in the new language."""
    old = app({"opt": "sgd,adam", "steps": "150", "lang": url_lang})
    old.radio(key="w:lang").set_value(click)
    at = _new_session_of(old)
    assert not at.exception
    assert at.session_state["w:lang"] == click
    assert at.query_params.get("lang", "en") == click
    assert at.session_state["w:steps"] == 150 and legend_names(map_spec(at)) and len(legend_names(map_spec(at))) == 2
    page_title = {"en": "Playground", "zh": "游乐场"}[click]
    assert page_title in all_text(at)


def test_a_slider_moved_before_a_failover_keeps_its_new_value():
    old = app({"opt": "sgd,adam", "lrmode": "shared", "lang": "zh"})
    lr = old.select_slider(key="w:lr")
    options = list(lr.options)
    new = options[options.index(str(lr.value)) + 1] if str(lr.value) in options else None
    moved = lr.set_value(lr.value * 2 if new is None else type(lr.value)(new)).value
    at = _new_session_of(old)
    assert not at.exception
    assert at.session_state["w:lr"] == moved and at.query_params["lr"]
    assert at.session_state["w:lang"] == "zh" and at.session_state["w:lrmode"] == "shared"
