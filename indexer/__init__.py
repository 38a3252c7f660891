"""Reading news corpora and building the search index."""

from indexer.build import ReindexFailed, ReindexResult, reindex
from indexer.layout import IndexLayout
from indexer.lock import ReindexBusy
from indexer.whoosh_fixes import install as _install_whoosh_fixes

_install_whoosh_fixes()  # before any index is opened (see indexer/whoosh_fixes.py)

__all__ = ["IndexLayout", "ReindexBusy", "ReindexFailed", "ReindexResult", "reindex"]
