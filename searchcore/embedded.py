"""The embedded engine's answer to a request: the query's matches as a numpy mask over the
generation's documents, ranked with searchcore/ranking.py, counted by the facet classes over the
other facets' selections (disjunctive counts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from searchcore.deadline import Deadline
from searchcore.engine import EngineRequest, EngineResult
from searchcore.errors import SearchError
from searchcore.matching import query_mask
from searchcore.query import ParsedQuery
from searchcore.querytree import Prefix
from searchcore.ranking import top

if TYPE_CHECKING:
    from searchcore.handle import Snapshot


def _and(*masks: np.ndarray | None) -> np.ndarray | None:
    out = None
    for m in masks:
        if m is not None:
            out = m if out is None else (out & m)
    return out


def query_docs(snap: Snapshot, pq: ParsedQuery, deadline: Deadline | None = None) -> np.ndarray:
    """The mask of the live documents the query matches (all of them for an empty query)."""
    arrays = snap.arrays
    if pq.query is None:
        return arrays.valid.copy() if not pq.text else np.zeros(arrays.size, dtype=bool)
    return query_mask(pq.query, snap.term_docs, arrays.size, deadline) & arrays.valid


def prefix_masks(snap: Snapshot, pq: ParsedQuery, deadline: Deadline | None = None) -> list[np.ndarray]:
    return [query_mask(Prefix(p), snap.term_docs, snap.arrays.size, deadline) for p in pq.prefixes]


def _scores(snap: Snapshot, pq: ParsedQuery, deadline: Deadline | None) -> np.ndarray:
    return snap.ranker.scores(pq.rank_words, prefix_masks(snap, pq, deadline), deadline)


def ranked_docs(snap: Snapshot, pq: ParsedQuery, mask: np.ndarray, sort: str, depth: int,
                deadline: Deadline | None = None, scores: np.ndarray | None = None) -> list[int]:
    """Doc numbers of the first `depth` hits within `mask`; ties go to the lower article id."""
    arrays = snap.arrays
    if sort == "relevance" and pq.query is not None:
        if not mask.any():
            return []
        return top(_scores(snap, pq, deadline) if scores is None else scores, mask, depth, arrays.id_rank)
    docs = np.flatnonzero(mask)
    order = np.lexsort((arrays.id_rank[docs], _date_key(arrays.day[docs], sort)))
    return docs[order][:depth].tolist()


def _date_key(day: np.ndarray, sort: str) -> np.ndarray:
    """Ascending sort key of a date sort: oldest or newest (also the browse order) first, undated last."""
    day = day.astype(np.int64)
    return np.where(day < 0, np.iinfo(np.int32).max, day if sort == "oldest" else -day)


def collapsed(snap: Snapshot, mask: np.ndarray, sort: str, scores: np.ndarray | None) -> np.ndarray:
    """`mask` with one article per near-duplicate group: the one the sort places first (highest
    score; newest or oldest date), ties to the lower article id."""
    arrays = snap.arrays
    docs = np.flatnonzero(mask & (arrays.group >= 0))
    if not len(docs):
        return mask
    key = -scores[docs] if scores is not None else _date_key(arrays.day[docs], sort)
    order = np.lexsort((arrays.id_rank[docs], key, arrays.group[docs]))
    docs = docs[order]
    group = arrays.group[docs]
    out = mask.copy()
    out[docs[1:][group[1:] == group[:-1]]] = False  # all but the first of each group's run
    return out


def _with_near_duplicates(snap: Snapshot, hits: list[dict]) -> None:
    """Each hit's near-duplicates [(id, outlet)] (itself left out), for "also in"."""
    members = snap.store.group_members(sorted({h["dup_group"] for h in hits if h.get("dup_group")}))
    for h in hits:
        h["near_duplicates"] = [m for m in members.get(h.get("dup_group") or "", []) if m[0] != h["id"]]


def search(snap: Snapshot, req: EngineRequest) -> EngineResult:
    arrays, params, pq = snap.arrays, req.params, req.pq
    qmask = query_docs(snap, pq, req.deadline)
    selections = {f.name: f.selection_mask(params) for f in snap.facets}
    final = _and(qmask, *selections.values())
    shown, scores = final, None
    if params.collapse:
        if req.sort == "relevance" and pq.query is not None and final.any():
            scores = _scores(snap, pq, req.deadline)
        shown = collapsed(snap, final, req.sort, scores)
    page_docs = ranked_docs(snap, pq, shown, req.sort, req.start + req.size, req.deadline, scores)[req.start :]
    ids = [arrays.ids[d] for d in page_docs]
    rows = snap.store.get_many([i for i in ids if i])
    hits = [rows[i] for i in ids if i in rows]
    _with_near_duplicates(snap, hits)
    if params.explain and req.sort == "relevance" and pq.query is not None:
        masks = prefix_masks(snap, pq)
        by_id = {arrays.ids[d]: d for d in page_docs}
        for hit in hits:
            hit["explain"] = snap.ranker.explain(pq.rank_words, masks, pq.prefixes, by_id[hit["id"]])
    result = EngineResult(total=int(shown.sum()), hits=hits, partial=req.deadline.reached,
                          matched=int(final.sum()) if params.collapse else None)
    for f in snap.facets if req.facets else ():  # each counted under the other facets' selections (disjunctive)
        others = final if params.within_selection else \
            _and(qmask, *(m for name, m in selections.items() if name != f.name))
        result.facets[f.name], info = f.counts(others, params)
        result.facet_info.update(info)
    return result


def explain(snap: Snapshot, pq: ParsedQuery, article_id: str) -> dict[str, Any]:
    try:
        docnum = snap.arrays.ids.index(article_id[:200])
    except ValueError:
        raise SearchError("no such article") from None
    mask = query_docs(snap, pq)
    masks = prefix_masks(snap, pq)
    scores = snap.ranker.scores(pq.rank_words, masks)
    out = snap.ranker.explain(pq.rank_words, masks, pq.prefixes, docnum)
    out["matches"] = bool(mask[docnum])
    out["rank"] = int((scores[mask] > scores[docnum]).sum()) + 1 if mask[docnum] else None
    out["total"] = int(mask.sum())
    out["words"] = [{"exact": w.exact, "stem": w.stem, "variants": list(snap.ranker.variants(w.exact))}
                    for w in pq.rank_words]
    return out
