"""The Lessons page's parts: the row that walks the course, the lesson's scene (the Playground's or
Compare's own animated figure, or the lesson's special figure) and its texts, rules and measured
claim."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from lab import compare, config, lessons, readouts
from lab.compare import CompareConfig
from optim_core.catalogue import OPTIMIZERS
from viz.common import Panel
from viz.lessons import ema_figure

from . import binding, cache, present
from .controls import setting
from .fastfig import PrebuiltFigure
from .i18n import figure_text, lang, opt_name, t

CHART = {"displaylogo": False, "scrollZoom": False, "displayModeBar": False}
EMA_STEPS = 60


def title(lesson_id: str, lang_: str | None = None) -> str:
    return lessons.BY_ID[lesson_id].text(lang_ or lang())["title"]


def _go(lesson_id: str):
    st.session_state["w:lesson"] = lesson_id


def course_controls() -> None:
    """The row above the lesson: previous, the lesson list (numbered, in course order), next, and
    the button that opens the scene in the Playground or Compare for further play."""
    current = binding.value("lesson")
    before, after = lessons.neighbours(current)
    number = {lid: i + 1 for i, lid in enumerate(lessons.BY_ID)}
    cols = st.columns([1, 3.6, 1], vertical_alignment="bottom")     # the open link gets its own row: both fit at 1280 px
    cols[0].button(t("lesson_prev"), on_click=_go, args=(before,), disabled=not before, key="lesson_prev",
                   use_container_width=True)
    setting("lesson", t("lesson_pick"), container=cols[1],
            format_func=lambda lid: f"{number[lid]}. {t('chapter_' + lessons.BY_ID[lid].chapter)} · {title(lid)}")
    cols[2].button(t("lesson_next"), on_click=_go, args=(after,), disabled=not after, key="lesson_next",
                   use_container_width=True)
    lesson = lessons.BY_ID[current]
    scene = _scene_in_language(lesson)
    codec, target = (compare, "app_pages/compare.py") if lesson.page == "compare" else (config, "app_pages/playground.py")
    st.page_link(target, label=t("lesson_open_" + lesson.page), icon=":material/open_in_new:",
                      query_params=codec.encode(scene))


def _scene_in_language(lesson):
    scene = lesson.scene
    if isinstance(scene, CompareConfig):
        return replace(scene, base=replace(scene.base, lang=lang()))
    return replace(scene, lang=lang())


def heading(lesson, presenting: bool) -> None:
    i = [x.id for x in lessons.LESSONS].index(lesson.id) + 1
    st.markdown(f"### {i}. {lesson.text(lang())['title']}")
    st.caption(t("lesson_of", i=i, n=len(lessons.LESSONS), chapter=t("chapter_" + lesson.chapter)))


# ------------------------------------------------------------------ the figures

def scene_figure(container, lesson, presenting: bool) -> None:
    """The lesson's scene, animated, as the Playground or Compare draws it."""
    scene = _scene_in_language(lesson)
    text = figure_text()
    if isinstance(scene, CompareConfig):
        panels = cache.compare_race(scene)
        viz_panels = [Panel(present.panel_title(p), cache.surface(p.surface_key),
                            [(ln.optimizer, ln.result) for ln in p.lanes if ln.ok],
                            present.legend_labels(p.lanes, status=scene.mode != "surfaces"), scene.base.bands)
                      for p in panels]
        fig = cache.compare_main(scene, viz_panels, text, presenting)
    else:
        lanes = cache.race(scene)
        runs = [(ln.optimizer, ln.result) for ln in lanes if ln.ok]
        inside = None if presenting or not scene.inside_optimizer else scene.inside_optimizer
        if inside:
            text = text | {"inside_of": t("fig_inside_of", name=opt_name(inside))}
        fig = cache.main_figure(scene, cache.surface(scene.surface_key), runs, present.legend_labels(lanes), inside,
                                text, presenting)
    container.plotly_chart(PrebuiltFigure(fig), key="lesson_scene", config=CHART)


def ema_panel(container, lc, presenting: bool) -> None:
    """Lesson 17's chart: a constant signal, its raw and bias-corrected EMA, for the chosen β."""
    if not presenting:
        setting("ema.beta", "β", container=container, help=t("ema_beta_help"))
    steps = int(min(3000, max(EMA_STEPS, 3 * readouts.ema_window(lc.ema_beta))))     # three windows
    raw, corrected = readouts.ema_series([1.0] * steps, lc.ema_beta)
    container.plotly_chart(PrebuiltFigure(ema_figure(raw, corrected, lc.ema_beta, text=figure_text(),
                                                     present=presenting)), key="lesson_ema", config=CHART)


# ------------------------------------------------------------------ the words

@st.cache_data(max_entries=128, show_spinner=False)
def measured(lesson_id: str, lang_: str) -> tuple:
    """The lesson's claim on the engine's numbers (cached: the same for everyone)."""
    return lessons.BY_ID[lesson_id].check(lang=lang_)


def claim(lesson) -> None:
    holds, sentence = measured(lesson.id, lang())
    (st.success if holds else st.error)(t("lesson_measured_" + ("holds" if holds else "fails"), sentence=sentence),
                                        icon=":material/check_circle:" if holds else ":material/error:")


def watch(lesson) -> None:
    st.info(t("lesson_watch", text=lesson.text(lang())["watch"]), icon=":material/visibility:")


def explanation(lesson) -> None:
    st.markdown(lesson.text(lang())["text"])


def rules(lesson) -> None:
    """The update rules of the lesson's optimizers, for the variants the scene runs."""
    st.markdown(f"**{t('lesson_rules')}**")
    hyper = _scene_hyper(lesson.scene)
    for oid in lesson.rules:
        st.markdown(f"**{opt_name(oid)}**")
        st.latex(present.rule_of(oid, hyper.get(oid, OPTIMIZERS[oid].defaults())))


def _scene_hyper(scene) -> dict:
    if isinstance(scene, CompareConfig):
        if scene.mode == "settings":
            return {oid: hp for oid, hp in reversed(scene.settings)}     # the first panel's setting wins
        return dict(scene.base.hyper)
    return dict(scene.hyper)
