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


def ranked_docs(snap: Snapshot, pq: ParsedQuery, mask: np.ndarray, sort: str, depth: int,
                deadline: Deadline | None = None) -> list[int]:
    """Doc numbers of the first `depth` hits within `mask`; ties go to the lower article id."""
    arrays = snap.arrays
    if sort == "relevance" and pq.query is not None:
        if not mask.any():
            return []
        scores = snap.ranker.scores(pq.rank_words, prefix_masks(snap, pq, deadline), deadline)
        return top(scores, mask, depth, arrays.id_rank)
    docs = np.flatnonzero(mask)
    day = arrays.day[docs]
    ties = arrays.id_rank[docs]
    if sort == "oldest":  # undated last
        order = np.lexsort((ties, np.where(day < 0, np.iinfo(np.int32).max, day)))
    else:  # newest first (also the browse order), undated last
        order = np.lexsort((ties, -day))
    return docs[order][:depth].tolist()


def search(snap: Snapshot, req: EngineRequest) -> EngineResult:
    arrays, params, pq = snap.arrays, req.params, req.pq
    qmask = query_docs(snap, pq, req.deadline)
    selections = {f.name: f.selection_mask(params) for f in snap.facets}
    final = _and(qmask, *selections.values())
    page_docs = ranked_docs(snap, pq, final, req.sort, req.start + req.size, req.deadline)[req.start :]
    ids = [arrays.ids[d] for d in page_docs]
    rows = snap.store.get_many([i for i in ids if i])
    hits = [rows[i] for i in ids if i in rows]
    if params.explain and req.sort == "relevance" and pq.query is not None:
        masks = prefix_masks(snap, pq)
        by_id = {arrays.ids[d]: d for d in page_docs}
        for hit in hits:
            hit["explain"] = snap.ranker.explain(pq.rank_words, masks, pq.prefixes, by_id[hit["id"]])
    result = EngineResult(total=int(final.sum()), hits=hits, partial=req.deadline.reached)
    for f in snap.facets if req.facets else ():  # each counted under the other facets' selections (disjunctive)
        others = _and(qmask, *(m for name, m in selections.items() if name != f.name))
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
