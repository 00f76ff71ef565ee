"""Hostile query strings against every page's decoder (issue 17, hostile input).

Each page's ``decode`` is fed what ``ui.state`` feeds it (key -> list of values, as
``st.query_params.get_all`` gives them) with every key of the page's table and values chosen to
break it: huge numbers, NaN and infinities, negative counts, unknown ids, long strings, repeated
keys, unicode, HTML and script, percent-encoding tricks, NUL bytes, empty values, unknown keys and
typed functions the parser must refuse. The properties:

* ``decode`` never raises;
* what it returns is a valid configuration: every row's value is one its kind accepts, the URL
  round-trips (decoding ``encode(cfg)`` gives the same configuration and no note), and the engine
  accepts what the page would run (``run`` takes every lane; Sweep's checks refuse only with a
  ``SweepRefused``, which the page shows next to its widget);
* nothing is dropped silently: a value in the query that the configuration does not hold as
  given has a note naming its key;
* a note, as the page renders it (``ui.present.note_lines`` inside ``st.warning``'s Markdown),
  never carries HTML from the input and cannot leave its code span.
"""
from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import surfaces
from lab import basins, compare, config, lessons, reference, sweep
from lab.fields import IGNORED_KEYS, MAX_VALUE_CHARS, Schema, lookup, safe_key
from lab.race import lane_hyper, run_options
from optim_core import run
from optim_core.api import MAX_STEPS
from optim_core.catalogue import OPTIMIZERS
from optim_core.schedules import KINDS as SCHEDULE_KINDS
from ui.i18n import CATALOGUES
from ui.present import MAX_NOTE_LINES, note_lines

# ---------------------------------------------------------------- hostile values

TYPED_HOSTILE = [
    "log(x)", "1/x", "sqrt(x)", "x/0", "log(0)", "1/(x-x)", "exp(exp(exp(x)))", "exp(1000*x)", "e^1000",
    "x^64", "9^9^9", "x**99999", "2^65", "1e12*x", "1e13", "(" * 60 + "x" + ")" * 60, "x" + "+x" * 320,
    "__import__('os').system('id')", "exec('1')", "eval(x)", "x.__class__", "x;y", "x<y", "`x`", "x\\y",
    "sin(x", "sin()", "min(x)", "max(x,y,1)", "x y", "", "   ", "\x00x", "x\u202ey", "ｘ+ｙ", "x\n+y",
    "<script>alert(1)</script>", "x+" * 200 + "y",
]
DOMAIN_HOSTILE = ["0,0,0,0", "1,0,0,1", "-1e5,1e5,-1,1", "nan,1,0,1", "inf,-inf,0,1", "0,1,0", "0,1,0,1,2",
                  "-1e4,1e4,-1e4,1e4", "0,0.0009,0,1", ",,,", "1;2;3;4", "0x1,2,3,4", "1e309,0,0,1"]
HOSTILE = [
    "", " ", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "+inf", "1e309", "-1e309", "1e308", "-1e308",
    "1e-320", "5e-324", "-0", "0", "1", "-1", "-100", "2", "7", "2147483647", "2147483648", "9223372036854775808",
    "1" * 70, "0.5", "1.0000000001", "0x10", "1_000", "١٢٣", "１２", "1e", "--1", "true", "FALSE", "none",
    "None", "null", "undefined", "adam,adam", ",,,", "adam,", ",adam", "adam,sgd,nope", "sgd," * 30,
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "[link](javascript:alert(1))", "**bold** _it_ `code`", "$x^2$", "%00", "\x00", "a\x00b", "%2e%2e%2f",
    "%252e%252e%252f", "../../etc/passwd", "%3Cscript%3E", "&lt;script&gt;", "a" * (MAX_VALUE_CHARS + 1),
    "x" * 10_000, "☃", "\u202e", "\ufeff", "🙂" * 20, "\ud800", "{}", "[]", "__proto__", "constructor",
] + TYPED_HOSTILE + DOMAIN_HOSTILE
HOSTILE_KEYS = ["junk", "<script>", "a" * 200, "", " ", "\x00", "h.nope.lr", "h.adam.nope", "s.nope",
                "sched.nope", "cmp.p9.opt", "bas.p3.lr", "%2e%2e", "☃", "__proto__", "embed", "opt.0"]

