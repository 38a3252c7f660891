"""Load test: faceted /api/search from a second process on 127.0.0.1, without and then during a
full reindex that swaps the index. Prints requests/s and p50/p95/p99, failures (target: zero).

    python benchmarks/load_test.py [--index var/index] [--requests 10000] [--concurrency 4]

The index is hard-link copied to a temporary directory first, so ./var/index is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.loadgen import finish_load, start_load  # noqa: E402
from tests.test_e2e import free_port, wait_http  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", type=Path, default=REPO / "var" / "index")
    ap.add_argument("--corpus", type=Path, default=REPO / "seeds")
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--threads", type=int, default=8, help="waitress threads")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "index"
        subprocess.run(["cp", "-al", str(args.index), str(root)], check=True)
        (root / "reindex.lock").unlink(missing_ok=True)
        port = free_port()
        env = {**os.environ, "ARNEWS_INDEX": str(root)}
        t0 = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "arnews.cli", "serve", "--no-build", "--port", str(port),
                                   "--threads", str(args.threads)], env=env, cwd=REPO,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(f"http://127.0.0.1:{port}/api/search?q=x")
            print(f"cold start (serve to first answered query): {time.perf_counter() - t0:.2f} s")
            before = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read())
            quiet = finish_load(start_load("127.0.0.1", port, args.requests, args.concurrency))
            print(f"without reindex   ({args.concurrency} clients): {quiet.summary()}")
            load = start_load("127.0.0.1", port, args.requests, args.concurrency, max_seconds=3600)
            t = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "arnews.cli", "reindex", "--full", "--quiet", str(args.corpus)],
                               env=env, cwd=REPO, capture_output=True, text=True)
            reindex_s = time.perf_counter() - t
            busy = finish_load(load, timeout=7200)
            after = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read())
            print(f"during full reindex ({args.concurrency} clients): {busy.summary()}")
            print(f"reindex: exit {r.returncode}, {reindex_s:.1f} s; generation {before['generation']} -> "
                  f"{after['generation']} (swapped: {before['generation'] != after['generation']})")
            for e in (quiet.errors + busy.errors)[:10]:
                print("  error:", e)
        finally:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
