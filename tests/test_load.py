"""Load while a full reindex runs and swaps the index: zero failed requests, and no response
from a half-built or mixed index (the small in-CI version of benchmarks/load_test.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmarks.loadgen import finish_load, start_load
from indexer import IndexLayout, reindex
from tests.conftest import REPO, make_articles
from tests.test_e2e import free_port, wait_http


def test_searches_during_a_full_reindex_never_fail(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.json").write_text(json.dumps(make_articles(400, seed=5), ensure_ascii=False))
    root = tmp_path / "ix"
    reindex(root, [src], full=True, procs=1)
    (src / "b.json").write_text(json.dumps([{**a, "id": "b" + a["id"]} for a in make_articles(1500, seed=6)],
                                           ensure_ascii=False))
    first = IndexLayout(root).live()
    port = free_port()
    env = {**os.environ, "ARNEWS_INDEX": str(root)}
    server = subprocess.Popen([sys.executable, "-m", "arnews.cli", "serve", "--no-build", "--port", str(port)],
                              env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        load = start_load("127.0.0.1", port, requests=1200, concurrency=4, max_seconds=120)
        time.sleep(0.5)
        subprocess.run([sys.executable, "-m", "arnews.cli", "reindex", "--full", "--quiet", "--procs", "1", str(src)],
                       env=env, cwd=REPO, check=True, capture_output=True, timeout=300)
        result = finish_load(load)
        health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read())
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert result.sent >= 1000
    assert result.failed == 0 and result.inconsistent == 0, result.errors
    assert IndexLayout(root).live() != first and health["articles"] == 1900
