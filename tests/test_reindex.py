"""reindex on real indexes on disk: full, incremental add/update/prune, atomic swap, locking."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import indexer.build as build
from indexer import IndexLayout, ReindexBusy, ReindexFailed, reindex
from searchcore import IndexHandle, SearchParams, run_search
from tests.conftest import make_articles


def _write(path: Path, arts: list[dict]) -> None:
    path.write_text(json.dumps(arts, ensure_ascii=False), encoding="utf-8")


def _search(root: Path, q: str) -> dict:
    args = {"q": q}
    return run_search(IndexHandle(root), SearchParams.from_args(args.get, lambda k: []))


def test_full_then_incremental_add_update_prune(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    arts = make_articles(20)
    _write(src / "a.json", arts)
    root = tmp_path / "ix"
    r = reindex(root, [src], procs=1)
    assert (r.mode, r.articles, r.added) == ("full", 20, 20)
    layout = IndexLayout(root)
    first = layout.live()
    assert first and (first / "meta.json").exists() and (root / "last-report.json").exists()

    r = reindex(root, [src], procs=1)
    assert (r.mode, r.unchanged, r.added, r.updated) == ("unchanged", 20, 0, 0)
    assert layout.live() == first  # nothing changed: no new generation

    arts[0]["body"] = "نص جديد تماما عن الطاقة النووية"
    arts.append({"id": "new1", "title": "جديد", "body": "مقال عن المريخ", "outlet": "okaz"})
    _write(src / "a.json", arts)
    r = reindex(root, [src], procs=1)
    assert (r.mode, r.added, r.updated, r.unchanged, r.articles) == ("incremental", 1, 1, 19, 21)
    assert layout.live() != first
    assert _search(root, "النووية")["total"] == 1
    assert _search(root, "المريخ")["hits"][0]["id"] == "new1"

    _write(src / "a.json", arts[5:])
    r = reindex(root, [src], procs=1)  # without --prune nothing is removed
    assert r.articles == 21 and r.pruned == 0
    r = reindex(root, [src], prune=True, procs=1)
    assert (r.pruned, r.articles) == (5, 16)
    assert _search(root, "النووية")["total"] == 0
    assert int(IndexHandle(root).snapshot().arrays.valid.sum()) == 16
    # Old generations are cleaned up: the live one and the one before remain.
    assert len([d for d in (root / "gens").iterdir()]) <= 2


def test_failed_rebuild_leaves_live_index_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _write(src / "a.json", make_articles(10))
    root = tmp_path / "ix"
    reindex(root, [src], procs=1)
    live = IndexLayout(root).live()
    before = _search(root, "الرئيس")

    def broken_verify(*a: object, **k: object) -> None:
        raise ReindexFailed("verification failed: injected")

    monkeypatch.setattr(build, "_verify", broken_verify)
    _write(src / "a.json", make_articles(30))
    with pytest.raises(ReindexFailed):
        reindex(root, [src], full=True, procs=1)
    assert IndexLayout(root).live() == live
    assert _search(root, "الرئيس")["total"] == before["total"]
    assert not any(d.name.startswith("building-") for d in (root / "gens").iterdir())
    assert (root / "reindex.lock").read_text() == ""  # released, no owner named


def test_strict_turns_skips_into_failure(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_text('{"title": "x", "body": "نص"}\n{oops\n')
    with pytest.raises(ReindexFailed, match="--strict"):
        reindex(tmp_path / "ix", [src], strict=True, procs=1)
    assert IndexLayout(tmp_path / "ix").live() is None
    r = reindex(tmp_path / "ix", [src], procs=1)
    assert r.articles == 1 and r.report.skipped == 1
    report = json.loads((tmp_path / "ix" / "last-report.json").read_text())
    assert report["problems"][0]["position"] == "line 2"


def test_concurrent_reindex_is_refused_and_stale_lock_recovered(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _write(src / "a.json", make_articles(5))
    root = tmp_path / "ix"
    root.mkdir()
    code = ("import sys, time; from pathlib import Path; from indexer.lock import ReindexLock\n"
            "with ReindexLock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(root / "reindex.lock")], stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).resolve().parent.parent)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ReindexBusy, match=f"another reindex is running \\(pid {holder.pid}"):
            reindex(root, [src], procs=1)
    finally:
        holder.kill()
        holder.wait()
    # The holder was killed: the kernel released its lock; the file still names it
    assert json.loads((root / "reindex.lock").read_text())["pid"] == holder.pid
    r = reindex(root, [src], procs=1)
    assert r.articles == 5 and (root / "reindex.lock").read_text() == ""


def test_the_lock_admits_one_process_at_a_time(tmp_path: Path) -> None:
    """Processes racing for the lock, each dying while it holds it (as a killed reindex does, so
    every holder leaves a stale lock file behind): never two holders at once (issue 22, item 13:
    with check-then-unlink, two racing processes could both judge a stale lock stale, and one
    unlink the other's fresh lock)."""
    lock = tmp_path / "reindex.lock"
    log = tmp_path / "log"
    code = ("import os, sys, time; from pathlib import Path; from indexer.lock import ReindexLock, ReindexBusy\n"
            "start = float(sys.argv[3])\n"
            "while time.time() < start: pass\n"
            "deadline = time.time() + 60\n"
            "while time.time() < deadline:\n"
            "    try:\n"
            "        ReindexLock(Path(sys.argv[1])).__enter__()\n"
            "    except ReindexBusy:\n"
            "        continue\n"
            "    t0 = time.time(); time.sleep(0.005); t1 = time.time()\n"
            "    fd = os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND | os.O_CREAT)\n"
            "    os.write(fd, f'{t0} {t1}\\n'.encode())\n"
            "    os._exit(0)  # dies holding the lock\n"
            "os._exit(3)\n")
    spans: list[tuple[float, float]] = []
    for _ in range(4):
        start = time.time() + 1.5
        procs = [subprocess.Popen([sys.executable, "-c", code, str(lock), str(log), str(start)],
                                  cwd=Path(__file__).resolve().parent.parent) for _ in range(12)]
        assert [p.wait(timeout=120) for p in procs] == [0] * 12
    spans = sorted(tuple(map(float, line.split())) for line in log.read_text().splitlines())
    assert len(spans) == 48
    assert all(b[0] >= a[1] for a, b in zip(spans, spans[1:])), "two processes held the lock at once"


def test_no_articles_is_a_clear_failure(tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text("[]")
    with pytest.raises(ReindexFailed, match="no articles"):
        reindex(tmp_path / "ix", [tmp_path / "empty.json"], procs=1)


def test_two_processes_use_both_cores_path(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _write(src / "a.json", [{"title": f"عنوان {i}", "body": "قال وزير الخارجية عادل الجبير إن المملكة"}
                            for i in range(1200)])
    r = reindex(tmp_path / "ix", [src], procs=2)
    assert r.articles == 1200
    res = _search(tmp_path / "ix", "الجبير")
    assert res["total"] == 1200
    snap = IndexHandle(tmp_path / "ix").snapshot()
    assert snap.index.segment_count() == 2  # one segment per sub-writer
    args = {"q": "عنوان 7"}
    ours = run_search(IndexHandle(tmp_path / "ix"), SearchParams.from_args(args.get, lambda k: []))["total"]
    from searchcore.query import parse_user_query

    pq = parse_user_query("عنوان 7", snap.index)
    assert ours == len(snap.index.whoosh_docs(pq.query))
    assert any(p["value"] == "عادل الجبير" for p in res["facets"]["person"])


def test_extraction_pool_reads_a_bounded_number_of_articles_ahead() -> None:
    """With the person tagger in a process pool, the reader is at most IN_FLIGHT batches per
    process ahead of the writer (Pool.imap alone would pull the whole corpus into memory)."""
    import time

    from indexer.article import Article

    pulled = 0

    def articles():  # type: ignore[no-untyped-def]
        nonlocal pulled
        for i in range(40 * build.BATCH):
            pulled += 1
            yield Article(id=f"a{i}", title="قال الرئيس", body="نص قصير")

    gen = build._extracted_in_pool(articles(), 2, lambda batch: None)
    first = next(gen)
    time.sleep(0.5)  # time for the pool's feeding thread to read ahead as far as it may
    assert len(first) == build.BATCH
    assert pulled <= (2 * build.IN_FLIGHT + 2) * build.BATCH < 40 * build.BATCH
    rest = sum(len(b) for b in gen)
    assert rest == 39 * build.BATCH and pulled == 40 * build.BATCH


def test_tagger_models_are_read_before_the_loader_thread_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """pycrfsuite's dump (how the models' weights are read) closes its file descriptor twice;
    in the loader thread that second close hit the Whoosh job files the reading thread had just
    opened (a full two-process reindex of a JSONL corpus failed). The models are read in the
    calling thread, before the loader starts."""
    import threading

    import persons.extract
    import persons.tagger
    from persons.crf import CRFModel

    readers: list[str] = []
    real_read = CRFModel.read.__func__

    def read(cls, path):  # type: ignore[no-untyped-def]
        readers.append(threading.current_thread().name)
        return real_read(cls, path)

    monkeypatch.setattr(CRFModel, "read", classmethod(read))
    persons.tagger.read_models.cache_clear()
    persons.tagger.default_tagger.cache_clear()
    try:
        persons.extract.start_loading_tagger().join()
    finally:
        persons.tagger.read_models.cache_clear()
        persons.tagger.default_tagger.cache_clear()
    assert readers and set(readers) == {threading.current_thread().name}


def test_a_failing_two_process_reindex_ends(tmp_path: Path) -> None:
    """An unexpected exception in a full reindex with two processes ends the run (exit status,
    traceback of the cause) instead of waiting forever on Whoosh's sub-writers, and leaves no
    building directory behind (issue 22, item 7: the sub-writers, waiting on their job queue, were
    not daemonic, and the interpreter waited for them at exit: this test timed out before)."""
    corpus = tmp_path / "c.json"
    _write(corpus, make_articles(3000, seed=11))
    code = f"""
import sys
import indexer.build as build
from indexer import reindex
from pathlib import Path
def commit(self):  # every article handed to the sub-writers, which now wait for more
    raise RuntimeError("injected failure")
build.DocStore.commit = commit
reindex(Path({str(tmp_path / "ix")!r}), [Path({str(corpus)!r})], full=True, procs=2)
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "injected failure" in run.stderr
    gens = tmp_path / "ix" / "gens"
    assert not gens.exists() or not any(gens.iterdir())
