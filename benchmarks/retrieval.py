"""Every retrieval figure in one run: this engine against its previous ranking and the stock engines.

    python benchmarks/retrieval.py [--sets arcd,claims] [--systems arnews,previous,tantivy,lucene]
                                   [--rounds 1000] [--json results.json]

Sets (from ../shared/dev): `arcd` (ARCD train: 693 Wikipedia questions, tuned on), `claims`
(news claims: 100 fact-check claims over 2,871 news articles), split by a fixed hash of the
claim id into `claims-tune` (the half ranking weights may be tuned on) and `claims-held` (never
tuned on: the figure that says what to expect on unseen claims).

Systems, all on the same articles and queries in the same run:
- `arnews`: this working tree, through the product's own path (`reindex`, then `run_search` with
  match=any and 100 results, as `/api/search` does);
- `previous`: the same, with the code of PREVIOUS_REV (the ranking before the ranking issue), run
  from a temporary git worktree in a subprocess;
- `tantivy`: tantivy's Snowball Arabic stemmer over one title+body field, OR of the words, BM25;
- `lucene`: Lucene 8.8.2's ArabicAnalyzer with BM25 over one title+body field (what Elasticsearch
  or OpenSearch give out of the box); needs a JDK, its jars come from Maven Central.

Measures: nDCG@10, nDCG@10 over judged documents only, MRR@10, Recall@100; each system's mean
with a bootstrap 95% interval, and paired bootstrap intervals of arnews minus each other system.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("ARNEWS_CODE", REPO))  # whose product code to run (see `previous`)
sys.path.insert(0, str(CODE))

if CODE == REPO:
    from benchmarks.ir_metrics import MEASURES, bootstrap_ci, per_query

DEV = REPO.parent / "shared" / "dev"
SETS = {"arcd": DEV / "retrieval-arcd-train", "claims": DEV / "retrieval-unifiedfc-dev"}
PREVIOUS_REV = "1f93e1f"  # main before the ranking issue (#17)
LUCENE_VERSION = "8.8.2"
LUCENE_ARTIFACTS = ("lucene-core", "lucene-analyzers-common", "lucene-queryparser")
OUT = REPO / "benchmarks" / "out"
DEPTH = 100
Runs = dict[str, list[str]]


def load_set(path: Path) -> tuple[list[tuple[str, str]], dict[str, dict[str, int]]]:
    queries = []
    for line in (path / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, text = line.split("\t", 1)
            queries.append((qid, text))
    qrels: dict[str, dict[str, int]] = {}
    for line in (path / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, doc, rel = line.split("\t")[:3]
            qrels.setdefault(qid, {})[doc] = int(rel)
    return queries, qrels


def is_held(qid: str) -> bool:
    """The half of the claims never tuned on (a fixed hash, so it never changes between runs)."""
    return int(hashlib.md5(qid.encode()).hexdigest(), 16) % 2 == 1


def top_ids(handle, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The product's top 100 for a query, as /api/search?match=any&per_page=100 returns them."""
    from searchcore import SearchParams, run_search

    args = {"q": text, "match": "any", "per_page": str(DEPTH)}
    return [h["id"] for h in run_search(handle, SearchParams.from_args(args.get, lambda k: []))["hits"]]


def arnews_runs(corpus: Path, queries: list[tuple[str, str]], work: Path) -> Runs:
    """Top-100 ids per query from the code on sys.path[0] (this tree, or PREVIOUS_REV's)."""
    from indexer import reindex
    from searchcore import IndexHandle

    root = work / "index"
    reindex(root, [corpus], full=True, procs=1)
    handle = IndexHandle(root)
    runs: Runs = {}
    for qid, text in queries:
        try:
            runs[qid] = top_ids(handle, text)
        except Exception as e:  # the previous ranking refused long claims: that counts as no result
            print(f"  {qid}: {type(e).__name__}: {str(e)[:80]}", file=sys.stderr)
            runs[qid] = []
    return runs


