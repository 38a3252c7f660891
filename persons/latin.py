"""Person names between Arabic and Latin script, offline.

Arabic → Latin (`romanize`): each word's most attested Latin spelling in the shipped table
(persons/data/latin_names.tsv, from Wikidata labels and arabnamer's pairs; NOTICE.md), name
particles by rule (بن → bin); a name with a word the table does not know has no Latin form.

Latin → Arabic (`LatinMatcher.arabic`): a typed word (Obama, Haniyya, Muhammad) meets the Arabic
words whose consonant skeleton it shares, the letters Latin spellings confuse folded together
(ح/ه → h, ق/ك/خ → k, ث/ت/ط → t, vowels, و/ي/ا and ع dropped); the candidates are then ranked
by how close the typed word is to their Latin spellings in the table (vowels folded, so
Mohammed/Muhammad/Mohamed meet), or, for a word the table lacks, to a letter-by-letter reading
of the Arabic. Only close candidates are kept, so محمود does not answer Mohammed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from persons.canonical import person_key

_TABLE = Path(__file__).with_name("data") / "latin_names.tsv"
_AL = re.compile(r"^[AaEe]l[- ]?(?=[A-Za-z])")
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # with accents: Erdoğan, Hénia
LATIN_WORD = re.compile(f"[{_LETTER}][{_LETTER}'\u2019-]*")
_LATIN_TEXT = re.compile(f"[{_LETTER}][{_LETTER}'\u2019\\s-]*")
MIN_SIMILARITY = 0.85  # how close a typed word must be to a candidate's Latin spelling
NEAR_BEST = 0.04  # candidates this close to the best one are kept too (Hasan: حسن and حسان)
MAX_CANDIDATES = 4
EXACT = 0.999
RANK_COST = 0.01
MAX_READ = 4096  # Latin words a matcher keeps the answer for
RARER = 20  # a candidate named in persons this many times less than the most named one is dropped

# Name particles, written once for both directions: Arabic word → its Latin form, and the
# Latin spellings that stand for it.
PARTICLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "بن": ("bin", ("bin", "ben", "bn")),
    "ابن": ("ibn", ("ibn", "ebn")),
    "بنت": ("bint", ("bint",)),
    "ابو": ("Abu", ("abu", "abou", "abo")),
    "ابي": ("Abi", ("abi",)),
    "ام": ("Umm", ("umm", "um", "om")),
    "ال": ("Al", ("al", "el", "aal")),
}
# Latin prefixes that join the next word into one Arabic word (Abdul Aziz → عبدالعزيز, al Assad → الاسد).
_JOINING = frozenset({"abd", "abdel", "abdul", "abdal", "abdol", "al", "el"})

# Consonant classes: what Latin spellings of Arabic names confuse is one class.
_ARABIC_CLASS = {
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "t", "ج": "g", "غ": "g", "گ": "k", "ح": "h", "ه": "h",
    "ة": "h", "خ": "k", "ق": "k", "ك": "k", "د": "d", "ذ": "d", "ض": "d", "ظ": "d", "ز": "d", "ر": "r",
    "س": "s", "ص": "s", "ش": "x", "ف": "f", "ڤ": "f", "ل": "l", "م": "m", "ن": "n",
}
_LATIN_DIGRAPHS = (("sch", "x"), ("sh", "x"), ("ch", "x"), ("kh", "k"), ("gh", "g"), ("th", "t"), ("dh", "d"),
                   ("ph", "f"), ("ck", "k"), ("dj", "g"), ("x", "ks"))
_LATIN_CLASS = {"b": "b", "p": "b", "t": "t", "j": "g", "g": "g", "h": "h", "k": "k", "q": "k", "c": "k", "d": "d",
                "z": "d", "r": "r", "s": "s", "x": "x", "f": "f", "v": "f", "l": "l", "m": "m", "n": "n"}
# A letter-by-letter reading of Arabic, for words the table has no Latin spelling of.
_READING = {"ا": "a", "و": "u", "ي": "i", "ى": "a", "ع": "", "ء": "", "ئ": "", "ؤ": "", "ة": "a", "ث": "th",
            "خ": "kh", "ذ": "dh", "ش": "sh", "غ": "gh", "ظ": "z", "ض": "d", "ص": "s", "ط": "t", "ح": "h",
            "ق": "q", "ج": "j"}


def is_latin(text: str) -> bool:
    """Text in Latin letters only (with spaces, hyphens, apostrophes)."""
    return bool(_LATIN_TEXT.fullmatch(text.strip()))


def ascii_fold(text: str) -> str:
    """Lower case, accents dropped, letters only: Hénia → henia, al-Jubeir → aljubeir."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", plain)


