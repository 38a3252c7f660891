"""A trained CRFsuite model, decoded with the per-word parts of its scores cached.

CRFsuite itself looks up every feature string of every token in a tree of about a million
attribute names; most of those features depend on one word type only (its spelling, affixes,
lists, classes, and how its neighbours see it), so here their weights are summed once per word
type (numpy) and reused, and the emission scores of a whole article are assembled and decoded by
compiled kernels (persons/decode.py). The result is the same labels and
marginals as `pycrfsuite.Tagger` (tested), which is what makes tagging a whole news corpus during
`reindex` affordable. Training stays with pycrfsuite (persons/train.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from pathlib import Path

import numpy as np
import pycrfsuite

from persons.decode import chosen_marginals, emission_scores, viterbi
from persons.features import CONTEXT, EDGE, RULE_SEEN, Span, rule_tags, word_features

BILOU = ("B-PER", "I-PER", "L-PER", "U-PER")


def bio_spans(labels: list[str]) -> list[tuple[int, int]]:
    """[start, end) token spans of the B-PER/I-PER runs in a label sequence."""
    spans = []
    start = None
    for i, lab in enumerate([*labels, "O"]):
        if start is not None and lab != "I-PER":
            spans.append((start, i))
            start = None
        if lab == "B-PER" or (lab == "I-PER" and start is None):
            start = i
    return spans


def to_bilou(labels: list[str]) -> list[str]:
    """BIO labels in the BILOU scheme: the last word of a name L-PER, a one-word name U-PER."""
    out = ["O"] * len(labels)
    for start, end in bio_spans(labels):
        if end - start == 1:
            out[start] = "U-PER"
        else:
            out[start : end] = ["B-PER", *["I-PER"] * (end - start - 2), "L-PER"]
    return out


def bilou_spans(labels: list[str]) -> list[tuple[int, int]]:
    """[start, end) spans of U-PER and of B-PER (I-PER)* L-PER; an unfinished B-PER run is none."""
    spans = []
    start = None
    for i, lab in enumerate(labels):
        if lab == "U-PER":
            spans.append((i, i + 1))
            start = None
        elif lab == "B-PER":
            start = i
        elif lab == "L-PER" and start is not None:
            spans.append((start, i + 1))
            start = None
        elif lab != "I-PER":
            start = None
    return spans


_RULE_CODES = {"": 0, "R=T": 1, "R=B": 2, "R=I": 3}
_KEY = 1 << 31  # bigram keys: left head id * _KEY + right head id
_PAD = 2  # tokens between sentences in a batch: the farthest neighbour a feature looks at
_CONTEXT = np.array(CONTEXT, dtype=np.int64)
_NO_HINTS = np.zeros(0, dtype=np.int64)


class CompiledCRF:
    """Labels and span confidences for sentences: CRFsuite's Viterbi labels, and per span the
    lowest marginal of its labels. Sentences are scored as one batch (an article at a time):
    the emission scores over all tokens and the decoding in persons/decode.py. The model's
    labels are BIO or BILOU (persons/train.py)."""

    def __init__(self, path: Path) -> None:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        model_labels = set(tagger.labels())
        tagger.close()
        # "O" first: label 0 is outside a name (decode.py); the order of the others is free
        self.labels = ("O", *sorted(model_labels - {"O"}))
        self._spans = bilou_spans if model_labels & {"L-PER", "U-PER"} else bio_spans
        size = len(self.labels)
        zero = (0.0,) * size
        index = {lab: k for k, lab in enumerate(self.labels)}
        weights: dict[str, list[float]] = {}
        for (attr, label), weight in info.state_features.items():
            weights.setdefault(attr, [0.0] * size)[index[label]] += weight
        # the weights are kept in the tables below only, not also as a dict of a million tuples
        w: dict[str, tuple[float, ...]] = {a: tuple(v) for a, v in weights.items()}
        self.trans = np.zeros((size, size))
        for (a, b), weight in info.transitions.items():
            self.trans[index[a], index[b]] = weight
        self.exp_trans = np.exp(self.trans)
        # every feature's weights by row (row 0: none); a short feature's weights as each
        # neighbour position sees it ("-1:w=..."), by row of the short feature
        self._own_idx = {a: i for i, a in enumerate(w, 1)}
        self._own_w = np.array([zero, *w.values()])
        seen: dict[str, np.ndarray] = {}
        prefixes = {f"{d}:": k for k, d in enumerate(CONTEXT)}
        for attr, v in w.items():
            head, sep, feature = attr.partition(":")
            k = prefixes.get(head + sep)
            if k is not None:
                seen.setdefault(feature, np.zeros((len(CONTEXT), size)))[k] = v
        self._seen_idx = {f: i for i, f in enumerate(seen, 1)}
        self._seen_w = np.array([np.zeros((len(CONTEXT), size)), *seen.values()])
        self.bias = np.array(w.get("bias", zero))
        # per rule tag code (row 0: no tag): its own weights, and as each neighbour sees it
        self.rule_own = np.array([zero, *(w.get(t, zero) for t in ("R=T", "R=B", "R=I"))])
        self.rule_seen = np.array([
            [zero] * len(CONTEXT),
            *([w.get(m[t], zero) for m in RULE_SEEN] for t in ("R=T", "R=B", "R=I")),
        ])
        # per word type: a row of the own-score and context-score tables, and the ids of its
        # first own and short feature (the halves of the bigram features). Row 0 is the padding
        # between sentences: seen from a token, it scores as the sentence's edge.
        self._ids: dict[str, int] = {}
        self._head_ids: dict[str, int] = {}
        self._own_tab = np.zeros((1024, size))
        self._ctx_tab = np.zeros((1024, len(CONTEXT), size))
        self._ctx_tab[0] = [w.get(e, zero) for e in EDGE]
        self._own0 = np.zeros(1024, dtype=np.int64)
        self._short0 = np.zeros(1024, dtype=np.int64)
        self._own0[0] = self._short0[0] = self._head("")  # matches no bigram
        # bigram features in the model, as sorted keys and their weights, per direction
        bigrams = []
        for sign in "-+":
            pairs = {}
            for attr, v in w.items():
                if attr.startswith(f"bi={sign}1|"):
                    left, right = attr[6:].split("|", 1)
                    pairs[self._head(left) * _KEY + self._head(right)] = v
            keys = np.array(sorted(pairs), dtype=np.int64)
            bigrams.append((keys, np.array([pairs[k] for k in keys.tolist()]).reshape(-1, size)))
        longest = max(1, *(len(k) for k, _ in bigrams))
        self._bigram_keys = np.zeros((2, longest), dtype=np.int64)  # per direction, the first _bigram_len
        self._bigram_len = np.array([len(k) for k, _ in bigrams], dtype=np.int64)
        self._bigram_w = np.zeros((2, longest, self.trans.shape[0]))
        for k, (keys, weights) in enumerate(bigrams):
            self._bigram_keys[k, : len(keys)] = keys
            self._bigram_w[k, : len(keys)] = weights
        self._model_heads = len(self._head_ids)  # the heads the bigram keys use: kept when the rest is cleared
        self._hint_ids: dict[tuple[str, ...], int] = {(): 0}
        self._hint_tab = np.zeros((3, 1, size))  # per hint row: own, as the previous sees it, as the next does

    def _head(self, feature: str) -> int:
        return self._head_ids.setdefault(feature, len(self._head_ids))

    def _add_rows(self, words: list[str]) -> None:
        """Rows for new word types: their features' weights summed (numpy, all at once)."""
        if len(self._ids) > 1_000_000:  # bound memory on endless input
            self._ids.clear()
            self._head_ids = {h: i for h, i in self._head_ids.items() if i < self._model_heads}
        first = len(self._ids) + 1
        end = first + len(words)
        while end > len(self._own_tab):
            grow = len(self._own_tab)
            self._own_tab = np.concatenate([self._own_tab, np.zeros_like(self._own_tab)])
            self._ctx_tab = np.concatenate([self._ctx_tab, np.zeros_like(self._ctx_tab)])
            self._own0 = np.concatenate([self._own0, np.zeros(grow, dtype=np.int64)])
            self._short0 = np.concatenate([self._short0, np.zeros(grow, dtype=np.int64)])
        own_get, seen_get = self._own_idx.get, self._seen_idx.get
        own_rows: list[int] = []
        seen_rows: list[int] = []
        own_at, seen_at = [], []
        for i, word in enumerate(words, first):
            own, short = word_features(word)
            own_at.append(len(own_rows))
            own_rows.append(0)  # every word sums at least the zero row (reduceat needs one)
            own_rows.extend(x for x in map(own_get, own) if x is not None)
            seen_at.append(len(seen_rows))
            seen_rows.append(0)
            seen_rows.extend(x for x in map(seen_get, short) if x is not None)
            self._ids[word] = i
            self._own0[i] = self._head(own[0])
            self._short0[i] = self._head(short[0])
        self._own_tab[first:end] = np.add.reduceat(self._own_w[own_rows], own_at) + self.bias
        self._ctx_tab[first:end] = np.add.reduceat(self._seen_w[seen_rows], seen_at)

    def _sum(self, feats: Iterable[str]) -> np.ndarray:
        """The summed weights of these features (unknown ones weigh nothing)."""
        get = self._own_idx.get
        return self._own_w[[0, *(i for i in map(get, feats) if i is not None)]].sum(axis=0)

    def _hint_row(self, hints: tuple[str, ...]) -> int:
        i = self._hint_ids.get(hints)
        if i is None:
            i = self._hint_ids[hints] = len(self._hint_ids)
            rows = (self._sum(hints), self._sum("+1" + f for f in hints), self._sum("-1" + f for f in hints))
            self._hint_tab = np.concatenate([self._hint_tab, np.array(rows)[:, None, :]], axis=1)
        return i

    def emissions(self, sentences: list[list[str]], hints: list[list[Sequence[str]]] | None = None,
                  tags: list[list[str]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(em, starts, ends): per token of all sentences one after the other, with _PAD padding
        tokens before, between and after them, the score of each label (the summed weights of its
        `sentence_features`); starts/ends: where each sentence's tokens are."""
        words = list(chain.from_iterable(sentences))
        found = list(map(self._ids.get, words))
        if None in found:
            self._add_rows(list(dict.fromkeys(w for w, i in zip(words, found) if i is None)))
            found = list(map(self._ids.get, words))
        lens = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        starts = _PAD + np.arange(len(sentences)) * _PAD
        starts[1:] += np.cumsum(lens)[:-1]
        n = len(words) + _PAD * (len(sentences) + 1)
        at = np.arange(len(words)) + _PAD * np.repeat(np.arange(1, len(sentences) + 1), lens)
        r = np.zeros(n, dtype=np.int64)
        r[at] = found
        c = np.zeros(n, dtype=np.int64)
        tag_lists = tags if tags is not None else map(rule_tags, sentences)
        c[at] = list(map(_RULE_CODES.__getitem__, chain.from_iterable(tag_lists)))
        h = _NO_HINTS
        if hints is not None:
            h = np.zeros(n, dtype=np.int64)
            h[at] = [self._hint_row(tuple(x)) for x in chain.from_iterable(hints)]
        em = emission_scores(r, c, h, self._own_tab, self._ctx_tab, self.rule_own, self.rule_seen, _CONTEXT,
                             _PAD, self._own0, self._short0, self._bigram_keys, self._bigram_len, self._bigram_w, _KEY,
                             self._hint_tab)
        return em, starts, starts + lens

    def tag_batch(self, sentences: list[list[str]], hints: list[list[Sequence[str]]] | None = None,
                  tags: list[list[str]] | None = None) -> list[list[Span]]:
        """Per sentence, (start, end, confidence) of each name; confidence = the lowest marginal
        in the span. `tags`: the sentences' rule_tags, when the caller has them already."""
        out: list[list[Span]] = [[] for _ in sentences]
        if not sentences:
            return out
        em, starts, ends = self.emissions(sentences, hints, tags)
        labels = viterbi(em, starts, ends, self.trans)
        named = np.flatnonzero(labels)
        if not len(named):
            return out
        marg = chosen_marginals(em, starts, ends, self.exp_trans, labels).tolist()
        lab = labels.tolist()
        first = starts.tolist()
        for s in np.unique(np.searchsorted(starts, named, side="right") - 1).tolist():
            a = first[s]
            b = a + len(sentences[s])
            out[s] = [(start, end, min(marg[a + start : a + end]))
                      for start, end in self._spans([self.labels[y] for y in lab[a:b]])]
        return out

    def tag(self, words: list[str], hints: list[list[str]] | None = None, tags: list[str] | None = None) -> list[Span]:
        """One sentence's names (see tag_batch)."""
        return self.tag_batch([words], None if hints is None else [hints], None if tags is None else [tags])[0]
