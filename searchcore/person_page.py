"""A person's page: how many articles name them, when (date histogram), where (outlets), the
spellings seen, the persons most often named with them, and the latest articles. One search with
the person selected and every facet counted within it, on whichever engine."""

from __future__ import annotations

from typing import Any

from searchcore.engine import EngineHandle
from searchcore.errors import SearchError
from searchcore.params import SearchParams
from searchcore.search import run_search

CO_MENTIONED = 20
LATEST = 10


def person_page(handle: EngineHandle, name: str) -> dict[str, Any]:
    """`name`: the person's key or any spelling of them (short or long form)."""
    catalog = handle.snapshot().persons
    i = catalog.number(name[:200])
    if i is None:
        raise SearchError("لا يوجد شخص بهذا الاسم في الفهرس (no such person).")
    key, display = catalog.keys[i], catalog.display[i]
    params = SearchParams(persons=[display], sort="newest", per_page=LATEST, facet_size=CO_MENTIONED + 1,
                          within_selection=True)
    found = run_search(handle, params)
    co = [p for p in found["facets"]["person"] if p.get("key") != key and p["value"] != display][:CO_MENTIONED]
    return {
        "key": key,
        "name": display,
        "latin": catalog.latin_form(i),
        "spellings": (catalog.spellings[i] if catalog.spellings else [display]),
        "articles": found["total"],
        "in_facet": bool(catalog.facetable[i]),
        "dates": found["facets"]["date"],
        "date_unit": found["facet_info"].get("date_unit"),
        "outlets": [o for o in found["facets"]["outlet"] if o["count"]],
        "co_mentioned": [{"name": p["value"], "key": p.get("key"), "count": p["count"]} for p in co],
        "latest": [{k: h[k] for k in ("id", "title", "date", "outlet", "outlet_name", "url")} for h in found["hits"]],
    }
