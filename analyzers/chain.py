"""The analyzer chains used at index and query time (the same objects, so they cannot drift):
plain Python, engine-neutral; backends/whoosh wraps them for Whoosh's fields."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from analyzers.filters import compounds_split, normalized, stemmed, stops_removed
from analyzers.stopwords import stopwords
from analyzers.tokenizer import Token, tokenize, whole


class Chain:
    """Tokenize + normalize + compound split + stop words (+ stemming when `stem`)."""

    def __init__(self, stem: bool) -> None:
        self.stem = stem

    def __call__(self, value: str, removestops: bool = True, start_pos: int = 0, start_char: int = 0,
                 split: bool = True, **_: object) -> Iterator[Token]:
        """Tokens of `value` (the one token object changed in place: see tokenizer.Token).
        `split=False` takes `value` as one word."""
        tokens = (tokenize if split else whole)(value, start_pos, start_char)
        out = stops_removed(compounds_split(normalized(tokens)), stopwords(), removestops)
        return stemmed(out) if self.stem else out


@lru_cache(maxsize=1)
def exact_analyzer() -> Chain:
    """Tokenize + normalize + compound split + stop words: the unstemmed ("exact") form."""
    return Chain(stem=False)


@lru_cache(maxsize=1)
def stem_analyzer() -> Chain:
    """The exact chain followed by light stemming."""
    return Chain(stem=True)
