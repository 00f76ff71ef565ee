"""A Numba cache locator for a cache compiled ahead and then only read (the Docker image's
``--read-only`` root, a Kubernetes ``readOnlyRootFilesystem``).

Numba's own locator for ``NUMBA_CACHE_DIR`` first writes a temporary file into the cache
directory and, when that fails, gives up on the directory altogether: a read-only cache would be
ignored and every kernel compiled again on each start, into whatever writable place Numba finds
next. This locator uses the directory whenever it exists, so compiled kernels load from it. A
kernel missing from it is still compiled, and then saving it fails loudly: the image's build
(``python -m lab.warmup``) is what must have compiled everything.

Chosen with ``NUMBA_CACHE_LOCATOR_CLASSES=surfaces.readonly_cache.ReadOnlyCacheLocator`` (the
Dockerfile sets it); where the cache is writable it behaves as Numba's own.
"""
from __future__ import annotations

import os

from numba.core import config
from numba.core.caching import UserProvidedCacheLocator


class ReadOnlyCacheLocator(UserProvidedCacheLocator):
    """``NUMBA_CACHE_DIR``'s locator, also for a directory this process cannot write."""

    @classmethod
    def from_function(cls, py_func, py_file):
        if not config.CACHE_DIR or not os.path.exists(py_file):
            return None
        self = cls(py_func, py_file)
        if os.path.isdir(self.get_cache_path()):
            return self
        try:
            self.ensure_cache_path()
        except OSError:
            return None
        return self
