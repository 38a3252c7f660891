"""A trained CRFsuite model, decoded in Python with the per-word parts of its scores cached.

CRFsuite itself looks up every feature string of every token in a tree of about a million
attribute names; most of those features depend on one word type only (its spelling, affixes,
lists, classes, and how its neighbours see it), so here their weights are summed once per word
type and reused. The result is the same labels and marginals as `pycrfsuite.Tagger` (tested),
about twice as fast, which is what makes tagging a whole news corpus during `reindex`
affordable. Training stays with pycrfsuite (persons/train.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pycrfsuite

from persons.features import CONTEXT, EDGE, RULE_SEEN, Span, rule_tags, seen_from, word_features

LABELS = ("O", "B-PER", "I-PER")
Vec = tuple[float, float, float]
_ZERO: Vec = (0.0, 0.0, 0.0)


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


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


class CompiledCRF:
    """Labels and span confidences for a sentence: CRFsuite's Viterbi labels, and per span the
    lowest marginal of its labels."""

    def __init__(self, path: Path) -> None:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        tagger.close()
        index = {lab: k for k, lab in enumerate(LABELS)}
        weights: dict[str, list[float]] = {}
        for (attr, label), w in info.state_features.items():
            weights.setdefault(attr, [0.0, 0.0, 0.0])[index[label]] += w
        self.w: dict[str, Vec] = {a: (v[0], v[1], v[2]) for a, v in weights.items()}
        self.trans = [[0.0] * 3 for _ in range(3)]
        for (a, b), w in info.transitions.items():
            self.trans[index[a]][index[b]] = w
        self.exp_trans = np.exp(np.array(self.trans)).tolist()
        self.bias = self.w.get("bias", _ZERO)
        self.edge = [np.array(self.w.get(e, _ZERO)) for e in EDGE]
        self.rule_own = {t: np.array(self.w.get(t, _ZERO)) for t in ("R=T", "R=B", "R=I")}
        self.rule_seen = [{t: np.array(self.w.get(f, _ZERO)) for t, f in m.items()} for m in RULE_SEEN]
        # bigram features in the model, as {(left, right): weights} per direction
        self.bigrams: tuple[dict[tuple[str, str], np.ndarray], ...] = ({}, {})
        for attr, v in self.w.items():
            if attr.startswith(("bi=-1|", "bi=+1|")):
                left, right = attr[6:].split("|", 1)
                self.bigrams[attr[3] == "+"][(left, right)] = np.array(v)
        # per word type: a row id into the own-score and context-score tables
        self._ids: dict[str, int] = {}
        self._heads: list[tuple[str, str]] = []  # per row: the word's first own and short feature
        self._own_tab = np.zeros((1024, 3))
        self._ctx_tab = np.zeros((1024, 4, 3))

    def _sum(self, feats) -> Vec:  # type: ignore[no-untyped-def]
        w = self.w
        s0 = s1 = s2 = 0.0
        for f in feats:
            v = w.get(f)
            if v is not None:
                s0 += v[0]
                s1 += v[1]
                s2 += v[2]
        return (s0, s1, s2)

    def _row(self, word: str) -> int:
        i = self._ids.get(word)
        if i is None:
            if len(self._ids) > 1_000_000:  # bound memory on endless input
                self._ids.clear()
                self._heads.clear()
            i = self._ids[word] = len(self._ids)
            own, short = word_features(word)
            self._heads.append((own[0], short[0]))
            if i >= len(self._own_tab):
                self._own_tab = np.concatenate([self._own_tab, np.zeros_like(self._own_tab)])
                self._ctx_tab = np.concatenate([self._ctx_tab, np.zeros_like(self._ctx_tab)])
            self._own_tab[i] = _add(self.bias, self._sum(own))
            self._ctx_tab[i] = [self._sum(feats) for feats in seen_from(word)]
        return i

    def emissions(self, words: list[str], hints: list[list[str]] | None = None,
                  tags: list[str] | None = None) -> np.ndarray:
        """(n, 3): per token, the score of each label, i.e. the summed weights of `sentence_features`."""
        n = len(words)
        rows = [self._row(w) for w in words]
        em = self._own_tab[rows]
        ctx = self._ctx_tab[rows]  # (n, 4, 3)
        for k, d in enumerate(CONTEXT):
            if d < 0:
                em[-d:] += ctx[: n + d, k]
                em[: min(-d, n)] += self.edge[k]
            else:
                em[: n - d] += ctx[d:, k]
                em[max(n - d, 0) :] += self.edge[k]
        for j, t in enumerate(tags if tags is not None else rule_tags(words)):
            if t:
                em[j] += self.rule_own[t]
                for k, d in enumerate(CONTEXT):
                    if 0 <= j - d < n:
                        em[j - d] += self.rule_seen[k][t]
        if n > 1:
            heads = self._heads
            own0 = [heads[r][0] for r in rows]
            short0 = [heads[r][1] for r in rows]
            back, fwd = self.bigrams
            for i in range(1, n):
                v = back.get((short0[i - 1], own0[i]))
                if v is not None:
                    em[i] += v
                v = fwd.get((own0[i - 1], short0[i]))
                if v is not None:
                    em[i - 1] += v
        if hints is not None:
            w = self.w
            for i, h in enumerate(hints):
                for f in h:
                    em[i] += w.get(f, _ZERO)
                    if i > 0:
                        em[i - 1] += w.get("+1" + f, _ZERO)
                    if i < n - 1:
                        em[i + 1] += w.get("-1" + f, _ZERO)
        return em

    def viterbi(self, em: np.ndarray) -> list[int]:
        (t00, t01, t02), (t10, t11, t12), (t20, t21, t22) = self.trans
        rows = em.tolist()
        s0, s1, s2 = rows[0]
        back = []
        for e0, e1, e2 in rows[1:]:
            a0, a1, a2 = s0 + t00, s1 + t10, s2 + t20
            p0 = 0 if a0 >= a1 and a0 >= a2 else (1 if a1 >= a2 else 2)
            b0, b1, b2 = s0 + t01, s1 + t11, s2 + t21
            p1 = 0 if b0 >= b1 and b0 >= b2 else (1 if b1 >= b2 else 2)
            c0, c1, c2 = s0 + t02, s1 + t12, s2 + t22
            p2 = 0 if c0 >= c1 and c0 >= c2 else (1 if c1 >= c2 else 2)
            s0 = (a0, a1, a2)[p0] + e0
            s1 = (b0, b1, b2)[p1] + e1
            s2 = (c0, c1, c2)[p2] + e2
            back.append((p0, p1, p2))
        y = 0 if s0 >= s1 and s0 >= s2 else (1 if s1 >= s2 else 2)
        path = [y]
        for ptr in reversed(back):
            y = ptr[y]
            path.append(y)
        return path[::-1]

    def marginals(self, em: np.ndarray) -> list[tuple[float, float, float]]:
        """P(label at position), by forward-backward scaled at every step (3 labels, unrolled:
        cheaper than numpy calls on arrays this small)."""
        (t00, t01, t02), (t10, t11, t12), (t20, t21, t22) = self.exp_trans
        ex = np.exp(em - em.max(axis=1, keepdims=True)).tolist()
        n = len(ex)
        a0, a1, a2 = ex[0]
        s = a0 + a1 + a2
        alpha = [(a0 / s, a1 / s, a2 / s)]
        for e0, e1, e2 in ex[1:]:
            p0, p1, p2 = alpha[-1]
            a0 = (p0 * t00 + p1 * t10 + p2 * t20) * e0
            a1 = (p0 * t01 + p1 * t11 + p2 * t21) * e1
            a2 = (p0 * t02 + p1 * t12 + p2 * t22) * e2
            s = a0 + a1 + a2
            alpha.append((a0 / s, a1 / s, a2 / s))
        beta = [(1.0, 1.0, 1.0)] * n
        b0 = b1 = b2 = 1.0
        for i in range(n - 2, -1, -1):
            e0, e1, e2 = ex[i + 1]
            x0, x1, x2 = e0 * b0, e1 * b1, e2 * b2
            b0 = t00 * x0 + t01 * x1 + t02 * x2
            b1 = t10 * x0 + t11 * x1 + t12 * x2
            b2 = t20 * x0 + t21 * x1 + t22 * x2
            s = b0 + b1 + b2
            b0, b1, b2 = b0 / s, b1 / s, b2 / s
            beta[i] = (b0, b1, b2)
        out = []
        for (a0, a1, a2), (b0, b1, b2) in zip(alpha, beta):
            p0, p1, p2 = a0 * b0, a1 * b1, a2 * b2
            s = p0 + p1 + p2
            out.append((p0 / s, p1 / s, p2 / s))
        return out

    def tag(self, words: list[str], hints: list[list[str]] | None = None, tags: list[str] | None = None) -> list[Span]:
        """(start, end, confidence) of each name; confidence = the lowest marginal in the span.
        `tags`: the sentence's rule_tags, when the caller has them already."""
        if not words:
            return []
        em = self.emissions(words, hints, tags)
        labels = self.viterbi(em)
        if 1 not in labels and 2 not in labels:
            return []
        names = [LABELS[y] for y in labels]
        marg = self.marginals(em)
        return [
            (start, end, min(marg[k][labels[k]] for k in range(start, end)))
            for start, end in bio_spans(names)
        ]
