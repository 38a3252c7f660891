"""Index the full bundled corpus and print wall time, articles/s, peak memory and index size,
with the cost of each stage measured on its own (one process) so the slowest is visible.

    python benchmarks/index_corpus.py [--corpus seeds] [--procs 2] [--skip-stages]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analyzers import exact_analyzer  # noqa: E402
from indexer.layout import dir_size  # noqa: E402
from indexer.preanalyzed import preanalyze  # noqa: E402
from indexer.readers import read_corpus  # noqa: E402
from indexer.report import ReadReport  # noqa: E402
from persons import extract_persons  # noqa: E402


def stages(corpus: Path) -> None:
    t0 = time.perf_counter()
    arts = list(read_corpus([corpus], ReadReport()))
    t_read = time.perf_counter() - t0
    an = exact_analyzer()
    t0 = time.perf_counter()
    tokens = sum(1 for a in arts for _ in an(a.title + "\n" + a.body))
    t_tok = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a in arts:
        preanalyze(a.title, a.body)
    t_an = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a in arts:
        extract_persons(a.title, a.body)
    t_pe = time.perf_counter() - t0
    print(f"stages, one process, {len(arts):,} articles:")
    print(f"  reading + parsing        {t_read:7.1f} s")
    print(f"  analyzer alone           {t_tok:7.1f} s  ({tokens / t_tok / 1e6:.2f} M tokens/s, {tokens:,} tokens)")
    print(f"  analysis for the index   {t_an:7.1f} s  (exact + stem postings of title and body)")
    print(f"  person extraction        {t_pe:7.1f} s")


def full_reindex(corpus: Path, procs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ix = Path(tmp) / "ix"
        cmd = [sys.executable, "-m", "arnews.cli", "--index", str(ix), "reindex", "--full", "--quiet",
               "--procs", str(procs), str(corpus)]
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=True)
        wall = time.perf_counter() - t0
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        line = out.stdout.splitlines()[0]
        n = int(line.split(": ")[1].split(" ")[0])
        live = Path(os.path.realpath(ix / "current"))
        print(f"full reindex, procs={procs}: {wall:.1f} s wall, {n / wall:.0f} articles/s, "
              f"peak RSS {peak_kb / 1024:.0f} MB (largest process), index {dir_size(live) / 1e6:.0f} MB "
              f"(whoosh {dir_size(live / 'whoosh') / 1e6:.0f} MB, docs.sqlite "
              f"{(live / 'docs.sqlite').stat().st_size / 1e6:.0f} MB)")
        t0 = time.perf_counter()
        again = [sys.executable, "-m", "arnews.cli", "--index", str(ix), "reindex", "--quiet", str(corpus)]
        out = subprocess.run(again, capture_output=True, text=True, cwd=REPO, check=True)
        assert out.stdout.startswith("unchanged"), out.stdout
        print(f"incremental reindex, nothing changed: {time.perf_counter() - t0:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=REPO / "seeds")
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--skip-stages", action="store_true")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if not args.skip_stages:
        stages(args.corpus)
    full_reindex(args.corpus, args.procs)


if __name__ == "__main__":
    main()
