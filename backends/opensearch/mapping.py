"""The index of one generation: pre-analysed text fields and keyword facets.

Our Python analyzer is the single source of truth for analysis: each text field receives the
terms it produced, joined by spaces, and the cluster's `whitespace` analyzer only splits them
back (positions are kept, so phrases work). Nothing in OpenSearch's own Arabic analysis can
drift from what `arnews analyze` shows. The original title and body are stored (not indexed)
for snippets, as in the embedded engine's document store. The persons carry the corpus-level
catalog's keys (searchcore/person_catalog.py), so both engines count the same facet values.
"""

from __future__ import annotations

from typing import Any

PRE_ANALYSED = {"type": "text", "analyzer": "whitespace", "norms": False}  # matched, never scored
# The ranking's BM25F (searchcore/ranking.py): title terms repeated `title_weight` times, then the
# body's, in one field, so that Lucene's BM25 adds frequencies before saturating and weighs the
# length as the embedded engine does. Scored only: no positions.
RANKED = {"type": "text", "analyzer": "whitespace", "norms": True, "index_options": "freqs"}

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
        "rank_exact": RANKED,
        "rank_stem": RANKED,
        "outlet": {"type": "keyword"},
        "date": {"type": "date", "format": "strict_date"},
        "url": {"type": "keyword", "index": False},
        "author": {"type": "keyword"},
        "persons": {"type": "keyword"},  # as extracted
        "person_keys": {"type": "keyword"},  # their facet keys, merged forms joined (selection)
        "person_facet": {"type": "keyword"},  # the keys the person facet lists (counted)
        "content_hash": {"type": "keyword", "index": False},
    },
}


# A spelling-variant group ("word|variant|variant", searchcore/ranking.VARIANT) as terms stacked
# at one position: Lucene's query builder then makes a SynonymQuery, which scores the group as
# one term (frequencies added), as the embedded ranking does.
VARIANT_GROUP_ANALYZER = "variant_group"
ANALYSIS = {
    "filter": {"variant_split": {"type": "pattern_capture", "preserve_original": False, "patterns": ["([^|]+)"]}},
    "analyzer": {VARIANT_GROUP_ANALYZER: {"type": "custom", "tokenizer": "keyword", "filter": ["variant_split"]}},
}


def index_body(shards: int, replicas: int) -> dict[str, Any]:
    return {
        "settings": {"index": {"number_of_shards": shards, "number_of_replicas": replicas,
                               "refresh_interval": "-1"},  # set to 1s once the bulk load is done
                     "analysis": ANALYSIS},
        "mappings": MAPPINGS,
    }
