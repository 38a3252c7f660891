"""Search through OpenSearch: the search core's engine interface (searchcore/engine.py) over the
generation the alias serves. A server opens each generation once (its vocabulary, spelling
variants and person catalog from the generation's sidecar) and notices a swap of the alias
within a second, as the embedded engine notices a new generation on disk."""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import numpy as np
from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError, NotFoundError, TransportError

from backends.opensearch import sidecar
from backends.opensearch.client import ClusterUnavailable, connect
from backends.opensearch.indexing import live_generation
from backends.opensearch.querydsl import (
    HIDDEN,
    MATCH_NONE,
    date_selection,
    facet_aggregations,
    outlet_selection,
    person_selection,
    scoring,
    tree,
)
from backends.opensearch.settings import OpenSearchSettings
from indexer.outlets import register_outlet_names
from indexer.variants import VariantTable
from persons.canonical import person_key
from persons.latin import is_latin
from searchcore.cache import BUDGET, TermCache
from searchcore.engine import EngineRequest, EngineResult
from searchcore.errors import IndexUnavailable, SearchError
from searchcore.facets import DateFacet, OutletFacet, PersonFacet, person_filter_mask
from searchcore.limits import SEARCH_TIME_BUDGET_S
from searchcore.query import ParsedQuery

MAX_INCLUDED_KEYS = 5000  # persons a Latin-script facet filter may pick
ROW_FIELDS = ["id", "title", "body", "url", "outlet", "date", "author", "persons"]
T = TypeVar("T")


def _cluster(call: Callable[[], T]) -> T:
    """A cluster call; its failures become the search core's 'index unavailable' (HTTP 503)."""
    try:
        return call()
    except NotFoundError:
        raise IndexUnavailable("استُبدل الفهرس أثناء الإجابة، فأعد المحاولة "
                               "(the index was replaced while answering: try again).") from None
    except ConnectionError:
        raise IndexUnavailable("خادم البحث لا يجيب (the OpenSearch cluster cannot be reached).") from None
    except TransportError as e:
        raise IndexUnavailable(f"خادم البحث رفض الطلب (the OpenSearch cluster answered {e.status_code}: "
                               f"{e.error}).") from None


class VocabularyTerms:
    """What the query parser asks of an index (searchcore/index_reader.QueryIndex): prefix
    expansion from the generation's exact vocabulary, document frequencies from the cluster."""

    def __init__(self, client: OpenSearch, generation: str, vocabulary: list[str]) -> None:
        self.client, self.generation, self.vocabulary = client, generation, vocabulary
        self._df: TermCache[int] = TermCache(20_000)

    def prefix_terms(self, field: str, prefix: str, limit: int) -> list[str] | None:
        """Terms of titles or bodies starting with `prefix` (the parser bounds their union)."""
        i = bisect.bisect_left(self.vocabulary, prefix)
        out = []
        while i < len(self.vocabulary) and self.vocabulary[i].startswith(prefix):
            if len(out) == limit:
                return None
            out.append(self.vocabulary[i])
            i += 1
        return out

    def doc_frequency(self, field: str, term: str) -> int:
        def count() -> int:
            body = {"query": {"term": {field: term}}}
            return int(_cluster(lambda: self.client.count(index=self.generation, body=body))["count"])

        return self._df.get((field, term), count)


