"""The Lessons page through streamlit.testing.v1.AppTest (no browser): every lesson renders in both
languages with its measured claim, its special figure, and a link that opens its scene."""
from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from lab import compare, config, lessons

from .apptest_pages import compiled_engine, open_page, query_of, specs  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("compiled_engine")
IDS = [lesson.id for lesson in lessons.LESSONS]


def _texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [m.value for m in at.success] + [m.value for m in at.info]
                    + [m.value for m in at.caption])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("lesson_id", IDS)
def test_every_lesson_renders_with_its_claim_in_both_languages(lesson_id, lang):
    lesson = lessons.BY_ID[lesson_id]
    at = open_page("lessons", {"lesson": lesson_id, "lang": lang})
    assert not at.exception and not at.error
    text = _texts(at)
    assert lesson.text(lang)["title"] in text
    holds, sentence = lesson.check(lang=lang)
    assert holds and sentence in " ".join(m.value for m in at.success)
    figures = specs(at)
    assert figures and all(f["data"] for f in figures)
    if lesson.figure == "hessian":
        assert any(tr.get("name") == "pick" for tr in figures[0]["data"])
    if lesson.figure == "convexity":
        # one image per panel: the map with its not-PSD region shaded in (plotly.js keys its images by
        # position, so a second image in the same place would not be drawn)
        assert any(len(f["layout"].get("images", [])) == 2 and "%" in str(f["layout"].get("annotations"))
                   for f in figures)


@pytest.mark.parametrize("lesson_id", IDS)
def test_the_open_link_carries_the_lessons_scene(lesson_id):
    lesson = lessons.BY_ID[lesson_id]
    at = open_page("lessons", {"lesson": lesson_id})
    from ui.strings_en import STRINGS          # the Playground is the default page: its link names no page
    (link,) = [p for p in at.get("page_link") if p.proto.label == STRINGS["lesson_open_" + lesson.page]]
    codec = compare if lesson.page == "compare" else config
    target = codec.encode(lesson.scene)
    query = dict(parse_qsl(link.proto.query_string))
    decoded, notes = codec.decode(query)
    assert notes == [] and decoded == lesson.scene and query.keys() >= target.keys()


def test_a_bad_lesson_id_falls_back_to_the_first_lesson_with_a_note():
    at = open_page("lessons", {"lesson": "no-such-lesson"})
    assert not at.exception
    assert query_of(at).get("lesson") is None            # the default: not written
    assert any("lesson" in w.value for w in at.warning)
    assert lessons.LESSONS[0].text("en")["title"] in _texts(at)


def test_next_walks_the_course():
    at = open_page("lessons", {"lesson": IDS[0]})
    at.button(key="lesson_next").click().run()
    assert query_of(at).get("lesson") == IDS[1]


def test_presentation_mode_shows_the_figure_and_claim_without_the_controls():
    at = open_page("lessons", {"lesson": IDS[1], "present": "1"})
    assert not at.exception
    assert specs(at) and at.success
    assert not [b for b in at.button if b.key in ("lesson_prev", "lesson_next")]


# ---------- the lessons' tools on a function of one's own ----------

def test_the_hessian_tool_reads_a_typed_function_from_the_link():
    at = open_page("lessons", {"lesson": "critical_points", "own": "1", "expr": "x^2 - 3*y^2 + x*y",
                               "domain": "-2,2,-2,2", "pt.x": "0", "pt.y": "0"})
    assert not at.exception and not at.error
    fig = specs(at)[0]
    assert fig["layout"]["xaxis"]["range"][0] >= -2.5 and fig["layout"]["xaxis"]["range"][1] <= 2.5
    text = _texts(at)
    # H = [[2, 1], [1, -6]]: eigenvalues -6.12 and 2.12, a saddle at the origin
    assert "-6.123" in text and "2.123" in text
    assert r"H=\begin{pmatrix}2 & 1\\ 1 & -6\end{pmatrix}" in " ".join(m.value for m in at.get("latex"))
    assert query_of(at)["own"] == "1" and query_of(at)["expr"] == "x^2 - 3*y^2 + x*y"
    # the lesson's texts speak of its own surface: the page says which function the tool reads
    assert r"f(x, y) = {x}^{2} - 3 {y}^{2} + x \cdot y" in " ".join(m.value for m in at.get("latex"))


def test_typing_a_function_into_the_hessian_tool_redraws_it():
    at = open_page("lessons", {"lesson": "critical_points"})
    at.toggle(key="w:own").set_value(True).run()
    at.text_input(key="w:expr").set_value("exp(x) + y^4").run()
    assert not at.exception and not at.error
    assert query_of(at)["expr"] == "exp(x) + y^4"
    assert "hess_kind" not in _texts(at)
    at.text_input(key="w:expr").set_value("x^2 + import(y)").run()
    assert not at.exception
    assert any("import" in e.value for e in at.error)        # the refusal, next to the box


def test_the_hessian_tool_says_where_a_typed_function_is_undefined():
    at = open_page("lessons", {"lesson": "critical_points", "own": "1", "expr": "log(x) + y^2",
                               "domain": "-1,3,-2,2", "pt.x": "-0.5", "pt.y": "0"})
    assert not at.exception
    from ui.strings_en import STRINGS
    assert any(STRINGS["tool_undefined"] in w.value for w in at.warning)


def test_the_convexity_tool_maps_a_typed_function():
    at = open_page("lessons", {"lesson": "convexity", "own": "1", "expr": "x^4 - 2*x^2 + y^2", "domain": "-2,2,-2,2"})
    assert not at.exception and not at.error
    titles = [a["text"] for f in specs(at) for a in f["layout"].get("annotations", []) if "PSD" in a.get("text", "")]
    (title,) = titles                                       # one panel: the typed function's
    # λ_min = min(12x² − 4, 2): PSD where |x| ≥ 1/√3, on the tool's 81-point grid
    import numpy as np
    xs = np.linspace(-2, 2, 81)
    assert "Your own function" in title and f"PSD on {100 * np.mean(12 * xs**2 - 4 >= 0):.0f} %" in title


def test_a_refused_function_in_a_lesson_link_keeps_the_lessons_surface_with_a_note():
    at = open_page("lessons", {"lesson": "critical_points", "own": "1", "expr": "__import__('os')"})
    assert not at.exception
    from ui.strings_en import STRINGS
    warnings = " ".join(w.value for w in at.warning)
    assert STRINGS["note_own_fallback"] in warnings and "__import__" not in warnings
    assert "own" not in query_of(at)
