"""`reindex` into OpenSearch: a new index per generation, loaded in bulk, verified, then the
alias swapped to it in one atomic call; a failed or killed run leaves the alias (and what it
serves) as it was. Older generations are deleted after a swap, and orphans of killed runs at the
start of the next one."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from opensearchpy import OpenSearch
from opensearchpy.helpers import scan, streaming_bulk

from analyzers import stem
from analyzers.terms import exact_terms
from backends.opensearch import sidecar
from backends.opensearch.client import connect
from backends.opensearch.lock import ClusterReindexLock
from backends.opensearch.mapping import index_body
from backends.opensearch.settings import OpenSearchSettings
from indexer.article import Article
from indexer.build import ReindexFailed, ReindexResult, extracted_batches
from indexer.outlets import UNKNOWN
from indexer.readers import read_corpus
from indexer.report import ReadReport
from searchcore.person_catalog import PersonCatalog, name_keys
from searchcore.ranking import WEIGHTS, RankingWeights

BULK_DOCS = 500  # documents per bulk request (and at most BULK_BYTES)
BULK_BYTES = 8 * 1024 * 1024


def person_fields(pairs: list[tuple[str, str]], catalog: PersonCatalog) -> dict[str, list[str]]:
    """An article's persons (its `name_keys`) as the catalog counts them: every key (selection)
    and the facetable ones (the person facet)."""
    keys = catalog.article_keys(pairs)
    return {"person_keys": keys, "person_facet": [k for k in keys if k in catalog.facetable_keys]}


def document(a: Article, persons: dict[str, list[str]], weights: RankingWeights = WEIGHTS) -> dict[str, Any]:
    """An article as OpenSearch stores it: its text pre-analysed by our chain, its persons with
    their catalog keys (`person_fields`)."""
    title, body = exact_terms(a.title), exact_terms(a.body)
    title_stem, body_stem = [stem(t) for t in title], [stem(t) for t in body]
    repeat = int(weights.title_weight)
    return {
        "id": a.id, "title": a.title, "body": a.body,
        "title_exact": " ".join(title), "body_exact": " ".join(body),
        "title_stem": " ".join(title_stem), "body_stem": " ".join(body_stem),
        "rank_exact": " ".join(title * repeat + body), "rank_stem": " ".join(title_stem * repeat + body_stem),
        "outlet": a.outlet or UNKNOWN, "date": a.date, "url": a.url, "author": a.author, "persons": a.persons,
        **persons, "content_hash": a.content_hash,
    }


def _spooled(paths: list[Path], report: ReadReport, procs: int, spool: IO[bytes],
             progress: Callable[[int], None] | None) -> list[list[tuple[str, str]]]:
    """Pass one: read and extract every article into `spool` (one JSON line each), returning
    each article's person name keys (the catalog needs the whole corpus before any article is
    written with its facet keys)."""
    pairs = []
    for batch in extracted_batches(read_corpus(paths, report), procs):
        for a in batch:
            # the near-duplicate signature stays out: this backend has no groups (and JSON no bytes)
            record = {k: v for k, v in asdict(a).items() if k != "minhash"}
            spool.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            pairs.append(name_keys(a.persons))
        if progress:
            progress(len(batch))
    return pairs


def live_generation(client: OpenSearch, settings: OpenSearchSettings) -> str | None:
    """The index the alias points at (None before the first reindex)."""
    if not client.indices.exists_alias(name=settings.alias):
        return None
    names = list(client.indices.get_alias(name=settings.alias))
    return names[0] if names else None


def generations(client: OpenSearch, settings: OpenSearchSettings) -> list[str]:
    """The article indexes of the alias's generations (live or orphaned), without their sidecars."""
    names = client.indices.get(index=f"{settings.alias}-*", expand_wildcards="open,closed")
    return sorted(n for n in names if not sidecar.is_side_index(n))


def _delete_generation(client: OpenSearch, name: str) -> None:
    client.indices.delete(index=f"{name},{sidecar.side_index(name)}", ignore_unavailable=True)


def reindex_opensearch(settings: OpenSearchSettings, paths: list[Path], *, full: bool = True, prune: bool = False,
                       strict: bool = False, procs: int = 1,
                       progress: Callable[[int], None] | None = None,
                       report: ReadReport | None = None) -> ReindexResult:
    """A new generation from `paths`, swapped in only when complete and verified: a full
    rebuild, or (full=False, with a live generation) the live articles with the new and
    changed ones of `paths` (and without those no longer there, with prune)."""
    t0 = time.perf_counter()
    client = connect(settings)
    with ClusterReindexLock(client, settings):
        result = _reindex(client, settings, paths, full, prune, strict, procs, progress,
                          report if report is not None else ReadReport())
    result.seconds = time.perf_counter() - t0
    return result


def _reindex(client: OpenSearch, settings: OpenSearchSettings, paths: list[Path], full: bool, prune: bool,
             strict: bool, procs: int, progress: Callable[[int], None] | None, report: ReadReport) -> ReindexResult:
    live = live_generation(client, settings)
    for orphan in client.indices.get(index=f"{settings.alias}-*", expand_wildcards="open,closed"):
        if live is None or orphan not in (live, sidecar.side_index(live)):  # left by a killed run
            client.indices.delete(index=orphan, ignore_unavailable=True)
    if full or live is None:
        return _full(client, settings, live, paths, report, strict, procs, progress)
    return _incremental(client, settings, live, paths, report, prune, strict, procs, progress)


def _check_strict(report: ReadReport, strict: bool) -> None:
    if strict and report.problems:
        p = report.problems[0]
        raise ReindexFailed(f"--strict: {len(report.problems)} problem(s) in the input, first: "
                            f"{p.file} [{p.position}] {p.reason}")


