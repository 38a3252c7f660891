"""The search core's request as OpenSearch query DSL: the query tree as a non-scoring filter over
the pre-analysed fields (so an article matches exactly when it does in the embedded engine), the
ranking's signals as scoring clauses, the facet selections as a post filter, and one aggregation
per facet counted under the OTHER facets' selections (disjunctive counts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from backends.opensearch.mapping import VARIANT_GROUP_ANALYZER
from searchcore.person_catalog import PersonCatalog
from searchcore.querytree import And, Node, Not, Or, Phrase, Prefix, Word
from searchcore.ranking import EXACT, STEM, WEIGHTS, QueryWord, RankingWeights, scoring_terms

Query = dict[str, Any]

FIELDS = {"title": "title_exact", "body": "body_exact", "title_stem": "title_stem", "body_stem": "body_stem"}
RANK_FIELD = {STEM.name: "rank_stem", EXACT.name: "rank_exact", "variant": "rank_exact"}
MATCH_NONE: Query = {"match_none": {}}
PERSON_BUCKETS = 20_000  # persons counted per request (the facet shows the first ones)
HIDDEN = "-aggregations.person.listed"  # filter_path: what the response need not carry


def _any(clauses: list[Query]) -> Query:
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def tree(node: Node) -> Query:
    """The documents `node` matches, as searchcore/matching.py defines it."""
    if isinstance(node, Word):
        return _any([{"term": {FIELDS["title"]: node.exact}}, {"term": {FIELDS["body"]: node.exact}},
                     {"term": {FIELDS["title_stem"]: node.stem}}, {"term": {FIELDS["body_stem"]: node.stem}}])
    if isinstance(node, Phrase):
        return _any([{"match_phrase": {FIELDS["title"]: " ".join(node.exact)}},
                     {"match_phrase": {FIELDS["body"]: " ".join(node.exact)}},
                     {"match_phrase": {FIELDS["title_stem"]: " ".join(node.stems)}},
                     {"match_phrase": {FIELDS["body_stem"]: " ".join(node.stems)}}])
    if isinstance(node, Prefix):
        return _prefix(node.text)
    if isinstance(node, Not):
        return {"bool": {"must_not": [tree(node.item)]}}
    if isinstance(node, Or):
        return _any([tree(n) for n in node.items])
    if isinstance(node, And):
        return {"bool": {"filter": [tree(n) for n in node.items]}}
    raise TypeError(f"not a query node: {node!r}")


def _prefix(text: str) -> Query:
    return _any([{"prefix": {FIELDS["title"]: text}}, {"prefix": {FIELDS["body"]: text}}])


def scoring(words: list[QueryWord], prefixes: list[str], variants: Callable[[str], tuple[str, ...]],
            weights: RankingWeights = WEIGHTS) -> list[Query]:
    """The ranking's signals (searchcore/ranking.py) as scoring clauses. OpenSearch's BM25 keeps
    Lucene's legacy (k1 + 1) factor, as ours does. A variant group is one SynonymQuery (its
    terms' frequencies added; its document frequency is the largest of theirs where ours counts
    the articles holding any of them)."""
    out: list[Query] = []
    for signal, terms, weight in scoring_terms(words, weights, variants):
        field = RANK_FIELD[signal.name]
        if len(terms) == 1:
            out.append({"term": {field: {"value": terms[0], "boost": weight}}})
        else:
            out.append({"match": {field: {"query": "|".join(terms), "analyzer": VARIANT_GROUP_ANALYZER,
                                          "boost": weight}}})
    for p in prefixes:
        out.append({"constant_score": {"filter": _prefix(p), "boost": weights.prefix_score}})
    return out


def outlet_selection(outlets: list[str]) -> Query | None:
    return {"terms": {"outlet": outlets}} if outlets else None


def person_selection(persons: list[str], catalog: PersonCatalog) -> Query | None:
    if not persons:
        return None
    keys = [catalog.keys[i] for i in catalog.known(persons)]
    return {"terms": {"person_keys": keys}} if keys else MATCH_NONE


def date_selection(start: str | None, end: str | None) -> Query | None:
    if start is None and end is None:
        return None
    bounds = {"format": "strict_date"}
    if start is not None:
        bounds["gte"] = start
    if end is not None:
        bounds["lte"] = end
    return {"range": {"date": bounds}}


_REGEX_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~^$])')


NO_KEY = " "  # no person key is a space: an include list that picks nothing


def contains_regex(needle: str) -> str:
    """A Lucene regular expression for keys containing `needle` literally."""
    return ".*" + _REGEX_SPECIAL.sub(r"\\\1", needle) + ".*"


def facet_aggregations(selections: dict[str, Query | None], facet_size: int, selected_keys: list[str],
                       contains: str | list[str] | None, within: bool = False) -> dict[str, Any]:
    """One filter aggregation per facet, under the other facets' selections (the date facet also
    under its own: choosing a year shows its months); `within`: under every selection.
    `contains`: the person keys listed hold this text, or are these keys."""

    def under_others(name: str, aggs: dict[str, Any]) -> dict[str, Any]:
        others = [q for n, q in selections.items() if (within or n != name) and q is not None]
        return {"filter": {"bool": {"filter": others}} if others else {"match_all": {}}, "aggs": aggs}

    # `top`: the facet's first values. `listed` + `counted`: how many facetable persons there are
    # among the matches (`person_total`), exact where the cardinality aggregation's estimate was
    # one off on the bundled corpus; the listed buckets themselves are left out of the response
    # (HIDDEN): for common words on three bundled days a faceted search went from 43 to 23 ms
    # (one node); on the benchmark's mixed query set the median did not move.
    terms: dict[str, Any] = {"field": "person_facet", "shard_size": PERSON_BUCKETS}
    if isinstance(contains, list):
        terms["include"] = contains or [NO_KEY]
    elif contains:
        terms["include"] = contains_regex(contains)
    person: dict[str, Any] = {
        "top": {"terms": {**terms, "size": facet_size, "order": [{"_count": "desc"}, {"_key": "asc"}]}},
        "listed": {"terms": {**terms, "size": PERSON_BUCKETS}},
        "counted": {"stats_bucket": {"buckets_path": "listed>_count"}},
    }
    if selected_keys:
        person["selected"] = {"terms": {"field": "person_keys", "include": selected_keys,
                                        "size": len(selected_keys)}}
    return {
        "person": under_others("person", person),
        "outlet": under_others("outlet", {"values": {"terms": {"field": "outlet", "size": 1000}}}),
        "date": under_others("", {"days": {"date_histogram": {  # within its own range too: a drill-down
            "field": "date", "calendar_interval": "day", "min_doc_count": 1, "format": "strict_date"}}}),
    }
