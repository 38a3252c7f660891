"""Compact per-document arrays (outlet, day, persons), built once per index generation from the
document store. The facets (searchcore/facets.py) count on them: a numpy bincount over the
matching documents, which is what makes disjunctive facets (one count per facet, each ignoring
its own selection) cheap."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import numpy as np

from indexer.docstore import DocStore
from indexer.outlets import UNKNOWN
from searchcore.person_catalog import PersonCatalog, name_keys

NO_DAY = -1
NO_GROUP = -1


def _ranks(values: list[str | None]) -> np.ndarray:
    """Each value's place in sorted order (None first): the engine-neutral tie-break."""
    order = sorted(range(len(values)), key=lambda i: (values[i] is not None, values[i] or ""))
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(len(values))
    return ranks


@dataclass
class FacetArrays:
    ids: list[str | None]  # docnum → article id (None for deleted docs)
    valid: np.ndarray  # bool[n]
    outlet: np.ndarray  # int32[n], index into outlets
    outlets: list[str]
    day: np.ndarray  # int32[n], date.toordinal() or NO_DAY
    person_doc: np.ndarray  # int32[m], docnum of each (doc, person) pair
    person_idx: np.ndarray  # int32[m], index into person_keys
    persons: PersonCatalog  # the facet values: keys, display spellings, merged forms
    person_facetable: np.ndarray  # bool[P]: persons.facetable as an array (facet hygiene)
    person_key_rank: np.ndarray  # int64[P]: place of each person key in sorted order
    id_rank: np.ndarray  # int64[n]: place of each document's article id in sorted order
    group: np.ndarray  # int32[n]: near-duplicate group number, or NO_GROUP

    @property
    def size(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, ids: list[str | None], store: DocStore) -> FacetArrays:
        """`ids`: the article id of each document number of the index (None: deleted)."""
        n = len(ids)
        rows = {r[0]: r for r in store.facet_rows()}
        valid = np.zeros(n, dtype=bool)
        outlet = np.zeros(n, dtype=np.int32)
        day = np.full(n, NO_DAY, dtype=np.int32)
        group = np.full(n, NO_GROUP, dtype=np.int32)
        group_index: dict[str, int] = {}
        outlet_index: dict[str, int] = {}
        doc_pairs: list[tuple[int, list[tuple[str, str]]]] = []
        for docnum, aid in enumerate(ids):
            row = rows.get(aid) if aid is not None else None
            if row is None:
                continue
            valid[docnum] = True
            _, oid, d, persons_json, dup_group = row
            outlet[docnum] = outlet_index.setdefault(oid or UNKNOWN, len(outlet_index))
            if dup_group:
                group[docnum] = group_index.setdefault(dup_group, len(group_index))
            if d:
                try:
                    day[docnum] = date.fromisoformat(d).toordinal()
                except ValueError:
                    pass
            pairs = name_keys(json.loads(persons_json))
            if pairs:
                doc_pairs.append((docnum, pairs))
        catalog = PersonCatalog.build(pairs for _, pairs in doc_pairs)
        pdoc: list[int] = []
        pidx: list[int] = []
        for docnum, pairs in doc_pairs:
            for key in catalog.article_keys(pairs):
                pdoc.append(docnum)
                pidx.append(catalog.index[key])
        return cls(
            ids=ids,
            valid=valid,
            outlet=outlet,
            outlets=list(outlet_index),
            day=day,
            person_doc=np.asarray(pdoc, dtype=np.int32),
            person_idx=np.asarray(pidx, dtype=np.int32),
            persons=catalog,
            person_facetable=np.asarray(catalog.facetable, dtype=bool),
            person_key_rank=_ranks(catalog.keys),
            id_rank=_ranks(ids),
            group=group,
        )
