"""A cache of per-term arrays for one index generation, shared by its threads.

Query terms are Zipfian, so each term's postings and scores are computed once per generation and
kept; the cache is emptied when it reaches `max_entries` (a crude bound, cheap to check).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TermCache(Generic[V]):
    def __init__(self, max_entries: int = 20_000) -> None:
        self.max_entries = max_entries
        self._entries: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value of `key`, computed (outside the lock) and kept on a miss."""
        hit = self._entries.get(key)
        if hit is not None:
            return hit
        value = compute()
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = value
        return value
