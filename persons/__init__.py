"""Person-name extraction for the person facet (the seam the indexer calls)."""

from persons.extract import extract_persons, start_loading_tagger

__all__ = ["extract_persons", "start_loading_tagger"]
