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

from dataclasses import dataclass

import surfaces

from .compare import CompareConfig
from .config import DEFAULT_DOMAIN, DEFAULT_EXPR, DOMAIN_WIDGET, LANGS, Domain, Expression, typed_fallback
from .fields import Choice, Field, Flag, Note, Number, Schema
from .lesson_book import CHAPTER_LESSONS, CHAPTERS
from .lesson_book.kit import FIGURES, Lesson  # noqa: F401 (the record, for whoever reads LESSONS)


# ---------------------------------------------------------------- the course, and its URL

LESSONS: list = [lesson for chapter in CHAPTERS for lesson in CHAPTER_LESSONS[chapter]]
BY_ID: dict = {lesson.id: lesson for lesson in LESSONS}
assert len(BY_ID) == len(LESSONS), "lesson ids must be unique"


def neighbours(lesson_id: str) -> tuple:
    """(previous id, next id) in the course; "" at either end."""
    ids = [lesson.id for lesson in LESSONS]
    i = ids.index(lesson_id)
    return (ids[i - 1] if i > 0 else "", ids[i + 1] if i + 1 < len(ids) else "")


EMA_BETA = (0.9, 0.0, 0.999)        # the EMA chart's β: default, min, max


def base_scene(lesson: Lesson):
    """The Playground configuration of a lesson's scene (a Compare scene's base)."""
    return lesson.scene.base if isinstance(lesson.scene, CompareConfig) else lesson.scene


TOOLS = ("hessian", "convexity")    # the lessons' figures that also read a function of one's own


@dataclass
class LessonsConfig:
    """What the Lessons page shows: the lesson, and its special figure's own controls (the EMA
    chart's β, the point whose Hessian is read out; the Hessian and convexity tools on one's own
    typed function, ``own``, instead of the lesson's surface)."""
    lang: str = None
    lesson: str = None
    present: bool = None
    ema_beta: float = None
    own: bool = None
    expr: str = None
    domain: tuple = None
    point: tuple = None

    def __post_init__(self):
        LESSON_PAGE.complete(self)

    @property
    def current(self) -> Lesson:
        return BY_ID[self.lesson]

    def tool_surface(self):
        """The typed surface the lesson's tool reads (``surfaces.custom``), or None: the lesson's own."""
        if self.own and self.current.figure in TOOLS:
            return surfaces.custom(self.expr, self.domain)
        return None

    def key(self) -> str:
        return LESSON_PAGE.canonical(self)


def lessons_rows(v):
    """The Lessons page's settings: the language, the lesson, presentation mode, and the controls
    of the lesson's special figure (they apply only to a lesson that has that figure)."""
    yield Field("lang", "lang", "en", Choice(LANGS), view=True)
    yield Field("lesson", "lesson", LESSONS[0].id, Choice(tuple(BY_ID)))
    lesson = BY_ID[v["lesson"]]
    yield Field("present", "present", False, Flag(), view=True)
    yield Field("ema.beta", "ema_beta", EMA_BETA[0], Number(*EMA_BETA[1:]), view=True, applies=lesson.figure == "ema")
    tools = lesson.figure in TOOLS
    yield Field("own", "own", False, Flag(), view=True, applies=tools)
    own = tools and v["own"]
    yield Field("expr", "expr", DEFAULT_EXPR, Expression(), view=True, applies=own)
    yield Field("domain", "domain", DEFAULT_DOMAIN, Domain(), view=True, applies=own, widget=DOMAIN_WIDGET)
    if own:
        typed = surfaces.custom(v["expr"], v["domain"])
        (x0, x1, y0, y1), start = typed.domain, typed.start
    else:
        scene = base_scene(lesson)
        (x0, x1, y0, y1), start = scene.surface_object().domain, scene.start
    hessian = lesson.figure == "hessian"
    yield Field("pt.x", "point.0", float(start[0]), Number(x0, x1), view=True, applies=hessian)
    yield Field("pt.y", "point.1", float(start[1]), Number(y0, y1), view=True, applies=hessian)


def own_fallback(q: dict, notes: list) -> dict:
    """A link whose own function or box is refused shows the lesson's own surface, with a note."""
    if q.get("own", "").lower() not in ("1", "true"):
        return q
    return typed_fallback(q, notes, ("own", "expr", "domain", "pt.x", "pt.y"), "own_fallback")


LESSON_PAGE = Schema(lessons_rows, lambda d: LessonsConfig(**d), prepare=own_fallback)


def decode(query) -> tuple[LessonsConfig, list[Note]]:
    """The Lessons page's configuration a query describes, and notes on what was not used. Never
    raises."""
    return LESSON_PAGE.decode(query)


def encode(cfg: LessonsConfig) -> dict:
    return LESSON_PAGE.encode(cfg)


def markdown_table(lang: str = "en") -> str:
    """The course as a Markdown table (number, id, title, what was measured): the README's table
    of lessons is this, pasted (``python -m lab.lessons``)."""
    lines = ["| # | id | lesson | measured with the lesson's own settings |", "|---|---|---|---|"]
    for i, lesson in enumerate(LESSONS, 1):
        holds, sentence = lesson.check(lang=lang)
        mark = "" if holds else " (does not hold!)"
        lines.append(f"| {i} | `{lesson.id}` | {lesson.text(lang)['title']} | {sentence}{mark} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
