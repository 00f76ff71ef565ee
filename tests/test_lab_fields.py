"""lab.fields: every row of every page's table round-trips through the URL, and every kind of
bad value falls back to the row's default with the right note."""
from __future__ import annotations

from dataclasses import replace

import pytest

from lab.compare import COMPARE, CompareConfig
from lab.config import PLAYGROUND, PlaygroundConfig
from lab.fields import Choice, Field, Flag, IdList, Number, fmt, lookup

# configurations that between them make every family of rows appear: every surface's
# parameters and batch, every optimizer's hyperparameters, a schedule with parameters, every
# Compare mode and per-panel row
SCENES = [
    ("playground", PLAYGROUND, PlaygroundConfig()),
    ("playground", PLAYGROUND, PlaygroundConfig(surface="noisy_bowl", optimizers=("adam", "asgd", "rprop", "bfgs"),
                                                schedule={"kind": "step"})),
    ("playground", PLAYGROUND, PlaygroundConfig(surface="rotated_valley", optimizers=("amsgrad", "adamw", "nadam",
                                                "radam", "adadelta", "newton", "diag_newton"),
                                                schedule={"kind": "polynomial"})),
    ("compare", COMPARE, CompareConfig(mode="settings", settings=(("adam", {}), ("nadam", {}), ("momentum", {})))),
    ("compare", COMPARE, CompareConfig(mode="surfaces", other_surfaces=("beale", "saddle"))),
]


def other_value(f: Field):
    """A valid value of row ``f`` that is not its default."""
    k = f.kind
    if isinstance(k, Number):
        for v in (k.hi, k.lo, (k.lo + k.hi) / 2):
            v = int(v) if k.integer else float(v)
            if v != f.default and k.accepts(v):
                return v
    if isinstance(k, Flag):
        return not f.default
    if isinstance(k, Choice):
        return next((c for c in k.choices if c != f.default), None)
    if isinstance(k, IdList):
        return next(((c,) for c in k.choices if (c,) != tuple(f.default)), None)
    return None


def rows_of(schema, cfg):
    return [f for f, _ in schema.values(cfg)]


@pytest.mark.parametrize("page,schema,cfg", SCENES)
def test_defaults_come_from_the_table(page, schema, cfg):
    assert PlaygroundConfig() == PLAYGROUND.defaults()
    assert CompareConfig() == COMPARE.defaults()
    for f, value in schema.values(schema.defaults()):
        assert value == f.default, f.key


def _single_rows(schema, cfg):
    """Rows whose change does not remove or reshape other rows (those get their own tests)."""
    shaping = {"surface", "opt", "sched", "cmp.mode", "cmp.n", "steps", "lang"} | {
        f.key for f in rows_of(schema, cfg) if f.key.endswith(".opt")}
    return [f for f in rows_of(schema, cfg) if f.key not in shaping and f.applies]


@pytest.mark.parametrize("page,schema,cfg", SCENES)
def test_every_row_round_trips_through_the_url(page, schema, cfg):
    rows = _single_rows(schema, cfg)
    assert len(rows) >= 10
    base_q = schema.encode(cfg)
    for f in rows:
        v = other_value(f)
        if v is None:          # a row with a single possible value (e.g. batch off a finite sum)
            continue
        q = {**base_q, f.key: f.kind.format(v)}
        back, notes = schema.decode(q)
        assert notes == [], (f.key, notes)
        assert lookup(back, f.attr) == v, f.key
        assert schema.encode(back) == q, f.key


@pytest.mark.parametrize("page,schema,cfg", SCENES)
def test_every_row_falls_back_to_its_default_with_a_note(page, schema, cfg):
    base_q = schema.encode(cfg)
    for f in _single_rows(schema, cfg):
        k = f.kind
        bad = {"too_long": "1" * 65}
        if isinstance(k, Number):
            bad |= {"not_number": "abc", "out_of_range": fmt(k.hi * 2 + 1 if k.hi > 0 else k.hi + 1)}
            if k.integer and k.hi - k.lo >= 1:
                bad["not_number"] = fmt(k.lo + 0.5)
        else:
            bad["unknown_value"] = "no-such-value"
        for problem, raw in bad.items():
            back, notes = schema.decode({**base_q, f.key: raw})
            assert [(n.key, n.problem) for n in notes] == [(f.key, problem)], (f.key, raw)
            assert lookup(back, f.attr) == f.default, (f.key, raw)


def test_shaping_rows_bring_their_families():
    cfg, notes = PLAYGROUND.decode({"surface": "beale", "opt": "rprop", "h.rprop.eta_minus": "0.4", "sched": "step",
                                    "sched.every": "20", "steps": "40", "step": "30"})
    assert notes == []
    assert cfg.hyper == {"rprop": {**cfg.hyper["rprop"], "eta_minus": 0.4}} and cfg.schedule["every"] == 20
    assert cfg.step == 30
    # a hyperparameter of an optimizer that is not selected is not a setting of this URL
    cfg, notes = PLAYGROUND.decode({"opt": "sgd", "h.adam.lr": "0.1"})
    assert [(n.key, n.problem) for n in notes] == [("h.adam.lr", "unknown_key")]
    # the shown step's range follows the step count decoded before it
    cfg, notes = PLAYGROUND.decode({"steps": "40", "step": "50"})
    assert [(n.key, n.problem) for n in notes] == [("step", "out_of_range")] and cfg.step == -1


def test_compare_panels_follow_their_optimizer_and_count():
    cc, notes = COMPARE.decode({"cmp.mode": "settings", "cmp.n": "3", "cmp.p3.opt": "adam", "cmp.p3.beta1": "0.5",
                                "cmp.p1.lr": "0.05"})
    assert notes == []
    assert [oid for oid, _ in cc.settings] == ["sgd", "sgd", "adam"]
    assert cc.settings[0][1]["lr"] == 0.05 and cc.settings[1][1]["lr"] == 0.1 and cc.settings[2][1]["beta1"] == 0.5
    # per-panel settings are not written while another mode is shown
    assert not any(k.startswith("cmp.p") for k in COMPARE.encode(replace(cc, mode="surfaces")))
    cc, notes = COMPARE.decode({"cmp.n": "9"})
    assert [(n.key, n.problem) for n in notes] == [("cmp.n", "out_of_range")] and cc.n_settings == 2


def test_bands_is_a_setting_end_to_end():
    """The contour-band count: one row, and it reaches the map's background image."""
    from viz.background import contour_png
    import surfaces
    cfg, notes = PLAYGROUND.decode({"bands": "6"})
    assert notes == [] and cfg.bands == 6 and PLAYGROUND.encode(cfg) == {"bands": "6"}
    assert cfg.run_key() == PlaygroundConfig().run_key()          # a view setting: the race is not rerun
    surf = surfaces.get("beale")
    assert contour_png(surf, 60, 40, 6) != contour_png(surf, 60, 40, 30)