def arabic_skeleton(word: str) -> str:
    """The consonant classes of a normalized Arabic word, repeats and a final h dropped."""
    return _squeeze("".join(_ARABIC_CLASS.get(ch, "") for ch in word))


def latin_skeleton(word: str) -> str:
    """The consonant classes of a Latin spelling, as arabic_skeleton reads Arabic."""
    s = ascii_fold(word)
    for digraph, cls in _LATIN_DIGRAPHS:
        s = s.replace(digraph, cls.upper())
    return _squeeze("".join(ch.lower() if ch.isupper() else _LATIN_CLASS.get(ch, "") for ch in s))


def _squeeze(classes: str) -> str:
    classes = re.sub(r"(.)\1+", r"\1", classes)
    return classes[:-1] if classes.endswith("h") and len(classes) > 1 else classes


def vowel_fold(word: str) -> str:
    """A Latin spelling with the letters romanizations swap folded (e/i, o/u/w, p/b, v/f,
    q/c/k), repeats and a final h after a vowel dropped: Mohammed, Muhammad → muhamid, muhamad."""
    s = ascii_fold(word)
    s = s.translate(str.maketrans("eowpvqc", "iuubfkk"))
    s = re.sub(r"(.)\1+", r"\1", s)
    return s[:-1] if len(s) > 2 and s.endswith("h") and s[-2] in "aiu" else s


def _reading(word: str) -> str:
    return "".join(_READING.get(ch, _ARABIC_CLASS.get(ch, "")) for ch in word)


@lru_cache(maxsize=1)
def latin_table() -> dict[str, tuple[str, ...]]:
    """Normalized Arabic name word → its Latin spellings, most attested first."""
    rows = (line.split("\t") for line in _TABLE.read_text(encoding="utf-8").splitlines() if line)
    return {arabic: tuple(forms.split("|")) for arabic, forms in rows}


def _word_form(word: str) -> str | None:
    table = latin_table()
    if word in PARTICLES:
        return PARTICLES[word][0]
    own = table.get(word, ())
    if not word.startswith("ال"):
        if not own and word.startswith("عبد") and word[3:] in table:
            return "Abd " + table[word[3:]][0]
        return own[0] if own else None
    if own and _AL.match(own[0]):  # Al-Jubair, El Hassan, Elsisi: one style, al-Jubair
        rest = _AL.sub("", own[0])
        return "al-" + rest[0].upper() + rest[1:]
    if word[2:] in table:
        return "al-" + table[word[2:]][0]  # الحسين: al-Hussein, not the table's Lahoucine
    return own[0] if own else None


@lru_cache(maxsize=65536)
def romanize(name: str) -> str | None:
    """A Latin-script form of an Arabic person name, or None when a word of it is not known."""
    forms = [_word_form(w) for w in person_key(name).split()]
    if not forms or any(f is None for f in forms):
        return None
    text = " ".join(forms)  # type: ignore[arg-type]
    return text[0].upper() + text[1:]


def skeleton_index(words: Iterable[str]) -> dict[str, set[str]]:
    """Consonant skeleton → the words that have it (a word with ال also under its rest)."""
    out: dict[str, set[str]] = {}
    for word in words:
        for variant in {word, word[2:]} if word.startswith("ال") and len(word) > 4 else {word}:
            out.setdefault(arabic_skeleton(variant), set()).add(word)
    return out


@lru_cache(maxsize=1)
def _table_skeletons() -> dict[str, set[str]]:
    return skeleton_index(latin_table())


