"""Faults: SIGKILL during reindex, disk full, read-only index directory, corrupt or missing index.

After each fault the live index serves the same results, no stray lock blocks the next run,
and the next reindex completes and equals a clean build.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from indexer import IndexLayout, reindex
from search_app import create_app
from searchcore import IndexHandle, SearchParams, run_search
from tests.conftest import REPO, make_articles

QUERIES = ["الرئيس", "الهلال النصر", "النفط", "المدارس", '"الدوري"', "خبر"]


def top_hits(root: Path) -> dict[str, list[str]]:
    handle = IndexHandle(root)
    out = {}
    for q in QUERIES:
        args = {"q": q, "per_page": "10"}
        out[q] = [h["id"] for h in run_search(handle, SearchParams.from_args(args.get, lambda k: []))["hits"]]
    return out


def run_cli(args: list[str], env_extra: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "arnews.cli", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("fault-corpora")
    (d / "old").mkdir()
    (d / "new").mkdir()
    (d / "old" / "a.json").write_text(json.dumps(make_articles(300, seed=1), ensure_ascii=False))
    (d / "new" / "a.json").write_text(json.dumps(make_articles(700, seed=2), ensure_ascii=False))
    return d / "old", d / "new"


@pytest.fixture(scope="module")
def clean_new(tmp_path_factory: pytest.TempPathFactory, corpora) -> dict:
    root = tmp_path_factory.mktemp("clean")
    reindex(root, [corpora[1]], full=True, procs=1)
    return {"count": int(IndexHandle(root).snapshot().arrays.valid.sum()), "hits": top_hits(root)}


@pytest.mark.parametrize("point,full", [("read", True), ("commit", True), ("verify", True), ("swap", True),
                                        ("incremental-copy", False), ("commit-procs2", True)])
def test_sigkill_during_reindex(tmp_path: Path, corpora, clean_new, point: str, full: bool) -> None:
    old, new = corpora
    root = tmp_path / "ix"
    reindex(root, [old], full=True, procs=1)
    before = top_hits(root)
    live = IndexLayout(root).live()
    procs = "2" if point.endswith("procs2") else "1"
    args = ["--index", str(root), "reindex", "--quiet", "--procs", procs, *(["--full"] if full else []), str(new)]
    r = run_cli(args, {"ARNEWS_FAULT": point.replace("-procs2", "")})
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr[-500:])
    # The old index still serves, unchanged.
    assert IndexLayout(root).live() == live
    assert top_hits(root) == before
    # The lock file still names the killed process, but the kernel released its lock: the next
    # run takes it and completes.
    assert json.loads((root / "reindex.lock").read_text())["pid"] > 0
    r = run_cli(["--index", str(root), "reindex", "--quiet", "--full", "--procs", "1", str(new)])
    assert r.returncode == 0, r.stderr
    assert int(IndexHandle(root).snapshot().arrays.valid.sum()) == clean_new["count"]
    assert top_hits(root) == clean_new["hits"]
    assert (root / "reindex.lock").read_text() == ""  # no owner


def test_a_killed_extraction_process_ends_the_run_cleanly(tmp_path: Path, corpora) -> None:
    """Issue 22, item 8: a person-extraction process killed (kill -9, the OOM killer) ended the
    run in a deadlock that kept the lock; now the run stops with an error, the live index
    unchanged, and the next run goes ahead."""
    old, new = corpora
    root = tmp_path / "ix"
    reindex(root, [old], full=True, procs=1)
    before, live = top_hits(root), IndexLayout(root).live()
    r = run_cli(["--index", str(root), "reindex", "--quiet", "--full", "--procs", "2", str(new)],
                {"ARNEWS_FAULT": "extract"})
    assert r.returncode == 1 and "person-extraction process died" in r.stderr, r.stderr[-800:]
    assert "Traceback" not in r.stderr
    assert IndexLayout(root).live() == live and top_hits(root) == before
    r = run_cli(["--index", str(root), "reindex", "--quiet", "--full", "--procs", "2", str(new)])
    assert r.returncode == 0, r.stderr


@contextmanager
def tmpfs_index(tmp_path: Path, size: str, corpus: Path) -> Iterator[tuple[Path, Path]]:
    """An index built from `corpus` on a fresh tmpfs of `size` (skips where mounting is not
    allowed); yields (mount point, index root) and unmounts afterwards."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root?)")
    try:
        root = mnt / "ix"
        reindex(root, [corpus], full=True, procs=1)
        yield mnt, root
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_full_is_a_clear_error(tmp_path: Path, corpora) -> None:
    old, _ = corpora
    with tmpfs_index(tmp_path, "3m", old) as (_, root):
        before = top_hits(root)
        live = IndexLayout(root).live()
        big = tmp_path / "big"
        big.mkdir()
        (big / "a.json").write_text(json.dumps(make_articles(3000, seed=3), ensure_ascii=False))
        r = run_cli(["--index", str(root), "reindex", "--full", "--procs", "1", str(big)])
        assert r.returncode == 1, r.stdout + r.stderr
        assert "No space left on device" in r.stderr and "live index was not changed" in r.stderr
        assert "Traceback" not in r.stderr
        assert IndexLayout(root).live() == live and top_hits(root) == before
        assert not any(d.name.startswith("building-") for d in (root / "gens").iterdir())


