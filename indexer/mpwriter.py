"""Whoosh's multiprocess writer, made safe against a killed parent.

Its sub-writers keep their postings in an in-memory `TermPool` (indexer/termpool.py) when each
writes its own segment (multisegment, as `reindex` uses it).

If `reindex` is killed (SIGKILL, OOM), Whoosh's sub-writer processes would wait on their job
queue forever, holding the terminal's pipes open. Each sub-writer asks the kernel to kill it
when its parent dies (Linux PR_SET_PDEATHSIG); elsewhere it behaves exactly like Whoosh's.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys

from whoosh.multiproc import MpWriter, SubWriterTask

from indexer.pooled_writer import install_in_process

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to kill this (child) process when `parent_pid` exits."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


class _SubWriter(SubWriterTask):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        die_with_parent(self.parent_pid)
        # The posting pool is millions of small lists, which the cyclic garbage collector would
        # traverse again and again as it grows (about 3 s per sub-writer on the bundled corpus);
        # this process makes no reference cycles worth collecting and ends with the reindex.
        gc.disable()
        if self.multisegment:  # (merging sub-writers hand Whoosh's pool run files to the parent)
            install_in_process()  # this process only: its SegmentWriter keeps postings in a TermPool
        super().run()


class SafeMpWriter(MpWriter):
    def _new_task(self):  # type: ignore[no-untyped-def]
        task = _SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                          self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
