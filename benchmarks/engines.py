"""The two engines side by side on the same input, in one run: full reindex time and faceted
search latency through the search core (`run_search`, what /api/search answers: hits, snippets,
person/outlet/date facets), for the embedded Whoosh index and an OpenSearch cluster of 1 and 3
local nodes (scripts/opensearch_cluster.py), at 1x and Nx the bundled corpus. Also the parity of
the two engines' answers (totals, facets, top-10 overlap) on the same queries.

    python benchmarks/engines.py [--corpus seeds] [--scales 1,4] [--nodes 1,3] [--queries 200]

Nx: the corpus's articles N times as JSON lines, each copy with its own URL (so its own id);
persons are extracted again for every copy, as for any new article. One machine runs the
cluster and the benchmark: on the 2-core machine the nodes compete with the client for cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import opensearch_cluster as cluster  # noqa: E402

from backends.opensearch import OpenSearchSettings  # noqa: E402
from backends.opensearch.engine import OpenSearchHandle  # noqa: E402
from backends.opensearch.indexing import reindex_opensearch  # noqa: E402
from benchmarks.search_latency import make_queries  # noqa: E402
from indexer import reindex  # noqa: E402
from indexer.readers import read_corpus  # noqa: E402
from indexer.report import ReadReport  # noqa: E402
from searchcore import IndexHandle, SearchParams, run_search  # noqa: E402
from tests.test_opensearch_cluster import _free_base  # noqa: E402


def scaled_corpus(corpus: Path, scale: int, out: Path) -> Path:
    if scale == 1:
        return corpus
    path = out / f"corpus-x{scale}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for a in read_corpus([corpus], ReadReport()):
            for k in range(scale):
                rec = {key: v for key, v in asdict(a).items() if key in ("title", "body", "outlet", "date", "author")}
                rec["url"] = f"{a.url or a.id}#copy{k}"
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def latency(handle, queries: list[str], outlet: str, repeat: int = 2) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """ms per faceted search (the second pass: caches warm), alone and with an outlet selected."""
    times: list[float] = []
    for _ in range(repeat):
        times = []
        for i, q in enumerate(queries):
            lists = {"outlet": [outlet]} if i % 2 else {}
            params = SearchParams.from_args({"q": q}.get, lambda k, lists=lists: lists.get(k, []))
            t = time.perf_counter()
            run_search(handle, params)
            times.append((time.perf_counter() - t) * 1000)
    return {"p50": pct(times, 50), "p95": pct(times, 95)}


def parity(a, b, queries: list[str]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    same_total = same_facets = 0
    overlaps = []
    for q in queries:
        params = SearchParams.from_args({"q": q}.get, lambda k: [])
        x, y = run_search(a, params), run_search(b, params)
        same_total += x["total"] == y["total"]
        same_facets += x["facets"] == y["facets"] and x["facet_info"] == y["facet_info"]
        ids = [h["id"] for h in x["hits"]]
        if ids:
            overlaps.append(len(set(ids) & {h["id"] for h in y["hits"]}) / len(ids))
    return {"queries": len(queries), "same_total": same_total, "same_facets": same_facets,
            "top10_overlap": statistics.mean(overlaps) if overlaps else float("nan")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO / "seeds")
    ap.add_argument("--scales", default="1,4")
    ap.add_argument("--nodes", default="1,3")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    figures: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="arnews-engines-") as tmp:
        work = Path(tmp)
        clusters = {}
        for n in map(int, args.nodes.split(",")):
            clusters[n] = cluster.start(work / f"cluster{n}", nodes=n, http_port=_free_base())["url"]
        try:
            for scale in map(int, args.scales.split(",")):
                corpus = scaled_corpus(args.corpus, scale, work)
                t0 = time.perf_counter()
                built = reindex(work / f"ix{scale}", [corpus], full=True, procs=args.procs)
                whoosh_s = time.perf_counter() - t0
                embedded = IndexHandle(work / f"ix{scale}")
                queries = make_queries(embedded, args.queries)
                outlet = run_search(embedded, SearchParams())["facets"]["outlet"][0]["value"]
                row = {"scale": scale, "articles": built.articles, "engine": "whoosh", "reindex_s": whoosh_s,
                       **latency(embedded, queries, outlet)}
                figures.append(row)
                print(json.dumps(row), flush=True)
                for n, url in clusters.items():
                    settings = OpenSearchSettings(url, alias=f"bench{scale}", replicas=0 if n == 1 else 1)
                    t0 = time.perf_counter()
                    loaded = reindex_opensearch(settings, [corpus], procs=args.procs)
                    os_s = time.perf_counter() - t0
                    handle = OpenSearchHandle(settings)
                    row = {"scale": scale, "articles": loaded.articles, "engine": f"opensearch-{n}node",
                           "reindex_s": os_s, **latency(handle, queries, outlet),
                           **parity(embedded, handle, queries[:100])}
                    figures.append(row)
                    print(json.dumps(row), flush=True)
        finally:
            for n in clusters:
                cluster.stop(work / f"cluster{n}")
    print(f"\n{'scale':>5} {'engine':<18} {'articles':>9} {'reindex s':>10} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7}"
          f" {'ratio p50':>9}  parity (same total / same facets / top-10 overlap)")
    for r in figures:
        base = next(b for b in figures if b["scale"] == r["scale"] and b["engine"] == "whoosh")
        par = (f"{r['same_total']}/{r['queries']} / {r['same_facets']}/{r['queries']} / {r['top10_overlap']:.3f}"
               if "queries" in r else "")
        print(f"{r['scale']:>5} {r['engine']:<18} {r['articles']:>9,} {r['reindex_s']:>10.1f} "
              f"{r['reindex_s'] / base['reindex_s']:>5.2f}x {r['p50']:>7.1f} {r['p95']:>7.1f} "
              f"{r['p50'] / base['p50']:>8.2f}x  {par}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
