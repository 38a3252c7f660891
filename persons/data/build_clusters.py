"""Build persons/data/word_clusters.tsv: word classes learnt from unlabelled news.

    .venv/bin/python persons/data/build_clusters.py [seeds/saudinewsnet]

4,000 annotated sentences cannot show the tagger most names; the 8.7 M words of the bundled
SaudiNewsNet corpus can show which words occur where names occur. Each frequent word gets a
vector of its left and right neighbours (positive PMI, reduced to 64 dimensions by a randomized
SVD), and k-means on those vectors gives two class ids per word (64 and 512 classes), used as
tagger features. Deterministic (fixed seeds). Licence: derived from SaudiNewsNet, CC BY-NC-SA
4.0 (see NOTICE.md).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from analyzers.charmap import normalize  # noqa: E402
from indexer.readers import read_corpus  # noqa: E402
from indexer.report import ReadReport  # noqa: E402
from persons.rules import TOKEN  # noqa: E402

OUT = Path(__file__).with_name("word_clusters.tsv")
VOCAB = 40_000
CONTEXTS = 2_000
DIMS = 64
SIZES = (64, 512)


def _sentences(corpus: Path):
    for a in read_corpus([corpus], ReadReport()):
        for line in f"{a.title}\n{a.body}".splitlines():
            toks = [normalize(t) for t in TOKEN.findall(line)]
            if toks:
                yield toks


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, rounds: int = 25) -> np.ndarray:
    """Spherical k-means (rows of x are unit vectors)."""
    centers = x[rng.choice(len(x), k, replace=False)]
    for _ in range(rounds):
        labels = np.argmax(x @ centers.T, axis=1)
        for c in range(k):
            members = x[labels == c]
            if len(members):
                v = members.sum(axis=0)
                centers[c] = v / (np.linalg.norm(v) or 1.0)
    return np.argmax(x @ centers.T, axis=1)


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "seeds" / "saudinewsnet"
    sents = list(_sentences(corpus))
    freq = Counter(t for s in sents for t in s)
    vocab = [w for w, c in freq.most_common(VOCAB) if c >= 5]
    contexts = [w for w, _ in freq.most_common(CONTEXTS)]
    vi = {w: i for i, w in enumerate(vocab)}
    ci = {w: i for i, w in enumerate(contexts)}
    counts = np.zeros((len(vocab), 2 * len(contexts) + 2), dtype=np.float32)
    for s in sents:
        padded = ["<s>", *s, "</s>"]
        for j in range(1, len(padded) - 1):
            row = vi.get(padded[j])
            if row is None:
                continue
            left, right = padded[j - 1], padded[j + 1]
            counts[row, ci.get(left, len(contexts)) if left != "<s>" else 2 * len(contexts)] += 1
            counts[row, len(contexts) + 1 + ci.get(right, len(contexts)) if right != "</s>" else -1] += 1
    total = counts.sum()
    pmi = np.log((counts * total) / (counts.sum(1, keepdims=True) * counts.sum(0, keepdims=True) + 1e-9) + 1e-9)
    ppmi = np.maximum(pmi, 0).astype(np.float32)
    rng = np.random.default_rng(7)
    q, _ = np.linalg.qr(ppmi @ rng.standard_normal((ppmi.shape[1], DIMS * 2)).astype(np.float32))
    u, sv, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    vecs = (q @ u[:, :DIMS]) * np.sqrt(sv[:DIMS])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    labels = [_kmeans(vecs, k, np.random.default_rng(k)) for k in SIZES]
    lines = [f"{w}\t" + "\t".join(str(int(lab[i])) for lab in labels) for i, w in enumerate(vocab)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(vocab)} words, {len(sents)} lines -> {OUT}")


if __name__ == "__main__":
    main()
