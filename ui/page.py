"""The frame every page opens with: ``start(page)`` draws the shared parts (style, sidebar,
header, the page's control rows) and returns the page's configuration, already published to
the URL (a page cannot forget) and with the URL's notes shown. A page then only computes and
draws its own content, into ``frame.main`` and below."""
from __future__ import annotations

from typing import Callable, NamedTuple

import streamlit as st

from lab.warmup import is_ready

from . import binding, present, sidebar, state, style, toolbars
from .i18n import opt_name, t


class Frame(NamedTuple):
    cfg: object                 # the page's configuration (lab.config / lab.compare)
    presenting: bool            # presentation mode: the figure alone, projector sizes
    notes: object               # a container above the figure, for notes and refusals
    main: object                # the container of the figure
    controls: object = None     # what the page's ``above`` returned (e.g. where to put a refusal)

    def refusals(self, lanes, late=()) -> None:
        """A lane the engine refused (a value out of its range) is named above the figure; so are,
        on a server's first start, the optimizers whose kernels (``late``: (optimizer, kind)
        pairs) are still compiling, and the page reruns by itself as each one gets ready."""
        for ln in lanes:
            if not ln.ok:
                self.notes.error(t("engine_refused", name=opt_name(ln.optimizer), message=ln.error))
        if late:
            names = t("list_sep").join(opt_name(o) for o in dict.fromkeys(oid for oid, _ in late))
            self.notes.info(t("joining", names=names), icon=":material/hourglass_top:")
            _rerun_when_ready(tuple(late))


@st.fragment(run_every=1.0)
def _rerun_when_ready(late: tuple) -> None:
    if any(is_ready(*k) for k in late):
        st.rerun()


def start(page: str, *, above: Callable | None = None, below: Callable | None = None) -> Frame:
    """The shared prologue of ``page`` (a key of ``ui.binding.SCHEMAS``; its title is the string
    ``page_<page>``). ``above`` / ``below``: control rows drawn above the notes / below the
    figure, not in presentation mode."""
    presenting = bool(binding.value("present"))
    style.apply(presenting)
    sidebar.for_page(page)
    head = st.columns([5, 1], vertical_alignment="center")
    head[0].markdown(f"#### {t('app_title')} · {t('page_' + page)}")
    controls = None
    if presenting:
        with head[1]:
            toolbars.exit_presentation_button()
    elif above:
        controls = above()
    notes, main = st.container(), st.container()
    if below and not presenting:
        below()
    cfg = binding.read(page)
    state.publish(cfg)
    lines = present.note_lines(state.notes(cfg))
    if lines:
        notes.warning(t("notes_title") + "  \n" + "  \n".join(lines), icon=":material/warning:")
    return Frame(cfg, presenting, notes, main, controls)


def stop(message: str) -> None:
    """End the page here with a hint (nothing to draw); the URL is still written."""
    st.info(message)
    st.stop()
