"""The Arabic stop list: the lemma list of the `arabic-stopwords` package, normalized, minus
name particles and the words that carry content in news.

Why this list: it is maintained on PyPI (Taha Zerrouki, the pyarabic author) and offline. Its
lemma list (~500 words) scored better on ARCD than its 13k clitic-expanded list (MRR@10 0.803
vs 0.800) and keeps more real words (ولي in ولي العهد is only in the expanded list). It is
normalized with the index's own character table, so stop-filtering runs after normalization
(Lucene's "the stopword list is not normalized" trap does not apply).

Added to it: the function words with an attached clitic that Lucene's Arabic stop list (Savoy's)
has and the lemma list lacks (ومن, فيه, عليه, انه, وهو, كانت ...), and the vocative يا and the
news auxiliaries تم, لقد, وقد. A pasted claim is full of them, and each scored like a content word.

Kept out of the list:
- name particles: أبو مازن, ابن سلمان, أم كلثوم, ذو الفقار, علي (which also folds with على);
- directions, times and full verbs, which are content in news: شمال سوريا, شهر رمضان, قام.
"""

from __future__ import annotations

from functools import lru_cache

import arabicstopwords.arabicstopwords as _asw
from pyarabic import araby

from analyzers.charmap import normalize, normalize_keeping

NAME_PARTICLES = frozenset(
    normalize(w)
    for w in (
        "أبو أبا أبي ابن بن بنت أم أب أخ أخو أخا أخي ذو ذي ذا آل ولي والي "
        "علي على عين نفس ذات عدس حم حمو حما حمي"
    ).split()
)
CLITIC_FUNCTION_WORDS = frozenset(
    normalize(w)
    for w in (
        "ومن منها منه وفي فيها فيه ولا وما فما إنها أنها انها إنه أنه انه بأن بان فإن فان وأن وإن وان "
        "عليها عليه وكل ولم ولن وهي وهو فهي فهو كانت يكون تكون وكانت وكان يا تم لقد وقد"
    ).split()
)
CONTENT_WORDS = frozenset(
    normalize(w)
    for w in (
        "شمال جنوب شرق غرب يمين شهر صباح مساء ليل ساعة وقت زمان لحظة غدا غداة ضحوة غروب "
        "أخذ قام عاد رجع راح تحول انقلب ارتد جعل شرع أنشأ ابتدأ أقبل تبدل استحال سبحان معاذ فلان"
    ).split()
)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Normalized stop terms (computed once)."""
    words = {normalize(w) for w in _asw.classed_stopwords_list()} | CLITIC_FUNCTION_WORDS
    return frozenset(w for w in words if w and w not in NAME_PARTICLES and w not in CONTENT_WORDS)


# Prepositions that alef-maqsura folding merges with a kept name particle: على becomes the name
# علي. (إلى, حتى, لدى fold onto words that are stop words themselves; حمى folds onto the
# particle حمي but is mostly "fever", a content word.)
MAQSURA_PREPOSITIONS = frozenset({"على"})


def is_function_spelling(surface: str) -> bool:
    """Whether a word is spelled as one of MAQSURA_PREPOSITIONS: the writer meant the preposition,
    not the name. The index cannot tell them apart; a query made of nothing else is "only
    common words"."""
    return normalize_keeping(surface, araby.ALEF_MAKSURA) in MAQSURA_PREPOSITIONS
