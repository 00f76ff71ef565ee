"""The server-wide gate for heavy work (grids, many runs over seeds): one at a time, since each
already uses every core, so one class's sweeps queue up instead of starving everyone; the
Playground's single runs never wait here. Shared by ``ui.cache`` and ``ui.grid_cache``."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st

HEAVY_AT_ONCE = 1      # grids running at once in this server: each already uses every core


class HeavyGate:
    """The server-wide cap on grids running at once (one class's sweeps queue up instead of
    starving everyone; the Playground's single runs never wait here)."""

    def __init__(self, n: int):
        self._sem = threading.BoundedSemaphore(n)
        self._lock = threading.Lock()
        self.running = 0
        self.n = n

    @property
    def full(self) -> bool:
        return self.running >= self.n

    @contextmanager
    def hold(self):
        self._sem.acquire()
        with self._lock:
            self.running += 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
            self._sem.release()


@st.cache_resource(show_spinner=False)
def heavy_gate() -> HeavyGate:
    return HeavyGate(HEAVY_AT_ONCE)


@contextmanager
def waiting_note():
    """A note, while the gate is full, that other sessions' heavy work goes first; cleared when
    the work wrapped in it is done."""
    from .i18n import t
    slot = st.empty()
    if heavy_gate().full:
        slot.info(t("heavy_waiting"))
    try:
        yield
    finally:
        slot.empty()
