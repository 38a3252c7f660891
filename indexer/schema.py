"""The Whoosh schema: exact (normalized) and stemmed forms of title and body, nothing else stored
but the id. Article text and metadata live in the document store (SQLite)."""

from __future__ import annotations

from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema

from analyzers import exact_analyzer, normalize_only_analyzer, stem_analyzer
from indexer.preanalyzed import ArticleText, PreAnalyzedTEXT

PROFILES = ("full", "normalize", "standard")


def build_schema(profile: str = "full") -> Schema:
    """`full` is the product; `normalize` and `standard` are the retrieval baselines."""
    if profile == "full":
        exact, stemmed = exact_analyzer(), stem_analyzer()
        return Schema(
            id=ID(stored=True, unique=True),
            title=PreAnalyzedTEXT("title", analyzer=exact, multitoken_query="phrase"),
            body=PreAnalyzedTEXT("body", analyzer=exact, multitoken_query="phrase"),
            title_stem=PreAnalyzedTEXT("title_stem", analyzer=stemmed, multitoken_query="phrase"),
            body_stem=PreAnalyzedTEXT("body_stem", analyzer=stemmed, multitoken_query="phrase"),
        )
    if profile == "normalize":
        an = normalize_only_analyzer()
    elif profile == "standard":
        an = StandardAnalyzer()
    else:
        raise ValueError(f"unknown analyzer profile {profile!r}; one of {PROFILES}")
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=an, multitoken_query="phrase"),
        body=TEXT(analyzer=an, multitoken_query="phrase"),
    )


def whoosh_fields(article_title: str, article_body: str, profile: str = "full") -> dict[str, object]:
    """The text fields one article contributes to the index, for a schema profile.

    For the product profile all four fields share one ArticleText, analyzed once by the writer
    (see `indexer.preanalyzed`).
    """
    if profile == "full":
        text = ArticleText(article_title, article_body)
        return {"title": text, "body": text, "title_stem": text, "body_stem": text}
    return {"title": article_title, "body": article_body}
