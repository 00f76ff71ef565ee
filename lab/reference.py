"""The optimizer Reference page as data, generated from the engine's catalogue (so it cannot drift
from the engine): per optimizer its family, update rule per variant, hyperparameters with defaults
and ranges (and the course notes' default where it differs), source paper, and the lessons that
use it. The words about the notes and torch.optim are UI strings (``ref.<id>.notes``,
``ref.<id>.torch``)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from optim_core.catalogue import OPTIMIZER_LIST, OPTIMIZERS

from .config import PlaygroundConfig, default_inside
from .fields import Choice, Field, Flag, Note, Schema

FAMILIES = ("basic", "momentum", "adaptive", "second-order")


class HyperRow(NamedTuple):
    name: str
    default: object
    allowed: str          # "[lo, hi]" (log) or the choices
    notes_default: object  # the course notes' default where it differs, else None


class Entry(NamedTuple):
    id: str
    name: str
    family: str
    rules: tuple          # (variant label, LaTeX): "" for the default rule
    hyper: tuple          # HyperRow
    paper: str
    lessons: tuple        # ids of the lessons that use it, in course order


def _allowed(h) -> str:
    if h.is_choice:
        return " | ".join(str(c) for c in h.choices)
    span = f"[{h.min:g}, {h.max:g}]"
    return span + (" (log)" if h.log else "") + (", integer" if h.integer else "")


def _rules(spec) -> tuple:
    """(label, LaTeX) per variant, the default first: its label names the default of every choice
    ("eps_placement=outside"; "" for an optimizer without variants), the others the one choice
    that differs."""
    choices = [h for h in spec.hyper if h.is_choice]
    out = [(", ".join(f"{h.name}={h.default}" for h in choices), spec.rule)]
    for h in choices:
        out += [(f"{h.name}={value}", spec.variant_rules[value]) for value in h.choices
                if value != h.default and value in spec.variant_rules]
    return tuple(out)


def entries(lessons: list = ()) -> list[Entry]:
    """Every catalogue optimizer, families in FAMILIES order; ``lessons``: the course (``lab.lessons.LESSONS``)."""
    out = []
    for spec in sorted(OPTIMIZER_LIST, key=lambda s: FAMILIES.index(s.family)):
        notes = getattr(spec, "notes_defaults", {}) or {}
        hyper = tuple(HyperRow(h.name, h.default, _allowed(h), notes.get(h.name)) for h in spec.hyper)
        used = tuple(lesson.id for lesson in lessons if spec.id in lesson.optimizers)
        out.append(Entry(spec.id, spec.name, spec.family, _rules(spec), hyper,
                         getattr(spec, "paper", "") or spec.source, used))
    return out


def try_it(oid: str) -> PlaygroundConfig:
    """The Playground scene a "try it" link opens: this optimizer with SGD beside it, its inner
    state shown."""
    opts = (oid,) if oid == "sgd" else ("sgd", oid)
    return replace(PlaygroundConfig(), optimizers=opts, inside=default_inside((oid,)))


@dataclass
class ReferenceConfig:
    lang: str = None
    focus: str = None          # the optimizer opened first ("": none)
    present: bool = None

    def __post_init__(self):
        REFERENCE.complete(self)

    def key(self) -> str:
        return REFERENCE.canonical(self)


def reference_rows(v):
    from .config import LANGS
    yield Field("lang", "lang", "en", Choice(LANGS), view=True)
    yield Field("opt", "focus", "", Choice(("",) + tuple(OPTIMIZERS)), view=True)
    yield Field("present", "present", False, Flag(), view=True)


REFERENCE = Schema(reference_rows, lambda d: ReferenceConfig(**d))


def decode(query) -> tuple[ReferenceConfig, list[Note]]:
    return REFERENCE.decode(query)


def encode(cfg: ReferenceConfig) -> dict:
    return REFERENCE.encode(cfg)