def test_a_full_disk_under_the_document_store_is_a_clear_error(tmp_path: Path, corpora) -> None:
    """Issue 22, item 9: SQLite's "database or disk is full" is not an OSError, and printed a
    traceback; an incremental run fills the disk while copying the document store."""
    old, _ = corpora
    big = tmp_path / "big"
    big.mkdir()
    (big / "a.json").write_text(json.dumps(make_articles(1500, seed=5), ensure_ascii=False))
    with tmpfs_index(tmp_path, "24m", big) as (mnt, root):
        before, live = top_hits(root), IndexLayout(root).live()
        free = shutil.disk_usage(mnt).free
        (mnt / "filler").write_bytes(b"\0" * max(0, free - (live / "docs.sqlite").stat().st_size // 3))
        more = tmp_path / "more"
        more.mkdir()
        extra = [{**a, "id": f"more-{a['id']}"} for a in make_articles(3, seed=6)]
        (more / "a.json").write_text(json.dumps(extra, ensure_ascii=False))
        r = run_cli(["--index", str(root), "reindex", "--procs", "1", str(big), str(more)])
        assert r.returncode == 1, r.stdout + r.stderr
        assert "No space left on device" in r.stderr and "live index was not changed" in r.stderr
        assert "Traceback" not in r.stderr
        assert IndexLayout(root).live() == live and top_hits(root) == before


def test_read_only_index_directory(tmp_path: Path, corpora) -> None:
    old, new = corpora
    with tmpfs_index(tmp_path, "64m", old) as (mnt, root):
        before = top_hits(root)
        assert subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True).returncode == 0
        r = run_cli(["--index", str(root), "reindex", "--full", "--procs", "1", str(new)])
        assert r.returncode == 1 and "Read-only file system" in r.stderr and "Traceback" not in r.stderr
        # The app opens the index read-only: it serves from a read-only file system.
        client = create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()
        assert client.get("/healthz").status_code == 200
        assert top_hits(root) == before


def test_corrupt_or_missing_index_at_start(tmp_path: Path, corpora) -> None:
    old, _ = corpora
    root = tmp_path / "ix"
    reindex(root, [old], full=True, procs=1)
    live = IndexLayout(root).live()
    for f in (live / "whoosh").glob("*.toc"):
        f.write_bytes(b"garbage")
    client = create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()
    for _ in range(3):  # asked again and again: a clear 503 each time, no crash loop
        r = client.get("/healthz")
        assert r.status_code == 503 and "rebuild" in r.get_json()["error"]
        page = client.get("/?q=الرئيس")
        assert page.status_code == 503 and "Traceback" not in page.get_data(as_text=True)
    assert client.get("/api/search?q=x").status_code == 503
    # reindex rebuilds it (a corrupt live index means a full rebuild).
    r = run_cli(["--index", str(root), "reindex", "--quiet", "--full", "--procs", "1", str(old)])
    assert r.returncode == 0, r.stderr
    assert client.get("/healthz").status_code == 200
    shutil.rmtree(root / "gens")  # index directory gone when an app starts: a clear 503
    fresh = create_app({"INDEX_DIR": str(root), "TESTING": True}).test_client()
    r = fresh.get("/healthz")
    assert r.status_code == 503 and "no index" in r.get_json()["error"]
