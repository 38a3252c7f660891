"""What the search core asks of an index generation, whatever engine holds it (backends/whoosh
implements it): posting arrays, statistics, the vocabulary's prefixes, phrase matches, field
lengths and the article id of each document number."""

from __future__ import annotations

from typing import Protocol

import numpy as np

TITLE, BODY, TITLE_STEM, BODY_STEM = "title", "body", "title_stem", "body_stem"
EXACT_FIELDS = (TITLE, BODY)  # exact (normalized, unstemmed) terms
STEM_FIELDS = (TITLE_STEM, BODY_STEM)


class IndexReader(Protocol):
    size: int  # document numbers are 0 .. size-1 (deleted ones included)

    def article_ids(self) -> list[str | None]:
        """The article id of each document number (None: deleted)."""

    def read_postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (ascending, int64) holding `term` in `field`, and its frequency in each."""

    def doc_frequency(self, field: str, term: str) -> int: ...

    def prefix_terms(self, field: str, prefix: str, limit: int) -> list[str] | None:
        """The terms of `field` that start with `prefix`; None when there are more than `limit`."""

    def phrase_docs(self, field: str, words: tuple[str, ...]) -> np.ndarray:
        """Document numbers holding `words` in a row in `field`."""

    def field_lengths(self, field: str) -> np.ndarray:
        """Each document's length of `field` (in terms, as the engine keeps it), float64."""
