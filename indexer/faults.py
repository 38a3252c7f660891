"""Fault-injection points for the crash tests: `ARNEWS_FAULT=<point>` kills the process there,
`ARNEWS_FAULT=<point>:sleep=<seconds>` holds it there (a slow step, for tests of what others see
meanwhile).

Used only by tests to SIGKILL a reindex at a chosen moment (while reading, while writing
segments, during the swap) or to keep a build running; unset, a checkpoint costs one dict lookup.
"""

from __future__ import annotations

import os
import signal
import time

POINTS = ("read", "extract", "commit", "verify", "swap", "incremental-copy")


def checkpoint(point: str) -> None:
    fault = os.environ.get("ARNEWS_FAULT")
    if fault is None:
        return
    if fault == point:
        os.kill(os.getpid(), signal.SIGKILL)
    elif fault.startswith(point + ":sleep="):
        time.sleep(float(fault.split("=", 1)[1]))
