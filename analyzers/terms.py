"""The exact chain's terms of a whole text in a few C-level passes, for indexing.

`exact_analyzer()` normalizes word by word through token objects (it must: queries and
highlighting need offsets into the original text). Indexing needs only the terms in order,
and the character work is per character, so here the text is folded with ONE `str.translate`
before it is cut into words: the same terms, about three times faster. Texts with a
presentation form (which needs NFKC) take the token-by-token chain. Same output as the chain
on every bundled article and on random text (tests/test_analyzer_properties.py).
"""

from __future__ import annotations

import re

from analyzers.chain import exact_analyzer
from analyzers.charmap import TRANSLATE_TABLE, Translator, _needs_nfkc
from analyzers.filters import _ABD_COMPOUND, DETACHED_ARTICLE, DIVINE_NAMES, FAMILY_WORD
from analyzers.stopwords import stopwords

# آ is folded to ا like every alef, but a standalone آل (the family word) must stay apart from
# a detached article ال: it is folded to a letter that never occurs in Arabic news instead,
# and resolved per word.
_MADDA_MARK = "\u0800"
_FOLD_TEXT = Translator({**TRANSLATE_TABLE, 0x0622: _MADDA_MARK})
_FAMILY_MARKED = _MADDA_MARK + "\u0644"
_WORD = re.compile(r"[^\W_]+")
_CHAIN = exact_analyzer()  # for the texts the fast path leaves to it


def exact_terms(text: str) -> list[str]:
    """The terms `exact_analyzer()` gives for `text` (positions are their indexes)."""
    if _MADDA_MARK in text or _needs_nfkc(text):
        return [t.text for t in _CHAIN(text)]
    stops = stopwords()
    out: list[str] = []
    for word in _WORD.findall(_FOLD_TEXT(text)):
        if _MADDA_MARK in word:
            if word == _FAMILY_MARKED:
                out.append(FAMILY_WORD)
                continue
            word = word.replace(_MADDA_MARK, "\u0627")
        word = word.lower()
        if word == DETACHED_ARTICLE:
            continue
        m = _ABD_COMPOUND.match(word)
        if m and m.group(2) in DIVINE_NAMES:
            out.extend(w for w in m.groups() if w not in stops)
        elif word not in stops:
            out.append(word)
    return out
