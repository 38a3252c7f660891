"""The benchmark suite: this engine next to stock Whoosh (StandardAnalyzer), tantivy and stock
Lucene (ArabicAnalyzer; skipped, with the reason printed, without a JDK and Debian's
liblucene4.10-java), on the same articles and queries, in one run; prints a table and writes JSON.

    .venv/bin/python benchmarks/suite.py                 # bundled corpus at 1x, 2x and 4x
    .venv/bin/python benchmarks/suite.py --smoke         # 300 articles, 1 run (the test suite's check)

Figures: (1) full reindex: wall, articles/s, peak RSS, size, and the stages measured alone on a
sample in one process; (2) incremental reindex, nothing changed and 1% changed; (3) server time
of /api/search with all three facets over 200 fixed 1-3 word queries (some with an outlet or a
person selected) and of the raw top-10 search; (4) requests/s of `serve` at 1, 4 and 16
concurrent clients from a second process; (5) cold start; (6) all of it at 2x and 4x the corpus
(the articles repeated with new ids). Every timing is repeated (--repeats, default 3) and given
as median (min-max); builds at 2x and 4x run once (--scale-repeats) to keep the suite short.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import baselines  # noqa: E402
from benchmarks.loadgen import finish_load, start_load  # noqa: E402
from benchmarks.search_latency import make_queries, pct, raw_top10_ms  # noqa: E402
from indexer.article import Article  # noqa: E402
from indexer.docstore import DocStore  # noqa: E402
from indexer.layout import dir_size  # noqa: E402
from indexer.readers import read_corpus  # noqa: E402
from indexer.report import ReadReport  # noqa: E402
from tests.test_e2e import free_port, wait_http  # noqa: E402


def spread(values: list[float], unit: str = "", digits: int = 1) -> str:
    """median (min-max)"""
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.{digits}f}{unit}"
    return f"{med:.{digits}f}{unit} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def write_corpus(articles: list[Article], scale: int, path: Path, changed: float = 0.0, mark: str = "") -> None:
    """JSONL of the articles repeated `scale` times (copies get new ids); a `changed` share of
    them gets `mark` appended to the body."""
    step = int(1 / changed) if changed else 0
    with path.open("w", encoding="utf-8") as f:
        n = 0
        for k in range(scale):
            for a in articles:
                body = a.body
                if step and n % step == 0:
                    body = f"{body}\n{mark}"
                rec = {"id": a.id if k == 0 else f"{a.id}x{k}", "title": a.title, "body": body, "url": a.url,
                       "source": a.outlet, "date": a.date, "author": a.author}
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1


def run_cli(*args: str, index: Path) -> tuple[float, float, str]:
    """(wall s, peak RSS MB of the largest process of this command's tree, stdout) of one
    `arnews` command. wait4 gives this run's own figure (getrusage(RUSAGE_CHILDREN) would be
    the largest of every child the suite ever had, baselines and servers included)."""
    cmd = [sys.executable, "-m", "arnews.cli", "--index", str(index), *args]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {err.read().strip()[-500:]}")
        return wall, usage.ru_maxrss / 1024, out.read()


def reindex_figures(articles: list[Article], scale: int, work: Path, index: Path, repeats: int) -> dict:
    corpus = work / f"corpus-x{scale}.jsonl"
    write_corpus(articles, scale, corpus)
    n = len(articles) * scale
    walls = []
    peak = 0.0
    for _ in range(repeats):
        shutil.rmtree(index, ignore_errors=True)
        wall, peak, _ = run_cli("reindex", "--full", "--quiet", str(corpus), index=index)
        walls.append(wall)
    unchanged = [run_cli("reindex", "--quiet", str(corpus), index=index)[0] for _ in range(repeats)]
    changed = []
    for r in range(repeats):
        mod = work / f"corpus-x{scale}-mod{r}.jsonl"
        write_corpus(articles, scale, mod, changed=0.01, mark=f"تحديث رقم {r}")
        wall, _, out = run_cli("reindex", "--quiet", str(mod), index=index)
        assert out.startswith("incremental"), out
        changed.append(wall)
        mod.unlink()
    live = Path(os.path.realpath(index / "current"))
    return {
        "articles": n,
        "full_s": walls,
        "articles_per_s": n / statistics.median(walls),
        "peak_rss_mb": peak,
        "index_mb": dir_size(live) / 1e6,
        "whoosh_mb": dir_size(live / "whoosh") / 1e6,
        "store_mb": (live / "docs.sqlite").stat().st_size / 1e6,
        "unchanged_s": unchanged,
        "changed_1pct_s": changed,
        "corpus": str(corpus),
    }


def stage_figures(articles: list[Article], corpus: Path, sample: int) -> dict:
    """Seconds of each stage, one process: reading the whole corpus, then analysis, person
    extraction and index writing on a sample (all articles if `sample` is 0), scaled to the
    whole corpus."""
    from backends.whoosh import add_articles, create_index, new_writer
    from backends.whoosh.preanalyzed import preanalyze
    from persons import extract_persons

    t0 = time.perf_counter()
    n = sum(1 for _ in read_corpus([corpus], ReadReport()))
    t_read = time.perf_counter() - t0
    part = random.Random(1).sample(articles, min(sample, len(articles))) if sample else articles
    factor = n / len(part)
    t0 = time.perf_counter()
    for a in part:
        preanalyze(a.title, a.body)
    t_an = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a in part:
        extract_persons(a.title, a.body)
    t_pe = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        w = new_writer(create_index(Path(tmp) / "ix"))  # as indexer.build's one-process writer
        t0 = time.perf_counter()
        add_articles(w, part)
        w.commit()
        t_write = time.perf_counter() - t0 - t_an  # the writer analyzes too
    return {"reading": t_read, "analysis": t_an * factor, "persons": t_pe * factor,
            "writing": max(t_write, 0.0) * factor, "sample": len(part)}


def api_figures(index: Path, repeats: int, n_queries: int) -> tuple[dict, list[str]]:
    """Server time (took_ms) of /api/search with the three facets, and the raw top-10 search."""
    from search_app import create_app

    app = create_app({"INDEX_DIR": str(index), "TESTING": True})
    client = app.test_client()
    handle = app.extensions["arnews_handle"]
    client.get("/healthz")
    queries = make_queries(handle, n_queries)
    top = client.get("/api/search?facet_size=5").get_json()
    persons = [p["value"] for p in top["facets"]["person"]] or [""]
    outlets = [o["value"] for o in top["facets"]["outlet"]] or [""]
    params = []
    for i, q in enumerate(queries):
        p = {"q": q}
        if i % 4 == 1:
            p["outlet"] = outlets[i % len(outlets)]
        elif i % 4 == 3:
            p["person"] = persons[i % len(persons)]
        params.append(p)
    api_runs, raw_runs = [], []
    snap = handle.snapshot()
    for _ in range(repeats):
        times = [client.get("/api/search", query_string=p).get_json()["took_ms"] for p in params]
        api_runs.append([pct(times, x) for x in (50, 95, 99)])
        raw = raw_top10_ms(snap, queries)
        raw_runs.append([pct(raw, x) for x in (50, 95, 99)])
    return {"api_ms": api_runs, "raw_top10_ms": raw_runs}, queries


def serve_figures(index: Path, repeats: int, clients: list[int], seconds: float) -> dict:
    """Cold start (serve → first answered query) and requests/s at each client count."""
    cold = []
    rps: dict[int, list[float]] = {c: [] for c in clients}
    errors: dict[int, int] = {c: 0 for c in clients}
    latency: dict[int, list[float]] = {c: [] for c in clients}
    env = {**os.environ, "ARNEWS_INDEX": str(index)}
    for _ in range(repeats):
        port = free_port()
        t0 = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "arnews.cli", "serve", "--no-build", "--port", str(port)],
                                  env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(f"http://127.0.0.1:{port}/api/search?q=%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6")
            cold.append(time.perf_counter() - t0)
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read()
            for c in clients:
                res = finish_load(start_load("127.0.0.1", port, 10**7, c, max_seconds=seconds), timeout=seconds + 120)
                rps[c].append(res.sent / res.seconds if res.seconds else 0.0)
                errors[c] += res.failed + res.inconsistent
                latency[c].append(res.pct(50))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return {"cold_start_s": cold, "rps": rps, "errors": errors, "client_p50_ms": latency}


def baseline_figures(articles: list[Article], index: Path, queries: list[str], work: Path, repeats: int,
                     with_whoosh: bool) -> dict:
    store = DocStore(Path(os.path.realpath(index / "current")) / "docs.sqlite", readonly=True)
    persons = {aid: json.loads(p) for aid, _, _, p, _ in store.facet_rows()}
    store.close()
    out: dict = {}
    t_builds, t_runs = [], []
    for _ in range(repeats):
        t_builds.append(baselines.build_tantivy(articles, work / "tantivy"))
        times = baselines.tantivy_searches(work / "tantivy", queries)
        t_runs.append([pct(times, x) for x in (50, 95, 99)])
    out["tantivy"] = {"build_s": t_builds, "top10_ms": t_runs, "index_mb": dir_size(work / "tantivy") / 1e6}
    missing = baselines.lucene_missing()
    if missing:
        out["lucene"] = {"skipped": missing}
    else:
        l_builds, l_runs, l_size = [], [], 0.0
        for _ in range(repeats):
            run = baselines.lucene_run(articles, queries, work)
            l_builds.append(run["build_s"])
            l_runs.append([pct(run["top10_ms"], x) for x in (50, 95, 99)])
            l_size = run["index_mb"]
        out["lucene"] = {"build_s": l_builds, "top10_ms": l_runs, "index_mb": l_size}
    if with_whoosh:
        w_builds, w_plain, w_facets = [], [], []
        for _ in range(repeats):
            w_builds.append(baselines.build_whoosh_standard(articles, persons, work / "whoosh-std"))
            plain, faceted = baselines.whoosh_standard_searches(work / "whoosh-std", queries)
            w_plain.append([pct(plain, x) for x in (50, 95, 99)])
            w_facets.append([pct(faceted, x) for x in (50, 95, 99)])
        out["whoosh_standard"] = {"build_s": w_builds, "top10_ms": w_plain, "facets_ms": w_facets,
                                  "index_mb": dir_size(work / "whoosh-std") / 1e6}
    shutil.rmtree(work / "tantivy", ignore_errors=True)
    shutil.rmtree(work / "whoosh-std", ignore_errors=True)
    shutil.rmtree(work / "lucene-index", ignore_errors=True)
    return out


def _col(runs: list[list[float]], i: int) -> list[float]:
    return [r[i] for r in runs]


def print_scale(scale: int, fig: dict) -> None:
    r, a, s, b = fig["reindex"], fig["api"], fig["serve"], fig["baselines"]
    print(f"\n== {scale}x corpus: {r['articles']:,} articles ==")
    print(f"{'figure':<44} {'this engine':>24} {'whoosh StandardAnalyzer':>26} {'tantivy':>22} {'lucene':>22}")
    rows = []
    ws, tv = b.get("whoosh_standard"), b.get("tantivy")
    lu = b.get("lucene") if "build_s" in b.get("lucene", {}) else None
    rows.append(("full reindex, s", spread(r["full_s"]), spread(ws["build_s"]) if ws else "-",
                 spread(tv["build_s"]), spread(lu["build_s"]) if lu else "-"))
    rows.append(("  articles/s", f"{r['articles_per_s']:.0f}",
                 f"{r['articles'] / statistics.median(ws['build_s']):.0f}" if ws else "-",
                 f"{r['articles'] / statistics.median(tv['build_s']):.0f}",
                 f"{r['articles'] / statistics.median(lu['build_s']):.0f}" if lu else "-"))
    rows.append(("  peak RSS MB (largest process) / index MB", f"{r['peak_rss_mb']:.0f} / {r['index_mb']:.0f}",
                 f"- / {ws['index_mb']:.0f}" if ws else "-", f"- / {tv['index_mb']:.0f}",
                 f"- / {lu['index_mb']:.0f}" if lu else "-"))
    rows.append(("incremental, nothing changed, s", spread(r["unchanged_s"], digits=2), "-", "-", "-"))
    rows.append(("incremental, 1% changed, s", spread(r["changed_1pct_s"]), "-", "-", "-"))
    for i, p in enumerate(("p50", "p95", "p99")):
        rows.append((f"search with 3 facets, {p} ms", spread(_col(a["api_ms"], i)),
                     spread(_col(ws["facets_ms"], i)) if ws else "-", "-", "-"))
    for i, p in enumerate(("p50", "p95", "p99")):
        rows.append((f"raw top-10 search, {p} ms", spread(_col(a["raw_top10_ms"], i), digits=2),
                     spread(_col(ws["top10_ms"], i), digits=2) if ws else "-",
                     spread(_col(tv["top10_ms"], i), digits=2),
                     spread(_col(lu["top10_ms"], i), digits=2) if lu else "-"))
    for c, vals in s["rps"].items():
        rows.append((f"serve, {c} clients, req/s (errors)", f"{spread(vals, digits=0)} ({s['errors'][c]})",
                     "-", "-", "-"))
    rows.append(("cold start to first answer, s", spread(s["cold_start_s"], digits=2), "-", "-", "-"))
    for row in rows:
        print(f"{row[0]:<44} {row[1]:>24} {row[2]:>26} {row[3]:>22} {row[4]:>22}")
    if not lu and "lucene" in b:
        print(f"lucene: skipped ({b['lucene']['skipped']})")
    if ws:
        ratio_build = statistics.median(r["full_s"]) / statistics.median(ws["build_s"])
        ratio_facets = statistics.median(_col(ws["facets_ms"], 0)) / statistics.median(_col(a["api_ms"], 0))
        print(f"ratios: reindex / stock Whoosh build {ratio_build:.2f}; stock Whoosh groupedby p50 / our faceted "
              f"p50 {ratio_facets:.1f}x")
    if lu:
        print(f"ratios: reindex / Lucene build {statistics.median(r['full_s']) / statistics.median(lu['build_s']):.1f} "
              f"(target <= 4); our raw top-10 p50 / Lucene p50 "
              f"{statistics.median(_col(a['raw_top10_ms'], 0)) / statistics.median(_col(lu['top10_ms'], 0)):.1f}")
    print(f"ratios: reindex / tantivy build {statistics.median(r['full_s']) / statistics.median(tv['build_s']):.1f}; "
          f"our raw top-10 p50 / tantivy p50 "
          f"{statistics.median(_col(a['raw_top10_ms'], 0)) / statistics.median(_col(tv['top10_ms'], 0)):.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO / "seeds")
    ap.add_argument("--scales", default="1,2,4")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scale-repeats", type=int, default=1, help="repeats of the builds at 2x and 4x")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--clients", default="1,4,16")
    ap.add_argument("--load-seconds", type=float, default=5.0)
    ap.add_argument("--stage-sample", type=int, default=4000,
                    help="articles per stage measured alone (the tagger's per-word caches warm up over thousands)")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--smoke", action="store_true", help="300 articles, scale 1, 1 run, short load")
    ap.add_argument("--json", type=Path, help="write all figures here")
    args = ap.parse_args()
    if args.smoke:
        args.limit, args.scales, args.repeats, args.queries = args.limit or 300, "1", 1, 30
        args.load_seconds, args.stage_sample, args.clients = 1.5, 100, "1,4"
    t_start = time.perf_counter()
    articles = list(read_corpus([args.corpus], ReadReport()))
    if args.limit:
        articles = articles[: args.limit]
    clients = [int(c) for c in args.clients.split(",")]
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} "
          f"GB; python {sys.version.split()[0]}; {len(articles):,} articles from {args.corpus}")
    results: dict = {"articles": len(articles), "scales": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for scale in (int(s) for s in args.scales.split(",")):
            repeats = args.repeats if scale == 1 else args.scale_repeats
            index = work / f"index-x{scale}"
            fig: dict = {"reindex": reindex_figures(articles, scale, work, index, repeats)}
            if scale == 1:
                fig["stages"] = stage_figures(articles, Path(fig["reindex"]["corpus"]), args.stage_sample)
            fig["api"], queries = api_figures(index, args.repeats, args.queries)
            fig["serve"] = serve_figures(index, args.repeats, clients if scale == 1 else [4], args.load_seconds)
            scaled = [a for k in range(scale) for a in articles] if scale > 1 else articles
            fig["baselines"] = baseline_figures(scaled, index, queries, work, repeats, with_whoosh=scale == 1)
            results["scales"][scale] = fig
            print_scale(scale, fig)
            if "stages" in fig:
                st = fig["stages"]
                print("stages alone, one process, CPU s for the whole corpus (from a sample of "
                      f"{st['sample']}): reading {st['reading']:.1f}, analysis {st['analysis']:.1f}, "
                      f"person extraction {st['persons']:.1f}, index writing {st['writing']:.1f}")
            shutil.rmtree(index, ignore_errors=True)
            for f in work.glob("corpus-*.jsonl"):
                f.unlink()
    results["suite_s"] = time.perf_counter() - t_start
    print(f"\nsuite: {results['suite_s'] / 60:.1f} min")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
