"""Whoosh's BM25F ranking, computed with numpy over cached posting arrays.

Whoosh scores a query by walking its matcher tree one document at a time in Python, which is
most of a search's time when common words match thousands of articles. For the queries users
type (words, OR, exclusions: Term / And / Or / AndNot / Not trees) the same scores are computed
here as array operations: each (field, term)'s BM25 contribution per document is computed once
per index generation and cached (query terms are Zipfian), and a query's score is a few
scatter-adds. Phrases and wildcards are left to Whoosh (`supported` says which is which).

The formula is Whoosh's own (`whoosh.scoring.bm25`, its idf, its byte-quantized field lengths,
term and group boosts, the 1.0 of an excluded (Not) clause, and the coordination bonus of an Or
with `scale`), so the scores are the ones Whoosh's matchers give (tested against them). Two
differences, both Whoosh quirks: the coordination counts the query's terms over the whole index,
not per segment, and every matching field counts (Whoosh's top-N search was seen to drop a
field's share for some documents, e.g. `سلمان` on the bundled corpus).
"""

from __future__ import annotations

import threading

import numpy as np
from whoosh import query
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from indexer.whoosh_fixes import LENGTH_OF_BYTE, length_bytes
from searchcore.matching import TermDocsCache, query_mask

_LENGTH_OF_BYTE = np.array(LENGTH_OF_BYTE, dtype=np.float64)


def supported(q: query.Query) -> bool:
    """True when every node of `q` is one this module scores."""
    if isinstance(q, query.Term):
        return True
    if isinstance(q, query.Not):
        return True
    if isinstance(q, query.AndNot):
        return supported(q.a)
    if isinstance(q, (query.And, query.Or)) and not isinstance(q, query.DisjunctionMax):
        return all(supported(s) for s in q.subqueries)
    return False


def field_lengths(searcher: Searcher, field: str, size: int) -> np.ndarray:
    """Every document's (quantized) length of `field`, as Whoosh's scorer reads it."""
    out = np.zeros(size, dtype=np.float64)
    for sub, offset in searcher.leaf_searchers():
        raw = length_bytes(sub.reader()._perdoc, field)
        if raw is None:
            continue
        codes = np.frombuffer(raw, dtype=np.uint8)
        out[offset : offset + len(codes)] = _LENGTH_OF_BYTE[codes]
    return out


class Scorer:
    """BM25F scores for one index generation; shared by its threads (arrays are read-only)."""

    def __init__(self, postings: TermDocsCache, size: int, max_terms: int = 20_000) -> None:
        self.postings = postings
        self.size = size
        self.max_terms = max_terms
        self._lengths: dict[str, np.ndarray] = {}
        self._contrib: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._lock = threading.Lock()

    def _field_lengths(self, searcher: Searcher, field: str) -> np.ndarray:
        lengths = self._lengths.get(field)
        if lengths is None:
            lengths = field_lengths(searcher, field, self.size)
            with self._lock:
                self._lengths[field] = lengths
        return lengths

    def term(self, searcher: Searcher, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(doc numbers, unboosted BM25 score in each) of one term."""
        key = (field, text)
        hit = self._contrib.get(key)
        if hit is not None:
            return hit
        docs, weights = self.postings.postings(searcher, field, text)
        scores = np.zeros(0)
        if len(docs):
            w = searcher.weighting
            b = w._field_B.get(field, w.B) if isinstance(w, BM25F) else 0.75
            k1 = w.K1 if isinstance(w, BM25F) else 1.2
            idf = searcher.idf(field, text)
            avgfl = searcher.avg_field_length(field) or 1
            fl = self._field_lengths(searcher, field)[docs]
            scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))
        with self._lock:
            if len(self._contrib) >= self.max_terms:
                self._contrib.clear()
            self._contrib[key] = (docs, scores)
        return docs, scores

    def scores(self, q: query.Query, searcher: Searcher) -> np.ndarray:
        """Score of every document for a `supported` query (0 where it does not match; the caller
        ranks only within the query's match mask)."""
        total = np.zeros(self.size, dtype=np.float64)
        self._add(q, searcher, total, 1.0)
        return total

    def _add(self, q: query.Query, searcher: Searcher, total: np.ndarray, boost: float) -> None:
        if isinstance(q, query.Term):
            docs, scores = self.term(searcher, q.fieldname, q.text)
            if len(docs):
                total[docs] += scores * (boost * q.boost)
            return
        if isinstance(q, query.Not):
            # Whoosh's InverseMatcher scores 1.0 wherever the excluded query does not match
            total[~query_mask(q.query, searcher, self.postings, self.size)] += boost
            return
        if isinstance(q, query.AndNot):
            self._add(q.a, searcher, total, boost * q.boost)
            return
        if isinstance(q, query.Or) and q.scale:
            self._add_coordinated(q, searcher, total, boost)
            return
        for sub in q.subqueries:
            self._add(sub, searcher, total, boost * q.boost)

    def _add_coordinated(self, q: query.Or, searcher: Searcher, total: np.ndarray, boost: float) -> None:
        """Whoosh's CoordMatcher ("SQR" of V-Twin): a bonus for matching more of the Or's terms."""
        own = np.zeros(self.size, dtype=np.float64)
        for sub in q.subqueries:
            self._add(sub, searcher, own, q.boost)
        matching = np.zeros(self.size, dtype=np.float64)
        termcount = 0
        for leaf in _terms(q):
            docs, _ = self.term(searcher, leaf.fieldname, leaf.text)
            if len(docs):
                termcount += 1
                matching[docs] += 1
        if termcount == 0 or termcount == q.scale:
            return
        hit = matching > 0
        sqr = (own + (matching - 1) / (termcount - q.scale) ** 2) * ((termcount - 1) / termcount)
        total[hit] += sqr[hit] * boost


def _terms(q: query.Query) -> list[query.Term]:
    if isinstance(q, query.Term):
        return [q]
    if isinstance(q, query.Not):
        return []
    if isinstance(q, query.AndNot):
        return _terms(q.a)
    return [t for sub in q.subqueries for t in _terms(sub)]


def top(scores: np.ndarray, mask: np.ndarray, depth: int) -> list[int]:
    """The `depth` best doc numbers within `mask`: highest score first, then lowest doc number
    (Whoosh's order)."""
    docs = np.flatnonzero(mask)
    if len(docs) == 0 or depth <= 0:
        return []
    s = scores[docs]
    if len(docs) > depth:
        # keep everything tied with the depth-th best, so the doc-number tie-break is exact
        kth = np.partition(s, len(s) - depth)[len(s) - depth]
        keep = s >= kth
        docs, s = docs[keep], s[keep]
    order = np.lexsort((docs, -s))
    return docs[order][:depth].tolist()
