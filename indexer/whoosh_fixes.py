"""Three fixes to Whoosh's file layer and segment writer, applied when the indexer package is
imported.

1. Whoosh opens every file of a compound segment (the terms table, the postings) as a
`BufferFile` over the memory-mapped segment, and its constructor wraps that buffer in a
`BytesIO`, which copies it. So each searcher opened copied the segment into memory: 0.15 s and
about the segment's size per searcher on the bundled corpus, seconds on a freshly started
server whose threads each open one, and more on a bigger index. Here the stream reads the
buffer in place.

2. When a segment's postings are written, Whoosh asks the just-written per-document reader for
the field length of every posting (for block statistics), one byte read from the file per
posting: millions of reads per corpus. Here each field's lengths column is read once.

3. Whoosh means not to zlib-compress a posting block whose pickle is tiny, but a bug
(`comp = 0` is overwritten on the next line) compresses every block. Whoosh's own postings
writer (any Whoosh index in the process: the stock baseline of the benchmarks, a pool that is
not a TermPool) leaves blocks of at most two postings plain, as Whoosh meant to. Our segments
(the TermPool writer) compress no block at all (the block header records it; readers handle
both): with the fixed-width positions of indexer/positions.py a block's pickle is small, and a
zlib call costs about 15 µs of set-up besides its work. On half the bundled corpus: 6.7 -> 4.3
CPU-s to commit a segment, 82 -> 106 MB (Whoosh's own positions, compressed: 92 MB).
"""

from __future__ import annotations

import io

from whoosh import writing
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.filedb import structfile
from whoosh.util.numeric import byte_to_length

from indexer.termpool import TermPool, write_postings

_PATCHED = "_arnews_view_stream"
# Whoosh stores a field length as one byte (a logarithmic code); this is its decoding table.
LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


class ViewStream(io.RawIOBase):
    """A read-only, seekable stream over a buffer (a memoryview of the mmap), without a copy."""

    def __init__(self, buf) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self._buf = memoryview(buf)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, pos: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._buf))[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def read(self, n: int | None = -1) -> bytes:
        end = len(self._buf) if n is None or n < 0 else min(len(self._buf), self._pos + n)
        out = bytes(self._buf[self._pos : end])
        self._pos = max(self._pos, end)
        return out

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf), self._pos + size)
        chunk = self._buf[self._pos : end].tobytes()
        cut = chunk.find(b"\n")
        line = chunk if cut < 0 else chunk[: cut + 1]
        self._pos += len(line)
        return line


def _init(self, buf, name=None, onclose=None) -> None:  # type: ignore[no-untyped-def]
    self._buf = buf
    self._name = name
    self.file = ViewStream(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


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


def _flush_segment(self) -> None:  # type: ignore[no-untyped-def]
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    lengths = PreloadedLengths(pdr) if pdr is not None and hasattr(pdr, "_cached_reader") else pdr
    pool = self.pool
    if isinstance(pool, TermPool) and isinstance(lengths, PreloadedLengths):
        write_postings(self.fieldwriter, self.schema, pool, lengths.column)
    else:
        self.fieldwriter.add_postings(self.schema, lengths, pool.iter_postings())
    self.fieldwriter.close()
    if pdr:
        pdr.close()


WHOOSH_SMALL_BLOCK = 2  # Whoosh's own postings writer leaves blocks of at most this many postings plain
_write_block = whoosh3.W3PostingsWriter._write_block


def _write_small_blocks_plain(self, last=False) -> None:  # type: ignore[no-untyped-def]
    if len(self._ids) > WHOOSH_SMALL_BLOCK or not self._compression:
        _write_block(self, last)
        return
    level, self._compression = self._compression, 0
    try:
        _write_block(self, last)
    finally:
        self._compression = level


def install() -> None:
    cls = structfile.BufferFile
    if not getattr(cls, _PATCHED, False):
        cls.__init__ = _init
        writing.SegmentWriter._flush_segment = _flush_segment
        whoosh3.W3PostingsWriter._write_block = _write_small_blocks_plain
        setattr(cls, _PATCHED, True)
