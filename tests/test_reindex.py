"""reindex on real indexes on disk: full, incremental add/update/prune, atomic swap, locking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest

import indexer.build as build
from indexer import IndexLayout, ReindexBusy, ReindexFailed, reindex
from searchcore import IndexHandle, SearchParams, run_search
from tests.conftest import SEEDS, make_articles


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
    assert IndexHandle(root).snapshot().searcher.doc_count() == 16
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
    assert not (root / "reindex.lock").exists()


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
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (root / "reindex.lock").write_text(json.dumps({"pid": holder.pid, "host": os.uname().nodename,
                                                       "started": "now"}))
        with pytest.raises(ReindexBusy, match="another reindex is running"):
            reindex(root, [src], procs=1)
    finally:
        holder.kill()
        holder.wait()
    # The holder is gone: its lock is stale and the next run recovers it.
    r = reindex(root, [src], procs=1)
    assert r.articles == 5 and not (root / "reindex.lock").exists()


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
    assert len(snap.searcher.leaf_searchers()) == 2  # one segment per sub-writer
    args = {"q": "عنوان 7"}
    ours = run_search(IndexHandle(tmp_path / "ix"), SearchParams.from_args(args.get, lambda k: []))["total"]
    from searchcore.query import parse_user_query

    pq = parse_user_query("عنوان 7", snap.searcher, snap.fields)
    assert ours == len(list(snap.searcher.docs_for_query(pq.query)))
    assert any(p["value"] == "عادل الجبير" for p in res["facets"]["person"])


def test_segment_writer_fixes_keep_whoosh_statistics(tmp_path: Path) -> None:
    """The segment writer's lengths (read once per field, indexer/whoosh_fixes.py) give the same
    per-term length statistics as Whoosh's own per-posting reads: checked against the lengths
    Whoosh's reader reports for every document of a term."""
    from whoosh import index as whoosh_index

    corpus = tmp_path / "c"
    corpus.mkdir()
    arts = [{"id": f"x{i}", "title": "عنوان " * (1 + i % 3), "body": "كلمة أخرى " * (1 + i % 7) + f"رقم{i}"}
            for i in range(40)]
    (corpus / "a.json").write_text(json.dumps(arts, ensure_ascii=False), encoding="utf-8")
    reindex(tmp_path / "ix", [corpus], full=True, procs=1)
    live = IndexLayout(tmp_path / "ix").live()
    with whoosh_index.open_dir(str(live / "whoosh")).searcher() as s:
        r = s.reader()
        for field in ("title", "body_stem"):
            for term in r.lexicon(field):
                ti = r.term_info(field, term)
                lengths = [s.doc_field_length(d, field) for d in r.postings(field, term).all_ids()]
                assert (ti.min_length(), ti.max_length()) == (min(lengths), max(lengths)), (field, term)
        # blocks are stored plain (indexer/whoosh_fixes.py) and read back
        for text, docs in (("رقم7", 1), ("كلمه", 40)):
            m = r.postings("body", text)
            assert m._compression == 0 and len(list(m.all_ids())) == docs


def _postings_of(ix) -> dict:  # type: ignore[no-untyped-def]
    """Every term of every field: its statistics and postings (docnum, weight, positions)."""
    out = {}
    with ix.searcher() as s:
        r = s.reader()
        for field in ix.schema.names():
            for term in r.lexicon(field):
                ti = r.term_info(field, term)
                m = r.postings(field, term)
                items = list(m.items_as("positions")) if field != "id" else list(m.all_ids())
                out[field, term] = (ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(),
                                    ti.max_weight(), ti.min_id(), ti.max_id(), items, _blocks(r, ti))
        out["documents"] = [(s.stored_fields(d), [s.doc_field_length(d, f) for f in ix.schema.names()])
                            for d in range(r.doc_count_all())]
    return out


def _blocks(reader, terminfo) -> list[tuple]:  # type: ignore[no-untyped-def]
    """A term's posting blocks as stored: each block's header (count, last id, max weight,
    compression, length bytes) and its unpickled (ids, weights, values)."""
    import io
    import pickle
    import struct
    import zlib

    offset, length = terminfo.extent()
    raw = reader._terms._postfile.get(offset, length[0] if isinstance(length, tuple) else length)
    assert raw[:4] == b"W3Bl"
    pos, out = 4, []
    while pos < len(raw):
        size = struct.unpack("!i", raw[pos : pos + 4])[0]
        block = io.BytesIO(raw[pos + 4 : pos + 4 + abs(size)])
        info = pickle.load(block)
        data = block.read()
        out.append((info, pickle.loads(zlib.decompress(data) if info[3] else data), size < 0))
        pos += 4 + abs(size)
    return out


