"""Fault-injection points for the crash tests: `ARNEWS_FAULT=<point>` kills the process there.

Used only by tests/test_faults.py to SIGKILL a reindex at a chosen moment (while reading, while
writing segments, during the swap); unset, a checkpoint costs one dict lookup.
"""

from __future__ import annotations

import os
import signal

POINTS = ("read", "extract", "commit", "verify", "swap", "incremental-copy")


def checkpoint(point: str) -> None:
    if os.environ.get("ARNEWS_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)
