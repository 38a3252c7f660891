"""The open index: Whoosh searcher, document store and facet arrays, reopened when a reindex swaps
in a new generation. One handle is shared by all requests of a process."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from indexer.docstore import DocStore
from indexer.layout import IndexLayout
from searchcore.errors import IndexUnavailable
from searchcore.facets import FacetArrays
from searchcore.matching import TermDocsCache


@dataclass
class Snapshot:
    """Everything one request needs, consistent with one index generation."""

    generation: str
    searcher: Searcher
    store: DocStore
    arrays: FacetArrays
    meta: dict
    fields: tuple[str, ...]
    term_docs: TermDocsCache


class IndexHandle:
    def __init__(self, root: Path | str) -> None:
        self.layout = IndexLayout(root)
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None
        self._token: str | None = None

    def snapshot(self) -> Snapshot:
        """The current generation, reopened if `reindex` swapped in a new one since the last call."""
        token = self.layout.live_token()
        snap = self._snap
        if snap is not None and token == self._token:
            return snap
        with self._lock:
            if self._snap is None or token != self._token:
                self._snap = self._open()
                self._token = token
            return self._snap

    def _open(self) -> Snapshot:
        live = self.layout.live()
        if live is None:
            raise IndexUnavailable("no index has been built yet: build one with `arnews reindex`")
        try:
            meta = json.loads((live / "meta.json").read_text(encoding="utf-8"))
            ix = whoosh_index.open_dir(str(live / "whoosh"), readonly=True)
            searcher = ix.searcher()
            store = DocStore(live / "docs.sqlite", readonly=True)
            arrays = FacetArrays.build(searcher.reader(), store)
        except Exception as e:  # corrupt or half-deleted generation: say so, do not crash
            # No file paths in the message: it is shown to web users.
            raise IndexUnavailable(
                f"the index cannot be opened ({type(e).__name__}: corrupt or incomplete); "
                "rebuild it with `arnews reindex --full`"
            ) from e
        fields = tuple(n for n in ("title", "body", "title_stem", "body_stem") if n in ix.schema)
        return Snapshot(live.name, searcher, store, arrays, meta, fields, TermDocsCache(searcher))
