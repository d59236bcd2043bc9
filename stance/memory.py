"""Give freed heap memory back to the operating system during long streams.

Classifying article after article allocates and frees many buffers of varying sizes
(tensors of every batch shape, spaCy documents); glibc's allocator keeps the freed pages,
so a process's resident memory climbs to a high-water mark although what is in use stays
flat (``benchmarks/robustness.py``: Python heap flat, RSS rising in steps). Calling
``malloc_trim(0)`` between chunks returns those pages. Elsewhere (macOS, Windows, musl) it
is a no-op.

Example:
    >>> release_memory() in (True, False)
    True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["release_memory"]

_TRIM: list[Any] = []  # [malloc_trim or None], looked up once


def release_memory() -> bool:
    """Return freed heap pages to the OS (glibc ``malloc_trim(0)``); True if any were released."""
    if not _TRIM:
        trim = None
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                trim = getattr(libc, "malloc_trim", None)
                if trim is not None:
                    trim.argtypes = [ctypes.c_size_t]
                    trim.restype = ctypes.c_int
            except OSError:
                trim = None
        _TRIM.append(trim)
    trim = _TRIM[0]
    if trim is None:
        return False
    return bool(trim(0))
