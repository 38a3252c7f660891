"""The `_analyze`-style debugging view: what each word of a text becomes in the index."""

from __future__ import annotations

from typing import TypedDict

from analyzers.chain import exact_analyzer
from analyzers.stemming import stem


class TokenInfo(TypedDict):
    text: str
    start: int
    end: int
    term: str
    stem: str | None
    stopword: bool


def analyze(text: str) -> list[TokenInfo]:
    """One entry per token: surface form, offsets, exact index term and stem (None for stop words)."""
    out: list[TokenInfo] = []
    for t in exact_analyzer()(text, removestops=False):
        out.append(
            {
                "text": text[t.startchar : t.endchar],
                "start": t.startchar,
                "end": t.endchar,
                "term": t.text,
                "stem": None if t.stopped else stem(t.text),
                "stopword": bool(t.stopped),
            }
        )
    return out
