"""Grid search of the ranking weights on the tuning data only: ARCD train and the tuning half of
the news claims (the held half is never looked at here; benchmarks/retrieval.py reports it).

    python benchmarks/tune_ranking.py [--grid 'title_weight=1,2,3;exact_weight=0,0.25,0.5'] [--top 15]

Each dev corpus is indexed once; each weight setting re-ranks the same parsed queries through
the product's own `run_search` with a Ranker of those weights.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ir_metrics import mean, per_query  # noqa: E402
from benchmarks.retrieval import SETS, is_held, load_set, top_ids  # noqa: E402
from indexer import reindex  # noqa: E402
from searchcore import IndexHandle  # noqa: E402
from searchcore.ranking import WEIGHTS, Ranker  # noqa: E402


def evaluate(handle: IndexHandle, queries, qrels, weights) -> dict[str, float]:
    snap = handle.snapshot()
    snap.ranker = Ranker(snap.term_docs, snap.arrays.valid, weights, variant_table=snap.ranker.variant_table)
    rows = [per_query(top_ids(handle, text), qrels.get(qid, {})) for qid, text in queries]
    return {m: mean([r[m] for r in rows]) for m in ("ndcg10", "mrr10", "recall100")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--grid", default="title_weight=1,3,5;exact_weight=0,0.25,0.5;k1=0.9,1.2,1.8")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    axes = [(k, [float(v) for v in vals.split(",")]) for k, vals in (a.split("=") for a in args.grid.split(";"))]
    with tempfile.TemporaryDirectory() as tmp:
        handles, data = {}, {}
        for name in ("arcd", "claims"):
            queries, qrels = load_set(SETS[name])
            if name == "claims":
                queries = [(q, t) for q, t in queries if not is_held(q)]
            reindex(Path(tmp) / name, [SETS[name] / "corpus.jsonl"], full=True, procs=1)
            handles[name], data[name] = IndexHandle(Path(tmp) / name), (queries, qrels)
        results = []
        for values in itertools.product(*(vals for _, vals in axes)):
            weights = replace(WEIGHTS, **dict(zip((k for k, _ in axes), values)))
            arcd = evaluate(handles["arcd"], *data["arcd"], weights)
            claims = evaluate(handles["claims"], *data["claims"], weights)
            results.append((claims["ndcg10"] + arcd["mrr10"], values, arcd, claims))
            setting = dict(zip((k for k, _ in axes), values))
            print(f"{setting}  arcd MRR {arcd['mrr10']:.4f} nDCG {arcd['ndcg10']:.4f}  claims-tune nDCG "
                  f"{claims['ndcg10']:.4f} MRR {claims['mrr10']:.4f} R@100 {claims['recall100']:.4f}", flush=True)
        print("\nbest by claims-tune nDCG@10 + ARCD MRR@10:")
        for total, values, arcd, claims in sorted(results, reverse=True)[: args.top]:
            print(f"  {total:.4f}  {dict(zip((k for k, _ in axes), values))}  arcd MRR {arcd['mrr10']:.4f}"
                  f"  claims nDCG {claims['ndcg10']:.4f}")


if __name__ == "__main__":
    main()