# values that reshape a table (which rows exist), so that the rows they bring are reached too
SHAPING = {
    "surface": st.sampled_from(config.SURFACE_CHOICES),
    "opt": st.lists(st.sampled_from(tuple(OPTIMIZERS)), min_size=0, max_size=4, unique=True).map(
        lambda ids: ",".join(ids) or "none"),
    "sched": st.sampled_from(SCHEDULE_KINDS),
    "seeds.on": st.sampled_from(["0", "1"]),
    "es.on": st.sampled_from(["0", "1"]),
    "cmp.mode": st.sampled_from(compare.MODES),
    "cmp.n": st.sampled_from(["2", "3", "4"]),
    "sw.mode": st.sampled_from(sweep.MODES),
    "sw.extra": st.sampled_from(["0", "1"]),
    "bas.n": st.sampled_from(["1", "2"]),
    "lesson": st.sampled_from(tuple(lessons.BY_ID)),
    "expr": st.sampled_from(["x^2 + 3*y^2", "log(x) + y^2", "sqrt(x) + y^2", "1/x + y^2", config.DEFAULT_EXPR]),
}


def _number_text(v) -> str:
    return repr(v)


VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=80),
    st.floats(allow_nan=True, allow_infinity=True).map(_number_text),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


# ---------------------------------------------------------------- every key of every page

def _keys_of(schema: Schema, configs) -> tuple:
    keys = []
    for cfg in configs:
        keys += [f.key for f, _ in schema.values(cfg)]
    return tuple(dict.fromkeys(keys))


def _playgrounds():
    everything = tuple(OPTIMIZERS)
    for sid in config.SURFACE_CHOICES:
        for kind in SCHEDULE_KINDS:
            yield config.PlaygroundConfig(surface=sid, optimizers=everything, schedule={"kind": kind},
                                          over_seeds=True, early_stop=True)


PLAYGROUND_KEYS = _keys_of(config.PLAYGROUND, _playgrounds())
_PANEL_KEYS = tuple(f"{prefix}.p{i}.{name}" for prefix, n in (("cmp", compare.MAX_PANELS), ("bas", basins.MAX_PANELS))
                    for i in range(1, n + 1)
                    for name in ("opt", "batch", *dict.fromkeys(h.name for o in OPTIMIZERS.values() for h in o.hyper)))
COMPARE_KEYS = PLAYGROUND_KEYS + tuple(k for k in _keys_of(compare.COMPARE, [compare.CompareConfig(mode=m) for m in
                                                                              compare.MODES]) + _PANEL_KEYS
                                       if k.startswith("cmp."))
SWEEP_KEYS = PLAYGROUND_KEYS + _keys_of(sweep.SWEEP, [sweep.SweepConfig(mode=m, tune_extra=True) for m in sweep.MODES])
BASINS_KEYS = PLAYGROUND_KEYS + tuple(k for k in _keys_of(basins.BASINS, [basins.BasinsConfig()]) + _PANEL_KEYS
                                      if k.startswith("bas."))
LESSONS_KEYS = ("lang", "lesson", "present", "ema.beta", "pt.x", "pt.y")
REFERENCE_KEYS = ("lang", "opt", "present")


def queries(keys: tuple, shaping: tuple = ()):
    """A query as ``ui.state`` hands it over: key -> list of values (a repeated key has several;
    the last counts), some keys set to values that shape the table, the rest hostile."""
    valid = st.fixed_dictionaries({}, optional={k: SHAPING[k] for k in shaping}).map(
        lambda d: {k: [v] for k, v in d.items()})
    hostile = st.dictionaries(st.one_of(st.sampled_from(keys), st.sampled_from(HOSTILE_KEYS)),
                              st.lists(VALUES, min_size=1, max_size=3), max_size=8)
    return st.tuples(valid, hostile).map(lambda vh: {**vh[0], **vh[1]})


# ---------------------------------------------------------------- what a valid configuration is

def _last(q: dict) -> dict:
    return {str(k): (v[-1] if v else "") for k, v in q.items()}


def _applying(schema: Schema, cfg) -> list:
    """(key, value) of every row that has an effect: what the URL carries."""
    return [(f.key, value) for f, value in schema.values(cfg) if f.applies]


def check_decoded(schema: Schema, query: dict):
    """Decode ``query`` and check everything the module docstring promises; returns (cfg, notes)."""
    cfg, notes = schema.decode(query)
    walked = schema.values(cfg)
    for f, value in walked:
        assert value == f.default or f.kind.accepts(value), (f.key, value)
    back, notes_back = schema.decode(schema.encode(cfg))
    assert notes_back == [], notes_back
    # a row without effect (Compare's panels outside their mode) keeps its value but is not in the URL
    assert _applying(schema, back) == _applying(schema, cfg)
    assert schema.encode(back) == schema.encode(cfg)
    noted = {n.key for n in notes}
    flat, rows = _last(query), {f.key: (f, value) for f, value in walked}
    for key, raw in flat.items():
        if key in IGNORED_KEYS or safe_key(key) in noted:
            continue
        if key in ("expr", "domain", "x0", "y0", "surface") and "surface" in noted:
            continue      # the custom fallback dropped the typed surface as a whole, with its own note
        assert key in rows, f"{key!r} ignored without a note"
        f, value = rows[key]
        if not f.derived:
            assert f.kind.parse(raw) == value, f"{key}={raw!r} not used and not noted"
    for n in notes:
        check_note(n)
    return cfg, notes


