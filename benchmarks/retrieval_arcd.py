"""Retrieval quality on ARCD questions: StandardAnalyzer vs normalization only vs the full analyzer.

Each question runs as an any-words BM25 query through the project's own search path
(`searchcore.run_search`, match=any) against an index built by the project's own `reindex`.

    python benchmarks/retrieval_arcd.py [--data ../shared/dev/retrieval-arcd-train]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer import reindex  # noqa: E402
from searchcore import IndexHandle, SearchParams, run_search  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "dev" / "retrieval-arcd-train"


def load(data: Path) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    queries = [tuple(line.split("\t", 1)) for line in (data / "queries.tsv").read_text().splitlines() if line.strip()]
    qrels: dict[str, set[str]] = {}
    for line in (data / "qrels.tsv").read_text().splitlines():
        if line.strip():
            qid, doc, *_ = line.split("\t")
            qrels.setdefault(qid, set()).add(doc)
    return queries, qrels


def evaluate(handle: IndexHandle, queries, qrels) -> dict[str, float]:
    mrr = ndcg = recall = 0.0
    for qid, text in queries:
        args = {"q": text, "match": "any", "per_page": "100"}
        params = SearchParams.from_args(args.get, lambda k: [])
        ranked = [h["id"] for h in run_search(handle, params)["hits"]]
        rel = qrels.get(qid, set())
        for rank, doc in enumerate(ranked[:10], 1):
            if doc in rel:
                mrr += 1 / rank
                break
        dcg = sum(1 / math.log2(r + 1) for r, d in enumerate(ranked[:10], 1) if d in rel)
        idcg = sum(1 / math.log2(r + 1) for r in range(1, min(len(rel), 10) + 1))
        ndcg += dcg / idcg if idcg else 0
        recall += len(rel & set(ranked[:100])) / len(rel) if rel else 0
    n = len(queries)
    return {"MRR@10": mrr / n, "nDCG@10": ndcg / n, "Recall@100": recall / n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--profiles", default="standard,normalize,full")
    args = ap.parse_args()
    queries, qrels = load(args.data)
    print(f"ARCD: {len(queries)} questions, corpus {args.data / 'corpus.jsonl'}")
    print(f"{'analyzer':<12} {'MRR@10':>8} {'nDCG@10':>8} {'R@100':>8} {'secs':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for profile in args.profiles.split(","):
            t0 = time.perf_counter()
            root = Path(tmp) / profile
            reindex(root, [args.data / "corpus.jsonl"], full=True, profile=profile, procs=1)
            scores = evaluate(IndexHandle(root), queries, qrels)
            print(f"{profile:<12} {scores['MRR@10']:8.4f} {scores['nDCG@10']:8.4f} {scores['Recall@100']:8.4f} "
                  f"{time.perf_counter() - t0:6.1f}")


if __name__ == "__main__":
    main()
