"""Where Numba keeps compiled code: one directory per compile unit, named by a hash of the
sources that unit is built from.

Numba's own cache checks only the timestamp of the file a function is defined in, but a compiled
unit also holds the code it inlines from other files (an optimizer's rule, the oracle, the surface
formulas). Keying each unit's directory by the sources it really depends on means that an edit
starts a fresh cache for exactly the units it touches: editing Adam's rule recompiles Adam's two
kernels, not the surfaces, not Newton. Stale machine code cannot be loaded, because its directory
is never looked at again.

``NUMBA_CACHE_DIR``, when set, is the parent directory (default: ``.numba_cache`` in the checkout).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
from functools import cache
from pathlib import Path

import numba

ROOT = Path(__file__).resolve().parent.parent


def cache_root() -> Path:
    return Path(os.environ.get("NUMBA_CACHE_DIR") or ROOT / ".numba_cache")


@cache
def _file_digest(path: str) -> bytes:
    return hashlib.sha256(Path(path).read_bytes()).digest()


def source_hash(files) -> str:
    """A short hash of the named source files (paths relative to the checkout, order-free)."""
    h = hashlib.sha256()
    for rel in sorted(set(files)):
        h.update(rel.encode())
        h.update(_file_digest(str(ROOT / rel)))
    return h.hexdigest()[:12]


def unit_dir(unit: str, deps) -> Path:
    """The cache directory of compile unit ``unit`` built from the source files ``deps``."""
    return cache_root() / f"{unit}-{source_hash(deps)}"


@contextlib.contextmanager
def _cache_dir(path: Path):
    # Numba fixes a function's cache location when caching is enabled, i.e. at decoration.
    saved = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = str(path)
    try:
        yield
    finally:
        numba.config.CACHE_DIR = saved


def njit_unit(fn, unit: str, deps, **options):
    """``njit(cache=True, **options)(fn)`` with its cache in ``unit_dir(unit, deps)``."""
    with _cache_dir(unit_dir(unit, deps)):
        return numba.njit(cache=True, **options)(fn)


def cached_njit(unit: str, deps, **options):
    """Decorator form of ``njit_unit``."""
    return lambda fn: njit_unit(fn, unit, deps, **options)
