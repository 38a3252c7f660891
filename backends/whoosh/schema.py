"""The Whoosh schema: exact (normalized) and stemmed forms of title and body, nothing else stored
but the id. Article text and metadata live in the document store (SQLite)."""

from __future__ import annotations

from whoosh.fields import ID, Schema

from backends.whoosh.analysis import ArabicAnalyzer
from backends.whoosh.preanalyzed import ArticleText, PreAnalyzedTEXT


def build_schema() -> Schema:
    exact, stemmed = ArabicAnalyzer(), ArabicAnalyzer(stem=True)
    return Schema(
        id=ID(stored=True, unique=True),
        title=PreAnalyzedTEXT("title", analyzer=exact, multitoken_query="phrase"),
        body=PreAnalyzedTEXT("body", analyzer=exact, multitoken_query="phrase"),
        title_stem=PreAnalyzedTEXT("title_stem", analyzer=stemmed, multitoken_query="phrase"),
        body_stem=PreAnalyzedTEXT("body_stem", analyzer=stemmed, multitoken_query="phrase"),
    )


def whoosh_fields(article_title: str, article_body: str) -> dict[str, object]:
    """The text fields one article contributes to the index: all four share one ArticleText,
    analyzed once by the writer (see `backends.whoosh.preanalyzed`)."""
    text = ArticleText(article_title, article_body)
    return {"title": text, "body": text, "title_stem": text, "body_stem": text}
