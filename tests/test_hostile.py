"""The fast hostile set (issue 22): a few hundred expensive or malformed /api/search requests
(benchmarks/hostile.py) against one day of the bundled corpus. Each is answered (200, or 400
for a value past a hard limit) with JSON, never a 5xx or a stack trace, within the time budget
plus 0.5 s. The soak benchmark (benchmarks/soak.py) runs the same set among 20,000 queries."""

from __future__ import annotations

import shutil
import time

import pytest

from benchmarks.hostile import hostile_requests
from indexer import reindex
from searchcore.limits import SEARCH_TIME_BUDGET_S
from tests.conftest import REPO


@pytest.fixture(scope="module")
def day_client(tmp_path_factory: pytest.TempPathFactory):
    from search_app import create_app

    corpus = tmp_path_factory.mktemp("day")
    shutil.copy(sorted((REPO / "seeds" / "saudinewsnet").glob("*.zip"))[0], corpus)
    root = tmp_path_factory.mktemp("day-index")
    reindex(root, [corpus], full=True, procs=2)
    return create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()


def test_hostile_requests_are_answered_within_the_budget(day_client) -> None:  # type: ignore[no-untyped-def]
    requests = hostile_requests()
    assert len(requests) >= 200
    day_client.get("/api/search", query_string={"q": "الرياض"})  # open the index first
    slow, bad = [], []
    for args in requests:
        t = time.perf_counter()
        r = day_client.get("/api/search", query_string=args)
        took = time.perf_counter() - t
        body = r.get_json(silent=True)
        answered = isinstance(body, dict) and ("hits" in body or "error" in body)
        if r.status_code not in (200, 400) or not answered:
            bad.append((args, r.status_code, r.data[:200]))
        if took > SEARCH_TIME_BUDGET_S + 0.5:
            slow.append((round(took, 2), {k: v[:60] for k, v in args.items()}))
    assert not bad, bad[:3]
    assert not slow, sorted(slow, key=lambda s: s[0], reverse=True)[:5]
