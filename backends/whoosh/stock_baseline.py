"""Stock Whoosh as a user would set it up (StandardAnalyzer, facets by `groupedby`), for the
benchmarks' baseline (benchmarks/baselines.py). It lives in the Whoosh adapter package only
because that is the one place allowed to import Whoosh; it uses none of our codec, writer or
analyzer classes, so the baseline runs on unmodified Whoosh."""

from __future__ import annotations

import shutil
import time
from datetime import datetime
from pathlib import Path

from indexer.article import Article


def build_whoosh_standard(articles: list[Article], persons: dict[str, list[str]], path: Path, procs: int = 2) -> float:
    """Out-of-the-box Whoosh: StandardAnalyzer text fields, title and body stored, outlet, date and
    persons as sortable facet fields; seconds to build (persons come from our index, not timed)."""
    from whoosh import fields, index
    from whoosh.analysis import StandardAnalyzer

    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StandardAnalyzer(), stored=True),
        body=fields.TEXT(analyzer=StandardAnalyzer(), stored=True),
        outlet=fields.ID(stored=True, sortable=True),
        date=fields.DATETIME(stored=True, sortable=True),
        # term vectors: the documented way to facet on a multi-valued field (allow_overlap);
        # without them Whoosh rebuilds every document's value list on every search
        person=fields.KEYWORD(commas=True, stored=True, vector=True),
    )
    t0 = time.perf_counter()
    ix = index.create_in(str(path), schema)
    writer = ix.writer(procs=procs, multisegment=True, limitmb=128) if procs > 1 else ix.writer(limitmb=256)
    for a in articles:
        doc = {"id": a.id, "title": a.title, "body": a.body, "outlet": a.outlet,
               "person": ",".join(p.replace(",", " ") for p in persons.get(a.id, []))}
        if a.date:
            doc["date"] = datetime.fromisoformat(a.date)
        writer.add_document(**doc)
    writer.commit()
    return time.perf_counter() - t0


def _overlap_facet(fieldname: str):
    """FieldFacet(allow_overlap=True) over term vectors. Whoosh 2.7 raises a bare Exception for a
    document without a vector (an article that names nobody) where its categorizer expects
    KeyError; such a document simply has no value here."""
    from whoosh import sorting

    class Categorizer(sorting.OverlappingCategorizer):
        def keys_for(self, matcher, docid):
            if not self._segment_searcher.reader().has_vector(docid, self._fieldname):
                return []
            return super().keys_for(matcher, docid)

    class Facet(sorting.FieldFacet):
        def categorizer(self, global_searcher):
            return Categorizer(global_searcher, self.fieldname)

    return Facet(fieldname, allow_overlap=True, maptype=sorting.Count)


def whoosh_standard_searches(path: Path, queries: list[str]) -> tuple[list[float], list[float]]:
    """Per query, ms for (top-10 alone, top-10 + outlet/person/month facets by groupedby)."""
    from whoosh import index, sorting
    from whoosh.qparser import MultifieldParser, OrGroup
    from whoosh.support.relativedelta import relativedelta

    ix = index.open_dir(str(path))
    plain: list[float] = []
    faceted: list[float] = []
    with ix.searcher() as s:
        parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)
        dates = [d for d in (s.reader().column_reader("date")) if d]
        start, end = min(dates), max(dates) + relativedelta(months=1)
        facets = {
            "outlet": sorting.FieldFacet("outlet", maptype=sorting.Count),
            "person": _overlap_facet("person"),
            "month": sorting.DateRangeFacet("date", start, end, relativedelta(months=1), maptype=sorting.Count),
        }
        for q in queries:
            query = parser.parse(q)
            t = time.perf_counter()
            s.search(query, limit=10)
            plain.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            r = s.search(query, limit=10, groupedby=facets)
            for name in facets:
                r.groups(name)
            faceted.append((time.perf_counter() - t) * 1000)
    return plain, faceted
