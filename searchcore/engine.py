"""The narrow interface between the search core and an engine (the embedded one over an index
generation on disk, or an OpenSearch cluster): the core parses the query, highlights and shapes
the response; an engine answers "which articles, in which order, how many, with which facet
counts" for one parsed request, and reads articles by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from searchcore.deadline import Deadline
from searchcore.index_reader import IndexReader
from searchcore.params import SearchParams
from searchcore.person_catalog import PersonCatalog
from searchcore.query import ParsedQuery


@dataclass
class EngineRequest:
    pq: ParsedQuery
    params: SearchParams  # the facet selections, facet_size, person_contains, explain
    sort: str  # relevance | newest | oldest (ties: article id ascending)
    start: int  # the first hit wanted (0-based)
    size: int  # hits wanted from `start`
    deadline: Deadline = field(default_factory=Deadline)  # the whole request's time budget
    facets: bool = True  # False: hits and total only (exports)


@dataclass
class EngineResult:
    total: int
    hits: list[dict]  # article rows (id, title, body, url, outlet, date, author, persons) in rank order,
    #                   with near_duplicates [(id, outlet)] where the engine knows them
    facets: dict[str, list[dict]] = field(default_factory=dict)  # facet name -> values (searchcore/facets.py)
    facet_info: dict[str, Any] = field(default_factory=dict)
    partial: bool = False  # the time budget was reached: some matches may be missing
    matched: int | None = None  # with params.collapse: the matching articles, near-duplicates included


class SearchEngine(Protocol):
    """One consistent view of an index generation, shared by a process's threads."""

    generation: str
    index: IndexReader  # what the query parser asks: doc_frequency, prefix_terms
    persons: PersonCatalog  # the generation's persons: facet values, spellings, merged forms

    def search(self, request: EngineRequest) -> EngineResult: ...

    def article(self, article_id: str) -> dict | None: ...

    def explain(self, pq: ParsedQuery, article_id: str) -> dict[str, Any]:
        """Why the article scores what it does for the query; raises SearchError when unknown."""

    def health(self) -> dict[str, Any]: ...


class EngineHandle(Protocol):
    def snapshot(self) -> SearchEngine:
        """The live generation (reopened when a reindex swapped in a new one)."""
