"""One index generation read through Whoosh: the search core's IndexReader
(searchcore/index_reader.py) over Whoosh's searchers.

Whoosh's searchers and readers are not made for concurrent use: each thread gets its own,
opened on its first call. Posting lists are read block by block straight into arrays (Whoosh's
matchers would walk them one document at a time in Python).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from backends.whoosh.codec import LENGTH_OF_BYTE, length_bytes
from backends.whoosh.index import open_index
from searchcore.index_reader import BODY, BODY_STEM, EXACT_FIELDS, TITLE, TITLE_STEM
from searchcore.querytree import And, Node, Not, Or, Phrase, Prefix, Word

_EMPTY = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)
_LENGTH_OF_BYTE = np.array(LENGTH_OF_BYTE, dtype=np.float64)


def _leaf_postings(m) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Doc ids and weights (term frequencies) of a leaf posting matcher; block arrays when it is
    Whoosh's on-disk matcher."""
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block"):
        ids, weights = [], []
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            ids.append(np.asarray(m._ids, dtype=np.int64))
            weights.append(np.asarray(m._weights, dtype=np.float64))
            m._next_block()
        if not ids:
            return _EMPTY, _NO_WEIGHTS
        return np.concatenate(ids), np.concatenate(weights)
    doc_list, weight_list = [], []
    while m.is_active():
        doc_list.append(m.id())
        weight_list.append(m.weight())
        m.next()
    return np.array(doc_list, dtype=np.int64), np.array(weight_list, dtype=np.float64)


class WhooshReader:
    def __init__(self, directory: Path) -> None:
        self.ix = open_index(directory, readonly=True)
        self._local = threading.local()
        self.size = self.searcher.reader().doc_count_all()

    @property
    def searcher(self) -> Searcher:
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self.ix.searcher()
        return s

    def article_ids(self) -> list[str | None]:
        ids: list[str | None] = [None] * self.size
        for docnum, stored in self.searcher.reader().iter_docs():
            ids[docnum] = stored.get("id")
        return ids

    def segment_count(self) -> int:
        return len(self.searcher.leaf_searchers())

    def read_postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        docs, weights = [], []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            if (field, term) in reader:
                d, w = _leaf_postings(reader.postings(field, term))
                docs.append(d + offset)
                weights.append(w)
        return (np.concatenate(docs), np.concatenate(weights)) if docs else (_EMPTY, _NO_WEIGHTS)

    def doc_frequency(self, field: str, term: str) -> int:
        return self.searcher.doc_frequency(field, term)

    def prefix_terms(self, field: str, prefix: str, limit: int) -> list[str] | None:
        out = []
        for t in self.searcher.reader().expand_prefix(field, prefix):
            if len(out) == limit:
                return None
            out.append(t.decode("utf-8") if isinstance(t, bytes) else t)
        return out

    def phrase_docs(self, field: str, words: tuple[str, ...]) -> np.ndarray:
        return np.fromiter(self.searcher.docs_for_query(wq.Phrase(field, list(words))), dtype=np.int64)

    def field_lengths(self, field: str) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float64)
        for sub, offset in self.searcher.leaf_searchers():
            raw = length_bytes(sub.reader()._perdoc, field)
            if raw is None:
                continue
            codes = np.frombuffer(raw, dtype=np.uint8)
            out[offset : offset + len(codes)] = _LENGTH_OF_BYTE[codes]
        return out

    def whoosh_docs(self, node: Node) -> list[int]:
        """The documents Whoosh's own matchers find for a query tree (the contract tests' oracle)."""
        return sorted(self.searcher.docs_for_query(to_whoosh(node)))


def to_whoosh(node: Node) -> wq.Query:
    """A query tree as a Whoosh query over the four text fields."""
    if isinstance(node, Word):
        return wq.Or([wq.Term(TITLE, node.exact), wq.Term(BODY, node.exact), wq.Term(TITLE_STEM, node.stem),
                      wq.Term(BODY_STEM, node.stem)])
    if isinstance(node, Phrase):
        return wq.Or([wq.Phrase(TITLE, list(node.exact)), wq.Phrase(BODY, list(node.exact)),
                      wq.Phrase(TITLE_STEM, list(node.stems)), wq.Phrase(BODY_STEM, list(node.stems))])
    if isinstance(node, Prefix):
        return wq.Or([wq.Prefix(f, node.text) for f in EXACT_FIELDS])
    if isinstance(node, Not):
        return wq.Not(to_whoosh(node.item))
    if isinstance(node, Or):
        return wq.Or([to_whoosh(n) for n in node.items])
    if isinstance(node, And):
        return wq.And([to_whoosh(n) for n in node.items])
    raise TypeError(f"not a query node: {node!r}")
