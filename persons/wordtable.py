"""The word types the person tagger has met, each with the ids of its features in one vocabulary
shared by every CRF of the ensemble, and the token rows of a batch of sentences.

A word's features (persons/features.py) are computed and looked up here once, however many
models score it: each model (persons/crf.py) only sums its own weights over the ids of a new
row. With six models (three members, two passes each) the per-model feature look-ups were half
of the tagger's time during `reindex`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain, repeat
from typing import Protocol

import numpy as np

from persons.features import compute_word_features, rule_tags, word_core
from persons.jit import jit

_RULE_CODES = {"": 0, "R=T": 1, "R=B": 2, "R=I": 3}
PAD = 2  # tokens before, between and after sentences in a batch: the farthest neighbour a feature looks at
MAX_ROWS = 1_000_000  # word types kept before the table starts again (bounds memory on endless input)


def grown(a: np.ndarray, rows: int) -> np.ndarray:
    """`a`, or a copy with room for at least `rows` rows (doubling; the new rows are zero). Only
    the rows in use are copied: the rest of a fresh np.zeros is not touched until written."""
    if rows <= len(a):
        return a
    size = len(a)
    while size < rows:
        size *= 2
    out = np.zeros((size, *a.shape[1:]), dtype=a.dtype)
    out[: len(a)] = a
    return out


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
    hints: np.ndarray | None = None  # per position: the second pass's features.HINT_BITS mask

    def with_hints(self, masks: np.ndarray) -> Batch:
        """The same batch with a hint mask for each real token (in order)."""
        hints = np.zeros(len(self.rows), dtype=np.int64)
        hints[self.at] = masks
        return replace(self, hints=hints)

    @cached_property
    def first_token(self) -> np.ndarray:
        """Per sentence, the index of its first token among the real tokens."""
        return self.starts - PAD * np.arange(1, len(self.starts) + 1)

    def select(self, keep: list[int]) -> Batch:
        """The batch of only these sentences (in this order)."""
        hints = _NONE if self.hints is None else self.hints
        rows, codes, new_hints, at, starts, ends = _gather(self.rows, self.codes, hints, self.starts, self.ends,
                                                           np.array(keep, dtype=np.int64), PAD)
        return Batch(rows, codes, at, starts, ends, None if self.hints is None else new_hints)


_NONE = np.zeros(0, dtype=np.int64)


@jit
def _gather(rows: np.ndarray, codes: np.ndarray, hints: np.ndarray, starts: np.ndarray, ends: np.ndarray,
            keep: np.ndarray, pad: int) -> tuple[np.ndarray, ...]:
    """Batch.select's arrays (rows, codes, hints or none, at, starts, ends): the kept sentences
    laid out by _layout, their tokens copied in one compiled pass."""
    lens = ends[keep] - starts[keep]
    new_starts, at, n = _layout(lens, pad)
    new_rows = np.zeros(n, dtype=np.int64)
    new_codes = np.zeros(n, dtype=np.int64)
    new_hints = np.zeros(n if hints.shape[0] else 0, dtype=np.int64)
    t = 0
    for j in range(keep.shape[0]):
        for q in range(starts[keep[j]], ends[keep[j]]):
            p = at[t]
            new_rows[p] = rows[q]
            new_codes[p] = codes[q]
            if hints.shape[0]:
                new_hints[p] = hints[q]
            t += 1
    return new_rows, new_codes, new_hints, at, new_starts, new_starts + lens


@jit
def _layout(lens: np.ndarray, pad: int) -> tuple[np.ndarray, np.ndarray, int]:
    """For sentences of these lengths laid out with `pad` padding positions around each: where
    each starts, the positions of the real tokens in order, and the number of positions."""
    starts = np.empty(lens.shape[0], dtype=np.int64)
    at = np.empty(lens.sum(), dtype=np.int64)
    p = pad
    t = 0
    for j in range(lens.shape[0]):
        starts[j] = p
        for _ in range(lens[j]):
            at[t] = p
            t += 1
            p += 1
        p += pad
    return starts, at, p


class WordTable:
    """Rows of word types (row 0 is the padding between sentences). Each new row's own and short
    feature ids are handed to every attached model as it is added; the ids of its first own and
    first short feature (the halves of the bigram features) are kept here for all of them."""

    def __init__(self, features: Iterable[str]) -> None:
        self.vocab = {f: i for i, f in enumerate(dict.fromkeys(features), 1)}  # id 0: no feature
        self.rows: dict[str, int] = {}
        self.own_head = np.zeros(1024, dtype=np.int64)
        self.short_head = np.zeros(1024, dtype=np.int64)
        self.core = np.zeros(1024, dtype=np.int64)  # per row: an id of its word_core
        self._core_ids: dict[str, int] = {}
        self._sinks: list[RowSink] = []

    def attach(self, sink: RowSink) -> None:
        self._sinks.append(sink)

    def batch(self, sentences: list[list[str]]) -> Batch:
        """The rows of these sentences' words (new word types added) and their rule tags."""
        words = list(chain.from_iterable(sentences))
        found = list(map(self.rows.get, words))
        if None in found:
            new = list(dict.fromkeys(w for w, i in zip(words, found) if i is None))
            if len(self.rows) + len(new) > MAX_ROWS:
                self.rows.clear()
                self._core_ids.clear()
                new = list(dict.fromkeys(words))
            self._add(new)
            found = list(map(self.rows.get, words))
        lens = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        starts, at, n = _layout(lens, PAD)
        rows = np.zeros(n, dtype=np.int64)
        rows[at] = found
        codes = np.zeros(n, dtype=np.int64)
        codes[at] = list(map(_RULE_CODES.__getitem__, chain.from_iterable(map(rule_tags, sentences))))
        return Batch(rows, codes, at, starts, starts + lens)

    def _add(self, words: list[str]) -> None:
        first = len(self.rows) + 1
        end = first + len(words)
        self.own_head, self.short_head, self.core = (grown(a, end) for a in (self.own_head, self.short_head, self.core))
        core_ids = self._core_ids
        get = self.vocab.get
        none = repeat(0)  # a feature no model has: id 0, whose weights are zero
        own_ids: list[int] = []
        short_ids: list[int] = []
        own_at: list[int] = []
        short_at: list[int] = []
        for word in words:
            own, short = compute_word_features(word)
            own_at.append(len(own_ids))
            own_ids.extend(map(get, own, none))
            short_at.append(len(short_ids))
            short_ids.extend(map(get, short, none))
        self.rows.update(zip(words, range(first, end)))
        arrays = (np.array(own_ids, dtype=np.int64), np.array(own_at, dtype=np.int64),
                  np.array(short_ids, dtype=np.int64), np.array(short_at, dtype=np.int64))
        self.own_head[first:end] = arrays[0][arrays[1]]
        self.short_head[first:end] = arrays[2][arrays[3]]
        # (word_core's cache is for the tagger's other callers: here each word comes once)
        self.core[first:end] = [core_ids.setdefault(c, len(core_ids)) for c in map(word_core.__wrapped__, words)]
        for sink in self._sinks:
            sink.add_rows(first, *arrays)
