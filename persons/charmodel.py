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


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[float, ...]], tuple[float, ...]]:
    """The four models as one table: per trigram its log probability in each (the unseen one's
    where a model lacks it), and the unseen ones; one look-up per trigram instead of four."""
    models = _models()
    unseen = tuple(m[1] for m in models)
    grams = set().union(*(m[0] for m in models))
    return {g: tuple(m[0].get(g, m[1]) for m in models) for g in grams}, unseen


@lru_cache(maxsize=400_000)
def name_likeness(word: str) -> tuple[int, int]:
    """(names vs vocabulary, foreign vs native names): binned average log ratios per trigram
    (each model's sum taken in trigram order, as sum() would)."""
    table, unseen = _table()
    grams = _grams(word)
    names = vocab = foreign = native = 0
    for g in grams:
        p_names, p_vocab, p_foreign, p_native = table.get(g, unseen)
        names += p_names
        vocab += p_vocab
        foreign += p_foreign
        native += p_native
    n = len(grams)
    a = names / n - vocab / n
    b = foreign / n - native / n
    return max(-4, min(4, round(a * 2))), max(-3, min(3, round(b * 2)))
