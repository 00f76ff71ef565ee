"""The Reference page through streamlit.testing.v1.AppTest (no browser): every optimizer of the
catalogue with its rules, paper, the notes' remarks and torch.optim's differences, in both
languages, and its "try it" link into the Playground."""
from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from lab import config, reference
from optim_core.catalogue import OPTIMIZERS

from .apptest_pages import compiled_engine, open_page  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("compiled_engine")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_reference_lists_every_optimizer_with_its_paper(lang):
    at = open_page("reference", {"lang": lang, "opt": "adam"})
    assert not at.exception and not at.error
    assert len(at.expander) == len(OPTIMIZERS)
    text = " ".join(m.value for m in at.markdown)
    assert "1412.6980" in text                       # Adam's arXiv id, from the catalogue
    assert len(at.latex) >= len(OPTIMIZERS)
    from ui import strings_en, strings_zh
    strings = (strings_zh if lang == "zh" else strings_en).STRINGS
    for oid in OPTIMIZERS:                           # the notes' remarks and torch's differences, per entry
        assert strings[f"ref.{oid}.notes"] in text and strings[f"ref.{oid}.torch"] in text


def test_try_it_opens_the_optimizer_in_the_playground_without_a_note():
    at = open_page("reference", {"opt": "rmsprop"})
    from ui.strings_en import STRINGS          # the Playground is the default page: its link names no page
    links = [p.proto for p in at.get("page_link") if p.proto.label == STRINGS["ref_try"]]
    assert len(links) == len(OPTIMIZERS)
    query = dict(parse_qsl(links[0].query_string))
    cfg, notes = config.decode(query)
    assert notes == [] and cfg.optimizers == reference.try_it(next(iter(OPTIMIZERS))).optimizers


def test_lesson_links_name_the_lessons_that_use_the_optimizer():
    from lab.lessons import LESSONS
    at = open_page("reference", {"opt": "adagrad"})
    lesson_links = {p.proto.query_string for p in at.get("page_link") if p.proto.page == "lessons"}
    uses = {lesson.id for lesson in LESSONS if "adagrad" in lesson.optimizers}
    assert uses and all(any(f"lesson={lid}" in q for q in lesson_links) for lid in uses)