def previous_runs(set_name: str, work: Path) -> Runs:
    tree = work / "previous-tree"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-f", str(tree), PREVIOUS_REV],
                   check=True, capture_output=True)
    try:
        out = work / "previous-runs.json"
        env = {**os.environ, "ARNEWS_CODE": str(tree)}
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--runs-only", set_name, "--out", str(out)],
                       check=True, env=env)
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], capture_output=True)


def _articles(corpus: Path) -> list[tuple[str, str, str]]:
    out = []
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            out.append((rec["id"], rec.get("title") or "", rec.get("text") or rec.get("body") or ""))
    return out


def tantivy_runs(corpus: Path, queries: list[tuple[str, str]], work: Path) -> Runs:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("text", stored=False, tokenizer_name="ar_stem")
    path = work / "tantivy"
    path.mkdir()
    index = tantivy.Index(sb.build(), path=str(path))
    index.register_tokenizer("ar_stem", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                             .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("arabic")).build())
    writer = index.writer(heap_size=128_000_000, num_threads=1)
    for doc_id, title, body in _articles(corpus):
        writer.add_document(tantivy.Document(id=doc_id, text=f"{title}\n{body}"))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    runs: Runs = {}
    for qid, text in queries:
        words = " ".join(re.findall(r"[^\W_]+", text))
        query, _errors = index.parse_query_lenient(words, ["text"])
        runs[qid] = [searcher.doc(addr)["id"][0] for _score, addr in searcher.search(query, DEPTH).hits]
    return runs


def lucene_jars() -> list[Path] | str:
    """Lucene 8.8's jars (fetched once from Maven Central into benchmarks/out/jars), or why not."""
    if not (shutil.which("java") and shutil.which("javac")):
        return "no JDK (java, javac)"
    jars_dir = OUT / "jars"
    jars = [jars_dir / f"{a}-{LUCENE_VERSION}.jar" for a in LUCENE_ARTIFACTS]
    for artifact, jar in zip(LUCENE_ARTIFACTS, jars):
        if jar.exists():
            continue
        if not shutil.which("mvn"):
            return "no Maven to fetch Lucene's jars"
        got = subprocess.run(["mvn", "-q", "-B", "dependency:copy",
                              f"-Dartifact=org.apache.lucene:{artifact}:{LUCENE_VERSION}",
                              f"-DoutputDirectory={jars_dir}"], capture_output=True, text=True)
        if got.returncode != 0 or not jar.exists():
            return f"could not fetch {artifact} {LUCENE_VERSION} from Maven Central"
    return jars


def lucene_runs(corpus: Path, queries: list[tuple[str, str]], work: Path) -> Runs:
    jars = lucene_jars()
    if isinstance(jars, str):
        raise RuntimeError(jars)
    classpath = ":".join(str(j) for j in jars)
    classes = work / "lucene-classes"
    subprocess.run(["javac", "-nowarn", "-d", str(classes), "-cp", classpath,
                    str(REPO / "benchmarks" / "lucene" / "LuceneRetrieval.java")], check=True, capture_output=True)
    articles, qfile, out = work / "lucene-articles.tsv", work / "lucene-queries.tsv", work / "lucene-runs.tsv"
    with articles.open("w", encoding="utf-8") as f:
        for row in _articles(corpus):
            f.write("\t".join(" ".join(x.split()) for x in row) + "\n")
    qfile.write_text("".join(f"{qid}\t{' '.join(t.split())}\n" for qid, t in queries), encoding="utf-8")
    subprocess.run(["java", "-Xmx2g", "-cp", f"{classes}:{classpath}", "arnews.LuceneRetrieval", str(articles),
                    str(qfile), str(out), str(DEPTH)], check=True, capture_output=True)
    runs: Runs = {qid: [] for qid, _ in queries}
    for line in out.read_text(encoding="utf-8").splitlines():
        qid, doc, _rank = line.split("\t")
        runs[qid].append(doc)
    return runs


