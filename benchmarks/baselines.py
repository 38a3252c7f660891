"""The engines a user would pick instead, built on the same articles and asked the same queries:
stock Whoosh with its StandardAnalyzer (facets by `groupedby`), tantivy with its Snowball
Arabic stemmer, and stock Lucene with its ArabicAnalyzer (when a JDK and Debian's Lucene jars
are installed). Used by benchmarks/suite.py."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from indexer.article import Article

Timer = Callable[[], float]


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


def _tantivy_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True, tokenizer_name="ar_stem")
    sb.add_text_field("body", stored=True, tokenizer_name="ar_stem")
    sb.add_text_field("outlet", stored=True, tokenizer_name="raw", fast=True)
    return sb.build()


def _tantivy_index(path: Path):
    import tantivy

    index = tantivy.Index(_tantivy_schema(), path=str(path))
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                .filter(tantivy.Filter.lowercase())
                .filter(tantivy.Filter.stemmer("arabic"))
                .build())
    index.register_tokenizer("ar_stem", analyzer)
    return index


def build_tantivy(articles: list[Article], path: Path) -> float:
    """tantivy with a simple tokenizer, lowercase and Snowball Arabic stemming, title and body
    stored; seconds to build and commit (its writer uses all cores)."""
    import tantivy

    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    t0 = time.perf_counter()
    index = _tantivy_index(path)
    writer = index.writer(heap_size=256_000_000)
    for a in articles:
        writer.add_document(tantivy.Document(id=a.id, title=a.title, body=a.body, outlet=a.outlet))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - t0


def tantivy_searches(path: Path, queries: list[str]) -> list[float]:
    """Per query, ms for a top-10 search (query parsing included, as for the others)."""
    index = _tantivy_index(path)
    index.reload()
    searcher = index.searcher()
    out = []
    for q in queries:
        t = time.perf_counter()
        query, _errors = index.parse_query_lenient(q, ["title", "body"])
        searcher.search(query, 10)
        out.append((time.perf_counter() - t) * 1000)
    return out


# Lucene: Debian's package (liblucene4.10-java, Lucene 4.10.4) is the Lucene this project's
# machines can install; Maven Central is not reachable from them.
LUCENE_JARS = tuple(
    Path("/usr/share/java") / f"lucene-{m}-4.10.4.jar" for m in ("core", "analyzers-common", "queryparser")
)
LUCENE_SOURCE = Path(__file__).resolve().parent / "lucene" / "LuceneBench.java"


def lucene_missing() -> str | None:
    """Why the Lucene baseline cannot run here, or None."""
    if not (shutil.which("java") and shutil.which("javac")):
        return "no JDK (java, javac)"
    missing = [j.name for j in LUCENE_JARS if not j.exists()]
    if missing:
        return f"no Lucene jars ({', '.join(missing)}): apt-get install liblucene4.10-java"
    return None


def lucene_run(articles: list[Article], queries: list[str], work: Path) -> dict:
    """Build a stock Lucene index (ArabicAnalyzer, title and body stored, one indexing thread) and
    time the queries' top-10 searches in the JVM (after a warm-up pass). {"build_s", "top10_ms"}."""
    import json
    import subprocess

    classes = work / "lucene-classes"
    classpath = ":".join(str(j) for j in LUCENE_JARS)
    if not (classes / "arnews" / "LuceneBench.class").exists():
        subprocess.run(["javac", "-nowarn", "-d", str(classes), "-cp", classpath, str(LUCENE_SOURCE)],
                       check=True, capture_output=True)
    tsv = work / "lucene-articles.tsv"
    with tsv.open("w", encoding="utf-8") as f:
        for a in articles:
            clean = [" ".join(x.split()) for x in (a.id, a.title, a.body)]
            f.write("\t".join(clean) + "\n")
    qfile = work / "lucene-queries.txt"
    qfile.write_text("\n".join(queries) + "\n", encoding="utf-8")
    index = work / "lucene-index"
    shutil.rmtree(index, ignore_errors=True)
    out = subprocess.run(["java", "-Xmx2g", "-cp", f"{classes}:{classpath}", "arnews.LuceneBench", str(tsv),
                          str(index), str(qfile)], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["index_mb"] = sum(p.stat().st_size for p in index.iterdir()) / 1e6
    return result
