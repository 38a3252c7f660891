"""The search core shared by the CLI and the web app (no Flask here)."""

from searchcore.errors import IndexUnavailable, SearchError
from searchcore.handle import IndexHandle
from searchcore.params import SearchParams
from searchcore.search import get_article, health, run_search

__all__ = ["IndexHandle", "IndexUnavailable", "SearchError", "SearchParams", "get_article", "health", "run_search"]
