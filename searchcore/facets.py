"""The facets, one class per kind (as Datasette's facets.py): each knows its selection in the
request, the documents that selection keeps, and its counts over the documents the OTHER
facets' selections keep (disjunctive counts: choosing an outlet does not hide the others).
A new facet (author, place) is one class here and one entry in FACETS."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import numpy as np

from indexer.outlets import outlet_name
from persons.canonical import person_key
from searchcore.facet_arrays import NO_DAY, FacetArrays
from searchcore.params import SearchParams


class Facet:
    name: ClassVar[str]

    def __init__(self, arrays: FacetArrays) -> None:
        self.arrays = arrays

    def selection_mask(self, params: SearchParams) -> np.ndarray | None:
        """The documents the request's selection in this facet keeps (None: no selection)."""
        raise NotImplementedError

    def counts(self, mask: np.ndarray, params: SearchParams) -> tuple[list[dict], dict[str, Any]]:
        """The facet's values among `mask`, and what else the page needs (`facet_info`)."""
        raise NotImplementedError


class OutletFacet(Facet):
    name = "outlet"

    def selection_mask(self, params: SearchParams) -> np.ndarray | None:
        if not params.outlets:
            return None
        a = self.arrays
        wanted = [i for i, o in enumerate(a.outlets) if o in set(params.outlets)]
        return np.isin(a.outlet, wanted) & a.valid

    def counts(self, mask: np.ndarray, params: SearchParams) -> tuple[list[dict], dict[str, Any]]:
        a = self.arrays
        counts = np.bincount(a.outlet[mask], minlength=len(a.outlets))
        out = [
            {"value": o, "label": outlet_name(o), "count": int(counts[i]), "selected": o in params.outlets}
            for i, o in enumerate(a.outlets)
            if counts[i] or o in params.outlets
        ]
        out.sort(key=lambda x: (-x["count"], x["label"]))
        return out, {}


class PersonFacet(Facet):
    name = "person"

    def selection_mask(self, params: SearchParams) -> np.ndarray | None:
        if not params.persons:
            return None
        a = self.arrays
        wanted = [a.person_index[k] for k in (person_key(s) for s in params.persons) if k in a.person_index]
        mask = np.zeros(a.size, dtype=bool)
        if wanted:
            mask[a.person_doc[np.isin(a.person_idx, wanted)]] = True
        return mask

    def counts(self, mask: np.ndarray, params: SearchParams) -> tuple[list[dict], dict[str, Any]]:
        """The top `facet_size` persons among `mask` (those containing `person_contains`), the
        selected ones always shown; `person_total`: how many facetable persons there are in all."""
        a = self.arrays
        selected, size, contains = params.persons, params.facet_size, params.person_contains
        sel_keys = {a.canonical_key(s) for s in selected}
        counts = np.bincount(a.person_idx[mask[a.person_doc]], minlength=len(a.person_keys))
        eligible = (counts > 0) & a.person_facetable
        if contains:
            needle = person_key(contains)
            eligible &= np.array([needle in k for k in a.person_keys], dtype=bool) if a.person_keys else eligible
        total = int(eligible.sum())
        idx = np.flatnonzero(eligible)
        top = idx[np.lexsort((idx, -counts[idx]))][:size]
        out = [
            {"value": a.person_display[i], "key": a.person_keys[i], "count": int(counts[i]),
             "selected": a.person_keys[i] in sel_keys}
            for i in top
        ]
        shown = {o["key"] for o in out}
        for s in selected:  # selected values always stay visible
            k = a.canonical_key(s)
            if k not in shown:
                i = a.person_index.get(k)
                out.insert(0, {"value": a.person_display[i] if i is not None else s, "key": k,
                               "count": int(counts[i]) if i is not None else 0, "selected": True})
                shown.add(k)
        return out, {"person_total": total}


class DateFacet(Facet):
    name = "date"

    def selection_mask(self, params: SearchParams) -> np.ndarray | None:
        start, end = params.date_from, params.date_to
        if start is None and end is None:
            return None
        day = self.arrays.day
        mask = day != NO_DAY
        if start is not None:
            mask &= day >= start.toordinal()
        if end is not None:
            mask &= day <= end.toordinal()
        return mask

    def counts(self, mask: np.ndarray, params: SearchParams) -> tuple[list[dict], dict[str, Any]]:
        """Buckets whose size follows the span of the results: days, months or years."""
        day = self.arrays.day
        days = day[mask & (day != NO_DAY)]
        if days.size == 0:
            return [], {"date_unit": "day"}
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
        return [{"value": v, "from": f, "to": t, "count": int(c)} for v, f, t, c in fmt], {"date_unit": unit}


FACETS: tuple[type[Facet], ...] = (PersonFacet, OutletFacet, DateFacet)  # the order of the response's facets
