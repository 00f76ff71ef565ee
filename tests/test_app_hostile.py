"""Every page of the app opened from hostile links (issue 17, hostile input), through AppTest.

For each link: no exception element, no traceback text in anything rendered (main area and
sidebar, every element's content), and where the page's decoder refused a value, a visible note
that names the parameter (and never shows the raw value). The links are the worst cases of the
decoder fuzz (tests/test_hostile_urls.py) and of the engine fuzz (tests/test_fuzz_engine.py: a
typed function undefined at the start), sent as a browser would (repeated keys, percent signs,
NUL bytes, unicode). One AppTest per page reads its links in turn, each a new URL that the page
decodes like a pasted link, so the whole file costs about one page run per link.
"""
from __future__ import annotations

import pytest

from tests.apptest_pages import compiled_engine, open_page  # noqa: F401  (a fixture)
from ui.binding import SCHEMAS
from ui.present import MAX_NOTE_LINES

SCRIPT = "<script>alert(1)</script>"
COMMON = [
    {SCRIPT: "1", "junk": "x", "a" * 200: "b" * 10_000},
    # many junk keys (Streamlit itself ignores a query string of more than 1000 parameters)
    {f"junk{i}": "1" for i in range(900)} | {"steps": "0"},
    {"steps": "1e309", "seed": "-1", "noise": "nan", "x0": "inf", "y0": "-inf"},
    {"opt": f"adam,{SCRIPT},adam", "h.adam.lr": "-inf", "h.adam.beta1": "1e308"},
    {"surface": "custom", "expr": SCRIPT},
    {"surface": "custom", "expr": "__import__('os').system('id')", "domain": "nan,1,0,1"},
    # the engine fuzz's worst case: a typed function undefined (-inf) at the start
    {"surface": "custom", "expr": "log(x*y) + 0.1*(x^2 + y^2)", "x0": "0", "y0": "0", "opt": "sgd,adam,newton"},
    {"lang": "zh", "surface": "custom", "expr": "1/x + sqrt(y)", "domain": "-1e4,1e4,-1e4,1e4"},
    {"steps": ["10", "20000", "99999999"], "lang": ["en", "\x00"], "opt": ["sgd", "%00"]},
    {"%2e%2e": "%252e%252e%252f", "sched": "step", "sched.every": "0", "sched.gamma": "1.5", "arrows": "../.."},
    {"lrmode": "shared", "lr": "1e-320", "tol": "1e3", "step": "-5", "bands": "1000", "inside": "<b>x</b>"},
    {"surface": "noisy_bowl", "s.n_samples": "5000", "batch": "5001", "s.spread": "inf", "s.data_seed": "-1"},
    {"surface": "ｖａｌｌｅｙ", "opt": "☃,🙂", "present": "2", "es.on": "1", "es.patience": "0", "es.delta": "nan"},
]
OWN = {
    "playground": [{"opt": "none", "view3d": "1", "seeds.on": "1", "seeds.k": "100000"},
                   {"underflow": "1", "opt": "adam,adagrad", "noise": "10", "steps": "20000"}],
    "compare": [{"cmp.mode": "settings", "cmp.n": "9", "cmp.p1.opt": "<b>x</b>", "cmp.p2.lr": "nan"},
                {"cmp.mode": "multiples", "opt": "none"},
                {"cmp.mode": "surfaces", "cmp.surfaces": "beale,beale,nope,saddle,valley"}],
    "sweep": [{"sw.mode": "line", "opt": "newton,sgd", "sw.res": "2"},
              {"sw.mode": "map", "sw.x.lo": "10", "sw.x.hi": "1e-6", "sw.opt": SCRIPT},
              {"sw.mode": "tune", "sw.n": "1e9", "sw.obj": "distance", "surface": "custom", "expr": "x + y"}],
    "basins": [{"bas.res": "1e9", "bas.n": "0", "bas.p1.opt": "nope", "bas.radius": "-1", "steps": "20"},
               {"bas.p1.lr": "inf", "bas.p2.opt": "newton", "surface": "custom", "expr": "log(x) + y^2",
                "domain": "-2,2,-2,2"}],
    "lessons": [{"lesson": SCRIPT}, {"lesson": "newton_saddle", "pt.x": "nan", "pt.y": "1e308", "ema.beta": "1"}],
    "reference": [{"opt": SCRIPT}, {"opt": "adam", "lang": "fr", "present": "yes"}],
}
# a grid page keeps its grid small unless the link itself sets its size (the decoder is what is tested)
SMALL = {"sweep": {"sw.res": "5", "steps": "50"}, "basins": {"bas.res": "10", "steps": "50"}}
TRACEBACK = ('Traceback (most recent call last)', 'File "/', '.py", line', "TypeError", "KeyError", "IndexError",
             "AttributeError", "ZeroDivisionError", "NameError", "StreamlitAPIException")
CASES = [(page, q) for page in OWN for q in COMMON + OWN[page]]


def _rendered(node) -> list[str]:
    """The content of every element under ``node`` (its protobuf as text)."""
    out = [str(node.proto)] if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        out += _rendered(child)
    return out


@pytest.fixture(scope="module")
def pages(compiled_engine):  # noqa: F811
    return {}


def _decoded(page: str, query: dict):
    return SCHEMAS[page].decode({k: v if isinstance(v, list) else [v] for k, v in query.items()})


def _lang(page: str, query: dict) -> str:
    schema = SCHEMAS[page]
    return dict((f.key, v) for f, v in schema.values(_decoded(page, query)[0]))["lang"]


def _open(pages: dict, page: str, query: dict):
    """The page for ``query``, on the page's AppTest. A new one when the language changes: AppTest
    would replay the last run's selectbox values, whose option labels were in the other language
    (a browser reloads the page with a new link instead)."""
    query = SMALL.get(page, {}) | query
    lang = _lang(page, query)
    at = pages.get(page)
    if at is None or pages.get(page + ":lang") != lang:
        at = pages[page] = open_page(page, SMALL.get(page, {}))
    pages[page + ":lang"] = lang
    for k in list(at.query_params):
        del at.query_params[k]
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


@pytest.mark.parametrize("page,query", CASES, ids=[f"{p}-{i}" for p, i in
                                                   ((p, i) for p in OWN for i in range(len(COMMON) + len(OWN[p])))])
def test_a_hostile_link_renders_without_a_traceback_and_says_what_it_refused(pages, page, query):
    at = _open(pages, page, query)
    assert not at.exception, [e.value for e in at.exception]
    rendered = "\n".join(_rendered(at._tree))
    for marker in TRACEBACK:
        assert marker not in rendered, marker
    assert "<script" not in rendered.lower()
    _, notes = _decoded(page, SMALL.get(page, {}) | query)
    if notes:
        warnings = "\n".join(str(w.value) for w in at.warning)
        shown = list(dict.fromkeys((n.key, n.problem, n.detail, n.at) for n in notes))[:MAX_NOTE_LINES]
        for key, *_ in shown:
            assert f"`{key}`" in warnings, (key, warnings)