SYSTEMS = {"arnews": arnews_runs, "tantivy": tantivy_runs, "lucene": lucene_runs}


def splits(set_name: str, queries: list[tuple[str, str]]) -> dict[str, list[str]]:
    qids = [q for q, _ in queries]
    if set_name == "claims":
        return {"claims-tune": [q for q in qids if not is_held(q)], "claims-held": [q for q in qids if is_held(q)],
                "claims-all": qids}
    return {set_name: qids}


def score_table(runs_by_system: dict[str, Runs], qrels: dict[str, dict[str, int]], qids: list[str],
                rounds: int) -> dict:
    per: dict[str, dict[str, list[float]]] = {}
    for system, runs in runs_by_system.items():
        rows = [per_query(runs.get(q, []), qrels.get(q, {})) for q in qids]
        per[system] = {m: [r[m] for r in rows] for m in MEASURES}
    table: dict = {"queries": len(qids), "systems": {}, "arnews_minus": {}}
    for system, vals in per.items():
        table["systems"][system] = {m: bootstrap_ci(vals[m], rounds=rounds) for m in MEASURES}
    if "arnews" in per:
        for system, vals in per.items():
            if system != "arnews":
                table["arnews_minus"][system] = {m: bootstrap_ci(per["arnews"][m], vals[m], rounds=rounds)
                                                 for m in MEASURES}
    return table


def print_table(name: str, table: dict) -> None:
    print(f"\n{name} ({table['queries']} queries)")
    print(f"  {'system':<10}" + "".join(f"{m:>24}" for m in MEASURES))
    for system, row in table["systems"].items():
        print(f"  {system:<10}" + "".join(f"{v[0]:8.3f} [{v[1]:.3f}-{v[2]:.3f}]" for v in row.values()))
    for system, row in table["arnews_minus"].items():
        print(f"  -{system:<9}" + "".join(f"{v[0]:+8.3f} [{v[1]:+.3f} {v[2]:+.3f}]" for v in row.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="arcd,claims")
    ap.add_argument("--systems", default="arnews,previous,tantivy,lucene")
    ap.add_argument("--rounds", type=int, default=1000, help="bootstrap resamples")
    ap.add_argument("--json", type=Path, help="write every figure here")
    ap.add_argument("--runs", type=Path, help="write every system's top-100 per query here")
    ap.add_argument("--runs-only", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.runs_only:  # the subprocess of `previous`: this code's runs for one set, as JSON
        queries, _ = load_set(SETS[args.runs_only])
        with tempfile.TemporaryDirectory() as tmp:
            args.out.write_text(json.dumps(arnews_runs(SETS[args.runs_only] / "corpus.jsonl", queries, Path(tmp))))
        return
    results: dict = {"previous_rev": PREVIOUS_REV, "lucene": LUCENE_VERSION, "tables": {}, "seconds": {}}
    all_runs: dict[str, dict[str, Runs]] = {}
    for set_name in args.sets.split(","):
        queries, qrels = load_set(SETS[set_name])
        corpus = SETS[set_name] / "corpus.jsonl"
        runs_by_system: dict[str, Runs] = {}
        for system in args.systems.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                try:
                    if system == "previous":
                        runs_by_system[system] = previous_runs(set_name, Path(tmp))
                    else:
                        runs_by_system[system] = SYSTEMS[system](corpus, queries, Path(tmp))
                except Exception as e:  # a baseline that cannot run here is reported, not fatal
                    print(f"{set_name}/{system}: skipped ({type(e).__name__}: {e})", file=sys.stderr)
                    continue
                results["seconds"][f"{set_name}/{system}"] = round(time.perf_counter() - t0, 1)
        for split, qids in splits(set_name, queries).items():
            table = score_table(runs_by_system, qrels, qids, args.rounds)
            results["tables"][split] = table
            print_table(split, table)
        all_runs[set_name] = runs_by_system
    print("\nseconds per set/system (index + queries):", results["seconds"])
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.runs:
        args.runs.write_text(json.dumps(all_runs, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
