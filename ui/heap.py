"""The server process's memory, kept in bounds while a class uses it: the garbage collector kept
off the long-lived objects, and the heap's free memory given back to the system.

* ``freeze_imports()`` / ``settle_heap()``: every object alive after the imports (Streamlit,
  NumPy, Numba, Plotly, ours: ~300,000) is moved out of the collector's sight; a full collection
  walked them in 0.2–0.3 s of CPU under the GIL.
* ``release_freed_memory()``: a burst of reruns frees a lot (encoded figures, protobuf messages,
  runs unpickled from the cache), and glibc keeps that memory in its heaps for reuse rather than
  return it. Blocks of ``MMAP_THRESHOLD`` and more (a map's JSON is 0.6 MB, copied several times on
  its way to the browser) now get a mapping of their own, returned the moment they are freed
  (glibc would otherwise raise that threshold to the largest block freed and keep them on the
  heap); a daemon thread gives the rest back every ``TRIM_EVERY_S`` seconds (``malloc_trim``,
  5 ms; environment ``DL_TRIM_EVERY_S``, 0 turns it off). 40 sessions for 2 minutes grew 50 MB
  instead of 88 MB (median after the first minute; loadtest/README.md). Where the C library is
  not glibc it does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import threading
import time

TRIM_EVERY_S = float(os.environ.get("DL_TRIM_EVERY_S") or 10.0)
MMAP_THRESHOLD = 256 * 1024
M_MMAP_THRESHOLD = -3     # mallopt's parameter number (malloc.h)

_LATE_FREEZES = [3]       # runs whose start freezes the heap again (see settle_heap)
_LOCK = threading.Lock()
_TRIMMER: list[threading.Thread] = []


def freeze_imports() -> None:
    """Once per process, before the first page runs."""
    gc.freeze()


def settle_heap() -> None:
    """The first runs import ~120,000 more objects (Plotly, pandas): freeze them too, after a collect."""
    with _LOCK:
        if _LATE_FREEZES[0] > 0:
            _LATE_FREEZES[0] -= 1
            gc.collect()
            gc.freeze()


def _glibc():
    """glibc, or None (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim, libc.mallopt        # both, or neither is used
        return libc
    except (OSError, AttributeError):
        return None


def trim() -> bool:
    """Give the heap's free memory back to the system now; False where that is not possible."""
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def release_freed_memory(every_s: float = TRIM_EVERY_S) -> bool:
    """Once per process: large blocks in their own mappings from now on, and the trimming thread
    (not when ``every_s`` is 0). False where glibc is missing."""
    with _LOCK:
        if _TRIMMER:
            return True
        libc = _glibc()
        if libc is None:
            return False
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        if every_s <= 0:
            return True

        def loop():
            while True:
                time.sleep(every_s)
                libc.malloc_trim(0)
        _TRIMMER.append(threading.Thread(target=loop, name="heap-trim", daemon=True))
        _TRIMMER[0].start()
        return True
