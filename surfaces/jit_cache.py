"""Where Numba keeps the compiled engine: a cache directory named by a hash of the sources.

Numba's own cache checks only the timestamp of the file a function lives in. The engine inlines
code across files (rules into the step, oracle into the rules, surface formulas into both), so
an edit to one file could leave stale machine code for another. Keying the directory by the
sources of both compiled packages makes any edit start a fresh cache.

Imported before any ``@njit(cache=True)`` function is defined (Numba fixes a function's cache
location when it is decorated). ``NUMBA_CACHE_DIR``, when set, is the parent directory.
"""
import hashlib
import os
from pathlib import Path

import numba

_ROOT = Path(__file__).resolve().parent.parent
_PACKAGES = ("surfaces", "optim_core")


def source_hash() -> str:
    h = hashlib.sha256()
    for pkg in _PACKAGES:
        for f in sorted((_ROOT / pkg).glob("*.py")):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def cache_dir() -> str:
    parent = os.environ.get("NUMBA_CACHE_DIR") or str(_ROOT / ".numba_cache")
    return os.path.join(parent, source_hash())


numba.config.CACHE_DIR = cache_dir()
