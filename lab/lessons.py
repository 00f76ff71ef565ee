"""The lessons: every phenomenon of the course notes as a ready-made scene with its claim, as data.

A :class:`Lesson` is a scene (a Playground or Compare configuration: surface, optimizers and
their hyperparameters, start, steps, noise, seed, schedule), the optimizers whose update rules it
shows, and its claim, computed from the engine's own numbers with the lesson's own settings:
``measure(scene)`` returns the numbers, ``claim(numbers)`` says whether the phenomenon shows in
them, and ``check()`` puts the two together with the lesson's measured sentence. The texts (title,
explanation, what to watch, the measured sentence's template) are in ``lab.lesson_book.text_en``
and ``text_zh``, by lesson id.

``LESSONS`` is the course, in order: first-order methods, momentum, adaptive methods, the Adam
family, second-order methods, practice. The lessons themselves are written in the chapter modules
of ``lab.lesson_book``; to add one, write its record there and its texts in both catalogues.

The record and the measuring helpers the chapters' ``measure`` functions are made of are in
``lab.lesson_book.kit``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .fields import Choice, Field, Flag, Note, Schema
from .lesson_book import CHAPTER_LESSONS, CHAPTERS
from .lesson_book.kit import FIGURES, Lesson  # noqa: F401 (the record, for whoever reads LESSONS)


# ---------------------------------------------------------------- the course, and its URL

LESSONS: list = [lesson for chapter in CHAPTERS for lesson in CHAPTER_LESSONS.get(chapter, ())]
BY_ID: dict = {lesson.id: lesson for lesson in LESSONS}
assert len(BY_ID) == len(LESSONS), "lesson ids must be unique"


def neighbours(lesson_id: str) -> tuple:
    """(previous id, next id) in the course; "" at either end."""
    ids = [lesson.id for lesson in LESSONS]
    i = ids.index(lesson_id)
    return (ids[i - 1] if i > 0 else "", ids[i + 1] if i + 1 < len(ids) else "")


@dataclass
class LessonsConfig:
    """What the Lessons page shows: the lesson, and the page's own few controls."""
    lang: str = None
    lesson: str = None
    present: bool = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        LESSON_PAGE.complete(self)

    @property
    def current(self) -> Lesson:
        return BY_ID[self.lesson]

    def key(self) -> str:
        return LESSON_PAGE.canonical(self)


def lessons_rows(v):
    from .config import LANGS
    yield Field("lang", "lang", "en", Choice(LANGS), view=True)
    yield Field("lesson", "lesson", LESSONS[0].id if LESSONS else "", Choice(tuple(BY_ID)))
    yield Field("present", "present", False, Flag(), view=True)


LESSON_PAGE = Schema(lessons_rows, lambda d: LessonsConfig(**d))


def decode(query) -> tuple[LessonsConfig, list[Note]]:
    return LESSON_PAGE.decode(query)


def encode(cfg: LessonsConfig) -> dict:
    return LESSON_PAGE.encode(cfg)
