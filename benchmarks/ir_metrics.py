"""Retrieval measures per query, and paired bootstrap confidence intervals over queries.

Relevance judgments are graded ints (0 = judged not relevant); a document with no judgment is
"unjudged". nDCG@10 treats unjudged as not relevant; `ndcg10_judged` first drops unjudged
documents from the ranking (the condensed list of Sakai 2007), which is fairer to a system that
finds relevant articles the judges never saw.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

MEASURES = ("ndcg10", "ndcg10_judged", "mrr10", "recall100")


def _ndcg(ranked: Sequence[str], qrels: dict[str, int], k: int) -> float:
    gains = sorted((g for g in qrels.values() if g > 0), reverse=True)[:k]
    ideal = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    if ideal == 0:
        return 0.0
    dcg = sum((2 ** qrels.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    return dcg / ideal


def per_query(ranked: Sequence[str], qrels: dict[str, int]) -> dict[str, float]:
    """The four measures for one query's ranking (best first) against its judgments."""
    relevant = {d for d, g in qrels.items() if g > 0}
    rr = 0.0
    for i, d in enumerate(ranked[:10]):
        if d in relevant:
            rr = 1.0 / (i + 1)
            break
    judged = [d for d in ranked if d in qrels]
    return {
        "ndcg10": _ndcg(ranked, qrels, 10),
        "ndcg10_judged": _ndcg(judged, qrels, 10),
        "mrr10": rr,
        "recall100": len(relevant & set(ranked[:100])) / len(relevant) if relevant else 0.0,
    }


def mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def bootstrap_ci(xs: Sequence[float], ys: Sequence[float] | None = None, rounds: int = 1000,
                 seed: int = 17, level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high) of mean(xs), or of the paired difference mean(xs - ys) when `ys` is given,
    by resampling queries with replacement."""
    diffs = list(xs) if ys is None else [x - y for x, y in zip(xs, ys, strict=True)]
    n = len(diffs)
    if n == 0:
        return 0.0, 0.0, 0.0
    rng = random.Random(seed)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    lo = means[int((1 - level) / 2 * rounds)]
    hi = means[min(rounds - 1, int((1 + level) / 2 * rounds))]
    return mean(diffs), lo, hi
