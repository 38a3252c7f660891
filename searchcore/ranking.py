"""How results are ranked: BM25F over title + body, stems first, exact forms as a lighter signal.

A query is a list of words (each analysed to its exact normalized form and its stem). A
document's score is the sum, over the query's words, of

    stem_weight    x BM25F(stem of the word)                   in title_stem + body_stem
  + exact_weight   x BM25F(exact form of the word)              in title + body
  + variant_weight x BM25F(exact form or its spelling variants) in title + body
  + prefix_score for each `prefix*` it matches

The spelling variants (searchcore/variants.py) are the vocabulary's terms that share most of the
word's character 3-grams; the word and its variants count as one term (their frequencies added),
so a document spelled differently, or whose form Snowball stems differently, still scores. The
signal is only there for words that have variants.

BM25F here is the "true" one (Robertson & Zaragoza 2009): a word's frequencies in title and body
are added (a title occurrence counting `title_weight` times) BEFORE the saturation, against the
document's weighted length, so a short title that repeats a few query words cannot saturate a
separate title score on its own. Scoring fields separately and adding their BM25 scores (the
previous ranking) over-rewarded exactly that, and lost to a stock one-field BM25 on news
claims; see docs/benchmarks.md ("Ranking").

Every weight lives in `RankingWeights`, chosen on ARCD train and half of the news-claims dev set
(benchmarks/retrieval.py). `explain` gives each word's share of one document's score.

Scores are computed with numpy over each term's cached postings: each (signal, term)'s BM25F
per matching document is computed once per index generation (query terms are Zipfian), a query
is a few scatter-adds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from indexer.variants import VariantTable
from searchcore.cache import TermCache
from searchcore.deadline import Deadline
from searchcore.index_reader import BODY, BODY_STEM, TITLE, TITLE_STEM
from searchcore.matching import TermDocsCache


@dataclass(frozen=True)
class RankingWeights:
    k1: float = 1.2
    b: float = 0.75
    title_weight: float = 3.0  # a title occurrence counts as this many body occurrences
    stem_weight: float = 1.0
    exact_weight: float = 0.25
    variant_weight: float = 1.0  # the word or its spelling variants, as one term
    prefix_score: float = 1.0  # a matched prefix* adds a constant, as Lucene's constant-score rewrite


WEIGHTS = RankingWeights()


@dataclass(frozen=True)
class Signal:
    """One BM25F signal: a title field and a body field searched as one text."""

    name: str
    title: str
    body: str


STEM = Signal("stem", TITLE_STEM, BODY_STEM)
EXACT = Signal("exact", TITLE, BODY)
VARIANT = Signal("variant", TITLE, BODY)


@dataclass(frozen=True)
class QueryWord:
    """One word of a query as the index sees it: its exact (normalized) term and its stem."""

    exact: str
    stem: str



@dataclass
class Posting:
    """A term's (or a group of terms') BM25F score per matching document, with what it was
    computed from (for explain)."""

    docs: np.ndarray
    scores: np.ndarray
    title_tf: np.ndarray
    body_tf: np.ndarray
    idf: float


_NO_POSTING = Posting(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0), 0.0)


class Ranker:
    """Scores for one index generation; shared by its threads (cached arrays are read-only)."""

    def __init__(self, postings: TermDocsCache, valid: np.ndarray, weights: RankingWeights = WEIGHTS,
                 max_terms: int = 20_000, variant_table: VariantTable | None = None) -> None:
        self.postings = postings
        self.valid = valid
        self.size = len(valid)
        self.n_docs = max(1, int(valid.sum()))
        self.weights = weights
        self._lengths: TermCache[tuple[np.ndarray, float]] = TermCache()
        self._cache: TermCache[Posting] = TermCache(max_terms)
        self._variants: TermCache[tuple[str, ...]] = TermCache(max_terms)
        self.variant_table = variant_table

    def _signal_lengths(self, signal: Signal) -> tuple[np.ndarray, float]:
        """Each document's weighted title + body length, and its mean over live documents."""

        def compute() -> tuple[np.ndarray, float]:
            reader = self.postings.reader
            lengths = self.weights.title_weight * reader.field_lengths(signal.title) + reader.field_lengths(signal.body)
            live = lengths[self.valid]
            return lengths, float(live.mean()) if len(live) and live.mean() > 0 else 1.0

        return self._lengths.get((signal.title, signal.body), compute)

    def variants(self, word: str) -> tuple[str, ...]:
        """The word's spelling variants in this generation's vocabulary (none without a table)."""
        table = self.variant_table
        if table is None:
            return ()
        return self._variants.get(word, lambda: table.variants(word))

    def posting(self, signal: Signal, terms: tuple[str, ...]) -> Posting:
        return self._cache.get((signal, terms), lambda: self._posting(signal, terms))

    def _posting(self, signal: Signal, terms: tuple[str, ...]) -> Posting:
        w = self.weights
        t_docs, t_tf = self._group_postings(signal.title, terms)
        b_docs, b_tf = self._group_postings(signal.body, terms)
        if len(t_docs) + len(b_docs) == 0:
            return _NO_POSTING
        docs, where = np.unique(np.concatenate((t_docs, b_docs)), return_inverse=True)
        title_tf = np.bincount(where[: len(t_docs)], weights=t_tf, minlength=len(docs))
        body_tf = np.bincount(where[len(t_docs):], weights=b_tf, minlength=len(docs))
        tf = w.title_weight * title_tf + body_tf
        lengths, avg = self._signal_lengths(signal)
        df = len(docs)
        idf = math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))
        norm = w.k1 * (1 - w.b + w.b * lengths[docs] / avg)
        return Posting(docs, idf * tf * (w.k1 + 1) / (tf + norm), title_tf, body_tf, idf)

    def _group_postings(self, field: str, terms: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Documents containing any of `terms` in `field`, with their summed frequencies."""
        if len(terms) == 1:
            return self.postings.postings(field, terms[0])
        parts = [self.postings.postings(field, t) for t in terms]
        docs, where = np.unique(np.concatenate([d for d, _ in parts]), return_inverse=True)
        return docs, np.bincount(where, weights=np.concatenate([f for _, f in parts]), minlength=len(docs))

    def _terms(self, words: list[QueryWord]) -> list[tuple[Signal, tuple[str, ...], float]]:
        return scoring_terms(words, self.weights, self.variants)

    def scores(self, words: list[QueryWord], prefix_masks: list[np.ndarray],
               deadline: Deadline | None = None) -> np.ndarray:
        """Score of every document (the caller ranks within the query's match mask); terms
        met after the deadline are left out."""
        total = np.zeros(self.size, dtype=np.float64)
        for signal, terms, weight in self._terms(words):
            if deadline is not None and deadline.passed():
                break
            p = self.posting(signal, terms)
            if len(p.docs):
                total[p.docs] += weight * p.scores
        for mask in prefix_masks:
            total[mask] += self.weights.prefix_score
        return total

    def explain(self, words: list[QueryWord], prefix_masks: list[np.ndarray],
                prefixes: list[str], docnum: int) -> dict[str, Any]:
        """Each signal's share of one document's score, with the figures it was computed from."""
        parts = []
        for signal, terms, weight in self._terms(words):
            p = self.posting(signal, terms)
            i = int(np.searchsorted(p.docs, docnum))
            if i < len(p.docs) and p.docs[i] == docnum:
                extra = {"variants": list(terms[1:])} if signal is VARIANT else {}
                parts.append({"signal": signal.name, "term": terms[0], **extra, "weight": weight,
                              "idf": round(p.idf, 4),
                              "title_tf": float(p.title_tf[i]), "body_tf": float(p.body_tf[i]),
                              "bm25f": round(float(p.scores[i]), 4), "score": round(weight * float(p.scores[i]), 4)})
        for prefix, mask in zip(prefixes, prefix_masks, strict=True):
            if mask[docnum]:
                parts.append({"signal": "prefix", "term": prefix + "*", "weight": self.weights.prefix_score,
                              "score": self.weights.prefix_score})
        lengths = {s.name: round(float(self._signal_lengths(s)[0][docnum]), 1) for s in (STEM, EXACT)}
        return {"score": round(sum(p["score"] for p in parts), 4), "signals": parts,
                "weighted_length": lengths, "weights": asdict(self.weights)}


def scoring_terms(words: list[QueryWord], weights: RankingWeights,
                  variants: Callable[[str], tuple[str, ...]]) -> list[tuple[Signal, tuple[str, ...], float]]:
    """(signal, terms, weight) of each distinct term (or variant group: the word first) the words
    contribute to a score; every engine scores these."""
    out: dict[tuple[Signal, tuple[str, ...]], float] = {}
    for word in words:
        out.setdefault((STEM, (word.stem,)), weights.stem_weight)
        out.setdefault((EXACT, (word.exact,)), weights.exact_weight)
        if weights.variant_weight:
            found = variants(word.exact)
            if found:
                out.setdefault((VARIANT, (word.exact, *found)), weights.variant_weight)
    return [(s, t, wt) for (s, t), wt in out.items() if wt]


def top(scores: np.ndarray, mask: np.ndarray, depth: int, tie_rank: np.ndarray | None = None) -> list[int]:
    """The `depth` best doc numbers within `mask`: highest score first, then lowest `tie_rank`
    (the article id's place in sorted order, so that every engine breaks ties alike; the doc
    number without it)."""
    docs = np.flatnonzero(mask)
    if len(docs) == 0 or depth <= 0:
        return []
    s = scores[docs]
    if len(docs) > depth:
        # keep everything tied with the depth-th best, so the tie-break is exact
        kth = np.partition(s, len(s) - depth)[len(s) - depth]
        keep = s >= kth
        docs, s = docs[keep], s[keep]
    order = np.lexsort((docs if tie_rank is None else tie_rank[docs], -s))
    return docs[order][:depth].tolist()
