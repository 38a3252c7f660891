"""Reindex progress: a live line on a terminal, a plain line every LOG_EVERY seconds in a log
(stderr is not a terminal: a service's journal, `serve`'s first build), nothing when quiet.

It can also hand its state to a callback (`on_update`), which `reindex` uses to keep the index
directory's build status current so that a server can say how far a build has come.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Literal

Mode = Literal["terminal", "log", "off"]

LOG_EVERY = 10.0  # seconds between progress lines in a log
TERMINAL_EVERY = 0.2
STATUS_EVERY = 1.0


class Progress:
    def __init__(self, expected: int | None, mode: Mode,
                 on_update: Callable[[dict], None] | None = None) -> None:
        self.expected = expected
        self.mode = mode
        self.on_update = on_update
        self.done = 0
        self.t0 = time.perf_counter()
        self._shown = self.t0
        self._told = 0.0

    @classmethod
    def for_stderr(cls, expected: int | None, quiet: bool,
                   on_update: Callable[[dict], None] | None = None) -> Progress:
        mode: Mode = "off" if quiet else "terminal" if sys.stderr.isatty() else "log"
        return cls(expected, mode, on_update)

    @property
    def wants_count(self) -> bool:
        """Whether knowing the number of articles ahead is worth a counting pass (about 1.5%
        of a build): for a percentage someone will read."""
        return self.expected is None and (self.mode != "off" or self.on_update is not None)

    def state(self) -> dict:
        elapsed = time.perf_counter() - self.t0
        rate = self.done / elapsed if elapsed > 0 else 0.0
        writing = bool(self.expected) and self.done >= (self.expected or 0)
        out = {"done": self.done, "expected": self.expected, "rate": round(rate, 1),
               "elapsed_s": round(elapsed, 1), "phase": "writing" if writing else "reading"}
        if self.expected and not writing and rate > 0:
            out["eta_s"] = int((self.expected - self.done) / rate)
        return out

    def __call__(self, n: int) -> None:
        before = self.done
        self.done += n
        now = time.perf_counter()
        # the moment all is read is told at once: writing the index can take a while
        all_read = bool(self.expected) and before < self.expected <= self.done  # type: ignore[operator]
        if self.on_update is not None and (all_read or now - self._told >= STATUS_EVERY):
            self._told = now
            self.on_update(self.state())
        every = TERMINAL_EVERY if self.mode == "terminal" else LOG_EVERY
        if self.mode == "off" or (now - self._shown < every and not all_read):
            return
        self._shown = now
        line = self._line(self.state())
        if self.mode == "terminal":
            sys.stderr.write(f"\r  {line}   ")
        else:
            sys.stderr.write(f"progress: {line}\n")
        sys.stderr.flush()

    @staticmethod
    def _line(s: dict) -> str:
        line = f"{s['done']:,} articles read, {s['rate']:,.0f}/s"
        if s["phase"] == "writing":
            return line + "; all read, writing the index…"
        if s["expected"]:
            line += f", {100 * s['done'] / s['expected']:.0f}% of {s['expected']:,}"
            if "eta_s" in s:
                line += f", about {s['eta_s']} s more to read, then writing"
        return line

    def close(self) -> None:
        if self.mode == "terminal":
            sys.stderr.write("\n")
