"""Token filters for the Arabic chain. They change `text` only, so offsets stay on the original."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from whoosh.analysis import Filter, Token

from analyzers.charmap import normalize, normalize_keep_madda, normalize_token, original_offset
from analyzers.stemming import stem

# The عبد + divine-name family, normalized. عبدالله and عبد الله both become the two terms
# عبد, الله at consecutive positions, so word and phrase queries match either spelling.
DIVINE_NAMES = frozenset(
    normalize(n)
    for n in (
        "الله الرحمن الرحيم العزيز الكريم الملك القدوس السلام المؤمن المهيمن الجبار "
        "الخالق الباري المصور الغفار القهار الوهاب الرزاق الفتاح العليم الباسط الرافع "
        "المعز اللطيف الخبير الحليم العظيم الغفور الشكور العلي الكبير الحفيظ المجيد "
        "الحميد الحق الحكيم الودود الباعث الشهيد الوكيل القوي المتين الولي المحسن "
        "المنعم الحي القيوم الواحد الأحد الصمد القادر المقتدر الأول الآخر الظاهر "
        "الباطن البر التواب الرؤوف الغني المغني المعطي النور الهادي البديع الباقي "
        "الوارث الرشيد الصبور الإله الجليل الستار المنان المعين الناصر الرحمان "
        "المطلب الجواد الحسيب الرقيب السميع البصير المجيب الواسع الكافي"
    ).split()
)
_ABD_COMPOUND = re.compile(r"^([وفبلك]?عبد)(ال.+)$")


# The family word آل (آل سعود) keeps its madda so that it stays apart from a detached
# article: a standalone bare ال is never a word (a typo or crowd noise, "… السعودية؟ ال"),
# and as a term it would match every آل in the corpus.
FAMILY_WORD = "\u0622\u0644"  # آل
DETACHED_ARTICLE = "\u0627\u0644"  # ال


class NormalizeFilter(Filter):
    """Diacritics, tatweel, hamza/alef/yeh/teh folding, digits, presentation forms, case."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            t.surface = t.text
            t.text = normalize_token(t.text)
            if t.text == DETACHED_ARTICLE:
                if normalize_keep_madda(t.surface) != FAMILY_WORD:
                    continue
                t.text = FAMILY_WORD
            if t.text:
                yield t


class CompoundNameFilter(Filter):
    """Split عبدالله-style compounds into عبد + الله, renumbering later positions."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        shift = 0
        for t in tokens:
            if t.positions:
                t.pos += shift
            m = _ABD_COMPOUND.match(t.text)
            if not m or m.group(2) not in DIVINE_NAMES:
                yield t
                continue
            head, tail = m.group(1), m.group(2)
            surface = getattr(t, "surface", t.text)
            start, end = (t.startchar, t.endchar) if t.chars else (0, 0)
            cut = original_offset(surface, len(head))
            t.text = head
            t.surface = surface[:cut]
            if t.chars:
                t.endchar = start + cut
            yield t
            t.text = tail
            t.surface = surface[cut:]
            if t.chars:
                t.startchar, t.endchar = start + cut, end
            if t.positions:
                t.pos += 1
            shift += 1
            yield t


class ArabicStemFilter(Filter):
    """Replace each term by its light stem (see `analyzers.stemming`)."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t
