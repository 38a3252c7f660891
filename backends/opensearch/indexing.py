"""`reindex` into OpenSearch: a new index per generation, loaded in bulk, verified, then the
alias swapped to it in one atomic call; a failed or killed run leaves the alias (and what it
serves) as it was. Older generations are deleted after a swap, and orphans of killed runs at the
start of the next one."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.helpers import streaming_bulk

from analyzers import stem
from analyzers.terms import exact_terms
from backends.opensearch.client import connect
from backends.opensearch.mapping import index_body
from backends.opensearch.settings import OpenSearchSettings
from indexer.article import Article
from indexer.build import ReindexFailed, ReindexResult, extracted_batches
from indexer.readers import read_corpus
from indexer.report import ReadReport

BULK_DOCS = 500  # documents per bulk request (and at most BULK_BYTES)
BULK_BYTES = 8 * 1024 * 1024


def document(a: Article) -> dict[str, Any]:
    """An article as OpenSearch stores it: its text pre-analysed by our chain."""
    title, body = exact_terms(a.title), exact_terms(a.body)
    return {
        "id": a.id, "title": a.title, "body": a.body,
        "title_exact": " ".join(title), "body_exact": " ".join(body),
        "title_stem": " ".join(stem(t) for t in title), "body_stem": " ".join(stem(t) for t in body),
        "outlet": a.outlet, "date": a.date, "url": a.url, "author": a.author, "persons": a.persons,
        "content_hash": a.content_hash,
    }


def live_generation(client: OpenSearch, settings: OpenSearchSettings) -> str | None:
    """The index the alias points at (None before the first reindex)."""
    if not client.indices.exists_alias(name=settings.alias):
        return None
    names = list(client.indices.get_alias(name=settings.alias))
    return names[0] if names else None


def generations(client: OpenSearch, settings: OpenSearchSettings) -> list[str]:
    return sorted(client.indices.get(index=f"{settings.alias}-*", expand_wildcards="open,closed"))


def reindex_opensearch(settings: OpenSearchSettings, paths: list[Path], *, strict: bool = False,
                       procs: int = 1, progress: Callable[[int], None] | None = None) -> ReindexResult:
    """A full rebuild from `paths` into a new generation, swapped in only when complete."""
    t0 = time.perf_counter()
    client = connect(settings)
    live = live_generation(client, settings)
    for orphan in generations(client, settings):  # left by a killed run: never served
        if orphan != live:
            client.indices.delete(index=orphan, ignore_unavailable=True)
    name = settings.generation_name(datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f"))
    client.indices.create(index=name, body=index_body(settings.shards, settings.replicas))
    report = ReadReport()
    try:
        ids: set[str] = set()

        def actions() -> Iterator[dict[str, Any]]:
            for batch in extracted_batches(read_corpus(paths, report), procs):
                for a in batch:
                    ids.add(a.id)
                    yield {"_index": name, "_id": a.id, "_source": document(a)}
                if progress:
                    progress(len(batch))

        failures = []
        for ok, item in streaming_bulk(client, actions(), chunk_size=BULK_DOCS, max_chunk_bytes=BULK_BYTES,
                                       max_retries=5, initial_backoff=1, max_backoff=30, raise_on_error=False,
                                       raise_on_exception=True):
            if not ok:
                failures.append(item)
        if failures:
            first = next(iter(failures[0].values()))
            raise ReindexFailed(f"{len(failures)} article(s) refused by the cluster, first: "
                                f"{first.get('_id')}: {first.get('error')}")
        if strict and report.problems:
            p = report.problems[0]
            raise ReindexFailed(f"--strict: {len(report.problems)} problem(s) in the input, first: "
                                f"{p.file} [{p.position}] {p.reason}")
        if not ids:
            raise ReindexFailed(f"no articles found in {', '.join(map(str, paths))}")
        client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
        client.indices.refresh(index=name)
        count = client.count(index=name)["count"]
        if count != len(ids):
            raise ReindexFailed(f"verification failed: the new index holds {count} articles, expected {len(ids)}")
        swap = [{"add": {"index": name, "alias": settings.alias}}]
        if live:
            swap.insert(0, {"remove": {"index": live, "alias": settings.alias}})
        client.indices.update_aliases(body={"actions": swap})  # atomic: readers see old or new
    except BaseException:
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    if live:
        client.indices.delete(index=live, ignore_unavailable=True)
    result = ReindexResult(mode="full", articles=len(ids), added=len(ids), report=report, generation=name)
    result.seconds = time.perf_counter() - t0
    return result


def stats_opensearch(settings: OpenSearchSettings) -> dict[str, Any]:
    """What the alias serves: generation, articles, outlets, dates, persons, cluster health."""
    client = connect(settings)
    live = live_generation(client, settings)
    if live is None:
        return {"backend": "opensearch", "url": settings.url, "alias": settings.alias, "generation": None,
                "articles": 0}
    aggs = client.search(index=settings.alias, body={
        "size": 0, "track_total_hits": True,
        "aggs": {"outlets": {"terms": {"field": "outlet", "size": 1000}},
                 "first": {"min": {"field": "date", "format": "strict_date"}},
                 "last": {"max": {"field": "date", "format": "strict_date"}},
                 "persons": {"cardinality": {"field": "persons"}}}})
    a = aggs["aggregations"]
    return {
        "backend": "opensearch", "url": settings.url, "alias": settings.alias, "generation": live,
        "articles": aggs["hits"]["total"]["value"],
        "outlets": {b["key"]: b["doc_count"] for b in a["outlets"]["buckets"]},
        "dates": {"first": a["first"].get("value_as_string"), "last": a["last"].get("value_as_string")},
        "distinct_persons": a["persons"]["value"],
        "health": client.cluster.health()["status"],
    }
