"""One reindex at a time per alias, across machines: a lock document created with op_type
`create` (which only one writer can win) in `<alias>_reindex_lock`, deleted when the run ends.
A lock left by a killed run is taken over when its process is gone (same host) or when it is
older than STALE_AFTER_S (another host: we cannot see its processes)."""

from __future__ import annotations

import os
import socket
import time
from types import TracebackType

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConflictError

from backends.opensearch.settings import OpenSearchSettings
from indexer.lock import ReindexBusy

STALE_AFTER_S = 6 * 3600
_ID = "lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ClusterReindexLock:
    def __init__(self, client: OpenSearch, settings: OpenSearchSettings) -> None:
        self.client = client
        self.index = f"{settings.alias}_reindex_lock"  # outside "<alias>-*", the generations' names
        self.alias = settings.alias

    def _take(self) -> None:
        self.client.index(index=self.index, id=_ID, op_type="create", refresh=True,
                          body={"host": socket.gethostname(), "pid": os.getpid(), "since": time.time()})

    def __enter__(self) -> ClusterReindexLock:
        try:
            self._take()
            return self
        except ConflictError:
            holder = self.client.get(index=self.index, id=_ID, ignore=404).get("_source")
        if holder is not None:
            mine = holder.get("host") == socket.gethostname()
            stale = time.time() - float(holder.get("since", 0)) > STALE_AFTER_S
            if not stale and not (mine and not _alive(int(holder.get("pid", 0)))):
                since = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(float(holder.get("since", 0))))
                raise ReindexBusy(f"another reindex of alias {self.alias} is running (host {holder.get('host')}, "
                                  f"pid {holder.get('pid')}, since {since} UTC); try again when it ends")
            self.client.delete(index=self.index, id=_ID, ignore=404, refresh=True)  # left by a killed run
        try:
            self._take()
        except ConflictError:
            raise ReindexBusy(f"another reindex of alias {self.alias} has just started") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.client.delete(index=self.index, id=_ID, ignore=404, refresh=True)
