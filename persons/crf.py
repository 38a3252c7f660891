"""A trained CRFsuite model, decoded with the per-word parts of its scores cached.

CRFsuite itself looks up every feature string of every token; most of those features depend on
one word type only (its spelling, affixes, lists, classes, and how its neighbours see it), so
here a word's features are looked up once (persons/wordtable.py, shared by the models of an
ensemble), each model sums their weights once per word type (decode.fill_rows) and reuses the sums, and
the emission scores of a whole article are assembled and decoded by compiled kernels
(persons/decode.py). The result is the same labels and marginals as `pycrfsuite.Tagger`
(tested), which is what makes tagging a whole news corpus during `reindex` affordable. Training
stays with pycrfsuite (persons/train.py).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pycrfsuite

from persons.decode import chosen_marginals, emission_scores, fill_rows, label_spans, viterbi
from persons.features import CONTEXT, EDGE, HINT_BITS, RULE_SEEN, Span, hint_masks, mask_hints
from persons.wordtable import PAD, Batch, WordTable, grown

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


_KEY = 1 << 31  # bigram keys: left head id * _KEY + right head id
_CONTEXT = np.array(CONTEXT, dtype=np.int64)
_NO_HINTS = np.zeros(0, dtype=np.int64)
_NO_BIAS = np.zeros(0)
_CONTEXT_HEADS = {str(d): k for k, d in enumerate(CONTEXT)}  # "-1" of "-1:w=..." -> its CONTEXT index


@dataclass
class CRFModel:
    """A CRFsuite model file's weights, label "O" first (label 0 is outside a name, decode.py)."""

    labels: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]  # attribute -> its weight for each label
    trans: np.ndarray  # (labels, labels) transition weights

    @classmethod
    def read(cls, path: Path) -> CRFModel:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        model_labels = set(tagger.labels())
        transitions, state_features = _weights(tagger)
        tagger.close()
        labels = ("O", *sorted(model_labels - {"O"}))  # the order of the others is free
        index = {lab: k for k, lab in enumerate(labels)}
        weights: dict[str, list[float]] = {}
        for attr, label, weight in state_features:
            weights.setdefault(attr, [0.0] * len(labels))[index[label]] += weight
        trans = np.zeros((len(labels), len(labels)))
        for a, b, weight in transitions:
            trans[index[a], index[b]] = weight
        return cls(labels, {a: tuple(v) for a, v in weights.items()}, trans)

    def features(self) -> list[str]:
        """Every feature name its scores look up: the attributes, the short features that the
        context attributes ("-1:w=...") see, and the halves of the bigrams ("bi=-1|left|right")."""
        out = list(self.weights)
        for attr in self.weights:
            head, sep, feature = attr.partition(":")
            if sep and head in _CONTEXT_HEADS:
                out.append(feature)
            elif attr.startswith(("bi=-1|", "bi=+1|")):
                out.extend(attr[6:].split("|", 1))
        return out


_WEIGHT_LINE = re.compile(r"^[ \t]*\(\d+\) (.+) --> (.+): ([+-]?\d+\.\d+)$", re.M)


def _weights(tagger: pycrfsuite.Tagger) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, float]]]:
    """The (from, to, weight) transitions and (attribute, label, weight) state features of an
    open model, read from its text dump as pycrfsuite's `Tagger.info()` reads them (the same
    line pattern), with one regex pass per section instead of a Python call per line (about a
    third of loading the ensemble)."""
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "model.txt"
        tagger.dump(str(dump))
        text = dump.read_text(encoding="utf-8")
    head, _, states = text.partition("\nSTATE_FEATURES = {")
    transitions = head.partition("\nTRANSITIONS = {")[2]
    return ([(a, b, float(w)) for a, b, w in _WEIGHT_LINE.findall(transitions)],
            [(a, b, float(w)) for a, b, w in _WEIGHT_LINE.findall(states)])


