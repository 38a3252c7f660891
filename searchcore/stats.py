"""What is in the index (for `arnews stats`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from indexer.layout import dir_size
from indexer.outlets import outlet_name
from searchcore.cache import BUDGET
from searchcore.facet_arrays import NO_DAY
from searchcore.handle import IndexHandle


def index_stats(handle: IndexHandle) -> dict[str, Any]:
    snap = handle.snapshot()
    st = snap.store.stats()
    arrays = snap.arrays
    live = handle.layout.live()
    return {
        "articles": st["articles"],
        "outlets": st["outlets"],
        "outlet_names": {o: outlet_name(o) for o in st["outlets"]},
        "persons": int(arrays.person_facetable.sum()),
        "persons_raw": len(arrays.persons.keys),
        "articles_with_persons": int(np.unique(arrays.person_doc).size),
        "date_min": st["date_min"],
        "date_max": st["date_max"],
        "undated": int((arrays.valid & (arrays.day == NO_DAY)).sum()),
        "size_bytes": dir_size(live) if live else 0,
        "built_at": snap.meta.get("built_at"),
        "generation": snap.generation,
        "sources": snap.meta.get("sources", []),
        "near_duplicates": snap.meta.get("near_duplicates") or {},
        "files": st["sources"][:50],
        "cache": BUDGET.stats(),  # this process's: empty for a fresh `arnews stats`, live in /healthz
    }
