"""Spelling variants of a query word found in the index's own vocabulary.

Snowball stems some forms of a word inconsistently (وظيفه -> ظيف but بوظيفتها -> وظيف; انتهت ->
انته but وانتهت -> وانته), and news spells foreign names several ways (موريتانيا / موريطانيا). A
query word therefore also looks for the vocabulary's exact terms that share most of its
character 3-grams (Dice coefficient of the padded 3-grams >= DICE) and whose letters, once a
proclitic group is stripped from each (analyzers/clitics.py), are at most one edit apart: the
best MAX_VARIANTS of them. The ranker scores the word and those variants as one term (see
ranking.VARIANT). The edit rule keeps the 3-grams from pairing words that merely share an ending:
بريطانيا is not a variant of موريطانيا (it was, on 3-grams alone), موريتانيا is.

Grams of the vocabulary, not of every document: the index is unchanged, the table is built once
per index generation at the end of `reindex` (variants.npz beside the index, about 2.5 s on the
bundled corpus, most of it reading the term lists), and a query costs a few array operations per
word. Indexing 3-grams of every document ranked about as well on ARCD
but cost two thirds more reindex time (docs/benchmarks.md, "Ranking").
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from analyzers.clitics import strip_proclitics

DICE = 0.5
MAX_VARIANTS = 8
MIN_LENGTH = 3  # shorter words have too few grams to say anything about spelling
_CANDIDATES = 64  # the most alike by 3-grams, before the edit rule


def within_one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion or substitution (or none) turns `a` into `b`."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def grams(word: str) -> list[str]:
    """The distinct padded character 3-grams of a word (`_ab`, `abc`, ..., `yz_`)."""
    padded = f"_{word}_"
    return list(dict.fromkeys(padded[i : i + 3] for i in range(len(padded) - 2)))


def _gram_codes(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each padded 3-gram of `words` as one integer, with the number of the word it is from."""
    lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    chars = np.frombuffer("".join(f"_{w}_" for w in words).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths + 2)[:-1]))
    word_of = np.repeat(np.arange(len(words)), lengths)  # a word of n letters has n padded 3-grams
    pos = np.arange(len(word_of)) - np.repeat(np.cumsum(lengths) - lengths, lengths) + starts[word_of]
    return (chars[pos] << 42) | (chars[pos + 1] << 21) | chars[pos + 2], word_of


class VariantTable:
    """Which vocabulary terms contain each 3-gram (a CSR table over term numbers), built with
    array operations: a quarter of a million terms take a fraction of a second."""

    FILE = "variants.npz"

    def __init__(self, terms: list[str], codes: np.ndarray, starts: np.ndarray, gram_terms: np.ndarray,
                 n_grams: np.ndarray) -> None:
        self.terms, self.codes, self.starts, self.gram_terms, self.n_grams = terms, codes, starts, gram_terms, n_grams

    @classmethod
    def build(cls, vocabulary: Iterable[str]) -> VariantTable:
        terms = sorted({t for t in vocabulary if len(t) >= MIN_LENGTH and not t.isdigit()})
        codes, term_of = _gram_codes(terms)
        order = np.lexsort((term_of, codes))
        codes, term_of = codes[order], term_of[order]
        first = np.ones(len(codes), dtype=bool)  # drop a gram repeated within one term
        first[1:] = (codes[1:] != codes[:-1]) | (term_of[1:] != term_of[:-1])
        codes, term_of = codes[first], term_of[first]
        unique_codes, starts = np.unique(codes, return_index=True)
        return cls(terms, unique_codes, np.append(starts, len(codes)), term_of.astype(np.int32),
                   np.bincount(term_of, minlength=len(terms)))

    def save(self, directory: Path) -> None:
        blob = np.frombuffer("\n".join(self.terms).encode("utf-8"), dtype=np.uint8)
        with open(directory / self.FILE, "wb") as f:
            np.savez(f, terms=blob, codes=self.codes, starts=self.starts, gram_terms=self.gram_terms,
                     n_grams=self.n_grams)

    @classmethod
    def load(cls, directory: Path) -> VariantTable:
        with np.load(directory / cls.FILE, allow_pickle=False) as z:
            text = z["terms"].tobytes().decode("utf-8")
            return cls(text.split("\n") if text else [], z["codes"], z["starts"], z["gram_terms"], z["n_grams"])

    def variants(self, word: str, dice: float = DICE, limit: int = MAX_VARIANTS) -> tuple[str, ...]:
        """Up to `limit` vocabulary terms other than `word` spelled like it, most alike first."""
        if len(word) < MIN_LENGTH or not len(self.terms):
            return ()
        codes = np.unique(_gram_codes([word])[0])
        at = np.searchsorted(self.codes, codes)
        found = at < len(self.codes)
        at = at[found][self.codes[at[found]] == codes[found]]
        if not len(at):
            return ()
        cand = np.concatenate([self.gram_terms[self.starts[i] : self.starts[i + 1]] for i in at])
        terms, shared = np.unique(cand, return_counts=True)
        score = 2.0 * shared / (len(codes) + self.n_grams[terms])
        keep = score >= dice
        terms, score = terms[keep], score[keep]
        order = np.lexsort((terms, -score))
        core = strip_proclitics(word)
        out = []
        for t in terms[order[:_CANDIDATES]]:
            term = self.terms[t]
            if term != word and within_one_edit(strip_proclitics(term), core):
                out.append(term)
                if len(out) == limit:
                    break
        return tuple(out)
