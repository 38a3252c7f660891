"""The search core: one function per thing a user asks, returning plain JSON-ready dicts.

Used by the CLI and the web app alike; nothing here imports Flask. Whatever engine answers
(searchcore/engine.py: the embedded index or an OpenSearch cluster), the query is parsed, the
snippets highlighted and the response shaped here, so both give the same response.
"""

from __future__ import annotations

import time
from typing import Any

from indexer.outlets import outlet_name
from persons.latin import romanize
from searchcore.deadline import PARTIAL_MESSAGE, Deadline
from searchcore.engine import EngineHandle, EngineRequest, EngineResult, SearchEngine
from searchcore.errors import SearchError
from searchcore.highlight import highlight_full, snippet
from searchcore.params import SearchParams
from searchcore.query import ParsedQuery, parse_user_query

_RELAXED = ("لا توجد مقالات تحوي كل الكلمات؛ هذه نتائج تحوي بعضها (no article has all the words: "
            "showing articles with any of them).")
_NO_COLLAPSE = ("دمج النسخ المتشابهة غير متاح مع هذا المحرك، فعُرضت النسخ كلها "
                "(collapsing near-duplicates is not supported by this engine: all copies are shown).")


def _request(pq: ParsedQuery, params: SearchParams, deadline: Deadline, facets: bool) -> EngineRequest:
    sort = params.sort if pq.query is not None else ("oldest" if params.sort == "oldest" else "newest")
    return EngineRequest(pq, params, sort, (params.page - 1) * params.per_page, params.per_page, deadline, facets)


def answer(engine: SearchEngine, params: SearchParams,
           facets: bool = True) -> tuple[ParsedQuery, EngineRequest, EngineResult, bool]:
    """The engine's answer; with match=all and nothing found, the any-word answer if it has hits
    (both within the one request's time budget). facets=False: hits and total only."""
    deadline = Deadline()
    pq = parse_user_query(params.q, engine.index, params.match, engine.persons)
    req = _request(pq, params, deadline, facets)
    result = engine.search(req)
    if result.total == 0 and params.match == "all" and pq.query is not None and pq.words > 1 \
            and not deadline.passed():
        pq_any = parse_user_query(params.q, engine.index, "any", engine.persons)
        req_any = _request(pq_any, params, deadline, facets)
        result_any = engine.search(req_any)
        if result_any.total:
            return pq_any, req_any, result_any, True
    return pq, req, result, False


def run_search(handle: EngineHandle, params: SearchParams) -> dict[str, Any]:
    """Ranked hits with snippets, and disjunctive facet counts, for one set of parameters."""
    t0 = time.perf_counter()
    engine = handle.snapshot()
    pq, req, result, relaxed = answer(engine, params)
    collapsed = result.matched is not None
    messages = list(params.warnings) + pq.messages + ([_RELAXED] if relaxed else []) \
        + ([PARTIAL_MESSAGE] if result.partial else []) \
        + ([_NO_COLLAPSE] if params.collapse and not collapsed else [])
    hits = []
    for row in result.hits:
        hit = {
            "id": row["id"],
            "title": row["title"],
            "url": row["url"],
            "outlet": row["outlet"],
            "outlet_name": outlet_name(row["outlet"]),
            "date": row["date"],
            "persons": row["persons"],
            "persons_latin": [romanize(p) for p in row["persons"]],
            "snippet": str(snippet(row["body"], pq.exact_terms, pq.stem_terms, pq.prefixes)),
            "title_html": str(highlight_full(row["title"], pq.exact_terms, pq.stem_terms, pq.prefixes)),
        }
        hit["near_duplicates"] = [{"id": i, "outlet": o, "outlet_name": outlet_name(o)}
                                  for i, o in row.get("near_duplicates", [])]
        if "explain" in row:
            hit["explain"] = row["explain"]
        hits.append(hit)
    total = result.total
    return {
        "query": params.q,
        "total": total,
        "took_ms": round((time.perf_counter() - t0) * 1000, 2),
        "page": params.page,
        "per_page": params.per_page,
        "pages": (total + params.per_page - 1) // params.per_page,
        "sort": req.sort,
        "match": "any" if relaxed else params.match,
        "relaxed": relaxed,
        "partial": result.partial,
        "collapsed": collapsed,
        "articles_total": total if result.matched is None else result.matched,
        "messages": messages,
        "filters": {
            "person": params.persons,
            "outlet": params.outlets,
            "from": params.date_from.isoformat() if params.date_from else None,
            "to": params.date_to.isoformat() if params.date_to else None,
        },
        "hits": hits,
        "facets": result.facets,
        "facet_info": result.facet_info,
    }


def explain(handle: EngineHandle, q: str, article_id: str, match: str = "any") -> dict[str, Any]:
    """Why one article scores what it does for a query (each word's signals), and its rank."""
    engine = handle.snapshot()
    pq = parse_user_query(q, engine.index, match, engine.persons)
    if pq.query is None:
        raise SearchError("الاستعلام لا يحوي كلمات يمكن البحث عنها (only common words).")
    out = engine.explain(pq, article_id)
    out.update({"id": article_id, "query": q, "match": match, "messages": pq.messages})
    return out


def get_article(handle: EngineHandle, article_id: str, q: str = "") -> dict[str, Any]:
    """One article; with `q`, also the body and title with the query's matches highlighted."""
    engine = handle.snapshot()
    row = engine.article(article_id[:200])
    if row is None:
        raise SearchError("no such article")
    out = {k: row[k] for k in ("id", "title", "url", "outlet", "date", "author", "persons", "body")}
    out["outlet_name"] = outlet_name(row["outlet"])
    pq = parse_user_query(q, engine.index, persons=engine.persons) if q else None
    if pq is not None:
        out["body_html"] = str(highlight_full(row["body"], pq.exact_terms, pq.stem_terms, pq.prefixes))
        out["title_html"] = str(highlight_full(row["title"], pq.exact_terms, pq.stem_terms, pq.prefixes))
    return out


def health(handle: EngineHandle) -> dict[str, Any]:
    return handle.snapshot().health()
