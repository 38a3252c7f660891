"""The engines a user would pick instead, built on the same articles and asked the same queries:
stock Whoosh with its StandardAnalyzer (facets by `groupedby`), tantivy with its Snowball
Arabic stemmer, and stock Lucene with its ArabicAnalyzer (when a JDK and Debian's Lucene jars
are installed). Used by benchmarks/suite.py."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from backends.whoosh.stock_baseline import build_whoosh_standard, whoosh_standard_searches
from indexer.article import Article

Timer = Callable[[], float]
__all__ = ["build_whoosh_standard", "whoosh_standard_searches", "build_tantivy", "tantivy_searches", "lucene_run",
           "lucene_missing"]


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
