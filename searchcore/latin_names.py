"""Person names typed in Latin script, against one index generation's persons (issue 20).

`LatinNames` answers three things for the query box, the person filter box and the API's
`person=`: which Arabic words a Latin name stands for in this corpus (persons/latin.py matches
the spelling), which of the catalog's persons a Latin name means, and each person's Latin form.
A run of Latin words that is one name in the catalog (Mohammed bin Salman) becomes a phrase; a
word of it alone becomes the Arabic spellings it stands for (Obama → اوباما).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import product
from typing import TYPE_CHECKING

import numpy as np

from persons.canonical import MAX_NAME_WORDS
from persons.latin import (
    LATIN_WORD,
    LatinMatcher,
    is_latin,
    latin_table,
    latin_words,
    romanize,
    skeleton_index,
    vowel_fold,
)

if TYPE_CHECKING:
    from searchcore.person_catalog import PersonCatalog

MAX_PHRASES = 6  # Arabic spellings of one Latin name searched at most
MAX_LATIN_WORDS = 12  # Latin words of one query read as names at most
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}
_LEXEMES = re.compile(r'"[^"]*"|[()]|[^\s()"]+')


class LatinNames:
    def __init__(self, catalog: PersonCatalog) -> None:
        self.catalog = catalog
        self.key_words = [k.split() for k in catalog.keys]
        self.by_word: dict[str, list[int]] = {}
        self.word_docs: dict[str, int] = {}  # articles naming a person whose name has the word
        for i, words in enumerate(self.key_words):
            for w in set(words):
                self.by_word.setdefault(w, []).append(i)
                self.word_docs[w] = self.word_docs.get(w, 0) + catalog.docfreq[i]

    @cached_property
    def _extra(self) -> dict[str, set[str]]:
        table = latin_table()
        return skeleton_index(w for w in self.by_word if w not in table)

    def matcher(self, known: Callable[[str], bool]) -> LatinMatcher:
        """Spelling matches among the catalog's name words and the words `known` accepts (those
        the index holds)."""
        return LatinMatcher(extra=self._extra, known=lambda w: w in self.by_word or known(w),
                            frequency=self._frequency)

    @cached_property
    def _names_only(self) -> LatinMatcher:
        return LatinMatcher(extra=self._extra, known=self.by_word.__contains__, frequency=self._frequency)

    def _frequency(self, word: str) -> int:
        return self.word_docs.get(word, 0)

    def _occurrences(self, options: list[list[str]]) -> Iterator[tuple[int, tuple[str, ...]]]:
        """(person, words) for each place a catalog key holds one option per position, in a row."""
        if not options or not all(options):
            return
        n = len(options)
        for first in options[0]:
            for i in self.by_word.get(first, ()):
                words = self.key_words[i]
                for start in range(len(words) - n + 1):
                    seq = tuple(words[start:start + n])
                    if all(w in opts for w, opts in zip(seq, options)):
                        yield i, seq

    def sequences(self, options: list[list[str]]) -> list[tuple[list[str], int]]:
        """The Arabic word sequences (one option per position, in a row) that occur in a catalog
        key, each with the articles of the persons holding it, most first."""
        found: dict[tuple[str, ...], set[int]] = {}
        for i, seq in self._occurrences(options):
            found.setdefault(seq, set()).add(i)
        counts = {seq: sum(self.catalog.docfreq[i] for i in persons) for seq, persons in found.items()}
        return sorted(((list(s), c) for s, c in counts.items()), key=lambda sc: (-sc[1], sc[0]))

    def holding(self, latin: str) -> list[int]:
        """The persons whose name holds the Arabic words a Latin-script name stands for, in a row."""
        options = self._names_only.phrase_options(latin_words(latin))
        return sorted({i for i, _ in self._occurrences(options)})

    def person(self, latin: str) -> int | None:
        """The person a Latin-script name means: the most named one whose name holds it."""
        return max(self.holding(latin), key=lambda i: (self.catalog.docfreq[i], -i), default=None)

    @cached_property
    def _folded_forms(self) -> list[str]:
        return [vowel_fold(f) if (f := romanize(d)) else "" for d in self.catalog.display]

    def contains(self, needle: str) -> np.ndarray:
        """Which persons a Latin filter text picks: their Latin form holds it (spellings folded), or
        their name holds the Arabic words it stands for, in a row."""
        folded = vowel_fold(needle.replace(" ", ""))
        mask = np.array([bool(folded) and folded in f.replace(" ", "") for f in self._folded_forms], dtype=bool)
        mask[self.holding(needle)] = True
        return mask


def rewrite_latin_names(text: str, persons: PersonCatalog | None,
                        known: Callable[[str], bool]) -> tuple[str, list[str]]:
    """The query with each run of Latin words that names someone replaced by a group of its Arabic
    spellings (the Latin kept as one more choice), and what was searched, for a message. Only the
    first MAX_LATIN_WORDS Latin words are read so (a pasted English paragraph stays as typed).
    The persons' LatinNames is built on the first query with Latin letters, not before."""
    if persons is None or not LATIN_WORD.search(text):
        return text, []
    names = persons.latin
    matcher = names.matcher(known)
    lexemes = _LEXEMES.findall(text)
    out: list[str] = []
    said: list[str] = []
    i = read = 0
    while i < len(lexemes):
        lex = lexemes[i]
        quoted = lex.strip('"')
        if lex.startswith('"') and is_latin(quoted) and quoted.strip() and read < MAX_LATIN_WORDS:
            read += len(latin_words(lex))
            out.append(_group(_Reading.of(quoted, matcher, names), said, whole=True))
            i += 1
            continue
        j = i
        while j < len(lexemes) and _plain_latin(lexemes[j]) and read + j - i < MAX_LATIN_WORDS:
            j += 1
        if j == i:
            out.append(lex)
            i += 1
            continue
        out.extend(_run(lexemes[i:j], matcher, names, said))
        read += j - i
        i = j
    return " ".join(out), said


