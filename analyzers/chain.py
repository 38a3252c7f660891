"""The analyzer chains used at index and query time (the same objects, so they cannot drift)."""

from __future__ import annotations

from whoosh.analysis import Analyzer, StopFilter

from analyzers.filters import ArabicStemFilter, CompoundNameFilter, NormalizeFilter
from analyzers.stopwords import stopwords
from analyzers.tokenizer import ArabicTokenizer


def exact_analyzer() -> Analyzer:
    """Tokenize + normalize + compound split + stop words: the unstemmed ("exact") form."""
    return (
        ArabicTokenizer()
        | NormalizeFilter()
        | CompoundNameFilter()
        | StopFilter(stoplist=stopwords(), minsize=1, renumber=True)
    )


def stem_analyzer() -> Analyzer:
    """The exact chain followed by light stemming."""
    return exact_analyzer() | ArabicStemFilter()

