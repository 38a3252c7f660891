"""The open index: the engine's reader, document store and facet arrays, reopened when a reindex
swaps in a new generation. One handle is shared by all requests of a process."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from backends.whoosh.reader import WhooshReader
from indexer.docstore import DocStore
from indexer.layout import IndexLayout
from indexer.outlets import register_outlet_names
from indexer.variants import VariantTable
from searchcore import embedded
from searchcore.cache import BUDGET
from searchcore.engine import EngineRequest, EngineResult
from searchcore.errors import IndexBuilding, IndexUnavailable
from searchcore.facet_arrays import FacetArrays
from searchcore.facets import FACETS
from searchcore.index_reader import IndexReader
from searchcore.matching import TermDocsCache
from searchcore.person_catalog import PersonCatalog
from searchcore.query import ParsedQuery
from searchcore.ranking import Ranker


class Snapshot:
    """Everything one request needs, consistent with one index generation.

    The facet arrays and the term cache are shared; the index reader hands each thread its own
    engine searcher, and the SQLite connection is per thread (sqlite3 connections are not made
    for concurrent use), opened lazily on a thread's first request to this generation.
    """

    def __init__(self, generation: str, index: IndexReader, store_path: Path, arrays: FacetArrays, meta: dict,
                 first_store: DocStore, variants: VariantTable | None = None) -> None:
        self.generation = generation
        self.index = index
        self.store_path = store_path
        self.arrays = arrays
        self.facets = [kind(arrays) for kind in FACETS]
        self.meta = meta
        self.term_docs = TermDocsCache(index)
        self.ranker = Ranker(self.term_docs, arrays.valid, variant_table=variants)
        self._local = threading.local()
        self._local.store = first_store

    @property
    def persons(self) -> PersonCatalog:
        return self.arrays.persons

    @property
    def store(self) -> DocStore:
        st = getattr(self._local, "store", None)
        if st is None:
            st = self._local.store = DocStore(self.store_path, readonly=True)
        return st

    # the SearchEngine interface (searchcore/engine.py)
    def search(self, request: EngineRequest) -> EngineResult:
        return embedded.search(self, request)

    def article(self, article_id: str) -> dict | None:
        return self.store.get(article_id)

    def explain(self, pq: ParsedQuery, article_id: str) -> dict[str, Any]:
        return embedded.explain(self, pq, article_id)

    def health(self) -> dict[str, Any]:
        return {"status": "ok", "articles": int(self.arrays.valid.sum()), "built_at": self.meta.get("built_at"),
                "generation": self.generation, "cache": BUDGET.stats()}


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
            status = self.layout.reindex_status()
            if status is not None:
                raise IndexBuilding(status)
            raise IndexUnavailable("لم يُبنَ فهرس بعد (no index has been built yet: build one with "
                                   "`arnews reindex`).")
        try:
            meta = json.loads((live / "meta.json").read_text(encoding="utf-8"))
            register_outlet_names(meta.get("outlet_names") or {})
            index = WhooshReader(live / "whoosh")
            store = DocStore(live / "docs.sqlite", readonly=True)
            arrays = FacetArrays.build(index.article_ids(), store)
            # a generation built before the table existed still serves (ranked without variants)
            variants = VariantTable.load(live) if (live / VariantTable.FILE).exists() else None
        except Exception as e:  # corrupt or half-deleted generation: say so, do not crash
            # No file paths in the message: it is shown to web users.
            status = self.layout.reindex_status()
            if status is not None:  # an index of an older version, being rebuilt by `serve`
                raise IndexBuilding(status) from e
            raise IndexUnavailable(
                f"تعذّر فتح الفهرس (the index cannot be opened ({type(e).__name__}: corrupt or "
                "incomplete); rebuild it with `arnews reindex --full`)."
            ) from e
        return Snapshot(live.name, index, live / "docs.sqlite", arrays, meta, store, variants)