def _plain_latin(lexeme: str) -> bool:
    return lexeme not in _OPERATORS and bool(LATIN_WORD.fullmatch(lexeme))


@dataclass
class _Reading:
    """A piece of Latin text read as a name: its words, the Arabic options per position, and the
    catalog's names that hold them in a row (for a piece of several words)."""

    latin: str
    parts: list[str]
    options: list[list[str]]
    named: list[tuple[list[str], int]]

    @classmethod
    def of(cls, latin: str, matcher: LatinMatcher, names: LatinNames) -> _Reading:
        parts = latin_words(latin)
        options = matcher.phrase_options(parts)
        return cls(latin, parts, options, names.sequences(options) if len(options) > 1 else [])


def _run(words: list[str], matcher: LatinMatcher, names: LatinNames, said: list[str]) -> list[str]:
    """Cut a run of Latin words into the longest pieces that are one name in the catalog."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_NAME_WORDS), i, -1):
            reading = _Reading.of(" ".join(words[i:j]), matcher, names)
            if j - i == 1 or reading.named:
                out.append(_group(reading, said, whole=False))
                i = j
                break
    return out


def _group(reading: _Reading, said: list[str], whole: bool) -> str:
    """`(arabic OR … OR latin)` for one name (a quoted phrase when it has several words)."""
    options = reading.options
    seqs = [s for s, _ in reading.named]
    if len(options) > 1 and not seqs and all(options):
        seqs = [list(p) for p in product(*options)][:MAX_PHRASES]  # not a catalog name: its words in a row
    elif len(options) == 1:
        seqs = [[w] for w in options[0]]
    seqs = seqs[:MAX_PHRASES]
    original = f'"{reading.latin}"' if whole or len(reading.parts) > 1 else reading.latin
    if not seqs:
        return original
    said.append(f"{reading.latin} → {' / '.join(' '.join(s) for s in seqs)}")
    arabic = [f'"{" ".join(s)}"' if len(s) > 1 else s[0] for s in seqs]
    return "(" + " OR ".join([*arabic, original]) + ")"
