"""`reindex`: full rebuild or incremental update into a new generation, verified, then swapped in."""

from __future__ import annotations

import errno
import gc
import json
import multiprocessing
import os
import shutil
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from arnews.processes import die_with_parent
from backends.whoosh import (
    add_articles,
    create_index,
    delete_article,
    exact_vocabulary,
    new_writer,
    open_index,
    verify_index,
)
from indexer.article import Article
from indexer.docstore import DocStore
from indexer.faults import checkpoint
from indexer.layout import IndexLayout, dir_size
from indexer.lock import ReindexLock
from indexer.neardup import groups as near_duplicate_groups
from indexer.neardup import signature
from indexer.readers import read_corpus
from indexer.report import ReadReport
from indexer.variants import VariantTable
from persons import extract_persons, start_loading_tagger

# Bump when analysis or extraction changes what the index holds: an index of another
# version is rebuilt in full instead of updated.
INDEX_VERSION = "10"  # 10: near-duplicate signatures and groups in the document store
BATCH = 200
IN_FLIGHT = 6  # batches read ahead per extraction process


class ReindexFailed(RuntimeError):
    """The new generation could not be built or verified; the live index is untouched."""


@dataclass
class ReindexResult:
    mode: str  # "full", "incremental" or "unchanged"
    articles: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0
    seconds: float = 0.0
    generation: str = ""
    report: ReadReport = field(default_factory=ReadReport)
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (
            f"{self.mode} reindex: {self.articles} articles in the index; added {self.added}, "
            f"updated {self.updated}, unchanged {self.unchanged}, pruned {self.pruned}; "
            f"skipped {self.report.skipped}, repaired {len(self.report.problems) - self.report.skipped}; "
            f"{self.seconds:.1f} s ({rate:.0f} articles/s)"
        )


def _extract(batch: list[Article]) -> list[tuple[list[str] | None, bytes | None]]:
    """The persons of each article of a batch (None where the record gave them) and its
    near-duplicate signature: what the extraction processes compute."""
    checkpoint("extract")
    return [(None if a.persons_given else extract_persons(a.title, a.body), signature(a.body)) for a in batch]


def _with_persons(batch: list[Article], found: list[tuple[list[str] | None, bytes | None]]) -> list[Article]:
    for a, (persons, sig) in zip(batch, found):
        if persons is not None:
            a.persons = persons
        a.minhash = sig
    return batch


def _index(writer: object, batch: list[Article]) -> None:
    """Hand a batch to the index writer (its text fields are analyzed there)."""
    add_articles(writer, batch)


def extracted_batches(articles: Iterator[Article], procs: int) -> Iterator[list[Article]]:
    """Batches of articles with their persons extracted (by a pool of `procs` processes when
    more than one), in input order: what any backend indexes."""
    if procs > 1:
        return _extracted_in_pool(articles, procs, lambda batch: None)
    return _extracted_here(articles, lambda batch: None)


def _extracted_here(articles: Iterator[Article], on_read: Callable[[list[Article]], None]) -> Iterator[list[Article]]:
    """_extracted_in_pool in this process alone."""
    for batch in _batches(articles):
        on_read(batch)
        yield _with_persons(batch, _extract(batch))


def _extracted_in_pool(articles: Iterator[Article], procs: int,
                       on_read: Callable[[list[Article]], None]) -> Iterator[list[Article]]:
    """Batches of articles with their persons, in input order, the person tagger (the costly
    part) running in a pool of `procs` processes while this process reads and writes; only the
    found names come back from it. Each batch goes to `on_read` (the Whoosh writer, which needs
    no persons) as soon as it is read, so the writer's processes work from the start, while the
    tagger loads in this process before the pool forks (up to a pool's worth of batches are
    read meanwhile, and wait for it). At most IN_FLIGHT batches per process are read ahead of
    the results (not the whole corpus into memory as fast as it can be read). A process pool
    from concurrent.futures, not multiprocessing.Pool: when one of its processes dies, the run
    ends with an error instead of waiting forever for that process's batch."""
    source = _batches(articles)
    ahead = procs * IN_FLIGHT
    early: list[list[Article]] = []
    # The first batch is handed over before any thread starts: Whoosh's writer forks its
    # processes on its first job files (BATCH articles make two of its 100-document jobs), and
    # a fork while the loader thread imports could leave a module lock held in the child.
    first = next(source, None)
    if first is not None:
        on_read(first)
        early.append(first)
    loader = start_loading_tagger()  # (the forked extraction processes share what it loads)
    while loader.is_alive() and len(early) < ahead:
        batch = next(source, None)
        if batch is None:
            break
        on_read(batch)
        early.append(batch)
    loader.join()
    ctx = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(procs, mp_context=ctx, initializer=_extraction_worker, initargs=(os.getpid(),))
    pending: deque[tuple[list[Article], Future]] = deque()
    try:
        for k, batch in enumerate(chain(early, source)):
            if k >= len(early):
                on_read(batch)
            pending.append((batch, pool.submit(_extract, batch)))
            if len(pending) >= ahead:
                yield _with_persons(*_result(pending.popleft()))
        while pending:
            yield _with_persons(*_result(pending.popleft()))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _result(item: tuple[list[Article], Future]) -> tuple[list[Article], list[tuple[list[str] | None, bytes | None]]]:
    """A batch and its persons; a dead extraction process (killed, out of memory) ends the run
    with a clear error instead of waiting for it forever (multiprocessing.Pool did)."""
    batch, future = item
    try:
        return batch, future.result()
    except BrokenProcessPool:
        raise ReindexFailed("a person-extraction process died (killed, or out of memory?); "
                            "nothing was changed: run reindex again, with --procs 1 to use less memory") from None


