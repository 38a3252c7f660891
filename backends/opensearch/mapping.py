"""The index of one generation: pre-analysed text fields and keyword facets.

Our Python analyzer is the single source of truth for analysis: each text field receives the
terms it produced, joined by spaces, and the cluster's `whitespace` analyzer only splits them
back (positions are kept, so phrases work). Nothing in OpenSearch's own Arabic analysis can
drift from what `arnews analyze` shows. The original title and body are stored (not indexed)
for snippets, as in the embedded engine's document store.
"""

from __future__ import annotations

from typing import Any

PRE_ANALYSED = {"type": "text", "analyzer": "whitespace", "norms": True}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "keyword"},
        "title": {"type": "text", "index": False},
        "body": {"type": "text", "index": False},
        "title_exact": PRE_ANALYSED,
        "body_exact": PRE_ANALYSED,
        "title_stem": PRE_ANALYSED,
        "body_stem": PRE_ANALYSED,
        "outlet": {"type": "keyword"},
        "date": {"type": "date", "format": "strict_date"},
        "url": {"type": "keyword", "index": False},
        "author": {"type": "keyword"},
        "persons": {"type": "keyword"},
        "content_hash": {"type": "keyword", "index": False},
    },
}


def index_body(shards: int, replicas: int) -> dict[str, Any]:
    return {
        "settings": {"index": {"number_of_shards": shards, "number_of_replicas": replicas,
                               "refresh_interval": "-1"}},  # set to 1s once the bulk load is done
        "mappings": MAPPINGS,
    }
