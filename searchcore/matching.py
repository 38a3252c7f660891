"""The set of documents a query matches, as a numpy mask, without Whoosh's per-document matchers.

Facets and totals need every matching document, not just the top ten. Whoosh's compound
matchers walk that set one document at a time in Python; here each term's posting list is read
block by block into an array (and cached for the life of the index generation: query terms are
Zipfian), and AND/OR/NOT are numpy operations. Anything else (phrases, wildcards) falls back to
Whoosh.
"""

from __future__ import annotations

import numpy as np
from whoosh import query
from whoosh.searching import Searcher

from searchcore.cache import TermCache

_EMPTY = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)


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


class TermDocsCache:
    """Doc numbers and weights per (field, term), for one index generation (shared by its
    searchers)."""

    def __init__(self, max_terms: int = 20_000) -> None:
        self._cache: TermCache[tuple[np.ndarray, np.ndarray]] = TermCache(max_terms)

    def postings(self, searcher: Searcher, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        return self._cache.get((field, text), lambda: self._read(searcher, field, text))

    @staticmethod
    def _read(searcher: Searcher, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        docs, weights = [], []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if (field, text) in reader:
                d, w = _leaf_postings(reader.postings(field, text))
                docs.append(d + offset)
                weights.append(w)
        return (np.concatenate(docs), np.concatenate(weights)) if docs else (_EMPTY, _NO_WEIGHTS)

    def docs(self, searcher: Searcher, field: str, text: str) -> np.ndarray:
        return self.postings(searcher, field, text)[0]


def query_mask(q: query.Query, searcher: Searcher, cache: TermDocsCache, size: int) -> np.ndarray:
    """Boolean mask over doc numbers [0, size) of the documents `q` matches (deleted ones included:
    the caller ANDs with the valid-document mask)."""

    def rec(node: query.Query) -> np.ndarray:
        return query_mask(node, searcher, cache, size)

    if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
        return np.zeros(size, dtype=bool)
    if isinstance(q, query.Term):
        mask = np.zeros(size, dtype=bool)
        mask[cache.docs(searcher, q.fieldname, q.text)] = True
        return mask
    if isinstance(q, query.AndNot):
        return rec(q.a) & ~rec(q.b)
    if isinstance(q, query.Not):
        return ~rec(q.query)
    if isinstance(q, query.Or) and not isinstance(q, query.DisjunctionMax):
        mask = np.zeros(size, dtype=bool)
        for sub in q.subqueries:
            mask |= rec(sub)
        return mask
    if isinstance(q, query.And):
        mask = np.ones(size, dtype=bool)
        for sub in q.subqueries:
            mask &= rec(sub)
        return mask
    mask = np.zeros(size, dtype=bool)
    docs = np.fromiter(searcher.docs_for_query(q), dtype=np.int64)
    mask[docs] = True
    return mask
