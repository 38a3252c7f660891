"""Creating, opening, writing and checking a Whoosh index of articles: what `indexer` and
`searchcore` ask of Whoosh, with our codec and writers (nothing of Whoosh's is patched)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.query import Term
from whoosh.writing import SegmentWriter

from backends.whoosh.schema import build_schema, whoosh_fields
from backends.whoosh.writer import ArnewsMpWriter, ArnewsSegmentWriter

EXACT_FIELDS = ("title", "body")


class IndexedArticle(Protocol):
    id: str
    title: str
    body: str


def create_index(directory: Path) -> FileIndex:
    """A new, empty index in `directory` (created; it must not exist)."""
    directory.mkdir()
    return whoosh_index.create_in(str(directory), build_schema())


def open_index(directory: Path, readonly: bool = False) -> FileIndex:
    return whoosh_index.open_dir(str(directory), readonly=readonly)


def new_writer(ix: FileIndex, procs: int = 1, **options: object) -> SegmentWriter:
    """A writer with our codec and TermPool: `procs` > 1 writes one segment per process."""
    if procs > 1:
        return ArnewsMpWriter(ix, procs=procs, limitmb=128)
    return ArnewsSegmentWriter(ix, **options)


def add_articles(writer: SegmentWriter, articles: Iterable[IndexedArticle]) -> None:
    """Hand articles to a writer (their text fields are analyzed there, once per article)."""
    for a in articles:
        writer.add_document(id=a.id, **whoosh_fields(a.title, a.body))


def delete_article(writer: SegmentWriter, article_id: str) -> None:
    writer.delete_by_term("id", article_id)


def verify_index(ix: FileIndex, expected: int, sample_id: str | None) -> str | None:
    """What is wrong with a just-written index (None: it holds `expected` documents, the sample
    article is searchable by id, and the body field has terms)."""
    with ix.searcher() as s:
        n_ix = s.doc_count()
        if n_ix != expected:
            return f"index has {n_ix}, expected {expected}"
        if sample_id is not None and s.search(Term("id", sample_id), limit=1).scored_length() != 1:
            return f"article {sample_id} is not searchable"
        reader = s.reader()
        term = next((t for t in reader.lexicon("body") if reader.doc_frequency("body", t) > 0), None)
        if expected and term is None:
            return "the body field has no terms"
    return None


def exact_vocabulary(ix: FileIndex) -> set[str]:
    """Every exact (normalized, unstemmed) term of titles and bodies."""
    with ix.searcher() as s:
        reader = s.reader()
        return {t.decode("utf-8") for field in EXACT_FIELDS for t in reader.lexicon(field)}
