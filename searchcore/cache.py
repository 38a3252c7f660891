"""Caches of per-term arrays for an index generation, shared by a process's threads, and the one
memory budget they all share.

Query terms are Zipfian, so each term's postings and scores are computed once and kept. Every
cache of the process counts its entries' bytes against one budget (ARNEWS_CACHE_MB, 256 MB by
default): when an insertion would pass it, the oldest entries go (first those of the cache
inserting, then of the largest other cache), so a long run of varied queries cannot grow a
worker without bound. Sizes and hit rates are in `stats` and `/healthz`.
"""

from __future__ import annotations

import os
import sys
import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
from typing import Any, Generic, TypeVar

import numpy as np

V = TypeVar("V")

DEFAULT_CACHE_MB = 256


def size_of(value: Any) -> int:
    """Approximate bytes held by a cached value (arrays, tuples, dataclasses, strings, numbers)."""
    if isinstance(value, np.ndarray):
        return value.nbytes + 112
    if isinstance(value, (tuple, list)):
        return 56 + 8 * len(value) + sum(size_of(v) for v in value)
    if is_dataclass(value):
        return 56 + sum(size_of(getattr(value, f.name)) for f in fields(value))
    return sys.getsizeof(value)


class CacheBudget:
    """The bytes all caches of a process may hold together."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self.lock = threading.RLock()
        self.caches: weakref.WeakSet[TermCache] = weakref.WeakSet()

    @property
    def used_bytes(self) -> int:
        return sum(c.bytes for c in list(self.caches))

    def stats(self) -> dict[str, Any]:
        caches = list(self.caches)
        hits, misses = sum(c.hits for c in caches), sum(c.misses for c in caches)
        return {"bytes": sum(c.bytes for c in caches), "limit_bytes": self.limit_bytes,
                "entries": sum(len(c) for c in caches), "hits": hits, "misses": misses,
                "hit_rate": round(hits / (hits + misses), 4) if hits + misses else None}


def _limit_from_env() -> int:
    try:
        mb = float(os.environ.get("ARNEWS_CACHE_MB", DEFAULT_CACHE_MB))
    except ValueError:
        mb = DEFAULT_CACHE_MB
    return int(max(mb, 1) * 1024 * 1024)


BUDGET = CacheBudget(_limit_from_env())


class TermCache(Generic[V]):
    def __init__(self, max_entries: int = 20_000, budget: CacheBudget = BUDGET) -> None:
        self.max_entries = max_entries
        self.budget = budget
        self._entries: dict[Hashable, tuple[V, int]] = {}
        self.bytes = 0
        self.hits = self.misses = 0
        budget.caches.add(self)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value of `key`, computed (outside the lock) and kept on a miss."""
        hit = self._entries.get(key)
        if hit is not None:
            self.hits += 1
            return hit[0]
        self.misses += 1
        value = compute()
        size = size_of(value)
        if size > self.budget.limit_bytes // 4:  # too big to keep: it would flush everything else
            return value
        with self.budget.lock:
            if len(self._entries) >= self.max_entries:
                self._evict_oldest(self, len(self._entries) - self.max_entries + 1)
            over = self.budget.used_bytes + size - self.budget.limit_bytes
            while over > 0:
                victim = self if self._entries else max(self.budget.caches, key=lambda c: c.bytes)
                if not victim._entries:
                    break
                over -= self._evict_oldest(victim, max(1, len(victim._entries) // 8))
            if key not in self._entries:
                self._entries[key] = (value, size)
                self.bytes += size
        return value

    @staticmethod
    def _evict_oldest(cache: TermCache, n: int) -> int:
        """Drop `cache`'s `n` oldest entries; the bytes freed."""
        freed = 0
        for key in list(cache._entries)[:n]:
            _, size = cache._entries.pop(key)
            freed += size
        cache.bytes -= freed
        return freed
