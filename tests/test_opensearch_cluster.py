"""The local OpenSearch test cluster (scripts/opensearch_cluster.py), for the OpenSearch backend:
three real nodes from Maven Central's jars, Arabic analysis, and a node killed under load
without a failed query or a lost article. Skipped, with the reason, where Java 17 or Maven is
missing."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import opensearch_cluster as cluster  # noqa: E402

pytestmark = [pytest.mark.opensearch,
              pytest.mark.skipif(cluster.missing_tools() is not None, reason=str(cluster.missing_tools()))]


def _free_base() -> int:
    """An HTTP base port with it, the next two, and the transport ports (+100) free."""
    for _ in range(50):
        base = random.randrange(20_000, 40_000)
        ports = [base + i for i in range(3)] + [base + 100 + i for i in range(3)]
        try:
            for p in ports:
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
    raise RuntimeError("no free ports")


def call(url: str, method: str = "GET", body: object = None, timeout: float = 10.0) -> dict:
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    ctype = "application/x-ndjson" if isinstance(body, bytes) else "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": ctype})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def three_nodes(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("opensearch")  # node homes; jars are cached in var/opensearch
    rec = cluster.start(root, nodes=3, http_port=_free_base())
    yield rec
    cluster.stop(root)
    assert all(not cluster._alive(n["pid"]) for n in rec["nodes"])


def test_three_nodes_green_with_arabic_analysis(three_nodes: dict) -> None:
    url = three_nodes["url"]
    assert cluster.health(url)["number_of_nodes"] == 3
    got = call(f"{url}/_analyze", "POST", {"analyzer": "arabic", "text": "والرئيس"})
    assert [t["token"] for t in got["tokens"]] == ["رئيس"]


def test_a_killed_node_loses_no_article_and_fails_no_query(three_nodes: dict, tmp_path: Path) -> None:
    """SIGKILL one of three nodes while a bounded loop of raw counts and full searches through
    the engine (given every node's URL) runs: no query fails once the cluster is yellow again,
    and every article is still found."""
    from backends.opensearch import OpenSearchSettings
    from backends.opensearch.engine import OpenSearchHandle
    from backends.opensearch.indexing import reindex_opensearch
    from searchcore import SearchParams, run_search
    from tests.conftest import make_articles

    url = three_nodes["url"]
    call(f"{url}/kill-test", "PUT", {"settings": {"number_of_shards": 2, "number_of_replicas": 1}})
    lines = []
    for i in range(200):
        lines += [json.dumps({"index": {"_index": "kill-test", "_id": str(i)}}),
                  json.dumps({"title": f"خبر رقم {i}", "body": "اجتمع الوزير في الرياض"})]
    assert not call(f"{url}/_bulk?refresh=true", "POST", ("\n".join(lines) + "\n").encode())["errors"]
    (tmp_path / "a.json").write_text(json.dumps(make_articles(120, seed=8), ensure_ascii=False), encoding="utf-8")
    settings = OpenSearchSettings(",".join(n["http"] for n in reversed(three_nodes["nodes"])), alias="kill-engine")
    reindex_opensearch(settings, [tmp_path / "a.json"], procs=1)
    cluster.wait_for(url, 3)
    handle = OpenSearchHandle(settings)
    params = SearchParams.from_args({"q": "الرئيس OR خبر", "facet_size": "50"}.get, lambda k: [])
    expected = run_search(handle, params)
    assert expected["total"] > 0
    victim = three_nodes["nodes"][2]  # the engine's first URL; never the node the raw counts use
    os.kill(victim["pid"], signal.SIGKILL)
    failures, counts, answers = 0, [], []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # bounded loop against this machine only
        try:
            counts.append(call(f"{url}/kill-test/_count", timeout=5)["count"])
        except OSError:
            failures += 1
        h = cluster.health(url)
        if h and h["number_of_nodes"] == 2 and h["status"] in ("yellow", "green"):
            break
        time.sleep(0.2)
    assert cluster.health(url)["number_of_nodes"] == 2
    for _ in range(20):
        counts.append(call(f"{url}/kill-test/_count", timeout=5)["count"])
        answers.append(run_search(handle, params))
    assert failures == 0 and counts and set(counts) == {200}
    assert all((a["total"], a["facets"]) == (expected["total"], expected["facets"]) for a in answers)