# a note's detail (``lab.fields.Note``): a token of the typed function, a limit, one printable
# character quoted, or a code point
_SAFE_DETAIL = re.compile(r"""^(|[A-Za-z0-9_.+\-*/^(),]{1,20}|'[!-~]'|"'"|U\+[0-9A-F]{4,6})$""")
NOTE_PROBLEMS = ("unknown_key", "unknown_value", "not_number", "out_of_range", "too_long", "custom_fallback",
                 "domain", *("expr_" + c for c in surfaces.expression.CODES))


def check_note(n) -> None:
    """A note as the page shows it. Only its key and its detail come from the input: the key is
    sanitised, the detail is short, and where a template shows it, it sits in a Markdown code span
    it cannot leave (no backtick), so even a quoted '<' is shown as text, never read as HTML."""
    assert re.fullmatch(r"[A-Za-z0-9_.\-]{1,40}|…", n.key), n
    assert n.problem in NOTE_PROBLEMS, n
    assert _SAFE_DETAIL.match(n.detail) and "`" not in n.detail, n
    for catalogue in CATALOGUES.values():
        template = catalogue.get("note_" + n.problem, CATALOGUES["en"]["note_" + n.problem])
        assert "{detail}" not in template.replace("`{detail}`", ""), template
    line = note_lines([n])[0]
    assert line.startswith(f"`{n.key}`: ")
    assert "<script" not in line.lower() and "javascript:" not in line.lower(), line


def engine_accepts(cfg: config.PlaygroundConfig, lanes=None) -> None:
    """What the page runs for ``cfg`` is within the engine's ranges: ``run`` takes every lane (by
    default the Playground's, else ``lanes``: (optimizer, hyperparameters)) for one step; the step
    count is checked against the limit ``run`` applies."""
    assert 1 <= cfg.steps <= MAX_STEPS
    surface = cfg.surface_object()
    x0, x1, y0, y1 = surface.domain
    assert x0 <= cfg.start[0] <= x1 and y0 <= cfg.start[1] <= y1
    for oid, hyper in lanes or [(oid, lane_hyper(cfg, oid)[0]) for oid in cfg.optimizers]:
        options, _ = run_options(cfg, oid, surface)
        res = run(oid, surface, cfg.start, 1, hyper, **options)
        assert res.status in ("ok", "diverged", "escaped")


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENGINE_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ENGINE_FUZZ
@given(queries(PLAYGROUND_KEYS, ("surface", "opt", "sched", "seeds.on", "es.on", "expr")))
def test_playground_decode_survives_hostile_queries(query):
    cfg, _ = check_decoded(config.PLAYGROUND, query)
    engine_accepts(cfg)


@ENGINE_FUZZ
@given(queries(COMPARE_KEYS, ("surface", "opt", "sched", "cmp.mode", "cmp.n", "expr")))
def test_compare_decode_survives_hostile_queries(query):
    cc, _ = check_decoded(compare.COMPARE, query)
    assert cc.n_panels <= compare.MAX_MULTIPLES      # fewer than two: the page says "pick two" and stops
    for panel in compare.panel_configs(cc):
        engine_accepts(panel)


@ENGINE_FUZZ
@given(queries(SWEEP_KEYS, ("surface", "opt", "sched", "sw.mode", "sw.extra", "expr")))
def test_sweep_decode_survives_hostile_queries(query):
    sc, _ = check_decoded(sweep.SWEEP, query)
    engine_accepts(sc.base)
    try:
        sweep.check(sc)
    except sweep.SweepRefused as refused:       # shown next to its widget: a visible refusal
        assert refused.key.startswith("sw_")
        return
    assert sc.settings * sc.base.steps <= sweep.MAX_WORK
    for lo, hi in [sc.x_range] + ([sc.y_range] if sc.mode == "map" else []):
        assert math.isfinite(lo) and math.isfinite(hi) and lo < hi


@ENGINE_FUZZ
@given(queries(BASINS_KEYS, ("surface", "opt", "sched", "bas.n", "expr")))
def test_basins_decode_survives_hostile_queries(query):
    bc, _ = check_decoded(basins.BASINS, query)
    assert 1 <= bc.n_panels <= basins.MAX_PANELS and 10 <= bc.res <= basins.MAX_RES
    assert basins.RADIUS[1] <= bc.radius <= basins.RADIUS[2]
    engine_accepts(bc.base, bc.settings[:bc.n_panels])


