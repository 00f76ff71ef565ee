"""The lessons, one module per chapter of the course (each a list ``LESSONS`` of
``kit.Lesson``), and their texts in ``text_en`` / ``text_zh``. ``lab.lessons`` puts the chapters
in course order."""
from importlib import import_module

CHAPTERS = ("first_order", "momentum", "adaptive", "adam_family", "second_order", "practical")

CHAPTER_LESSONS = {}
for _name in CHAPTERS:
    try:       # TODO(issue 18): while the chapters are being written; then plain imports
        CHAPTER_LESSONS[_name] = import_module(f".{_name}", __name__).LESSONS
    except ModuleNotFoundError as e:
        if e.name != f"{__name__}.{_name}":
            raise
