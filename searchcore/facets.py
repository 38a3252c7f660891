"""Facet counting on compact per-document arrays (outlet, day, persons), built once per index
generation. Counting a facet is a numpy bincount over the matching documents, which is what
makes disjunctive facets (one count per facet, each ignoring its own selection) cheap."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from indexer.docstore import DocStore
from indexer.outlets import UNKNOWN, outlet_name
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

    # masks ---------------------------------------------------------------
    def outlet_mask(self, selected: list[str]) -> np.ndarray | None:
        if not selected:
            return None
        wanted = [i for i, o in enumerate(self.outlets) if o in set(selected)]
        return np.isin(self.outlet, wanted) & self.valid

    def person_mask(self, selected: list[str]) -> np.ndarray | None:
        if not selected:
            return None
        index = self.person_index
        wanted = [index[k] for k in (person_key(s) for s in selected) if k in index]
        mask = np.zeros(self.size, dtype=bool)
        if wanted:
            mask[self.person_doc[np.isin(self.person_idx, wanted)]] = True
        return mask

    def date_mask(self, start: date | None, end: date | None) -> np.ndarray | None:
        if start is None and end is None:
            return None
        mask = self.day != NO_DAY
        if start is not None:
            mask &= self.day >= start.toordinal()
        if end is not None:
            mask &= self.day <= end.toordinal()
        return mask

    # counts --------------------------------------------------------------
    def outlet_counts(self, mask: np.ndarray, selected: list[str]) -> list[dict]:
        counts = np.bincount(self.outlet[mask], minlength=len(self.outlets))
        out = [
            {"value": o, "label": outlet_name(o), "count": int(counts[i]), "selected": o in selected}
            for i, o in enumerate(self.outlets)
            if counts[i] or o in selected
        ]
        out.sort(key=lambda x: (-x["count"], x["label"]))
        return out

    def person_counts(
        self, mask: np.ndarray, selected: list[str], size: int, contains: str = ""
    ) -> tuple[list[dict], int]:
        """Top persons among `mask`, plus how many distinct facetable persons there are in all."""
        sel_keys = {self.canonical_key(s) for s in selected}
        counts = np.bincount(self.person_idx[mask[self.person_doc]], minlength=len(self.person_keys))
        eligible = (counts > 0) & self.person_facetable
        if contains:
            needle = person_key(contains)
            eligible &= np.array([needle in k for k in self.person_keys], dtype=bool) if self.person_keys else eligible
        total = int(eligible.sum())
        idx = np.flatnonzero(eligible)
        top = idx[np.lexsort((idx, -counts[idx]))][:size]
        out = [
            {"value": self.person_display[i], "key": self.person_keys[i], "count": int(counts[i]),
             "selected": self.person_keys[i] in sel_keys}
            for i in top
        ]
        shown = {o["key"] for o in out}
        index = self.person_index
        for s in selected:  # selected values always stay visible
            k = self.canonical_key(s)
            if k not in shown:
                i = index.get(k)
                out.insert(0, {"value": self.person_display[i] if i is not None else s, "key": k,
                               "count": int(counts[i]) if i is not None else 0, "selected": True})
                shown.add(k)
        return out, total

    def date_histogram(self, mask: np.ndarray) -> tuple[str, list[dict]]:
        """Buckets whose size follows the span of the results: days, months or years."""
        days = self.day[mask & (self.day != NO_DAY)]
        if days.size == 0:
            return "day", []
        lo, hi = date.fromordinal(int(days.min())), date.fromordinal(int(days.max()))
        span = hi.toordinal() - lo.toordinal()
        if span <= 92:
            unit = "day"
            counts = np.bincount(days - lo.toordinal())
            buckets = [(date.fromordinal(lo.toordinal() + i), c) for i, c in enumerate(counts)]
            fmt = [(d.isoformat(), d.isoformat(), d.isoformat(), c) for d, c in buckets]
        else:
            ords = days.astype(np.int64)
            years = np.array([date.fromordinal(int(o)).year for o in np.unique(ords)])
            ymap = dict(zip(np.unique(ords).tolist(), years.tolist()))
            if span <= 3 * 366:
                unit = "month"
                mons = {o: date.fromordinal(o).year * 12 + date.fromordinal(o).month - 1 for o in ymap}
                keys = np.array([mons[o] for o in ords.tolist()])
                first = int(keys.min())
                counts = np.bincount(keys - first)
                fmt = []
                for i, c in enumerate(counts):
                    y, m = divmod(first + i, 12)
                    start = date(y, m + 1, 1)
                    end = date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1).toordinal() - 1
                    fmt.append((f"{y:04d}-{m + 1:02d}", start.isoformat(), date.fromordinal(end).isoformat(), c))
            else:
                unit = "year"
                keys = np.array([ymap[o] for o in ords.tolist()])
                first = int(keys.min())
                counts = np.bincount(keys - first)
                fmt = [(str(first + i), f"{first + i:04d}-01-01", f"{first + i:04d}-12-31", c)
                       for i, c in enumerate(counts)]
        return unit, [{"value": v, "from": f, "to": t, "count": int(c)} for v, f, t, c in fmt]
