"""`reindex`: full rebuild or incremental update into a new generation, verified, then swapped in."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import shutil
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.query import Term

from indexer.article import Article
from indexer.docstore import DocStore
from indexer.faults import checkpoint
from indexer.layout import IndexLayout, dir_size
from indexer.lock import ReindexLock
from indexer.mpwriter import SafeMpWriter, die_with_parent
from indexer.pooled_writer import use_term_pool
from indexer.readers import read_corpus
from indexer.report import ReadReport
from indexer.schema import build_schema, whoosh_fields
from persons import extract_persons, load_tagger

# Bump when analysis or extraction changes what the index holds: an index of another
# version is rebuilt in full instead of updated.
INDEX_VERSION = "5"
BATCH = 200
IN_FLIGHT = 4  # batches read ahead per extraction process


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


def _extract(batch: list[Article]) -> list[list[str] | None]:
    """The persons of each article of a batch (None where the record gave them)."""
    return [None if a.persons_given else extract_persons(a.title, a.body) for a in batch]


def _prepare(batch: list[Article], persons: list[list[str] | None], profile: str) -> list[tuple[Article, dict]]:
    """Each article with its persons, and its Whoosh fields (analyzed by the writer)."""
    out = []
    for a, found in zip(batch, persons):
        if found is not None:
            a.persons = found
        out.append((a, whoosh_fields(a.title, a.body, profile)))
    return out


def _prepared_batches(articles: Iterator[Article], profile: str, procs: int) -> Iterator[list[tuple[Article, dict]]]:
    """Batches of prepared articles, in input order. With several processes the person tagger
    (the costly part of preparing) runs in a pool while this process reads and writes; only
    the found names come back from it. At most IN_FLIGHT batches per process are read ahead:
    `Pool.imap` would otherwise pull the whole corpus into memory as fast as it can read it."""
    if procs <= 1:
        for batch in _batches(articles):
            yield _prepare(batch, _extract(batch), profile)
        return
    batches: deque[list[Article]] = deque()
    slots = threading.Semaphore(procs * IN_FLIGHT)
    stop = threading.Event()

    def read_ahead(source: Iterator[list[Article]]) -> Iterator[list[Article]]:
        # runs in the pool's task-feeding thread: it waits for a slot (or for the end)
        for batch in source:
            while not slots.acquire(timeout=0.1):
                if stop.is_set():
                    return
            batches.append(batch)
            yield batch

    load_tagger()  # once, here: the forked extraction processes share it
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(procs, initializer=_extraction_worker, initargs=(os.getpid(),)) as pool:
        try:
            for persons in pool.imap(_extract, read_ahead(_batches(articles))):
                slots.release()
                yield _prepare(batches.popleft(), persons, profile)
        finally:
            stop.set()  # before the pool's exit joins the feeding thread


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
    profile: str = "full",
    procs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ReindexResult:
    """Build or update the index under `root` from `paths`; the live index changes only on success."""
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
            and live_meta.get("profile") == profile
        )
        report = ReadReport()
        if incremental:
            result = _incremental(layout, live, paths, prune, strict, report, progress, profile)
        else:
            result = _full(layout, paths, strict, profile, procs, report, progress)
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


def _segment_writer(ix):  # type: ignore[no-untyped-def]
    """A one-process Whoosh writer holding its postings in a TermPool (as the sub-writers do)."""
    return use_term_pool(ix.writer())


def _add(writer: object, store: DocStore, prepared: list[tuple[Article, dict]]) -> None:
    store.put_many(a for a, _ in prepared)
    for a, fields in prepared:
        writer.add_document(id=a.id, **fields)


def _full(layout, paths, strict, profile, procs, report, progress) -> ReindexResult:
    building = layout.new_building_dir()
    try:
        (building / "whoosh").mkdir()
        ix = whoosh_index.create_in(str(building / "whoosh"), build_schema(profile))
        store = DocStore(building / "docs.sqlite")
        # With several processes, sub-writers add postings and write their segments in parallel
        # (multisegment: no serial merge at the end).
        if procs > 1:
            writer = SafeMpWriter(ix, procs=procs, multisegment=True, limitmb=128)
        else:
            writer = _segment_writer(ix)
        n = 0
        for prepared in _prepared_batches(read_corpus(paths, report), profile, procs):
            _add(writer, store, prepared)
            checkpoint("read")
            n += len(prepared)
            if progress:
                progress(len(prepared))
        _check_strict(report, strict)
        if n == 0:
            raise ReindexFailed(f"no articles found in {', '.join(map(str, paths))}")
        store.commit()
        checkpoint("commit")
        writer.commit(optimize=False)
        result = ReindexResult(mode="full", articles=n, added=n, report=report)
        _finish(layout, building, ix, store, result, paths, profile)
        return result
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


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


def _incremental(layout, live, paths, prune, strict, report, progress, profile) -> ReindexResult:
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
        ix = whoosh_index.open_dir(str(building / "whoosh"))
        store = DocStore(building / "docs.sqlite")
        writer = _segment_writer(ix)
        for i in gone:
            writer.delete_by_term("id", i)
        store.delete_many(gone)
        for batch in _batches(iter(changed)):
            prepared = _prepare(batch, _extract(batch), profile)
            for a, _ in prepared:
                if a.id in hashes:
                    writer.delete_by_term("id", a.id)
            _add(writer, store, prepared)
        store.commit()
        writer.commit()
        result = ReindexResult(mode="incremental", articles=len(hashes) + n_new - len(gone), added=n_new,
                               updated=n_upd, unchanged=unchanged, pruned=len(gone), report=report)
        _finish(layout, building, ix, store, result, paths, profile)
        return result
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _verify(ix, store: DocStore, expected: int) -> None:
    with ix.searcher() as s:
        n_ix = s.doc_count()
        if n_ix != expected or store.count() != expected:
            raise ReindexFailed(f"verification failed: index has {n_ix}, store {store.count()}, expected {expected}")
        row = store.conn.execute("SELECT id FROM articles LIMIT 1").fetchone()
        if row and s.search(Term("id", row[0]), limit=1).scored_length() != 1:
            raise ReindexFailed(f"verification failed: article {row[0]} is not searchable")
        reader = s.reader()
        term = next((t for t in reader.lexicon("body") if reader.doc_frequency("body", t) > 0), None)
        if expected and term is None:
            raise ReindexFailed("verification failed: the body field has no terms")


def _finish(layout, building, ix, store, result, paths, profile) -> None:
    checkpoint("verify")
    _verify(ix, store, result.articles)
    persons = store.conn.execute("SELECT COUNT(*) FROM articles WHERE persons != '[]'").fetchone()[0]
    meta = {
        "version": INDEX_VERSION,
        "profile": profile,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "mode": result.mode,
        "articles": result.articles,
        "articles_with_persons": persons,
        "sources": [str(p) for p in paths],
        "added": result.added,
        "updated": result.updated,
        "pruned": result.pruned,
        "skipped": result.report.skipped,
    }
    store.set_meta("meta", meta)
    store.commit()
    store.close()
    result.report.write(building / "report.json")
    (building / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    meta["size_bytes"] = dir_size(building)
    (building / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    result.generation = layout.publish(building).name
