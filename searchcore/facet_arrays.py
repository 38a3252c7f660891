"""Compact per-document arrays (outlet, day, persons), built once per index generation from the
document store. The facets (searchcore/facets.py) count on them: a numpy bincount over the
matching documents, which is what makes disjunctive facets (one count per facet, each ignoring
its own selection) cheap."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from indexer.docstore import DocStore
from indexer.outlets import UNKNOWN
from persons.canonical import corpus_aliases, person_key

NO_DAY = -1
# A one-word person value that is the first word of this many full names is not a facet value.
AMBIGUOUS_FIRST_NAME = 5


@dataclass
class FacetArrays:
    ids: list[str | None]  # docnum → article id (None for deleted docs)
    valid: np.ndarray  # bool[n]
    outlet: np.ndarray  # int32[n], index into outlets
    outlets: list[str]
    day: np.ndarray  # int32[n], date.toordinal() or NO_DAY
    person_doc: np.ndarray  # int32[m], docnum of each (doc, person) pair
    person_idx: np.ndarray  # int32[m], index into person_keys
    person_keys: list[str]
    person_display: list[str]
    person_docfreq: np.ndarray  # int32[P]: articles naming each person
    person_facetable: np.ndarray  # bool[P]: facet hygiene: multi-word or recurring, not a bare common first name
    person_index: dict[str, int]  # person key → index into person_keys

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
        outlet_index: dict[str, int] = {}
        doc_keys: list[tuple[int, list[tuple[str, str]]]] = []
        key_docs: Counter = Counter()
        for docnum, aid in enumerate(ids):
            row = rows.get(aid) if aid is not None else None
            if row is None:
                continue
            valid[docnum] = True
            _, oid, d, persons_json = row
            outlet[docnum] = outlet_index.setdefault(oid or UNKNOWN, len(outlet_index))
            if d:
                try:
                    day[docnum] = date.fromisoformat(d).toordinal()
                except ValueError:
                    pass
            pairs = [(k, name) for name in json.loads(persons_json) if (k := person_key(name))]
            if pairs:
                doc_keys.append((docnum, pairs))
                key_docs.update({k for k, _ in pairs})
        # Short and long forms of one name (عادل الجبير, عادل بن أحمد الجبير) become one value.
        aliases = corpus_aliases(key_docs, key_docs)
        key_index: dict[str, int] = {}
        surfaces: list[Counter] = []
        pdoc: list[int] = []
        pidx: list[int] = []
        for docnum, pairs in doc_keys:
            seen: set[int] = set()
            for key, name in pairs:
                key = aliases.get(key, key)
                k = key_index.get(key)
                if k is None:
                    k = key_index[key] = len(key_index)
                    surfaces.append(Counter())
                surfaces[k][name] += 1
                if k not in seen:
                    seen.add(k)
                    pdoc.append(docnum)
                    pidx.append(k)
        person_idx = np.asarray(pidx, dtype=np.int32)
        docfreq = np.bincount(person_idx, minlength=len(key_index)).astype(np.int32)
        keys = list(key_index)
        multiword = np.array([" " in k for k in keys], dtype=bool)
        # A bare given name that starts many different full names (محمد, عبدالله) says nothing
        # about which person is meant: it stays on its articles but out of the facet.
        firsts = Counter(k.split(" ", 1)[0] for k in keys if " " in k)
        ambiguous = np.array([" " not in k and firsts[k] >= AMBIGUOUS_FIRST_NAME for k in keys], dtype=bool)
        return cls(
            ids=ids,
            valid=valid,
            outlet=outlet,
            outlets=list(outlet_index),
            day=day,
            person_doc=np.asarray(pdoc, dtype=np.int32),
            person_idx=person_idx,
            person_keys=keys,
            person_display=[c.most_common(1)[0][0] for c in surfaces],
            person_docfreq=docfreq,
            person_facetable=(multiword | (docfreq >= 2)) & ~ambiguous,
            person_index={**{a: key_index[c] for a, c in aliases.items() if c in key_index}, **key_index},
        )

    def canonical_key(self, name: str) -> str:
        """The facet key a person value counts under (a variant maps to its merged form)."""
        k = person_key(name)
        i = self.person_index.get(k)
        return self.person_keys[i] if i is not None else k
