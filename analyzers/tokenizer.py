"""A regex tokenizer for Arabic, Latin and digits that keeps diacritics and tatweel inside words."""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from analyzers.charmap import DIACRITICS, INVISIBLE

_IN_WORD = re.escape(DIACRITICS + "\u0640" + INVISIBLE)
# A word starts with a letter or digit (not underscore) and may contain marks, tatweel and
# invisible format characters; everything else (ASCII and Arabic punctuation ، ؛ ؟ « », spaces,
# ZWNJ) separates words.
WORD_RE = re.compile(rf"[^\W_](?:[^\W_]|[{_IN_WORD}])*")
_TRAILING = re.compile(rf"[{re.escape(INVISIBLE)}]+$")


class ArabicTokenizer(Tokenizer):
    """Yields one token per word with `startchar`/`endchar` into the original text."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        for m in WORD_RE.finditer(value):
            word = m.group()
            end = m.end()
            trail = _TRAILING.search(word)
            if trail:
                word = word[: trail.start()]
                end -= len(trail.group())
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + m.start()
                t.endchar = start_char + end
            yield t
