"""Reference: every optimizer of the engine's catalogue — its rule per variant, hyperparameters,
source paper, what the course notes and torch.optim say — with links to try it and to its lessons."""
import streamlit as st

from lab import reference
from lab.lessons import LESSONS
from ui import page, reference_view
from ui.i18n import t

frame = page.start("reference", above=reference_view.focus_control)
rc = frame.cfg
with frame.notes:
    st.markdown(t("ref_intro"))
for family in reference.FAMILIES:
    st.markdown(f"##### {t('ref_family_' + family.replace('-', '_'))}")
    for e in reference.entries(LESSONS):
        if e.family == family:
            reference_view.entry(e, expanded=e.id == rc.focus)
