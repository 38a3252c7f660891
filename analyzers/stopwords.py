"""The Arabic stop list: the `arabic-stopwords` package, normalized, minus name particles.

Why this list: it is maintained on PyPI (Taha Zerrouki, the pyarabic author), offline, and lists
every clitic-attached form (وفي, بأن, ...), which a 100-word list like Lucene's misses. It is
normalized with the same character table as the index, so stop-filtering can run after
normalization (Lucene's "the stopword list is not normalized" trap does not apply).

Name particles are kept out: أبو مازن, ابن سلمان, أم كلثوم, علي (which also folds with على),
ذو الفقار must survive for phrase and person queries.
"""

from __future__ import annotations

from functools import lru_cache

import arabicstopwords.arabicstopwords as _asw

from analyzers.charmap import normalize

NAME_PARTICLES = frozenset(
    normalize(w)
    for w in (
        "أبو أبا أبي ابن بن بنت أم أب أخ أخو أخا أخي ذو ذي ذا آل ولي والي "
        "علي على عين نفس ذات عدس حم حمو حما حمي"
    ).split()
)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Normalized stop terms (computed once)."""
    words = {normalize(w) for w in _asw.stopwords_list()}
    return frozenset(w for w in words if w and w not in NAME_PARTICLES)
