"""The lessons, one module per chapter of the course (each a list ``LESSONS`` of
``kit.Lesson``), and their texts in ``text_en`` / ``text_zh``. ``lab.lessons`` puts the chapters
in course order."""
from . import adam_family, adaptive, first_order, momentum, practical, second_order

CHAPTERS = ("first_order", "momentum", "adaptive", "adam_family", "second_order", "practical")
CHAPTER_LESSONS = {module.CHAPTER: module.LESSONS
                   for module in (first_order, momentum, adaptive, adam_family, second_order, practical)}
