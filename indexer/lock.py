"""One reindex at a time: an exclusive lock file holding the owner's pid; stale locks are recovered."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path


class ReindexBusy(RuntimeError):
    """Another reindex holds the lock."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ReindexLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.recovered_stale = False

    def __enter__(self) -> ReindexLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self._owner()
                pid = owner.get("pid") if owner else None
                same_host = not owner or owner.get("host") == socket.gethostname()
                if isinstance(pid, int) and same_host and _alive(pid) and pid != os.getpid():
                    raise ReindexBusy(
                        f"another reindex is running (pid {pid}, started {owner.get('started')}); "
                        f"wait for it to finish, or remove {self.path} if that process is gone"
                    ) from None
                if owner is None and time.time() - self._mtime() < 5:
                    time.sleep(0.2)  # the owner is still writing its pid
                    continue
                self.path.unlink(missing_ok=True)  # stale: its process is gone
                self.recovered_stale = True
                continue
            with os.fdopen(fd, "w") as f:
                json.dump({"pid": os.getpid(), "host": socket.gethostname(),
                           "started": time.strftime("%Y-%m-%dT%H:%M:%S")}, f)
            return self
        raise ReindexBusy(f"could not take the reindex lock {self.path}")

    def __exit__(self, *exc: object) -> None:
        owner = self._owner()
        if owner and owner.get("pid") == os.getpid():
            self.path.unlink(missing_ok=True)

    def _owner(self) -> dict | None:
        try:
            data = json.loads(self.path.read_text())
            return data if isinstance(data, dict) else None
        except (OSError, ValueError):
            return None

    def _mtime(self) -> float:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return 0.0