@dataclass(eq=False)
class LatinMatcher:
    """Latin words → Arabic words, over the shipped table's words and `extra` ones (a corpus's
    person-name words the table lacks, as a `skeleton_index`); `known` keeps only the words a
    corpus holds."""

    extra: dict[str, set[str]] = field(default_factory=dict)
    known: Callable[[str], bool] = field(default=lambda word: True, repr=False)
    # how often a word is part of a corpus's person names: among close candidates, one far less
    # named than the most named is dropped (Kerry: كيري, not كير)
    frequency: Callable[[str], int] = field(default=lambda word: 0, repr=False)

    _read: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)  # arabic()'s answers

    def _candidates(self, key: str) -> set[str]:
        return _table_skeletons().get(key, set()) | self.extra.get(key, set())

    def arabic(self, latin: str) -> list[str]:
        """The normalized Arabic words a typed Latin word may stand for, closest first (kept per
        matcher: a query's matcher lives for one query, the filter box's for a generation)."""
        if latin not in self._read:
            if len(self._read) >= MAX_READ:
                self._read.clear()
            self._read[latin] = self._arabic(latin)
        return self._read[latin]

    def _arabic(self, latin: str) -> list[str]:
        folded = ascii_fold(latin)
        if not folded:
            return []
        for arabic, (_, spellings) in PARTICLES.items():
            if folded in spellings and arabic != "ال":
                return [arabic]
        target = vowel_fold(latin)
        keys = {latin_skeleton(latin)}
        if folded[:2] in ("al", "el") and len(folded) > 4:
            keys.add(latin_skeleton(folded[2:]))
        scored: list[tuple[float, float, str]] = []
        table = latin_table()
        for word in set().union(*map(self._candidates, keys)):
            similarity, weighted = self._score(target, word, table)
            if weighted >= MIN_SIMILARITY and self.known(word):  # known() may ask the index: last
                scored.append((similarity, weighted, word))
        if not scored:
            return []
        if any(sim >= EXACT for sim, _, _ in scored):  # a spelling the table has: those words only
            kept = [(w, word) for sim, w, word in scored if sim >= EXACT]
        else:
            best = max(w for _, w, _ in scored)
            kept = [(w, word) for _, w, word in scored if w >= best - NEAR_BEST]
        top = max(self.frequency(word) for _, word in kept)
        kept = [(w, word) for w, word in kept if self.frequency(word) * RARER >= top]
        kept.sort(key=lambda sw: (-sw[0], -self.frequency(sw[1]), sw[1]))
        return [word for _, word in kept[:MAX_CANDIDATES]]

    @staticmethod
    def _score(target: str, word: str, table: dict[str, tuple[str, ...]]) -> tuple[float, float]:
        """How close a typed word (vowel_fold) is to an Arabic word's Latin spellings: (best
        similarity, best similarity weighted by the spelling's rank and an al- not typed). With
        no spelling in the table, to a letter-by-letter reading of the Arabic, never exact."""
        spellings = table.get(word) or table.get(word[2:] if word.startswith("ال") else "", ())
        if not spellings:
            score = 0.9 * _similarity(target.replace("y", "i"), vowel_fold(_reading(word)).replace("y", "i"))
            return score, score
        best = weighted = 0.0
        for rank, spelling in enumerate(map(vowel_fold, spellings)):
            weight = 1 - RANK_COST * rank  # a less attested spelling counts a little less
            sim = _similarity(target, spelling)
            best, weighted = max(best, sim), max(weighted, weight * sim)
            if spelling[:2] == "al" and target[:2] != "al":
                weighted = max(weighted, 0.97 * weight * _similarity(target, spelling[2:]))
        return best, weighted

    def phrase_options(self, words: list[str]) -> list[list[str]]:
        """Per Arabic word position, the alternatives for a run of Latin words; joining prefixes
        (Abdul Aziz, al Assad) are read with the next word. A word with no Arabic match gives []."""
        out: list[list[str]] = []
        i = 0
        while i < len(words):
            folded = ascii_fold(words[i])
            if folded in _JOINING and i + 1 < len(words):
                joined = self.arabic(words[i] + words[i + 1])
                if joined:
                    out.append(joined)
                    i += 2
                    continue
            out.append(self.arabic(words[i]))
            i += 1
        return out


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def latin_words(text: str) -> list[str]:
    """The Latin words of a text, hyphenated parts apart (al-Assad → al, Assad)."""
    return [p for w in LATIN_WORD.findall(text) for p in re.split(r"[-'\u2019]", w) if p]
