"""The shipped personal-name lists (normalized words; sources in persons/data/NOTICE.md)."""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

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


def is_name_word(word: str) -> bool:
    """A known personal-name word (normalized), an عبد + divine-name compound, or either after a
    conjunction (وبوش). ل/ب/ك are not stripped: before a noun they mean it is no name (لكرة)."""
    lexicon = name_lexicon()
    for w in (word, word[1:] if len(word) > 3 and word[0] in "وف" else word):
        if w in lexicon or (w.startswith("عبد") and (w[3:] in DIVINE_NAMES or w[3:] in lexicon)):
            return True
    return False


@lru_cache(maxsize=1)
def word_stats() -> dict[str, tuple[int, int]]:
    """Normalized word → (Zipf frequency ×10, share of its uses with ال ×10 or -1); see
    persons/data/build_word_stats.py."""
    out = {}
    for line in (_DATA / "word_stats.tsv").read_text(encoding="utf-8").splitlines():
        word, zipf, al = line.split("\t")
        out[word] = (int(zipf), int(al))
    return out



@lru_cache(maxsize=1)
def word_clusters() -> dict[str, tuple[str, str]]:
    """Normalized word → (coarse, fine) class ids learnt from unlabelled news; see
    persons/data/build_clusters.py."""
    out = {}
    for line in (_DATA / "word_clusters.tsv").read_text(encoding="utf-8").splitlines():
        word, coarse, fine = line.split("\t")
        out[word] = (coarse, fine)
    return out