class OpenSearchEngine:
    def __init__(self, client: OpenSearch, generation: str) -> None:
        self.client = client
        self.generation = generation
        vocabulary = _cluster(lambda: sidecar.read_vocabulary(client, generation))
        self.persons = _cluster(lambda: sidecar.read_persons(client, generation))
        register_outlet_names(_cluster(lambda: sidecar.read_outlet_names(client, generation)))
        self.index = VocabularyTerms(client, generation, vocabulary)
        self.variant_table = VariantTable.build(vocabulary)
        self._variants: TermCache[tuple[str, ...]] = TermCache(20_000)

    def variants(self, word: str) -> tuple[str, ...]:
        return self._variants.get(word, lambda: self.variant_table.variants(word))

    def _query(self, pq: ParsedQuery, scored: bool) -> dict[str, Any]:
        if pq.query is None:
            return {"match_all": {}} if not pq.text else MATCH_NONE
        query: dict[str, Any] = {"bool": {"filter": [tree(pq.query)]}}
        if scored:
            query["bool"]["should"] = scoring(pq.rank_words, pq.prefixes, self.variants)
        return query

    def search(self, req: EngineRequest) -> EngineResult:
        pq, params = req.pq, req.params
        relevance = req.sort == "relevance" and pq.query is not None
        selections = {
            "person": person_selection(params.persons, self.persons),
            "outlet": outlet_selection(params.outlets),
            "date": date_selection(params.date_from.isoformat() if params.date_from else None,
                                   params.date_to.isoformat() if params.date_to else None),
        }
        selected_keys = list(dict.fromkeys(self.persons.canonical_key(s) for s in params.persons))
        if relevance:
            order: list[Any] = [{"_score": "desc"}, {"id": "asc"}]
        else:
            direction = "asc" if req.sort == "oldest" else "desc"
            order = [{"date": {"order": direction, "missing": "_last"}}, {"id": "asc"}]
        body: dict[str, Any] = {
            "query": self._query(pq, relevance), "from": req.start, "size": req.size, "sort": order,
            "track_total_hits": True, "_source": ROW_FIELDS, "timeout": f"{int(req.deadline.remaining() * 1000)}ms",
        }
        if req.facets:
            body["aggs"] = facet_aggregations(selections, params.facet_size, selected_keys,
                                              self._person_contains(params.person_contains),
                                              within=params.within_selection)
        post = [q for q in selections.values() if q is not None]
        if post:
            body["post_filter"] = {"bool": {"filter": post}}
        if params.explain and relevance:
            body["explain"] = True
        res = _cluster(lambda: self.client.search(
            index=self.generation, body=body, search_type="dfs_query_then_fetch" if relevance else None,
            filter_path=HIDDEN, request_timeout=req.deadline.remaining() + SEARCH_TIME_BUDGET_S))
        hits = []
        for h in res["hits"]["hits"]:
            row = {k: h["_source"].get(k) for k in ROW_FIELDS}
            row["persons"] = row["persons"] or []
            if "_explanation" in h:
                row["explain"] = {"score": h["_score"], "engine": "opensearch", "explanation": h["_explanation"]}
            hits.append(row)
        result = EngineResult(total=int(res["hits"]["total"]["value"]), hits=hits, partial=bool(res.get("timed_out")))
        if not req.facets:
            return result
        aggs = res["aggregations"]
        result.facets["person"], result.facet_info["person_total"] = self._persons(aggs["person"], req)
        result.facets["outlet"] = OutletFacet.present(
            {b["key"]: b["doc_count"] for b in aggs["outlet"]["values"]["buckets"]}, params)
        days = aggs["date"]["days"]["buckets"]
        result.facets["date"], info = DateFacet.present(
            np.array([date.fromisoformat(b["key_as_string"]).toordinal() for b in days], dtype=np.int64),
            np.array([b["doc_count"] for b in days], dtype=np.int64), params)
        result.facet_info.update(info)
        return result

    def _person_contains(self, text: str) -> str | list[str] | None:
        """The person facet's filter: a key substring, or for Latin-script text the keys it picks."""
        if not text:
            return None
        if is_latin(text):
            mask = person_filter_mask(self.persons, text) & np.array(self.persons.facetable, dtype=bool)
            return [self.persons.keys[i] for i in np.flatnonzero(mask)][:MAX_INCLUDED_KEYS]
        return person_key(text)

    def _persons(self, agg: dict[str, Any], req: EngineRequest) -> tuple[list[dict], int]:
        catalog, params = self.persons, req.params
        top, total = agg["top"]["buckets"], int(agg["counted"]["count"])
        rows = [(b["key"], catalog.display[catalog.index[b["key"]]], int(b["doc_count"])) for b in top]
        counts = {b["key"]: int(b["doc_count"]) for b in agg.get("selected", {}).get("buckets", [])}
        return PersonFacet.present(rows, catalog.selected(params.persons, lambda key: counts.get(key, 0))), total

    def article(self, article_id: str) -> dict | None:
        doc = _cluster(lambda: self.client.get(index=self.generation, id=article_id, _source_includes=ROW_FIELDS,
                                               ignore=404))
        if not doc.get("found"):
            return None
        row = {k: doc["_source"].get(k) for k in ROW_FIELDS}
        row["persons"] = row["persons"] or []
        return row

    def explain(self, pq: ParsedQuery, article_id: str) -> dict[str, Any]:
        """Lucene's own explanation of the article's score, and its rank among the matches."""
        query = self._query(pq, scored=True)
        try:
            res = self.client.explain(index=self.generation, id=article_id, body={"query": query})
        except NotFoundError:
            raise SearchError("no such article") from None
        total = _cluster(lambda: self.client.count(index=self.generation, body={"query": query}))["count"]
        out: dict[str, Any] = {"engine": "opensearch", "matches": bool(res["matched"]), "total": int(total),
                               "score": round(float(res["explanation"]["value"]), 4) if res["matched"] else 0.0,
                               "rank": None, "explanation": res["explanation"]}
        if res["matched"]:
            above = _cluster(lambda: self.client.search(index=self.generation, body={
                "query": query, "size": 0, "track_total_hits": True,
                "min_score": float(np.nextafter(np.float32(res["explanation"]["value"]), np.float32(np.inf)))},
                search_type="dfs_query_then_fetch"))
            out["rank"] = int(above["hits"]["total"]["value"]) + 1
        out["words"] = [{"exact": w.exact, "stem": w.stem, "variants": list(self.variants(w.exact))}
                        for w in pq.rank_words]
        return out

    def health(self) -> dict[str, Any]:
        count = _cluster(lambda: self.client.count(index=self.generation))["count"]
        stamp = self.generation.rsplit("-", 1)[-1]
        try:
            built = datetime.strptime(stamp, "%Y%m%d%H%M%S%f").isoformat(timespec="seconds") + "Z"
        except ValueError:
            built = None
        return {"status": "ok", "articles": int(count), "built_at": built, "generation": self.generation,
                "backend": "opensearch", "cache": BUDGET.stats()}


class OpenSearchHandle:
    """The engine for the generation the alias serves, shared by a process's threads."""

    RECHECK_S = 1.0  # how long a resolved alias is trusted

    def __init__(self, settings: OpenSearchSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._client: OpenSearch | None = None
        self._engine: OpenSearchEngine | None = None
        self._checked = 0.0

    def snapshot(self) -> OpenSearchEngine:
        engine = self._engine
        if engine is not None and time.monotonic() - self._checked < self.RECHECK_S:
            return engine
        with self._lock:
            try:
                if self._client is None:
                    self._client = connect(self.settings)
                live = _cluster(lambda: live_generation(self._client, self.settings))  # type: ignore[arg-type]
            except ClusterUnavailable as e:
                raise IndexUnavailable(f"خادم البحث لا يجيب ({e}).") from None
            if live is None:
                raise IndexUnavailable(f"لم يُبنَ فهرس بعد (no index has been built yet on the cluster (alias "
                                       f"{self.settings.alias}): build one with "
                                       "`arnews --backend opensearch reindex`).")
            if self._engine is None or self._engine.generation != live:
                self._engine = OpenSearchEngine(self._client, live)
            self._checked = time.monotonic()
            return self._engine
