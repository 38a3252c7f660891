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
from persons.latin import is_latin, romanize
from searchcore.facet_arrays import NO_DAY, FacetArrays
from searchcore.params import SearchParams
from searchcore.person_catalog import PersonCatalog


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
        return self.present({o: int(counts[i]) for i, o in enumerate(a.outlets) if counts[i]}, params), {}

    @staticmethod
    def present(counts: dict[str, int], params: SearchParams) -> list[dict]:
        """The outlets with their counts, most first (the selected ones always shown)."""
        values = list(counts) + [o for o in params.outlets if o not in counts]
        out = [{"value": o, "label": outlet_name(o), "count": counts.get(o, 0), "selected": o in params.outlets}
               for o in values]
        out.sort(key=lambda x: (-x["count"], x["label"], x["value"]))
        return out


class PersonFacet(Facet):
    name = "person"

    def selection_mask(self, params: SearchParams) -> np.ndarray | None:
        if not params.persons:
            return None
        a = self.arrays
        wanted = a.persons.known(params.persons)
        mask = np.zeros(a.size, dtype=bool)
        if wanted:
            mask[a.person_doc[np.isin(a.person_idx, wanted)]] = True
        return mask

    def counts(self, mask: np.ndarray, params: SearchParams) -> tuple[list[dict], dict[str, Any]]:
        """The top `facet_size` persons among `mask` (those containing `person_contains`), the
        selected ones always shown; `person_total`: how many facetable persons there are in all."""
        a, catalog = self.arrays, self.arrays.persons
        counts = np.bincount(a.person_idx[mask[a.person_doc]], minlength=len(catalog.keys))
        eligible = (counts > 0) & a.person_facetable
        if params.person_contains:
            eligible &= person_filter_mask(catalog, params.person_contains)
        idx = np.flatnonzero(eligible)
        top = idx[np.lexsort((a.person_key_rank[idx], -counts[idx]))][: params.facet_size]
        selected = catalog.selected(params.persons, lambda key: int(counts[catalog.index[key]]))
        rows = [(catalog.keys[i], catalog.display[i], int(counts[i])) for i in top]
        return self.present(rows, selected), {"person_total": int(eligible.sum())}

    @staticmethod
    def present(top: list[tuple[str, str, int]], selected: dict[str, tuple[str, int]]) -> list[dict]:
        """`top`: (key, display, count) of the most named facetable persons (most first, then by
        key); `selected`: key -> (display, count) of the request's persons, always shown."""
        out = [{"value": display, "key": key, "count": count, "selected": key in selected, "latin": romanize(display)}
               for key, display, count in top]
        shown = {o["key"] for o in out}
        for key, (display, count) in selected.items():
            if key not in shown:
                out.insert(0, {"value": display, "key": key, "count": count, "selected": True,
                               "latin": romanize(display)})
                shown.add(key)
        return out


def person_filter_mask(catalog: PersonCatalog, text: str) -> np.ndarray:
    """Which persons the facet's filter box keeps: their key holds the text (spelling folded), or,
    for Latin-script text, their Latin form or Arabic spelling matches it (searchcore/latin_names)."""
    if is_latin(text):
        return catalog.latin.contains(text)
    needle = person_key(text)
    return np.array([needle in k for k in catalog.keys], dtype=bool)


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
        """The date buckets of the matches under the other facets' selections, and within this
        facet's own range when one is chosen (choosing a year drills down into its months)."""
        day = self.arrays.day
        own = self.selection_mask(params)
        days, counts = np.unique(day[mask & (day != NO_DAY) & (own if own is not None else True)], return_counts=True)
        return self.present(days, counts, params)

    @staticmethod
    def present(days: np.ndarray, counts: np.ndarray, params: SearchParams) -> tuple[list[dict], dict[str, Any]]:
        """Buckets of days, months or years, the size following the span where the articles are
        (a few stray old articles do not turn a three-week chart into years: the outer
        OUTLIER_SHARE of the articles on each side do not count for the span, and their
        buckets are listed only where they hold articles). Each bucket says whether it lies in
        the selected range. `days`: distinct date ordinals (ascending), `counts`: articles of each."""
        if len(days) == 0:
            return [], {"date_unit": "day"}
        days = np.asarray(days, dtype=np.int64)
        counts = np.asarray(counts, dtype=np.int64)
        cum = np.cumsum(counts)
        cut = int(cum[-1] * OUTLIER_SHARE)
        lo = int(days[np.searchsorted(cum, cut, side="right")])
        hi = int(days[np.searchsorted(cum, cum[-1] - cut, side="left")])
        unit = "day" if hi - lo <= DAY_SPAN else "month" if hi - lo <= MONTH_SPAN else "year"
        key = {"day": lambda d: d.toordinal(), "month": lambda d: d.year * 12 + d.month - 1,
               "year": lambda d: d.year}[unit]
        keys = np.array([key(date.fromordinal(int(o))) for o in days])
        lo_key, hi_key = key(date.fromordinal(lo)), key(date.fromordinal(hi))
        per_key: dict[int, int] = {}
        for k, c in zip(keys.tolist(), counts.tolist(), strict=True):
            per_key[k] = per_key.get(k, 0) + c
        wanted = sorted(set(range(lo_key, hi_key + 1)) | set(per_key))  # dense span, and strays that hold articles
        start = params.date_from.isoformat() if params.date_from else None
        end = params.date_to.isoformat() if params.date_to else None
        out = []
        for k in wanted:
            value, first, last = _bucket_span(unit, k)
            selected = (start is not None or end is not None) and (start is None or first >= start) \
                and (end is None or last <= end)
            out.append({"value": value, "from": first, "to": last, "count": per_key.get(k, 0), "selected": selected})
        first_day, last_day = date.fromordinal(int(days[0])), date.fromordinal(int(days[-1]))
        return out, {"date_unit": unit, "date_first": first_day.isoformat(), "date_last": last_day.isoformat()}


OUTLIER_SHARE = 0.01
DAY_SPAN = 92  # days: up to about three months of days, then months
MONTH_SPAN = 3 * 366  # then years


def _bucket_span(unit: str, key: int) -> tuple[str, str, str]:
    """(label, first day, last day) of a bucket."""
    if unit == "day":
        d = date.fromordinal(key).isoformat()
        return d, d, d
    if unit == "month":
        y, m = divmod(key, 12)
        last = date.fromordinal(date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1).toordinal() - 1)
        return f"{y:04d}-{m + 1:02d}", date(y, m + 1, 1).isoformat(), last.isoformat()
    return str(key), f"{key:04d}-01-01", f"{key:04d}-12-31"


FACETS: tuple[type[Facet], ...] = (PersonFacet, OutletFacet, DateFacet)  # the order of the response's facets
