"""Light stemming: Lucene-style article prefixes, then snowball's Arabic stemmer, cached.

Snowball leaves وال/بال/كال/فال attached (والحسن → والحس, والرئيس → والرييس) while it strips
ال; stripping those compound prefixes first makes all of them meet (حسن, رءيس).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_SNOWBALL = snowballstemmer.stemmer("arabic")
_COMPOUND_ARTICLE = re.compile(r"^(?:وال|بال|كال|فال)(?=..)")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
MIN_STEM_LEN = 3


@lru_cache(maxsize=500_000)
def stem(term: str) -> str:
    """Stem one normalized term; non-Arabic and very short terms are returned unchanged."""
    if len(term) < MIN_STEM_LEN or not _ARABIC_LETTER.search(term):
        return term
    base = _COMPOUND_ARTICLE.sub("", term)
    out = _SNOWBALL.stemWord(base)
    return out if out else term
