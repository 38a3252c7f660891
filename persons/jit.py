"""numba's `njit` for the tagger's kernels, with its on-disk cache when there is a place for it.

numba keeps compiled code beside the source or in the user's cache folder; a service user
without a writable home and a read-only install leaves it none, and `cache=True` then fails at
import ("cannot cache function: no locator available"), which stopped `serve`, `search` and
`stats`. Without a place, the kernels are compiled on first use in each process instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from numba import njit


def jit(fn: Callable[..., Any]) -> Any:
    try:
        return njit(cache=True, nogil=True)(fn)
    except RuntimeError:  # no cache locator available
        return njit(nogil=True)(fn)