def _extraction_worker(parent_pid: int) -> None:
    """A person-extraction process: it dies with the reindex, and runs without the cyclic garbage
    collector, which re-traversed the tagger's growing caches (word table, lexicon caches) about
    6% of the tagger's time; the tagger makes no reference cycles worth collecting."""
    die_with_parent(parent_pid)
    gc.disable()


def _batches(articles: Iterator[Article], size: int = BATCH) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for a in articles:
        batch.append(a)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def reindex(
    root: Path,
    paths: list[Path],
    *,
    full: bool = False,
    prune: bool = False,
    strict: bool = False,
    procs: int | None = None,
    progress: Callable[[int], None] | None = None,
    report: ReadReport | None = None,
) -> ReindexResult:
    """Build or update the index under `root` from `paths`; the live index changes only on success.
    `report` may come with problems already in it (a fetch's), to be reported with the reading's."""
    layout = IndexLayout(root)
    procs = procs or min(2, os.cpu_count() or 1)
    t0 = time.perf_counter()
    with ReindexLock(layout.lock_path):
        layout.cleanup()
        live = layout.live()
        live_meta = layout.meta() or {}
        incremental = (
            not full
            and live is not None
            and live_meta.get("version") == INDEX_VERSION
        )
        report = report if report is not None else ReadReport()
        try:
            if incremental:
                result = _incremental(layout, live, paths, prune, strict, report, progress)
            else:
                result = _full(layout, paths, strict, procs, report, progress)
        except sqlite3.OperationalError as e:  # not an OSError: say what it is like one
            if "full" in str(e) or "disk I/O" in str(e):
                raise OSError(errno.ENOSPC, f"No space left on device (the document store: {e})") from e
            raise
        result.seconds = time.perf_counter() - t0
        (root / "last-report.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        layout.cleanup()
    return result


def _check_strict(report: ReadReport, strict: bool) -> None:
    if strict and report.problems:
        first = report.problems[0]
        raise ReindexFailed(
            f"--strict: {len(report.problems)} problem(s) in the input, first: "
            f"{first.file} [{first.position}] {first.reason}"
        )


def _full(layout, paths, strict, procs, report, progress) -> ReindexResult:
    building = layout.new_building_dir()
    writer = None
    try:
        ix = create_index(building / "whoosh")
        store = DocStore(building / "docs.sqlite")
        # With several processes, sub-writers add postings and write their segments in parallel
        # (multisegment: no serial merge at the end).
        articles = read_corpus(paths, report)
        writer = new_writer(ix, procs)
        if procs > 1:
            batches = _extracted_in_pool(articles, procs, lambda batch: _index(writer, batch))
        else:
            batches = _extracted_here(articles, lambda batch: _index(writer, batch))
        n = 0
        names: dict[str, str] = {}
        for batch in batches:
            store.put_many(batch)
            _given_outlet_names(batch, names)
            checkpoint("read")
            n += len(batch)
            if progress:
                progress(len(batch))
        _check_strict(report, strict)
        if n == 0:
            raise ReindexFailed(f"no articles found in {', '.join(map(str, paths))}")
        store.commit()
        checkpoint("commit")
        writer.commit(optimize=False)
        result = ReindexResult(mode="full", articles=n, added=n, report=report)
        _finish(layout, building, ix, store, result, paths, names)
        return result
    except BaseException:
        _cancel(writer)
        shutil.rmtree(building, ignore_errors=True)
        raise


def _cancel(writer) -> None:  # type: ignore[no-untyped-def]
    """Stop a failed run's writer (and its processes) so that the run can end."""
    if writer is None:
        return
    try:
        writer.cancel()
    except Exception:  # already closed or half set up: nothing left to stop
        pass


def _copy_generation(live: Path, building: Path) -> None:
    """Hard-link Whoosh's immutable segment files and copy the SQLite store (online backup)."""
    (building / "whoosh").mkdir()
    for f in (live / "whoosh").iterdir():
        if f.is_file() and not f.name.endswith(".lock"):
            os.link(f, building / "whoosh" / f.name)
    src = sqlite3.connect(f"file:{live / 'docs.sqlite'}?mode=ro", uri=True)
    dst = sqlite3.connect(building / "docs.sqlite")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def _incremental(layout, live, paths, prune, strict, report, progress) -> ReindexResult:
    """Changed articles only, one process (the expensive part, a full rebuild, is not done here)."""
    old = DocStore(live / "docs.sqlite", readonly=True)
    hashes = old.hashes()
    old.close()
    changed: list[Article] = []
    seen: set[str] = set()
    n_new = n_upd = 0
    for a in read_corpus(paths, report):
        seen.add(a.id)
        h = hashes.get(a.id)
        if h is None:
            n_new += 1
            changed.append(a)
        elif h != a.content_hash:
            n_upd += 1
            changed.append(a)
        if progress:
            progress(1)
    _check_strict(report, strict)
    gone = [i for i in hashes if i not in seen] if prune else []
    unchanged = len(seen) - len(changed)
    if not changed and not gone:
        return ReindexResult(mode="unchanged", articles=len(hashes), unchanged=unchanged,
                             generation=live.name, report=report)
    building = layout.new_building_dir()
    try:
        _copy_generation(live, building)
        checkpoint("incremental-copy")
        ix = open_index(building / "whoosh")
        store = DocStore(building / "docs.sqlite")
        writer = new_writer(ix)
        for i in gone:
            delete_article(writer, i)
        store.delete_many(gone)
        def replace(batch: list[Article]) -> None:
            for a in batch:
                if a.id in hashes:
                    delete_article(writer, a.id)
            _index(writer, batch)

        names: dict[str, str] = {}
        for batch in _extracted_here(iter(changed), replace):
            store.put_many(batch)
            _given_outlet_names(batch, names)
        store.commit()
        writer.commit()
        result = ReindexResult(mode="incremental", articles=len(hashes) + n_new - len(gone), added=n_new,
                               updated=n_upd, unchanged=unchanged, pruned=len(gone), report=report)
        _finish(layout, building, ix, store, result, paths, names)
        return result
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _verify(ix, store: DocStore, expected: int) -> None:  # type: ignore[no-untyped-def]
    if store.count() != expected:
        raise ReindexFailed(f"verification failed: store has {store.count()}, expected {expected}")
    row = store.conn.execute("SELECT id FROM articles LIMIT 1").fetchone()
    problem = verify_index(ix, expected, row[0] if row else None)
    if problem:
        raise ReindexFailed(f"verification failed: {problem}")


def _save_variants(ix, building: Path) -> None:  # type: ignore[no-untyped-def]
    """The spelling-variant table of the generation's exact vocabulary (title and body)."""
    VariantTable.build(exact_vocabulary(ix)).save(building)


def _given_outlet_names(batch: list[Article], names: dict[str, str]) -> None:
    names.update({a.outlet: a.outlet_name for a in batch if a.outlet_name})


def _finish(layout, building, ix, store, result, paths, names: dict[str, str]) -> None:
    checkpoint("verify")
    _verify(ix, store, result.articles)
    checkpoint("variants")
    _save_variants(ix, building)
    checkpoint("near-duplicates")
    store.set_groups(near_duplicate_groups(store.signatures()))
    persons = store.conn.execute("SELECT COUNT(*) FROM articles WHERE persons != '[]'").fetchone()[0]
    earlier = store.meta().get("meta") or {}  # an incremental build's copy holds the live generation's
    outlet_names = {**(earlier.get("outlet_names") or {}), **names}
    meta = {
        "version": INDEX_VERSION,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "mode": result.mode,
        "articles": result.articles,
        "articles_with_persons": persons,
        "sources": [str(p) for p in paths],
        "added": result.added,
        "updated": result.updated,
        "pruned": result.pruned,
        "skipped": result.report.skipped,
        "outlet_names": outlet_names,
        "near_duplicates": store.near_duplicate_stats(),
    }
    store.set_meta("meta", meta)
    store.commit()
    store.close()
    result.report.write(building / "report.json")
    (building / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    meta["size_bytes"] = dir_size(building)
    (building / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    result.generation = layout.publish(building).name
