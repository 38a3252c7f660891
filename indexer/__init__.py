"""Reading news corpora and building the search index."""

from indexer.build import ReindexFailed, ReindexResult, reindex
from indexer.layout import IndexLayout
from indexer.lock import ReindexBusy

__all__ = ["IndexLayout", "ReindexBusy", "ReindexFailed", "ReindexResult", "reindex"]
