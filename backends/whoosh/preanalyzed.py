"""One analysis pass per text for both the exact and the stemmed field.

Whoosh analyzes each field separately inside `add_document`. Here all four text fields of an
article receive the same `ArticleText` object; the first field to be indexed tokenizes and
normalizes title and body ONCE (`analyzers.terms.exact_terms`: the exact chain's terms in a
few C-level passes), derives the exact and the stemmed postings from that pass, and
encodes them as the fields' format does (backends/whoosh/positions.py); the other three fields reuse the result.
With several processes, Whoosh's sub-writers do this in parallel. Query parsing is unchanged:
the fields keep their analyzers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from whoosh.fields import TEXT

from analyzers import stem
from analyzers.terms import exact_terms
from backends.whoosh.positions import CompactPositions

Items = list[tuple[bytes, int, float, bytes]]
TermPositions = dict[str, list[int]]  # each term of a text: its positions


class ArticleText:
    """The texts of one article, handed to every text field of the full schema."""

    __slots__ = ("title", "body")

    def __init__(self, title: str, body: str) -> None:
        self.title = title
        self.body = body


class PreAnalyzedTEXT(TEXT):
    """A TEXT field that indexes its `role` (title, body, title_stem, body_stem) of an ArticleText."""

    def __init__(self, role: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.format = CompactPositions(field_boost=self.format.field_boost)
        self.role = role

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(value, ArticleText):
            return iter(items(analyzed(value)[self.role], self.format.encode))
        return super().index(value, **kwargs)


_memo: list = [None, None]  # (ArticleText, its four fields' terms): the last one analyzed


def analyzed(value: ArticleText) -> dict[str, TermPositions]:
    """The terms of each of the four fields of an ArticleText (analyzed once for all four)."""
    if _memo[0] is not value:
        _memo[0], _memo[1] = value, preanalyze(value.title, value.body)
    return _memo[1]


def items(terms: TermPositions, encode: Callable[[list[int]], bytes]) -> Items:
    """Whoosh's posting items (term bytes, frequency, weight, encoded positions)."""
    return [(w.encode("utf-8"), len(p), float(len(p)), encode(p)) for w, p in terms.items()]


def analyze_text(text: str) -> tuple[TermPositions, TermPositions]:
    """Exact and stemmed terms of one text with their positions, from a single analysis pass
    (each distinct term is stemmed once; the positions of terms with one stem are merged)."""
    exact: dict[str, list[int]] = defaultdict(list)
    for pos, term in enumerate(exact_terms(text)):
        exact[term].append(pos)
    stemmed: dict[str, list[int]] = {}
    for term, poslist in exact.items():
        key = stem(term)
        got = stemmed.get(key)
        stemmed[key] = poslist if got is None else sorted(got + poslist)
    return exact, stemmed


def preanalyze(title: str, body: str) -> dict[str, TermPositions]:
    """The terms of the four text fields."""
    title_exact, title_stem = analyze_text(title)
    body_exact, body_stem = analyze_text(body)
    return {"title": title_exact, "title_stem": title_stem, "body": body_exact, "body_stem": body_stem}
