"""A regex tokenizer for Arabic, Latin and digits that keeps diacritics and tatweel inside words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from analyzers.charmap import DIACRITICS, INVISIBLE

_IN_WORD = re.escape(DIACRITICS + "\u0640" + INVISIBLE)
# A word starts with a letter or digit (not underscore) and may contain marks, tatweel and
# invisible format characters; everything else (ASCII and Arabic punctuation ، ؛ ؟ « », spaces,
# ZWNJ) separates words.
WORD_RE = re.compile(rf"[^\W_](?:[^\W_]|[{_IN_WORD}])*")
_TRAILING = re.compile(rf"[{re.escape(INVISIBLE)}]+$")


class Token:
    """One word as the chain sees it. `text` is the term (changed by each step), `surface` the
    word as written; `startchar`/`endchar` point into the original text, `pos` counts words.
    The tokenizer yields ONE token object, changed in place for each word (as Whoosh's do):
    read what you need before asking for the next."""

    __slots__ = ("text", "surface", "pos", "startchar", "endchar", "stopped")

    def __init__(self) -> None:
        self.text = self.surface = ""
        self.pos = self.startchar = self.endchar = 0
        self.stopped = False


def tokenize(value: str, start_pos: int = 0, start_char: int = 0) -> Iterator[Token]:
    """One token per word of `value`, offsets counted from `start_char`."""
    t = Token()
    pos = start_pos
    for m in WORD_RE.finditer(value):
        word = m.group()
        end = m.end()
        trail = _TRAILING.search(word)
        if trail:
            word = word[: trail.start()]
            end -= len(trail.group())
        t.text = t.surface = word
        t.stopped = False
        t.pos = pos
        pos += 1
        t.startchar = start_char + m.start()
        t.endchar = start_char + end
        yield t


def whole(value: str, start_pos: int = 0, start_char: int = 0) -> Iterator[Token]:
    """`value` as one token, not split into words (for a wildcard's literal part)."""
    t = Token()
    t.text = t.surface = value
    t.pos, t.startchar, t.endchar = start_pos, start_char, start_char + len(value)
    yield t