@pytest.mark.parametrize("mode", ["in-order", "shuffle", "spill"])
def test_term_pool_writes_what_whoosh_pool_writes(tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A segment written from the in-memory TermPool (indexer/termpool.py) holds the same terms,
    statistics, postings and posting blocks (header, ids, weights, values, compression) as one
    written through Whoosh's own PostingPool and postings writer; a pool whose
    postings came out of docnum order (shuffle), or that spilled runs to disk past its limit
    (spill), is merged and sorted before it is written, with the same result."""
    shuffle = mode == "shuffle"
    import random

    from whoosh import index as whoosh_index

    from indexer.pooled_writer import use_term_pool
    from indexer.readers import read_corpus
    from indexer.report import ReadReport
    from indexer.schema import build_schema, whoosh_fields

    if mode == "in-order":  # TermPool's own block writer: real news text, terms of every
        # frequency, so blocks of one, two, a few and over 128 postings; buffers flushed often
        import indexer.termpool

        monkeypatch.setattr(indexer.termpool, "_FLUSH", 1 << 12)
        first_day = sorted((SEEDS / "saudinewsnet").glob("*.zip"))[0]
        arts = [{"id": a.id, "title": a.title, "body": a.body}
                for a in islice(read_corpus([first_day], ReadReport()), 150)]
    else:  # merged and sorted from runs or shuffled postings, then written
        arts = make_articles(150)
    import indexer.whoosh_fixes

    # Whoosh's own postings writer compresses blocks of three postings or more; our segments none:
    # here it is told to leave every block plain too, so that the blocks compare whole
    monkeypatch.setattr(indexer.whoosh_fixes, "WHOOSH_SMALL_BLOCK", 1 << 30)
    built = []
    for name in ("whoosh", "termpool"):
        path = tmp_path / name
        path.mkdir()
        ix = whoosh_index.create_in(str(path), build_schema())
        writer = ix.writer()
        if name == "termpool":
            use_term_pool(writer, max_postings=2_000 if mode == "spill" else 12_000_000)
        for a in arts:
            writer.add_document(id=a["id"], **whoosh_fields(a["title"], a["body"]))
        if name == "termpool":
            assert writer.pool.in_order and (len(writer.pool.runs) > 1) is (mode == "spill")
            if shuffle:
                rng = random.Random(7)
                for terms in writer.pool.fields.values():
                    for term, flat in terms.items():
                        triples = list(zip(flat[0::3], flat[1::3], flat[2::3]))
                        rng.shuffle(triples)
                        terms[term] = [x for t in triples for x in t]
                writer.pool.in_order = False
        writer.commit()
        built.append(_postings_of(whoosh_index.open_dir(str(path))))
    if mode == "in-order":
        sizes = Counter(len(v[7]) for k, v in built[0].items() if k != "documents")
        assert len(built[0]) > 10_000 and sizes[1] and sizes[2] and sizes[5] and max(sizes) > 128
    assert len(built[0]) > 300
    assert built[0] == built[1]


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


def test_compact_positions_round_trip() -> None:
    """The text fields' posting values (indexer/positions.py): positions back as given, up to
    the largest a 32-bit word holds; frequency and weight are the count (times the boost)."""
    import random

    from indexer.positions import CompactPositions

    fmt, boosted = CompactPositions(), CompactPositions(field_boost=2.0)
    rng = random.Random(5)
    for n in (1, 1, 2, 7, 300):
        positions = sorted(rng.sample(range(2**32 - 1), n))
        value = fmt.encode(positions)
        assert len(value) == 4 * n and fmt.decode_positions(value) == positions
        assert fmt.decode_frequency(value) == n and boosted.decode_weight(value) == 2.0 * n
        assert [p for p, _ in fmt.decode_position_boosts(value)] == positions


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


def test_two_process_reindex_of_a_jsonl_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full reindex with two processes of a JSONL file (read fast enough that Whoosh's job
    files are opened while the tagger loads): every article indexed and stored; Whoosh's
    sub-writer processes were forked before the tagger's loader thread started."""
    import threading

    from indexer.mpwriter import SafeMpWriter
    from tests.conftest import make_articles

    threads_at_fork: list[set[str]] = []
    new_task = SafeMpWriter._new_task

    def recording(self):  # type: ignore[no-untyped-def]
        threads_at_fork.append({t.name for t in threading.enumerate()})
        return new_task(self)

    monkeypatch.setattr(SafeMpWriter, "_new_task", recording)
    corpus = tmp_path / "c.jsonl"
    arts = make_articles(3000, seed=9)
    corpus.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in arts), encoding="utf-8")
    result = reindex(tmp_path / "ix", [corpus], full=True, procs=2)
    assert len(threads_at_fork) == 2 and not any("arnews-load-tagger" in names for names in threads_at_fork)
    assert result.articles == len({a["id"] for a in arts}) > 2900
    handle = IndexHandle(tmp_path / "ix")
    assert run_search(handle, SearchParams(q=""))["total"] == result.articles
