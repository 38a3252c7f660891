"""How much a word's spelling looks like a personal name: character trigram models of the
shipped name lists against the rest of the general vocabulary (word_stats.tsv), as binned
log-likelihood ratios (tagger features, persons/features.py).

A tagger trained on 4,000 sentences has seen few names; many names in news it has never seen
(فيدرر, اينشتاين, دولانويه) are still spelled like names, transliterated foreign names above all,
which a character model learns from the tens of thousands of listed name words. Built from the
shipped files when first used (about 0.5 s), so there is no extra data file.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from persons.lexicon import name_list, word_stats

_ORDER = 3


def _grams(word: str) -> list[str]:
    padded = "^" + word + "$"
    return [padded[i : i + _ORDER] for i in range(len(padded) - _ORDER + 1)]


def _model(words: Iterable[str]) -> tuple[dict[str, float], float]:
    """Log probability of each trigram (add-0.5 smoothing), and of an unseen one."""
    c = Counter(g for w in words for g in _grams(w))
    total = sum(c.values())
    vocab = len(c) + 1
    return {g: math.log((n + 0.5) / (total + 0.5 * vocab)) for g, n in c.items()}, math.log(0.5 / (total + 0.5 * vocab))


@lru_cache(maxsize=1)
def _models() -> tuple[tuple[dict[str, float], float], ...]:
    """(all names, other vocabulary, foreign names, native names) trigram models."""
    names = name_list("given_names") | name_list("surnames") | name_list("foreign_names")
    foreign = name_list("foreign_names") - name_list("given_names") - name_list("surnames")
    native = (name_list("given_names") | name_list("surnames")) - name_list("foreign_names")
    arabic = [w for w in word_stats() if w not in names and w.isalpha() and "\u0621" <= w[0] <= "\u064a"]
    return _model(names), _model(arabic), _model(foreign), _model(native)


def _score(model: tuple[dict[str, float], float], grams: list[str]) -> float:
    table, unseen = model
    return sum(table.get(g, unseen) for g in grams) / len(grams)


@lru_cache(maxsize=400_000)
def name_likeness(word: str) -> tuple[int, int]:
    """(names vs vocabulary, foreign vs native names): binned average log ratios per trigram."""
    names, vocab, foreign, native = _models()
    grams = _grams(word)
    a = _score(names, grams) - _score(vocab, grams)
    b = _score(foreign, grams) - _score(native, grams)
    return max(-4, min(4, round(a * 2))), max(-3, min(3, round(b * 2)))