class CompiledCRF:
    """Labels and span confidences for sentences: CRFsuite's Viterbi labels, and per span the
    lowest marginal of its labels. Sentences are scored as one batch (an article at a time):
    the emission scores over all tokens and the decoding in persons/decode.py. The model's
    labels are BIO or BILOU (persons/train.py). Its word rows live in a WordTable, which an
    ensemble's models share."""

    def __init__(self, model: CRFModel, table: WordTable | None = None) -> None:
        self.labels = model.labels
        # decode.label_spans' arguments: BILOU or BIO, and the codes of B-, I-, L-, U-PER (-1: none)
        code = {lab: k for k, lab in enumerate(model.labels)}
        self._span_codes = (bool({"L-PER", "U-PER"} & set(model.labels)),
                            *(code.get(lab, -1) for lab in ("B-PER", "I-PER", "L-PER", "U-PER")))
        self.table = table or WordTable(model.features())
        w = model.weights
        size = len(self.labels)
        zero = (0.0,) * size
        self.trans = model.trans
        self.exp_trans = np.exp(self.trans)
        vocab = self.table.vocab
        # every feature's weights by its id in the table's vocabulary (id 0: none), and a short
        # feature's weights as each neighbour position sees it ("-1:w=..."), by the short feature's id
        self._own_w = np.zeros((len(vocab) + 1, size))
        seen_w = np.zeros((len(vocab) + 1, len(CONTEXT), size))
        for attr, v in w.items():
            self._own_w[vocab[attr]] = v
            head, sep, feature = attr.partition(":")
            k = _CONTEXT_HEADS.get(head) if sep else None
            if k is not None:
                seen_w[vocab[feature], k] = v
        self._seen_w = seen_w.reshape(len(vocab) + 1, -1)  # a row: each CONTEXT offset's weights in turn
        self.bias = np.array(w.get("bias", zero))
        # per rule tag code (row 0: no tag): its own weights, and as each neighbour sees it
        self.rule_own = np.array([zero, *(w.get(t, zero) for t in ("R=T", "R=B", "R=I"))])
        self.rule_seen = np.array([
            [zero] * len(CONTEXT),
            *([w.get(m[t], zero) for m in RULE_SEEN] for t in ("R=T", "R=B", "R=I")),
        ])
        # per word row, one after the other (a token's scores read one row, not two): its summed
        # own weights, then how each neighbour position sees it (CONTEXT order). Row 0 is the
        # padding between sentences: seen from a token, it scores as the sentence's edge.
        self._tab = np.zeros((1024, (1 + len(CONTEXT)) * size))
        self._tab[0, size:] = np.ravel([w.get(e, zero) for e in EDGE])
        # bigram features in the model, as sorted keys of the halves' ids and their weights, per direction
        bigrams = []
        for sign in "-+":
            pairs = {}
            for attr, v in w.items():
                if attr.startswith(f"bi={sign}1|"):
                    left, right = attr[6:].split("|", 1)
                    pairs[vocab[left] * _KEY + vocab[right]] = v
            keys = np.array(sorted(pairs), dtype=np.int64)
            bigrams.append((keys, np.array([pairs[k] for k in keys.tolist()]).reshape(-1, size)))
        longest = max(1, *(len(k) for k, _ in bigrams))
        self._bigram_keys = np.zeros((2, longest), dtype=np.int64)  # per direction, the first _bigram_len
        self._bigram_len = np.array([len(k) for k, _ in bigrams], dtype=np.int64)
        self._bigram_w = np.zeros((2, longest, size))
        for k, (keys, weights) in enumerate(bigrams):
            self._bigram_keys[k, : len(keys)] = keys
            self._bigram_w[k, : len(keys)] = weights
        # the halves' ids that occur in some bigram, per direction and side; per word row whether its
        # head is one of them (most are not, so most tokens skip the search for their bigram)
        self._is_half = np.zeros((4, len(vocab) + 1), dtype=np.int8)  # by vocabulary id
        for col, (keys, side) in enumerate((k, side) for k, _ in bigrams for side in (0, 1)):
            self._is_half[col, keys // _KEY if side == 0 else keys % _KEY] = 1
        self._in_bigram = np.zeros((1024, 4), dtype=np.int8)
        # per hint mask (features.HINT_BITS): its own weights, as the previous token sees it, as the next does
        masks = range(1 << len(HINT_BITS))
        self._hint_tab = np.array([[self._sum(prefix + h for h in mask_hints(m)) for m in masks]
                                   for prefix in ("", "+1", "-1")])
        self.table.attach(self)

    @classmethod
    def open(cls, path: Path) -> CompiledCRF:
        """One model file on its own (with a word table of its own)."""
        return cls(CRFModel.read(path))

    def add_rows(self, first: int, own_ids: np.ndarray, own_at: np.ndarray, short_ids: np.ndarray,
                 short_at: np.ndarray) -> None:
        """Rows for new word types (from the table): their features' weights summed."""
        end = first + len(own_at)
        self._tab = grown(self._tab, end)
        self._in_bigram = grown(self._in_bigram, end)
        fill_rows(own_ids, own_at, short_ids, short_at, self._own_w, self._seen_w, self.bias, _NO_BIAS, self._tab,
                  first, self.table.own_head, self.table.short_head, self._is_half, self._in_bigram)

    def _sum(self, feats: Iterable[str]) -> np.ndarray:
        """The summed weights of these features (unknown ones weigh nothing)."""
        get = self.table.vocab.get
        return self._own_w[[0, *(get(f, 0) for f in feats)]].sum(axis=0)

    def emissions(self, batch: Batch) -> np.ndarray:
        """Per position of the batch, the score of each label (the summed weights of its
        `sentence_features`, with the batch's hints if it has them)."""
        h = _NO_HINTS if batch.hints is None else batch.hints
        return emission_scores(batch.rows, batch.codes, h, self._tab, len(self.labels), self.rule_own,
                               self.rule_seen, _CONTEXT, PAD, self.table.own_head, self.table.short_head,
                               self._bigram_keys, self._bigram_len, self._bigram_w, _KEY, self._in_bigram,
                               self._hint_tab)

    def decode(self, batch: Batch) -> list[list[Span]]:
        """Per sentence of the batch, (start, end, confidence) of each name; confidence = the
        lowest marginal in the span."""
        starts, ends = batch.starts, batch.ends
        out: list[list[Span]] = [[] for _ in starts]
        if not len(starts):
            return out
        em = self.emissions(batch)
        labels = viterbi(em, starts, ends, self.trans)
        if not labels.any():
            return out
        marg = chosen_marginals(em, starts, ends, self.exp_trans, labels)
        found = label_spans(labels, marg, starts, ends, *self._span_codes)
        for s, start, end, conf in zip(*(a.tolist() for a in found)):
            out[s].append((start, end, conf))
        return out

    def tag_batch(self, sentences: list[list[str]],
                  hints: list[list[Sequence[str]]] | None = None) -> list[list[Span]]:
        """decode() of these sentences; `hints`: the second pass's evidence, per sentence and word."""
        batch = self.table.batch(sentences)
        if hints is not None:
            batch = batch.with_hints(hint_masks(hints))
        return self.decode(batch)

    def tag(self, words: list[str], hints: list[Sequence[str]] | None = None) -> list[Span]:
        """One sentence's names (see tag_batch)."""
        return self.tag_batch([words], None if hints is None else [hints])[0]
