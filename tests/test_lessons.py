"""The lessons' catalogue: every claim holds on the engine's own numbers with the lesson's own
settings, fails on its counter-scene (the claim can fail), opens as a clean URL, and has its texts
in both languages, written for this product (not copied from the course notes)."""
import re
from pathlib import Path

import pytest

import surfaces
from lab import compare, config, lessons
from lab.lesson_book import text_en, text_zh

IDS = [lesson.id for lesson in lessons.LESSONS]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TEXT_KEYS = {"title", "text", "watch", "measured"}


@pytest.fixture(scope="module", params=IDS)
def lesson(request):
    return lessons.BY_ID[request.param]


@pytest.fixture(scope="module")
def measured(lesson):
    return lesson.check()


def test_the_course_has_every_lesson_of_the_issue_in_chapter_order():
    assert len(IDS) >= 37
    chapters = [lesson.chapter for lesson in lessons.LESSONS]
    assert chapters == sorted(chapters, key=lessons.CHAPTERS.index)


def test_the_claim_holds_with_the_lessons_own_settings(lesson, measured):
    holds, sentence = measured
    assert holds, f"{lesson.id}: {sentence}"
    assert sentence and "{" not in sentence


def test_the_claim_fails_without_the_phenomenon(lesson):
    assert lesson.counter is not None, f"{lesson.id} has no counter-scene"
    holds, sentence = lesson.check(scene=lesson.counter(lesson.scene))
    assert not holds, f"{lesson.id}'s claim also holds on its counter-scene: {sentence}"


def test_the_scene_opens_as_a_url_with_no_fallback_note(lesson):
    codec = compare if lesson.page == "compare" else config
    decoded, notes = codec.decode(codec.encode(lesson.scene))
    assert notes == []
    assert decoded == lesson.scene


def test_the_rules_name_catalogue_optimizers_the_scene_runs(lesson):
    from optim_core.catalogue import OPTIMIZERS
    assert lesson.rules and all(oid in OPTIMIZERS for oid in lesson.rules)


@pytest.mark.parametrize("texts", [text_en.TEXTS, text_zh.TEXTS], ids=["en", "zh"])
def test_every_lesson_has_all_its_texts(texts, lesson, measured):
    entry = texts[lesson.id]
    assert set(entry) == TEXT_KEYS
    assert all(isinstance(v, str) and v.strip() for v in entry.values())
    assert len(entry["title"]) <= 70


def test_the_chinese_texts_are_chinese_and_the_measured_sentence_fills_in_both(lesson):
    zh = text_zh.TEXTS[lesson.id]
    assert re.search(r"[\u4e00-\u9fff]", zh["title"] + zh["text"] + zh["watch"])
    holds_zh, sentence_zh = lesson.check(lang="zh")
    assert "{" not in sentence_zh and re.search(r"[\u4e00-\u9fff]", sentence_zh)


def test_no_text_is_copied_from_the_course_notes():
    """No 16-character run of a lesson text (spaces and punctuation aside) appears in the notes."""
    if not SEEDS.is_dir():
        pytest.skip(f"the course notes are not at {SEEDS}")
    squeeze = re.compile(r"[\s\W_]+")
    notes = squeeze.sub("", "".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")))
    copied = []
    for texts in (text_en.TEXTS, text_zh.TEXTS):
        for lid, entry in texts.items():
            for key, value in entry.items():
                s = squeeze.sub("", value)
                for i in range(0, max(0, len(s) - 15)):
                    if s[i:i + 16] in notes:
                        copied.append((lid, key, s[i:i + 16]))
                        break
    assert copied == []


def test_previous_and_next_walk_the_course():
    first, last = IDS[0], IDS[-1]
    assert lessons.neighbours(first)[0] == "" and lessons.neighbours(last)[1] == ""
    for a, b in zip(IDS, IDS[1:]):
        assert lessons.neighbours(a)[1] == b and lessons.neighbours(b)[0] == a


# ---------- the tools' own function in the URL ----------

def test_a_lessons_own_function_round_trips_through_the_url():
    q = {"lesson": "critical_points", "own": "1", "expr": "x^2 - y^2", "domain": "-2,2,-1,1", "pt.x": "0.5"}
    cfg, notes = lessons.decode(q)
    assert notes == [] and cfg.own and cfg.expr == "x^2 - y^2" and cfg.domain == (-2.0, 2.0, -1.0, 1.0)
    assert cfg.tool_surface().key == surfaces.custom("x^2 - y^2", (-2, 2, -1, 1)).key
    assert lessons.decode(lessons.encode(cfg)) == (cfg, [])
    # the point's range is the typed function's box
    cfg, notes = lessons.decode({**q, "pt.y": "1.5"})
    assert [n.key for n in notes] == ["pt.y"]


def test_the_own_function_applies_only_to_the_lessons_with_a_tool():
    cfg, notes = lessons.decode({"lesson": "momentum_valley", "own": "1", "expr": "x^2"})
    assert cfg.tool_surface() is None and "own" not in lessons.encode(cfg)


def test_a_refused_own_function_falls_back_with_a_note_that_does_not_echo_it():
    cfg, notes = lessons.decode({"lesson": "convexity", "own": "1", "expr": "<script>x</script>"})
    assert not cfg.own and cfg.tool_surface() is None
    assert {n.problem for n in notes} >= {"own_fallback"}
    assert all("<script" not in (n.detail or "") for n in notes)
