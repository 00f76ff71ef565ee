"""Sweep: one metric over a grid of settings, one curve per optimizer, or fair tuning."""
import streamlit as st

from lab import sweep
from ui import page, present, sweep_view, toolbars
from ui.i18n import figure_text, t

frame = page.start("sweep", above=toolbars.sweep_controls)
sc, presenting = frame.cfg, frame.presenting
try:
    sweep.check(sc)
except sweep.SweepRefused as e:   # said next to the widget that can fix it; nothing to draw until then
    (frame.controls or {}).get(e.widget, frame.notes).error(
        t(e.key, **{k: present.fmt_num(v, 6) for k, v in e.values.items()}))
    st.stop()

show = {"map": sweep_view.show_map, "line": sweep_view.show_lines, "tune": sweep_view.show_tuning}[sc.mode]
show(frame, sc, figure_text(), presenting)
