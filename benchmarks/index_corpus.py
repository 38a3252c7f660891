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

from benchmarks.suite import stage_figures  # noqa: E402
from indexer.layout import dir_size  # noqa: E402
from indexer.readers import read_corpus  # noqa: E402
from indexer.report import ReadReport  # noqa: E402


def stages(corpus: Path) -> None:
    """The suite's stage split (benchmarks/suite.py), on every article instead of a sample."""
    articles = list(read_corpus([corpus], ReadReport()))
    st = stage_figures(articles, corpus, 0)
    print(f"stages, one process, {len(articles):,} articles: reading {st['reading']:.1f} s, analysis "
          f"{st['analysis']:.1f} s, person extraction {st['persons']:.1f} s, index writing {st['writing']:.1f} s")


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
