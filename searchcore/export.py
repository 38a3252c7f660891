"""Every article of a search (not one page of it), in the search's order, up to EXPORT_CAP: what
the CSV, JSON and Atom exports write. Read from the engine in chunks, each with its own time
budget and without facets, so an export streams instead of building one huge answer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from indexer.outlets import outlet_name
from searchcore.deadline import Deadline
from searchcore.engine import EngineHandle
from searchcore.highlight import snippet
from searchcore.limits import MAX_RESULT_DEPTH
from searchcore.params import SearchParams
from searchcore.query import ParsedQuery
from searchcore.search import answer

EXPORT_CAP = MAX_RESULT_DEPTH  # articles per export
CHUNK = 500
COLUMNS = ("date", "outlet", "outlet_name", "title", "url", "persons", "snippet", "id")


@dataclass
class Export:
    query: str
    total: int  # all matching articles
    cap: int
    messages: list[str]
    rows: Iterator[dict[str, Any]]  # at most min(total, cap) rows, in the search's order


def export_articles(handle: EngineHandle, params: SearchParams, cap: int = EXPORT_CAP) -> Export:
    engine = handle.snapshot()
    first_params = replace(params, page=1, per_page=min(CHUNK, cap), warnings=list(params.warnings))
    pq, req, first, _ = answer(engine, first_params, facets=False)
    wanted = min(first.total, cap)

    def rows() -> Iterator[dict[str, Any]]:
        hits, start = first.hits, 0
        while True:
            for row in hits[: wanted - start]:
                yield _plain(row, pq)
            start += len(hits)
            if start >= wanted or not hits:
                return
            chunk = replace(req, start=start, size=min(CHUNK, wanted - start), deadline=Deadline())
            hits = engine.search(chunk).hits

    messages = list(params.warnings) + pq.messages
    return Export(query=params.q, total=first.total, cap=cap, messages=messages, rows=rows())


def _plain(row: dict[str, Any], pq: ParsedQuery) -> dict[str, Any]:
    return {"date": row["date"], "outlet": row["outlet"], "outlet_name": outlet_name(row["outlet"]),
            "title": row["title"], "url": row["url"], "persons": list(row["persons"]),
            "snippet": snippet(row["body"], pq.exact_terms, pq.stem_terms, pq.prefixes).striptags(),
            "id": row["id"]}
