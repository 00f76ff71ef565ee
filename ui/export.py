"""The export section of a page: CSV, standalone HTML, animated GIF and PNG, as download buttons.

CSV, HTML and PNG are built when their button is clicked (Streamlit calls the function then);
the GIF takes seconds, so it is rendered on request with a progress bar and kept for download
until the configuration changes.
"""
from __future__ import annotations

import datetime

import streamlit as st

from lab.export import export_filename, runs_csv
from viz.gif import DEFAULT_SIZE, MAX_GIF_FRAMES, animation_gif, final_png
from viz.html_export import standalone_html

from .fastfig import full
from .i18n import figure_text, lang, t

GIF_FRAMES = 60
_GIF = "_export_gif"           # session state: (configuration key, bytes)


@st.fragment
def export_section(kind: str, key: str, panels, fig: dict, surface_ids, optimizer_ids):
    """``kind``: "playground" or "compare"; ``key``: names the configuration shown (a GIF
    rendered for another one is not offered); ``panels``: viz.common.Panel list; ``fig``: the
    animated figure (a dict or a ``fastfig.WireFigure``), for the HTML file."""
    today = datetime.date.today()

    def name(ext):
        return export_filename(kind, surface_ids, optimizer_ids, today, ext)
    text = figure_text()
    cols = st.columns(4)
    cols[0].download_button(t("export_csv"), data=lambda: runs_csv(panels), file_name=name("csv"), mime="text/csv",
                            on_click="ignore", icon=":material/table:", key=f"dl_csv_{kind}")
    cols[1].download_button(t("export_html"), data=lambda: standalone_html(full(fig), name("html")[:-5]),
                            file_name=name("html"), mime="text/html", on_click="ignore", help=t("export_html_help"),
                            icon=":material/play_circle:", key=f"dl_html_{kind}")
    cols[2].download_button(t("export_png"), data=lambda: final_png(panels, text=text, lang=lang()),
                            file_name=name("png"), mime="image/png", on_click="ignore",
                            icon=":material/image:", key=f"dl_png_{kind}")
    gif_key = f"{kind}|{key}|{lang()}"
    slot = cols[3].empty()
    held = st.session_state.get(_GIF)
    if not (held and held[0] == gif_key) and slot.button(
            t("export_gif_render"), icon=":material/movie:", key=f"render_gif_{kind}",
            help=t("export_gif_help", n=GIF_FRAMES, w=DEFAULT_SIZE[0], h=DEFAULT_SIZE[1], max=MAX_GIF_FRAMES)):
        bar = st.progress(0.0, text=t("export_gif_progress"))
        gif = animation_gif(panels, text=text, lang=lang(), frames=GIF_FRAMES, size=DEFAULT_SIZE,
                            progress=lambda i, n: bar.progress(i / n, text=t("export_gif_progress")))
        held = st.session_state[_GIF] = (gif_key, gif)
        bar.empty()
    if held and held[0] == gif_key:          # the button's place now offers the file
        slot.download_button(t("export_gif"), data=held[1], file_name=name("gif"), mime="image/gif",
                             on_click="ignore", icon=":material/gif_box:", key=f"dl_gif_{kind}")
