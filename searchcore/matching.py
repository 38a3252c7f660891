"""The set of documents a query tree matches, as a numpy mask.

Facets and totals need every matching document, not just the top ten. Each term's posting list
is read once into an array (and cached for the life of the index generation: query terms are
Zipfian), and AND/OR/NOT are numpy operations; phrases ask the index which documents hold the
words in a row.
"""

from __future__ import annotations

import numpy as np

from searchcore.cache import TermCache
from searchcore.deadline import Deadline
from searchcore.index_reader import BODY, BODY_STEM, EXACT_FIELDS, TITLE, TITLE_STEM, IndexReader
from searchcore.limits import MAX_WILDCARD_EXPANSION
from searchcore.querytree import And, Node, Not, Or, Phrase, Prefix, Word


class TermDocsCache:
    """Doc numbers and frequencies per (field, term), for one index generation (shared by its
    threads)."""

    def __init__(self, reader: IndexReader, max_terms: int = 20_000) -> None:
        self.reader = reader
        self._cache: TermCache[tuple[np.ndarray, np.ndarray]] = TermCache(max_terms)

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        return self._cache.get((field, term), lambda: self.reader.read_postings(field, term))

    def docs(self, field: str, term: str) -> np.ndarray:
        return self.postings(field, term)[0]


def query_mask(node: Node | None, postings: TermDocsCache, size: int, deadline: Deadline | None = None) -> np.ndarray:
    """Boolean mask over doc numbers [0, size) of the documents `node` matches (deleted ones
    included: the caller ANDs with the valid-document mask). A word, phrase or prefix met after
    the deadline matches nothing (the answer is then partial)."""
    reader = postings.reader
    mask = np.zeros(size, dtype=bool)
    if node is None or (isinstance(node, (Word, Phrase, Prefix)) and deadline is not None and deadline.passed()):
        return mask
    if isinstance(node, Word):
        for field, term in ((TITLE, node.exact), (BODY, node.exact), (TITLE_STEM, node.stem), (BODY_STEM, node.stem)):
            mask[postings.docs(field, term)] = True
        return mask
    if isinstance(node, Phrase):
        for field, words in ((TITLE, node.exact), (BODY, node.exact), (TITLE_STEM, node.stems),
                             (BODY_STEM, node.stems)):
            mask[reader.phrase_docs(field, words)] = True
        return mask
    if isinstance(node, Prefix):
        for field in EXACT_FIELDS:
            for term in reader.prefix_terms(field, node.text, MAX_WILDCARD_EXPANSION) or ():
                mask[postings.docs(field, term)] = True
        return mask
    if isinstance(node, Not):
        return ~query_mask(node.item, postings, size, deadline)
    if isinstance(node, Or):
        for item in node.items:
            mask |= query_mask(item, postings, size, deadline)
        return mask
    if isinstance(node, And):
        mask[:] = True
        for item in node.items:
            mask &= query_mask(item, postings, size, deadline)
        return mask
    raise TypeError(f"not a query node: {node!r}")
