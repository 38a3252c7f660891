"""The shipped personal-name lists (normalized words; sources in persons/data/NOTICE.md)."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from analyzers.charmap import normalize
from analyzers.filters import DIVINE_NAMES

_DATA = Path(__file__).with_name("data")
ROLES = ("given_names", "surnames", "foreign_names")


@cache
def name_list(role: str) -> frozenset[str]:
    """One of ROLES: given names and surnames from Wikidata, foreign names from arabnamer."""
    return frozenset((_DATA / f"{role}.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def name_lexicon() -> frozenset[str]:
    """Every known personal-name word."""
    return frozenset().union(*(name_list(r) for r in ROLES))


@lru_cache(maxsize=1)
def not_persons() -> frozenset[str]:
    """Normalized names of places and bodies that are never a person value (persons/data/not_persons.txt)."""
    lines = (_DATA / "not_persons.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(normalize(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


def is_name_word(word: str) -> bool:
    """A known personal-name word (normalized), an عبد + divine-name compound, or either after a
    conjunction (وبوش). ل/ب/ك are not stripped: before a noun they mean it is no name (لكرة)."""
    lexicon = name_lexicon()
    for w in (word, word[1:] if len(word) > 3 and word[0] in "وف" else word):
        if w in lexicon or (w.startswith("عبد") and (w[3:] in DIVINE_NAMES or w[3:] in lexicon)):
            return True
    return False


def _table(name: str) -> dict[str, list[str]]:
    """A tab-separated file of persons/data/: first column → the other columns."""
    rows = (line.split("\t") for line in (_DATA / name).read_text(encoding="utf-8").splitlines())
    return {row[0]: row[1:] for row in rows}


@lru_cache(maxsize=1)
def word_stats() -> dict[str, tuple[int, int]]:
    """Normalized word → (Zipf frequency ×10, share of its uses with ال ×10 or -1); see
    persons/data/build_word_stats.py."""
    return {word: (int(zipf), int(al)) for word, (zipf, al) in _table("word_stats.tsv").items()}


@lru_cache(maxsize=1)
def word_clusters() -> dict[str, tuple[str, str]]:
    """Normalized word → (coarse, fine) class ids learnt from unlabelled news; see
    persons/data/build_clusters.py."""
    return {word: (coarse, fine) for word, (coarse, fine) in _table("word_clusters.tsv").items()}


# A word used with ال at least this often (tenths) is a common noun or adjective (روسي, عربي,
# كريم), not something a bare one-word person value can be trusted to mean.
COMMON_AL_SHARE = 6
_DEFINITE_AFTER_CLITIC = ("بال", "لل", "كال", "وال", "فال")


def is_common_word(word: str) -> bool:
    """A normalized one-word value that is an ordinary word: one mostly used with ال (روسي), an
    indefinite accusative of such a noun (بلاغا: بلاغ), or a clitic before ال (بالله)."""
    stats = word_stats()
    if stats.get(word, (0, 0))[1] >= COMMON_AL_SHARE:
        return True
    if word.endswith("ا") and len(word) > 3 and stats.get(word[:-1], (0, 0))[1] >= 3 and not is_name_word(word[:-1]):
        return True
    return word.startswith(_DEFINITE_AFTER_CLITIC) and len(word) > 4
