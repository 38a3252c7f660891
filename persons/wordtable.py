"""The word types the person tagger has met, each with the ids of its features in one vocabulary
shared by every CRF of the ensemble, and the token rows of a batch of sentences.

A word's features (persons/features.py) are computed and looked up here once, however many
models score it: each model (persons/crf.py) only sums its own weights over the ids of a new
row. With six models (three members, two passes each) the per-model feature look-ups were half
of the tagger's time during `reindex`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Protocol

import numpy as np

from persons.features import rule_tags, word_features

_RULE_CODES = {"": 0, "R=T": 1, "R=B": 2, "R=I": 3}
PAD = 2  # tokens before, between and after sentences in a batch: the farthest neighbour a feature looks at
MAX_ROWS = 1_000_000  # word types kept before the table starts again (bounds memory on endless input)


class RowSink(Protocol):
    def add_rows(self, first: int, own_ids: np.ndarray, own_at: np.ndarray, short_ids: np.ndarray,
                 short_at: np.ndarray) -> None: ...


@dataclass
class Batch:
    """Sentences laid out one after the other with PAD padding tokens (row 0) around each."""

    rows: np.ndarray  # per position: the word's row in the table (0: padding)
    codes: np.ndarray  # per position: the rule tag code (persons/features.py rule_tags)
    at: np.ndarray  # the positions of the real tokens, in order
    starts: np.ndarray  # per sentence: the position of its first token
    ends: np.ndarray  # per sentence: one past its last token


class WordTable:
    """Rows of word types (row 0 is the padding between sentences). Each new row's own and short
    feature ids are handed to every attached model as it is added; the ids of its first own and
    first short feature (the halves of the bigram features) are kept here for all of them."""

    def __init__(self, features: Iterable[str]) -> None:
        self.vocab = {f: i for i, f in enumerate(dict.fromkeys(features), 1)}  # id 0: no feature
        self.rows: dict[str, int] = {}
        self.own_head = np.zeros(1024, dtype=np.int64)
        self.short_head = np.zeros(1024, dtype=np.int64)
        self._sinks: list[RowSink] = []

    def attach(self, sink: RowSink) -> None:
        self._sinks.append(sink)

    def batch(self, sentences: list[list[str]], tags: list[list[str]] | None = None) -> Batch:
        """The rows of these sentences' words (new word types added) and their rule tags (computed
        here unless given)."""
        words = list(chain.from_iterable(sentences))
        found = list(map(self.rows.get, words))
        if None in found:
            new = list(dict.fromkeys(w for w, i in zip(words, found) if i is None))
            if len(self.rows) + len(new) > MAX_ROWS:
                self.rows.clear()
                new = list(dict.fromkeys(words))
            self._add(new)
            found = list(map(self.rows.get, words))
        lens = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        starts = PAD + np.arange(len(sentences)) * PAD
        starts[1:] += np.cumsum(lens)[:-1]
        n = len(words) + PAD * (len(sentences) + 1)
        at = np.arange(len(words)) + PAD * np.repeat(np.arange(1, len(sentences) + 1), lens)
        rows = np.zeros(n, dtype=np.int64)
        rows[at] = found
        codes = np.zeros(n, dtype=np.int64)
        tag_lists = tags if tags is not None else map(rule_tags, sentences)
        codes[at] = list(map(_RULE_CODES.__getitem__, chain.from_iterable(tag_lists)))
        return Batch(rows, codes, at, starts, starts + lens)

    def _add(self, words: list[str]) -> None:
        first = len(self.rows) + 1
        end = first + len(words)
        while end > len(self.own_head):
            self.own_head = np.concatenate([self.own_head, np.zeros_like(self.own_head)])
            self.short_head = np.concatenate([self.short_head, np.zeros_like(self.short_head)])
        get = self.vocab.get
        own_ids: list[int] = []
        short_ids: list[int] = []
        own_at: list[int] = []
        short_at: list[int] = []
        for i, word in enumerate(words, first):
            own, short = word_features(word)
            own_at.append(len(own_ids))
            own_ids.append(0)  # every word sums at least the zero row (reduceat needs one)
            own_ids.extend(x for x in map(get, own) if x is not None)
            short_at.append(len(short_ids))
            short_ids.append(0)
            short_ids.extend(x for x in map(get, short) if x is not None)
            self.rows[word] = i
            self.own_head[i] = get(own[0], 0)
            self.short_head[i] = get(short[0], 0)
        arrays = (np.array(own_ids, dtype=np.int64), np.array(own_at, dtype=np.int64),
                  np.array(short_ids, dtype=np.int64), np.array(short_at, dtype=np.int64))
        for sink in self._sinks:
            sink.add_rows(first, *arrays)