def _full(client: OpenSearch, settings: OpenSearchSettings, live: str | None, paths: list[Path],
          report: ReadReport, strict: bool, procs: int, progress: Callable[[int], None] | None) -> ReindexResult:
    with tempfile.TemporaryFile(prefix="arnews-spool-") as spool:
        pairs = _spooled(paths, report, procs, spool, progress)
        _check_strict(report, strict)
        if not pairs:
            raise ReindexFailed(f"no articles found in {', '.join(map(str, paths))}")
        catalog = PersonCatalog.build(pairs)
        spool.seek(0)
        outlet_names: dict[str, str] = {}

        def docs() -> Iterator[dict[str, Any]]:
            for line, names in zip(spool, pairs, strict=True):
                a = Article(**json.loads(line))
                if a.outlet_name:
                    outlet_names[a.outlet] = a.outlet_name
                yield document(a, person_fields(names, catalog))

        name = _load(client, settings, live, docs(), len(pairs), catalog, outlet_names)
    return ReindexResult(mode="full", articles=len(pairs), added=len(pairs), report=report, generation=name)


def _incremental(client: OpenSearch, settings: OpenSearchSettings, live: str, paths: list[Path],
                 report: ReadReport, prune: bool, strict: bool, procs: int,
                 progress: Callable[[int], None] | None) -> ReindexResult:
    """Only new and changed articles are extracted; the others are copied from the live
    generation with their person keys recomputed (merging name forms is corpus-wide)."""
    old = {h["_id"]: (h["_source"].get("content_hash"), h["_source"].get("persons") or [])
           for h in scan(client, index=live, _source=["content_hash", "persons"], size=2000)}
    changed: list[Article] = []
    seen: set[str] = set()
    added = 0
    for a in read_corpus(paths, report):
        seen.add(a.id)
        known = old.get(a.id)
        if known is None or known[0] != a.content_hash:
            added += known is None
            changed.append(a)
        if progress:
            progress(1)
    _check_strict(report, strict)
    gone = {i for i in old if i not in seen} if prune else set()
    unchanged = len(seen) - len(changed)
    if not changed and not gone:
        return ReindexResult(mode="unchanged", articles=len(old), unchanged=unchanged, generation=live, report=report)
    extracted = [a for batch in extracted_batches(iter(changed), procs) for a in batch]
    replaced = {a.id for a in extracted} | gone
    kept = {i: name_keys(persons) for i, (_, persons) in old.items() if i not in replaced}
    new_pairs = [name_keys(a.persons) for a in extracted]
    catalog = PersonCatalog.build([*kept.values(), *new_pairs])

    def docs() -> Iterator[dict[str, Any]]:
        for h in scan(client, index=live, size=500):
            if h["_id"] not in replaced:
                yield {**h["_source"], **person_fields(kept[h["_id"]], catalog)}
        for a, pairs in zip(extracted, new_pairs, strict=True):
            yield document(a, person_fields(pairs, catalog))

    expected = len(old) - len(gone) + added
    outlet_names = {**sidecar.read_outlet_names(client, live), **{a.outlet: a.outlet_name for a in extracted
                                                                  if a.outlet_name}}
    name = _load(client, settings, live, docs(), expected, catalog, outlet_names)
    return ReindexResult(mode="incremental", articles=expected, added=added, updated=len(changed) - added,
                         unchanged=unchanged, pruned=len(gone), report=report, generation=name)


def _load(client: OpenSearch, settings: OpenSearchSettings, live: str | None, docs: Iterator[dict[str, Any]],
          expected: int, catalog: PersonCatalog, outlet_names: dict[str, str]) -> str:
    """A new generation holding `docs` (and its sidecar), verified to hold `expected` articles,
    then swapped in for `live` in one atomic alias update; deleted again on any failure."""
    name = settings.generation_name(datetime.now(UTC).strftime("%Y%m%d%H%M%S%f"))
    client.indices.create(index=name, body=index_body(settings.shards, settings.replicas))
    try:
        vocabulary: set[str] = set()

        def actions() -> Iterator[dict[str, Any]]:
            for doc in docs:
                vocabulary.update(doc["title_exact"].split(), doc["body_exact"].split())
                yield {"_index": name, "_id": doc["id"], "_source": doc}

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
        sidecar.write(client, name, sorted(vocabulary), catalog, settings.replicas, outlet_names)
        client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
        client.indices.refresh(index=name)
        count = client.count(index=name)["count"]
        if count != expected:
            raise ReindexFailed(f"verification failed: the new index holds {count} articles, expected {expected}")
        swap = [{"add": {"index": name, "alias": settings.alias}}]
        if live:
            swap.insert(0, {"remove": {"index": live, "alias": settings.alias}})
        client.indices.update_aliases(body={"actions": swap})  # atomic: readers see old or new
    except BaseException:
        _delete_generation(client, name)
        raise
    if live:
        _delete_generation(client, live)
    return name


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
                 "persons": {"cardinality": {"field": "person_facet", "precision_threshold": 40_000}}}})
    a = aggs["aggregations"]
    return {
        "backend": "opensearch", "url": settings.url, "alias": settings.alias, "generation": live,
        "articles": aggs["hits"]["total"]["value"],
        "outlets": {b["key"]: b["doc_count"] for b in a["outlets"]["buckets"]},
        "dates": {"first": a["first"].get("value_as_string"), "last": a["last"].get("value_as_string")},
        "distinct_persons": a["persons"]["value"],
        "health": client.cluster.health()["status"],
    }