@FUZZ
@given(queries(LESSONS_KEYS, ("lesson",)))
def test_lessons_decode_survives_hostile_queries(query):
    lc, _ = check_decoded(lessons.LESSON_PAGE, query)
    assert lc.lesson in lessons.BY_ID
    x0, x1, y0, y1 = lessons.base_scene(lc.current).surface_object().domain
    assert x0 <= lc.point[0] <= x1 and y0 <= lc.point[1] <= y1
    assert lessons.EMA_BETA[1] <= lc.ema_beta <= lessons.EMA_BETA[2]


@FUZZ
@given(queries(REFERENCE_KEYS))
def test_reference_decode_survives_hostile_queries(query):
    rc, _ = check_decoded(reference.REFERENCE, query)
    assert rc.focus == "" or rc.focus in OPTIMIZERS


# ---------------------------------------------------------------- the worst cases, pinned

WORST = [
    {"surface": ["custom"], "expr": ["<script>alert(1)</script>"]},
    {"surface": ["custom"], "expr": ["__import__('os').system('id')"]},
    {"surface": ["custom"], "expr": ["x" + "+x" * 320]},
    {"surface": ["custom"], "domain": ["nan,1,0,1"]},
    {"steps": ["1e309"], "seed": ["-1"], "noise": ["nan"], "x0": ["inf"]},
    {"opt": ["adam,<script>,adam"], "h.adam.lr": ["-inf"]},
    {"steps": ["10", "20000", "99999999"]},
    {"\x00": ["\x00"], "%2e%2e": ["%252e"], "<img src=x onerror=alert(1)>": ["1"]},
]


@pytest.mark.parametrize("query", WORST, ids=range(len(WORST)))
def test_worst_queries_fall_back_with_notes(query):
    cfg, notes = check_decoded(config.PLAYGROUND, query)
    assert notes, "a refused value must be noted"
    assert cfg.steps <= MAX_STEPS and cfg.surface in config.SURFACE_CHOICES


def test_a_number_with_more_digits_than_the_url_writes_reads_back_as_written():
    # found by the fuzz: 6.31378508955357e-118 was kept in full but written back with 10 digits,
    # so the rewritten URL described another configuration
    query = {"cmp.mode": ["settings"], "cmp.p1.weight_decay": ["6.31378508955357e-118"], "h.adam.lr": ["0.0123456789012"]}
    cc, notes = compare.decode(query)
    assert notes == []
    assert cc.settings[0][1]["weight_decay"] == 6.31378509e-118 and cc.base.hyper["adam"]["lr"] == 0.01234567890
    back, _ = compare.decode(compare.encode(cc))
    assert back == cc


# ---------------------------------------------------------------- forged widget values

WIDGET_VALUES = st.one_of(VALUES, st.floats(), st.integers(), st.booleans(), st.none(),
                          st.lists(st.one_of(st.text(max_size=10), st.floats(), st.integers()), max_size=5),
                          st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))


@FUZZ
@given(st.sampled_from(sorted({("playground", k) for k in PLAYGROUND_KEYS} | {("compare", k) for k in COMPARE_KEYS}
                              | {("sweep", k) for k in SWEEP_KEYS} | {("basins", k) for k in BASINS_KEYS})),
       WIDGET_VALUES)
def test_a_forged_widget_value_takes_the_default_or_a_valid_value(page_key, w):
    # a client that speaks Streamlit's protocol can send any value for a widget: ui.binding reads
    # it through Field.from_widget, which must never raise nor let an invalid value through
    page, key = page_key
    schema = {"playground": config.PLAYGROUND, "compare": compare.COMPARE, "sweep": sweep.SWEEP,
              "basins": basins.BASINS}[page]
    cfg = schema.defaults()
    rows = {}

    def value_of(f, v):
        rows[f.key] = (f, dict(v))
        return lookup(cfg, f.attr)
    schema.walk(value_of)
    if key not in rows:
        return                        # a row of another scene (another surface, optimizer, mode)
    f, v = rows[key]
    value = f.from_widget(w, v)
    assert value == f.default or f.kind.accepts(value), (key, w, value)


def test_a_link_with_thousands_of_junk_keys_draws_a_short_note():
    query = {f"junk{i}": ["1"] for i in range(3000)} | {f"<{i}>": ["1"] for i in range(3000)} | {"steps": ["0"]}
    cfg, notes = check_decoded(config.PLAYGROUND, query)
    lines = note_lines(notes)
    assert len(notes) == 6001 and len(lines) == MAX_NOTE_LINES + 1
    assert lines[:2] == ["`steps`: out of range", "`junk0`: unknown parameter"]
    assert lines[-1] == f"… and {1 + 3000 + 1 - MAX_NOTE_LINES} more"      # steps, junk*, one "…"
    assert sum(line.startswith("`…`") for line in lines) <= 1          # the same line once
