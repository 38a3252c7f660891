"""The OpenSearch backend (backends/opensearch) against a real 3-node cluster (2 shards, 1
replica) from scripts/opensearch_cluster.py: reindex into a new generation and an atomic alias
swap, a failed or killed reindex leaving the alias as it was, our analysis stored as is, stats,
and clear errors. Skipped, with the reason, where Java 17 or Maven is missing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import opensearch_cluster as cluster  # noqa: E402

from analyzers import stem  # noqa: E402
from analyzers.terms import exact_terms  # noqa: E402
from indexer import ReindexFailed  # noqa: E402
from tests.conftest import make_articles  # noqa: E402

pytestmark = [pytest.mark.opensearch,
              pytest.mark.skipif(cluster.missing_tools() is not None, reason=str(cluster.missing_tools()))]

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cluster_url(opensearch_url: str) -> str:
    return opensearch_url


def _settings(url: str, alias: str):  # type: ignore[no-untyped-def]
    from backends.opensearch import OpenSearchSettings

    return OpenSearchSettings(url, alias=alias)


def _corpus(path: Path, n: int, seed: int) -> Path:
    path.write_text(json.dumps(make_articles(n, seed=seed), ensure_ascii=False), encoding="utf-8")
    return path


def test_reindex_swaps_the_alias_and_a_failure_keeps_it(cluster_url: str, tmp_path: Path) -> None:
    from backends.opensearch.client import connect
    from backends.opensearch.indexing import generations, live_generation, reindex_opensearch, stats_opensearch

    settings = _settings(cluster_url, "swap-test")
    client = connect(settings)
    first = reindex_opensearch(settings, [_corpus(tmp_path / "a.json", 40, 1)], procs=1)
    assert live_generation(client, settings) == first.generation and client.count(index="swap-test")["count"] == 40
    second = reindex_opensearch(settings, [_corpus(tmp_path / "b.json", 25, 2)], procs=1)
    assert live_generation(client, settings) == second.generation != first.generation
    assert generations(client, settings) == [second.generation]  # the old generation is gone
    assert client.count(index="swap-test")["count"] == second.articles == 25
    # a run that fails (a bad record under --strict) leaves the alias and deletes its own index
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([*make_articles(5, seed=3), {"title": "", "body": ""}], ensure_ascii=False),
                   encoding="utf-8")
    with pytest.raises(ReindexFailed):
        reindex_opensearch(settings, [bad], strict=True, procs=1)
    assert live_generation(client, settings) == second.generation
    assert generations(client, settings) == [second.generation]
    client.cluster.health(wait_for_status="green")  # new replicas (sidecar, lock) allocated
    stats = stats_opensearch(settings)
    assert stats["articles"] == 25 and stats["generation"] == second.generation and stats["health"] == "green"


def test_a_killed_reindex_leaves_the_alias_serving(cluster_url: str, tmp_path: Path) -> None:
    from backends.opensearch.client import connect
    from backends.opensearch.indexing import generations, live_generation, reindex_opensearch

    settings = _settings(cluster_url, "kill-test")
    client = connect(settings)
    live = reindex_opensearch(settings, [_corpus(tmp_path / "a.json", 30, 4)], procs=1).generation
    big = _corpus(tmp_path / "big.json", 3000, 5)
    env = {**os.environ, "ARNEWS_OPENSEARCH_URL": cluster_url}
    proc = subprocess.Popen([sys.executable, "-m", "arnews.cli", "--backend", "opensearch", "--opensearch-alias",
                             "kill-test", "reindex", str(big), "--procs", "1", "--quiet"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and len(generations(client, settings)) < 2:  # its new index exists
        time.sleep(0.2)
    time.sleep(1.0)  # well into the bulk load
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert live_generation(client, settings) == live and client.count(index="kill-test")["count"] == 30
    assert len(generations(client, settings)) == 2  # the orphan, never served …
    again = reindex_opensearch(settings, [_corpus(tmp_path / "c.json", 10, 6)], procs=1)
    assert generations(client, settings) == [again.generation]  # … is removed by the next run


def test_documents_hold_our_analysis(cluster_url: str, tmp_path: Path) -> None:
    """What the cluster indexes is our analyzer's output: terms, stems and phrases as
    `arnews analyze` shows them (the cluster only splits on spaces)."""
    from backends.opensearch.client import connect
    from backends.opensearch.indexing import reindex_opensearch

    settings = _settings(cluster_url, "analysis-test")
    arts = [{"id": "a1", "title": "وَالرَّئِيسُ في الرياض", "body": "قال عبدالله بن مساعد إن المسؤولين اجتمعوا",
             "outlet": "okaz", "date": "2015-07-01"},
            {"id": "a2", "title": "خبر آخر", "body": "اجتمع مسئولو الشركة في جدة", "outlet": "sabq",
             "date": "2015-07-02"}]
    (tmp_path / "c.json").write_text(json.dumps(arts, ensure_ascii=False), encoding="utf-8")
    reindex_opensearch(settings, [tmp_path / "c.json"], procs=1)
    client = connect(settings)
    src = client.get(index="analysis-test", id="a1")["_source"]
    assert src["title_exact"].split() == exact_terms(arts[0]["title"])
    assert src["body_stem"].split() == [stem(t) for t in exact_terms(arts[0]["body"])]

    def ids(query: dict) -> set[str]:
        return {h["_id"] for h in client.search(index="analysis-test", body={"query": query})["hits"]["hits"]}

    assert ids({"term": {"title_stem": stem(exact_terms("الرئيس")[0])}}) == {"a1"}
    assert ids({"match_phrase": {"body_exact": " ".join(exact_terms("عبد الله"))}}) == {"a1"}  # عبدالله meets it
    assert ids({"term": {"body_exact": exact_terms("مسؤولو")[0]}}) == {"a2"}  # مسئولو = مسؤولو


def test_cli_reindex_and_stats_through_the_cluster(cluster_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "ARNEWS_BACKEND": "opensearch", "ARNEWS_OPENSEARCH_URL": cluster_url}
    corpus = _corpus(tmp_path / "a.json", 20, 7)
    run = subprocess.run([sys.executable, "-m", "arnews.cli", "--opensearch-alias", "cli-test", "reindex", str(corpus)],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "alias cli-test -> cli-test-" in run.stdout
    stats = subprocess.run([sys.executable, "-m", "arnews.cli", "--opensearch-alias", "cli-test", "stats"], cwd=REPO,
                           env=env, capture_output=True, text=True, timeout=120)
    assert stats.returncode == 0 and json.loads(stats.stdout)["articles"] == 20


def test_credentials_and_tls_flag_reach_the_client(cluster_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """User, password and the TLS verify flag are passed to the client (the test cluster has no
    security plugin, so it accepts the Authorization header it is sent)."""
    from backends.opensearch import OpenSearchSettings
    from backends.opensearch.client import connect

    monkeypatch.setenv("ARNEWS_OPENSEARCH_USER", "reader")
    monkeypatch.setenv("ARNEWS_OPENSEARCH_PASSWORD", "s3cret")
    monkeypatch.setenv("ARNEWS_OPENSEARCH_VERIFY", "0")
    settings = OpenSearchSettings.from_env(cluster_url)
    assert (settings.user, settings.password, settings.verify_certs) == ("reader", "s3cret", False)
    client = connect(settings)
    conn = client.transport.get_connection()
    assert conn.headers["authorization"] == "Basic cmVhZGVyOnMzY3JldA=="


def test_incremental_reindex_equals_a_full_build(cluster_url: str, tmp_path: Path) -> None:
    """Only new and changed articles are extracted again; the rest is copied with its person keys
    recomputed; the result answers like a full build of the same input, in a new generation."""
    from backends.opensearch.engine import OpenSearchHandle
    from backends.opensearch.indexing import reindex_opensearch
    from searchcore import SearchParams, run_search

    arts = make_articles(30, seed=4)
    corpus = tmp_path / "c.json"
    corpus.write_text(json.dumps(arts, ensure_ascii=False), encoding="utf-8")
    incr = _settings(cluster_url, "incr-test")
    first = reindex_opensearch(incr, [corpus], procs=1)
    same = reindex_opensearch(incr, [corpus], full=False, procs=1)
    assert same.mode == "unchanged" and same.generation == first.generation
    arts[3]["body"] += " وأعلن الأمير تركي الفيصل موقفه"
    arts[5]["persons"] = ["عادل بن أحمد الجبير"]  # a longer form of a name other articles carry
    extra = make_articles(34, seed=9)[30:]
    for a in extra:
        a["id"] = "new-" + a["id"]
    corpus.write_text(json.dumps([*arts[1:], *extra], ensure_ascii=False), encoding="utf-8")  # arts[0] gone
    kept = reindex_opensearch(incr, [corpus], full=False, procs=1)
    assert (kept.mode, kept.added, kept.updated, kept.articles) == ("incremental", 4, 2, 34)
    pruned = reindex_opensearch(incr, [corpus], full=False, prune=True, procs=1)
    assert (pruned.mode, pruned.pruned, pruned.articles) == ("incremental", 1, 33)
    assert pruned.generation != kept.generation != first.generation
    fresh = _settings(cluster_url, "incr-full")
    reindex_opensearch(fresh, [corpus], procs=1)
    for q in ("", "الأمير", "الرئيس", "خبر"):
        params = SearchParams.from_args({"q": q, "facet_size": "50"}.get, lambda k: [])
        a, b = run_search(OpenSearchHandle(incr), params), run_search(OpenSearchHandle(fresh), params)
        assert (a["total"], a["facets"], [h["id"] for h in a["hits"]]) == \
               (b["total"], b["facets"], [h["id"] for h in b["hits"]]), q


def test_one_reindex_at_a_time_per_alias(cluster_url: str, tmp_path: Path) -> None:
    from backends.opensearch.client import connect
    from backends.opensearch.indexing import reindex_opensearch
    from backends.opensearch.lock import ClusterReindexLock
    from indexer import ReindexBusy

    settings = _settings(cluster_url, "lock-test")
    corpus = _corpus(tmp_path / "a.json", 5, 1)
    client = connect(settings)
    with ClusterReindexLock(client, settings), pytest.raises(ReindexBusy, match="another reindex of alias lock-test"):
        reindex_opensearch(settings, [corpus], procs=1)
    # a lock left by a process that is gone (killed run) is taken over
    client.index(index="lock-test_reindex_lock", id="lock", refresh=True,
                 body={"host": __import__("socket").gethostname(), "pid": 2**22 + 17, "since": time.time()})
    assert reindex_opensearch(settings, [corpus], procs=1).articles == 5
    assert client.get(index="lock-test_reindex_lock", id="lock", ignore=404)["found"] is False


def test_outlet_display_names_from_the_sources_reach_the_cluster(cluster_url: str, tmp_path: Path) -> None:
    """A fetched or sidecar outlet's display name (issue 21) is shown through OpenSearch too,
    after a full and after an incremental build."""
    from backends.opensearch.engine import OpenSearchHandle
    from backends.opensearch.indexing import reindex_opensearch
    from searchcore import SearchParams, run_search

    settings = _settings(cluster_url, "outlet-names")
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"id": "t1", "title": "خبر أول", "body": "نص الخبر الأول عن الرياض",
                                 "outlet": "testdaily", "outlet_name": "صحيفة الاختبار"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    reindex_opensearch(settings, [first], procs=1)
    second = tmp_path / "b.jsonl"
    second.write_text(json.dumps({"id": "t2", "title": "خبر ثان", "body": "نص الخبر الثاني عن جدة",
                                  "outlet": "otherdaily", "outlet_name": "يومية أخرى"}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    reindex_opensearch(settings, [first, second], full=False, procs=1)
    result = run_search(OpenSearchHandle(settings), SearchParams())
    assert {o["value"]: o["label"] for o in result["facets"]["outlet"]} == {
        "testdaily": "صحيفة الاختبار", "otherdaily": "يومية أخرى"}
