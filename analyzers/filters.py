"""The steps of the Arabic chain after the tokenizer. Each changes `text` only (and splits or
drops tokens), so offsets stay on the original."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from analyzers.charmap import normalize, normalize_keep_madda, normalize_token, original_offset
from analyzers.stemming import stem
from analyzers.tokenizer import Token

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


def normalized(tokens: Iterable[Token]) -> Iterator[Token]:
    """Diacritics, tatweel, hamza/alef/yeh/teh folding, digits, presentation forms, case."""
    for t in tokens:
        t.text = normalize_token(t.text)
        if t.text == DETACHED_ARTICLE:
            if normalize_keep_madda(t.surface) != FAMILY_WORD:
                continue
            t.text = FAMILY_WORD
        if t.text:
            yield t


def compounds_split(tokens: Iterable[Token]) -> Iterator[Token]:
    """Split عبدالله-style compounds into عبد + الله, renumbering later positions."""
    shift = 0
    for t in tokens:
        t.pos += shift
        m = _ABD_COMPOUND.match(t.text)
        if not m or m.group(2) not in DIVINE_NAMES:
            yield t
            continue
        head, tail = m.group(1), m.group(2)
        surface, start, end = t.surface, t.startchar, t.endchar
        cut = original_offset(surface, len(head))
        t.text, t.surface, t.endchar = head, surface[:cut], start + cut
        yield t
        t.text, t.surface = tail, surface[cut:]
        t.startchar, t.endchar = start + cut, end
        t.pos += 1
        shift += 1
        yield t


def stops_removed(tokens: Iterable[Token], stops: frozenset[str], remove: bool = True) -> Iterator[Token]:
    """Stop words dropped (`remove`) or marked `stopped`; the kept words' positions renumbered
    to follow each other from the first kept word's, so a phrase spans a dropped في."""
    pos: int | None = None
    for t in tokens:
        if t.text not in stops:
            pos = t.pos if pos is None else pos + 1
            t.pos = pos
            t.stopped = False
            yield t
        elif not remove:
            t.stopped = True
            yield t


def stemmed(tokens: Iterable[Token]) -> Iterator[Token]:
    """Each term replaced by its light stem (see `analyzers.stemming`); stop words kept as are."""
    for t in tokens:
        if not t.stopped:
            t.text = stem(t.text)
        yield t
