"""The lessons' two tools, the Hessian readout and the convexity map: on the lesson's own surface,
or on a function the user types (``LessonsConfig.own``), parsed and run like the Playground's
Custom surface."""
from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from lab import compare, lessons, readouts
from lab.compare import CompareConfig
from viz.lessons import convexity_figure, hessian_figure

from . import cache, custom_surface, present
from .controls import setting
from .fastfig import PrebuiltFigure
from .i18n import figure_text, surface_name, t

CHART = {"displaylogo": False, "scrollZoom": False, "displayModeBar": False}
POINT = ("pt.x", "pt.y")            # the Hessian's point: a new function starts from its own


def own_function(container, lc, presenting: bool):
    """The switch to one's own function and, when on, its box, plotting box and grammar (with a
    refusal right under the box). Returns the typed surface, or None for the lesson's own."""
    own = lc.tool_surface()
    if not presenting:
        setting("own", t("tool_own"), container=container, help=t("tool_own_help"),
                on_change=custom_surface.reset_settings, args=(POINT,))
        if own is not None:
            with container.expander(t("tool_own_box"), expanded=True):
                custom_surface.controls(st, reset=POINT, where=False)
    if own is not None:     # the text above speaks of the lesson's surface: say which one the tool reads
        container.caption(t("tool_own_reads"))
        container.latex("f(x, y) = " + own.latex)        # our LaTeX of the parsed tree, never the raw text
    return own


def _set_point(domain) -> None:
    """``on_select`` of the Hessian map: the clicked point is read out."""
    ss = st.session_state
    try:
        pt = ss["lesson_hessian"]["selection"]["points"][0]
        x, y = float(pt["x"]), float(pt["y"])
    except (KeyError, IndexError, TypeError, ValueError):
        return
    x0, x1, y0, y1 = domain
    ss["w:pt.x"], ss["w:pt.y"] = round(min(max(x, x0), x1), 4), round(min(max(y, y0), y1), 4)


def hessian_panel(container, lc, lesson, presenting: bool) -> None:
    """Lesson 22's figure: pick a point (click or type); its Hessian's eigenvalues, eigen-directions
    and classification, on the lesson's surface or one's own function."""
    own = own_function(st.container(), lc, presenting)
    scene = lessons.base_scene(lesson)
    surface = own or cache.surface(scene.surface_key)
    r = readouts.hessian_readout(surface, *lc.point)
    fig = hessian_figure(surface, r, text=figure_text(), present=presenting, bands=scene.bands)
    container.plotly_chart(PrebuiltFigure(fig), key="lesson_hessian", on_select=partial(_set_point, surface.domain),
                           selection_mode="points", config=CHART)
    if not presenting:
        cols = st.columns([1, 1, 3], vertical_alignment="bottom")
        setting("pt.x", t("hess_point_x"), container=cols[0], widget="input", format="%.4f")
        setting("pt.y", t("hess_point_y"), container=cols[1], widget="input", format="%.4f")
        cols[2].caption(t("hess_pick_hint"))
    if not (np.isfinite(r.hessian).all() and np.isfinite(r.grad).all()):
        st.warning(t("tool_undefined"), icon=":material/warning:")
        return
    kind = t("hess_kind_" + r.kind) if r.stationary else t("hess_not_stationary", kind=t("hess_kind_" + r.kind))
    (v1, v2), vec = r.eigenvalues, r.eigenvectors
    st.markdown(t("hess_readout", x=present.fmt_num(r.point[0], 4), y=present.fmt_num(r.point[1], 4),
                  gn=present.fmt_num(float((r.grad[0] ** 2 + r.grad[1] ** 2) ** 0.5), 3),
                  l1=present.fmt_num(v1, 4), l2=present.fmt_num(v2, 4), kind=kind))
    st.latex(rf"H=\begin{{pmatrix}}{r.hessian[0, 0]:.4g} & {r.hessian[0, 1]:.4g}\\ {r.hessian[1, 0]:.4g} & "
             rf"{r.hessian[1, 1]:.4g}\end{{pmatrix}},\quad v_1=({vec[0, 0]:.3f},{vec[1, 0]:.3f}),\;"
             rf"v_2=({vec[0, 1]:.3f},{vec[1, 1]:.3f})")


@st.cache_data(max_entries=8, show_spinner=False)
def _convexity(surface_keys: tuple):
    out = []
    for key in surface_keys:
        _, _, lam, share = readouts.convex_share(cache.surface(key), n=81)
        out.append((key, lam, share))
    return out


def convexity_panel(container, lc, lesson, presenting: bool) -> None:
    """Lesson 37's figure: each panel's surface (or one's own function) with where its Hessian is not
    positive semi-definite."""
    own = own_function(container, lc, presenting)
    if own is not None:
        keys, names = (own.key,), [surface_name("custom")]
    else:
        scene = lesson.scene
        configs = compare.panel_configs(scene) if isinstance(scene, CompareConfig) else [scene]
        keys = tuple(dict.fromkeys(c.surface_key for c in configs))
        names = [surface_name(key[0]) for key in keys]
    panels = [(name, cache.surface(key), lam, share) for name, (key, lam, share) in zip(names, _convexity(keys))]
    container.plotly_chart(PrebuiltFigure(convexity_figure(panels, text=figure_text(), present=presenting)),
                           key="lesson_convexity", config=CHART)
