"""Server time of /api/search on an index (default: ./var/index, the bundled corpus): p50/p95/p99
over a fixed set of 200 one-to-three-word queries (frequent, mid and rare terms), with all three
facets, with a selection in each facet, and the raw top-10 search alone; and over 60 long
queries (30-80 consecutive words cut from bundled articles: a pasted paragraph), typed as they
come (all words, relaxed to any when nothing has all) and with match=any.

    python benchmarks/search_latency.py [--index var/index] [--queries 200]

ARNEWS_CODE=DIR runs another checkout's product code (for a before/after in one session: build
that checkout's index with its own code first). Requests it refuses are counted, not timed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("ARNEWS_CODE", str(REPO)))

from search_app import create_app  # noqa: E402
from searchcore import IndexHandle  # noqa: E402
from searchcore.embedded import query_docs, ranked_docs  # noqa: E402
from searchcore.query import parse_user_query  # noqa: E402


def make_queries(handle: IndexHandle, n: int, seed: int = 2015) -> list[str]:
    """Deterministic 1-3 word queries from the index's own vocabulary, by document frequency band."""
    snap = handle.snapshot()
    reader = snap.index.searcher.reader()
    terms = [(reader.doc_frequency("body", t), t.decode() if isinstance(t, bytes) else t)
             for t in reader.lexicon("body")]
    terms = [(df, t) for df, t in terms if t.isalpha() and len(t) > 2 and df >= 2]
    terms.sort(reverse=True)
    bands = {"frequent": terms[:300], "mid": terms[2000:4000], "rare": terms[-4000:]}
    rng = random.Random(seed)
    out = []
    for i in range(n):
        band = list(bands.values())[i % 3]
        words = [rng.choice(band)[1] for _ in range(1 + i % 3)]
        out.append(" ".join(words))
    return out


def make_long_queries(handle: IndexHandle, n: int, seed: int = 1958) -> list[str]:
    """Deterministic 30-80 word passages of bundled articles, as a journalist pastes them."""
    snap = handle.snapshot()
    rng = random.Random(seed)
    docs = [d for d in range(snap.arrays.size) if snap.arrays.valid[d]]
    out: list[str] = []
    while len(out) < n:
        aid = snap.arrays.ids[rng.choice(docs)]
        words = snap.store.get_many([aid])[aid]["body"].split()
        size = rng.randint(30, 80)
        if len(words) >= size:
            start = rng.randrange(len(words) - size + 1)
            out.append(" ".join(words[start : start + size]))
    return out


def timed(client, queries: list[str], extra: dict, repeat: int) -> tuple[list[list[float]], int]:  # type: ignore[no-untyped-def]
    """Per run, the p50/p95/p99 of the server's took_ms; and how many requests were refused."""
    runs, refused = [], 0
    for _ in range(repeat):
        times = []
        for q in queries:
            r = client.get("/api/search", query_string={"q": q, **extra})
            if r.status_code != 200:
                refused += 1
                continue
            times.append(r.get_json()["took_ms"])
        runs.append([pct(times, p) for p in (50, 95, 99)] if times else [float("nan")] * 3)
    return runs, refused


def row(name: str, runs: list[list[float]], refused: int = 0) -> None:
    cols = []
    for i in range(3):
        vals = [r[i] for r in runs]
        cols.append(f"{statistics.median(vals):6.1f} ({min(vals):.0f}-{max(vals):.0f})")
    note = f"   ({refused} refused)" if refused else ""
    print(f"{name:<28} {cols[0]:>14} {cols[1]:>14} {cols[2]:>14}{note}")


def raw_top10_ms(snap, queries: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    """Per query, ms to parse it and take its scored top 10 (no facets, no snippets)."""
    times = []
    for q in queries:
        t = time.perf_counter()
        pq = parse_user_query(q, snap.index)
        if pq.query is not None:
            ranked_docs(snap, pq, query_docs(snap, pq), "relevance", 10)
        times.append((time.perf_counter() - t) * 1000)
    return times


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=REPO / "var" / "index")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    app = create_app({"INDEX_DIR": str(args.index), "TESTING": True})
    client = app.test_client()
    handle = app.extensions["arnews_handle"]
    t0 = time.perf_counter()
    client.get("/healthz")
    print(f"open index + facet arrays: {(time.perf_counter() - t0) * 1000:.0f} ms")
    queries = make_queries(handle, args.queries)
    top = client.get("/api/search?facet_size=5").get_json()
    person = top["facets"]["person"][0]["value"]
    outlet = top["facets"]["outlet"][0]["value"]
    variants = {
        "facets, no selection": {},
        "facets + outlet selected": {"outlet": outlet},
        "facets + person selected": {"person": person},
        "facets + date range": {"from": "2015-07-25", "to": "2015-08-05"},
    }
    print(f"{len(queries)} queries x {args.repeat} runs; median of the per-run percentiles (spread min-max)")
    print(f"{'variant':<28} {'p50 ms':>14} {'p95 ms':>14} {'p99 ms':>14}")
    for name, extra in variants.items():
        row(name, *timed(client, queries, extra, args.repeat))
    long_queries = make_long_queries(handle, 60)
    for name, extra in {"long (30-80 words), as typed": {}, "long (30-80 words), any": {"match": "any"}}.items():
        row(name, *timed(client, long_queries, extra, args.repeat))
    snap = handle.snapshot()
    runs = []
    for _ in range(args.repeat):
        times = raw_top10_ms(snap, queries)
        runs.append([pct(times, p) for p in (50, 95, 99)])
    cols = [f"{statistics.median([r[i] for r in runs]):6.1f}" for i in range(3)]
    print(f"{'raw top-10 only':<28} {cols[0]:>14} {cols[1]:>14} {cols[2]:>14}")


if __name__ == "__main__":
    main()
