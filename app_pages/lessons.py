"""Lessons: every phenomenon of the course notes as a ready-made scene, its claim measured on the
engine's own numbers."""
import streamlit as st

from ui import lesson_tools, lesson_view, page

frame = page.start("lessons", above=lesson_view.course_controls)
lc, presenting = frame.cfg, frame.presenting
lesson = lc.current

with frame.notes:
    lesson_view.heading(lesson, presenting)
    lesson_view.watch(lesson)
if lesson.figure == "hessian":
    lesson_tools.hessian_panel(frame.main, lc, lesson, presenting)
    lesson_view.scene_figure(st.container(), lesson, presenting)
elif lesson.figure == "ema":
    lesson_view.ema_panel(frame.main, lc, presenting)
    lesson_view.scene_figure(st.container(), lesson, presenting)
else:
    lesson_view.scene_figure(frame.main, lesson, presenting)
    if lesson.figure == "convexity":
        lesson_tools.convexity_panel(st.container(), lc, lesson, presenting)
lesson_view.claim(lesson)
if not presenting:
    left, right = st.columns([3, 2])
    with left:
        lesson_view.explanation(lesson)
    with right:
        lesson_view.rules(lesson)
