"""The lessons' texts in English, by lesson id: title, text (the explanation), watch (what to
look at) and measured (the template of the measured sentence, filled with the lesson's numbers)."""
from importlib import import_module

TEXTS: dict = {}
for _name in ("first_order", "momentum", "adaptive", "adam_family", "second_order", "practical"):
    try:       # TODO(issue 18): drafts while the chapters are being written; then one literal
        TEXTS.update(import_module(f"lab.lesson_book.drafts.{_name}_en").TEXTS)
    except ModuleNotFoundError as e:
        if not e.name.startswith("lab.lesson_book.drafts"):
            raise
