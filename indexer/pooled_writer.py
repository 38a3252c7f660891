"""Whoosh's `SegmentWriter.add_document` for articles of the full schema, into a TermPool.

Whoosh adds a document one posting at a time: each field yields (term bytes, frequency, weight,
encoded positions) items, and each becomes a (field, term, docnum, weight, value) tuple handed
to the pool in its own call; about 1.5 µs a posting, 8 of a sub-writer's 30 seconds on half the
bundled corpus. Here each pre-analyzed field's terms go to the pool in one call
(`TermPool.add_terms`); the document's other fields (the id), its field lengths and stored
values take Whoosh's own steps. Any other document (boosts, a pool of
Whoosh's) goes to Whoosh's `add_document` unchanged. Same segment either way (tested).
"""

from __future__ import annotations

from types import MethodType

from whoosh import writing

from indexer.preanalyzed import ArticleText, analyzed
from indexer.termpool import TermPool

_whoosh_add_document = writing.SegmentWriter.add_document


def add_document(self, **fields) -> None:  # type: ignore[no-untyped-def]
    pool = self.pool
    pre_analyzed = any(isinstance(v, ArticleText) for v in fields.values())
    if not pre_analyzed or not isinstance(pool, TermPool) or any(n.startswith("_") for n in fields):
        _whoosh_add_document(self, **fields)
        return
    self._check_state()
    schema = self.schema
    names = sorted(fields)
    self._check_fields(schema, names)
    docnum = self.docnum
    perdoc = self.perdocwriter
    perdoc.start_doc(docnum)
    try:
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            if isinstance(value, ArticleText) and field.scorable:
                length = pool.add_terms(name, docnum, analyzed(value)[field.role], field.format.encode)
                perdoc.add_field(name, field, None, length)
                continue
            # any other field, as Whoosh adds it (indexed terms, length, stored value, column)
            length = 0
            if field.indexed:
                for tbytes, freq, weight, vbytes in field.index(value):
                    if field.scorable:
                        length += freq
                    pool.add((name, tbytes, docnum, weight * 1.0, vbytes))  # (Whoosh: times the boost, 1.0)
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
    except Exception:
        perdoc.cancel_doc()
        raise
    perdoc.finish_doc()
    self._added = True
    self.docnum += 1


def use_term_pool(writer, **pool_options):  # type: ignore[no-untyped-def]
    """`writer` (a one-process SegmentWriter) with its postings in a TermPool, added as above."""
    writer.pool = TermPool(**pool_options)
    writer.add_document = MethodType(add_document, writer)
    return writer


def install_in_process() -> None:
    """Every SegmentWriter this process makes holds its postings in a TermPool, added as above
    (for Whoosh's multiprocess sub-writers, which make their own)."""
    writing.PostingPool = TermPool
    writing.SegmentWriter.add_document = add_document
