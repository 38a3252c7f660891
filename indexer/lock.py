"""One reindex at a time: an exclusive `flock` on a lock file that names its owner.

The kernel holds the lock for the owner's lifetime and drops it when the process ends, however
it ends (kill -9 included), so there is no stale lock to recover and no check-then-unlink race
(the pid-file scheme it replaces let two of eight racing processes hold it at once, and one
run's cleanup delete another's building directory). The file is never deleted; its content (pid,
host, start time) is only for the message a refused run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path


def running_owner(path: Path) -> dict | None:
    """The owner of a running reindex (pid, host, started), read without touching the lock, or
    None. The file is emptied when a run ends; after a kill -9 it still names a dead pid."""
    data = _read_owner(path)
    if data is None or not isinstance(data.get("pid"), int):
        return None
    if data.get("host") == socket.gethostname():
        try:
            os.kill(data["pid"], 0)
        except ProcessLookupError:
            return None
        except PermissionError:  # alive, owned by another user
            pass
    return data


class ReindexBusy(RuntimeError):
    """Another reindex holds the lock."""


class ReindexLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.recovered_stale = False  # the file named an owner that no longer held the lock
        self._fd: int | None = None

    def __enter__(self) -> ReindexLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = self._owner()
            os.close(fd)
            who = f"pid {owner.get('pid')}, started {owner.get('started')}" if owner else "another process"
            raise ReindexBusy(f"another reindex is running ({who}); wait for it to finish") from None
        except BaseException:
            os.close(fd)
            raise
        self.recovered_stale = self._owner() is not None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "started": time.strftime("%Y-%m-%dT%H:%M:%S")}).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.ftruncate(fd, 0)  # no owner any more (before the lock is released)
            os.close(fd)  # releases the flock

    def _owner(self) -> dict | None:
        return _read_owner(self.path)


def _read_owner(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text() or "null")
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None
