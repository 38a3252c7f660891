"""Our Whoosh codec: Whoosh's W3 format, with two fixes installed through Whoosh's own seams
(a codec subclass, injected into every writer we make; no class of Whoosh's is modified, so a
stock Whoosh index in the same process, like the benchmarks' baseline, runs unchanged).

1. Our segments (`ArnewsSegment`, pickled in the index's table of contents) open their compound
file through `storage.ViewCompoundStorage`, which reads the memory-mapped segment in place
instead of copying each member file (see backends/whoosh/storage.py), and map it once per
process for all the threads' readers (`SharedCompoundStorage`).

2. Whoosh means not to zlib-compress a posting block whose pickle is tiny, but a bug
(`comp = 0` is overwritten on the next line) compresses every block. Our postings writer (used
when Whoosh merges segments) leaves blocks of at most WHOOSH_SMALL_BLOCK postings plain, as
Whoosh meant to; the segments the TermPool writes (backends/whoosh/termpool.py) compress no
block at all (the block header records it; readers handle both): with the fixed-width positions
of backends/whoosh/positions.py a block's pickle is small, and a zlib call costs about 15 µs of
set-up besides its work. On half the bundled corpus: 6.7 -> 4.3 CPU-s to commit a segment,
82 -> 106 MB (Whoosh's own positions, compressed: 92 MB).

The segment writer's third fix (field lengths read once per field, not once per posting) is
`writer.ArnewsSegmentWriter._flush_segment`, with `PreloadedLengths` below.
"""

from __future__ import annotations

import os
import threading
import weakref

from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length, length_to_byte

from backends.whoosh.storage import ViewCompoundStorage

# Whoosh stores a field length as one byte (a logarithmic code); this is its decoding table.
LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


def quantized_length(n: int) -> float:
    """The length Whoosh keeps for a field of `n` terms (one byte, logarithmic)."""
    return byte_to_length(length_to_byte(n))


WHOOSH_SMALL_BLOCK = 2  # blocks of at most this many postings stay plain (Whoosh's intent)


class PlainSmallBlocksPostingsWriter(whoosh3.W3PostingsWriter):
    def _write_block(self, last=False) -> None:  # type: ignore[no-untyped-def]
        if len(self._ids) > WHOOSH_SMALL_BLOCK or not self._compression:
            super()._write_block(last)
            return
        level, self._compression = self._compression, 0
        try:
            super()._write_block(last)
        finally:
            self._compression = level


class SharedCompoundStorage(ViewCompoundStorage):
    """One mapping of a compound segment file for every reader of the process. Each thread has
    its own searcher, and each searcher mapped the segment again: the kernel counts a page once
    per mapping, so eight server threads showed about 940 MB of file pages for a 350 MB index
    (the soak run's "1.9 GB per worker"). A reader's close() leaves it open; it is unmapped when
    the last reader lets it go (a weak reference keeps the table)."""

    def close(self) -> None:
        pass


_SHARED: weakref.WeakValueDictionary[tuple, SharedCompoundStorage] = weakref.WeakValueDictionary()
_SHARED_LOCK = threading.Lock()


class ArnewsSegment(whoosh3.W3Segment):
    def open_compound_file(self, storage):  # type: ignore[no-untyped-def]
        name = self.make_filename(self.COMPOUND_EXT)
        folder = getattr(storage, "folder", None)
        if not folder or not storage.supports_mmap:
            return ViewCompoundStorage(storage.open_file(name), use_mmap=storage.supports_mmap)
        path = os.path.join(folder, name)
        st = os.stat(path)
        key = (path, st.st_ino, st.st_mtime_ns, st.st_size)
        with _SHARED_LOCK:
            shared = _SHARED.get(key)
            if shared is None:
                shared = SharedCompoundStorage(storage.open_file(name), use_mmap=True)
                if shared._source is None:  # not mapped: reads would share one file position
                    return shared
                _SHARED[key] = shared
            return shared


class ArnewsCodec(whoosh3.W3Codec):
    def postings_writer(self, dbfile, byteids=False):  # type: ignore[no-untyped-def]
        return PlainSmallBlocksPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                              compression=self._compression, inlinelimit=self._inlinelimit)

    def new_segment(self, storage, indexname):  # type: ignore[no-untyped-def]
        return ArnewsSegment(self, indexname)


def length_bytes(perdoc, fieldname: str) -> bytes | None:  # type: ignore[no-untyped-def]
    """A segment's lengths column of `fieldname`, one length byte per document (Whoosh's
    quantized field lengths), read whole; None if the segment has no such column."""
    reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    return bytes(reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen))


class PreloadedLengths:
    """`doc_field_length` of a per-document reader, from each field's lengths column read and
    decoded whole (`column`: the decoded lengths of every document, for the TermPool writer)."""

    def __init__(self, perdoc) -> None:  # type: ignore[no-untyped-def]
        self._perdoc = perdoc
        self._fields: dict[str, list[int] | None] = {}

    def column(self, fieldname: str) -> list[int] | None:
        try:
            return self._fields[fieldname]
        except KeyError:
            col = length_bytes(self._perdoc, fieldname)
            decoded = self._fields[fieldname] = None if col is None else [LENGTH_OF_BYTE[b] for b in col]
            return decoded

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        col = self.column(fieldname)
        if col is None or docnum >= len(col):
            return default
        return col[docnum]
