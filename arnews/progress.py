"""Reindex progress: a live line on a terminal (articles/s, ETA), nothing in between otherwise."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, expected: int | None, enabled: bool) -> None:
        self.expected = expected
        self.enabled = enabled
        self.done = 0
        self.t0 = time.perf_counter()
        self._last = 0.0

    def __call__(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if not self.enabled or now - self._last < 0.2:
            return
        self._last = now
        rate = self.done / max(now - self.t0, 1e-9)
        line = f"\r  {self.done:,} articles  {rate:,.0f}/s"
        if self.expected and self.done < self.expected and rate > 0:
            pct = 100 * self.done / self.expected
            line += f"  {pct:3.0f}%  ETA {int((self.expected - self.done) / rate)} s (reading), then writing"
        elif self.expected:
            line += "  all read; writing the index…"
        sys.stderr.write(line + "   ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
