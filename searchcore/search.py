"""The search core: one function per thing a user asks, returning plain JSON-ready dicts.

Used by the CLI and the web app alike; nothing here imports Flask.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from indexer.outlets import outlet_name
from searchcore.errors import SearchError
from searchcore.handle import IndexHandle, Snapshot
from searchcore.highlight import highlight_full, snippet
from searchcore.matching import query_mask
from searchcore.params import SearchParams
from searchcore.query import ParsedQuery, parse_user_query
from searchcore.querytree import Prefix
from searchcore.ranking import top


def _and(*masks: np.ndarray | None) -> np.ndarray | None:
    out = None
    for m in masks:
        if m is not None:
            out = m if out is None else (out & m)
    return out


def _query_mask(snap: Snapshot, pq: ParsedQuery) -> np.ndarray:
    arrays = snap.arrays
    if pq.query is None:
        return arrays.valid.copy() if not pq.text else np.zeros(arrays.size, dtype=bool)
    return query_mask(pq.query, snap.term_docs, arrays.size) & arrays.valid


def _prefix_masks(snap: Snapshot, pq: ParsedQuery) -> list[np.ndarray]:
    return [query_mask(Prefix(p), snap.term_docs, snap.arrays.size) for p in pq.prefixes]


def _ranked(snap: Snapshot, pq: ParsedQuery, mask: np.ndarray, sort: str, depth: int,
            prefix_masks: list[np.ndarray]) -> list[int]:
    """Doc numbers of the first `depth` hits within `mask` (the query's matches, narrowed by the
    facet selections)."""
    arrays = snap.arrays
    if sort == "relevance" and pq.query is not None:
        if not mask.any():
            return []
        return top(snap.ranker.scores(pq.rank_words, prefix_masks), mask, depth)
    docs = np.flatnonzero(mask)
    day = arrays.day[docs]
    if sort == "oldest":
        key = np.where(day < 0, np.iinfo(np.int32).max, day)
        order = np.lexsort((docs, key))
    else:  # newest first (also the browse order)
        order = np.lexsort((-docs, -day))
    return docs[order][:depth].tolist()


def top_docnums(snap: Snapshot, pq: ParsedQuery, depth: int = 10) -> list[int]:
    """The best doc numbers for a query alone: no filters, facets or snippets (what the
    benchmarks call the raw top-10 search)."""
    return _ranked(snap, pq, _query_mask(snap, pq), "relevance", depth, _prefix_masks(snap, pq))


def run_search(handle: IndexHandle, params: SearchParams) -> dict[str, Any]:
    """Ranked hits with snippets, and disjunctive facet counts, for one set of parameters."""
    t0 = time.perf_counter()
    snap = handle.snapshot()
    arrays = snap.arrays
    pq = parse_user_query(params.q, snap.index, params.match)
    messages = list(params.warnings) + pq.messages
    match_used = params.match
    qmask = _query_mask(snap, pq)
    selections = {f.name: f.selection_mask(params) for f in snap.facets}
    final = _and(qmask, *selections.values())
    relaxed = False
    if not final.any() and params.match == "all" and pq.query is not None and pq.words > 1:
        pq_any = parse_user_query(params.q, snap.index, "any")
        any_mask = _query_mask(snap, pq_any)
        if _and(any_mask, *selections.values()).any():
            pq, qmask, match_used, relaxed = pq_any, any_mask, "any", True
            final = _and(qmask, *selections.values())
            messages.append("لا توجد مقالات تحوي كل الكلمات؛ هذه نتائج تحوي بعضها (no article has all the words: "
                            "showing articles with any of them).")
    total = int(final.sum())
    sort = params.sort if (pq.query is not None) else ("oldest" if params.sort == "oldest" else "newest")
    depth = params.page * params.per_page
    prefix_masks = _prefix_masks(snap, pq) if sort == "relevance" else []  # they only rank
    ranked = _ranked(snap, pq, final, sort, depth, prefix_masks)
    page_docs = ranked[(params.page - 1) * params.per_page : depth]
    ids = [arrays.ids[d] for d in page_docs]
    rows = snap.store.get_many([i for i in ids if i])
    hits = []
    for aid in ids:
        row = rows.get(aid)
        if row is None:
            continue
        hits.append(
            {
                "id": aid,
                "title": row["title"],
                "url": row["url"],
                "outlet": row["outlet"],
                "outlet_name": outlet_name(row["outlet"]),
                "date": row["date"],
                "persons": row["persons"],
                "snippet": str(snippet(row["body"], pq.exact_terms, pq.stem_terms, pq.prefixes)),
                "title_html": str(highlight_full(row["title"], pq.exact_terms, pq.stem_terms, pq.prefixes)),
            }
        )
    if params.explain and sort == "relevance" and pq.query is not None:
        by_id = {arrays.ids[d]: d for d in page_docs}
        for hit in hits:
            hit["explain"] = snap.ranker.explain(pq.rank_words, prefix_masks, pq.prefixes,
                                                 by_id[hit["id"]])
    facets: dict[str, list[dict]] = {}
    facet_info: dict[str, Any] = {}
    for f in snap.facets:  # each counted under the other facets' selections (disjunctive)
        others = _and(qmask, *(m for name, m in selections.items() if name != f.name))
        facets[f.name], info = f.counts(others if others is not None else arrays.valid, params)
        facet_info.update(info)
    return {
        "query": params.q,
        "total": total,
        "took_ms": round((time.perf_counter() - t0) * 1000, 2),
        "page": params.page,
        "per_page": params.per_page,
        "pages": (total + params.per_page - 1) // params.per_page,
        "sort": sort,
        "match": match_used,
        "relaxed": relaxed,
        "messages": messages,
        "filters": {
            "person": params.persons,
            "outlet": params.outlets,
            "from": params.date_from.isoformat() if params.date_from else None,
            "to": params.date_to.isoformat() if params.date_to else None,
        },
        "hits": hits,
        "facets": facets,
        "facet_info": facet_info,
    }


def explain(handle: IndexHandle, q: str, article_id: str, match: str = "any") -> dict[str, Any]:
    """Why one article scores what it does for a query (each word's signals), and its rank."""
    snap = handle.snapshot()
    pq = parse_user_query(q, snap.index, match)
    try:
        docnum = snap.arrays.ids.index(article_id[:200])
    except ValueError:
        raise SearchError("no such article") from None
    if pq.query is None:
        raise SearchError("الاستعلام لا يحوي كلمات يمكن البحث عنها (only common words).")
    mask = _query_mask(snap, pq)
    prefix_masks = _prefix_masks(snap, pq)
    scores = snap.ranker.scores(pq.rank_words, prefix_masks)
    out = snap.ranker.explain(pq.rank_words, prefix_masks, pq.prefixes, docnum)
    out["matches"] = bool(mask[docnum])
    out["rank"] = int((scores[mask] > scores[docnum]).sum()) + 1 if mask[docnum] else None
    out["total"] = int(mask.sum())
    out.update({"id": article_id, "query": q, "match": match, "messages": pq.messages,
                "words": [{"exact": w.exact, "stem": w.stem, "variants": list(snap.ranker.variants(w.exact))}
                          for w in pq.rank_words]})
    return out


def get_article(handle: IndexHandle, article_id: str, q: str = "") -> dict[str, Any]:
    """One article; with `q`, also the body and title with the query's matches highlighted."""
    snap = handle.snapshot()
    row = snap.store.get(article_id[:200])
    if row is None:
        raise SearchError("no such article")
    out = {k: row[k] for k in ("id", "title", "url", "outlet", "date", "author", "persons", "body")}
    out["outlet_name"] = outlet_name(row["outlet"])
    pq = parse_user_query(q, snap.index) if q else None
    if pq is not None:
        out["body_html"] = str(highlight_full(row["body"], pq.exact_terms, pq.stem_terms, pq.prefixes))
        out["title_html"] = str(highlight_full(row["title"], pq.exact_terms, pq.stem_terms, pq.prefixes))
    return out


def health(handle: IndexHandle) -> dict[str, Any]:
    snap = handle.snapshot()
    return {
        "status": "ok",
        "articles": int(snap.arrays.valid.sum()),
        "built_at": snap.meta.get("built_at"),
        "generation": snap.generation,
    }
