"""Child processes that must not outlive the process that started them."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to kill this (child) process when `parent_pid` exits (Linux
    PR_SET_PDEATHSIG; elsewhere only the check below), and leave Ctrl-C to the parent.

    Ctrl-C signals the terminal's whole process group: children that took it too would each print
    a KeyboardInterrupt traceback, while the parent is the one that knows how to stop cleanly
    (and its exit kills them).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
