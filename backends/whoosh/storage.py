"""Compound segment files read in place.

Whoosh opens every file of a compound segment (the terms table, the postings) as a `BufferFile`
over the memory-mapped segment, and its constructor wraps that buffer in a `BytesIO`, which
copies it. So each searcher opened copied the segment into memory: 0.15 s and about the
segment's size per searcher on the bundled corpus, seconds on a freshly started server whose
threads each open one, and more on a bigger index. Our segments (codec.ArnewsSegment) open
their compound file as a `ViewCompoundStorage`, whose files read the buffer in place.
"""

from __future__ import annotations

import io

from whoosh.compat import memoryview_
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import BufferFile


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


class ViewBufferFile(BufferFile):
    """Whoosh's BufferFile over a ViewStream instead of a copying BytesIO."""

    def __init__(self, buf, name=None, onclose=None) -> None:  # type: ignore[no-untyped-def]
        self._buf = buf
        self._name = name
        self.file = ViewStream(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


class ViewCompoundStorage(CompoundStorage):
    """A compound segment file whose member files are ViewBufferFiles when it is mapped."""

    def open_file(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self._source and not self.is_closed:
            offset, length = self.range(name)
            return ViewBufferFile(memoryview_(self._source, offset, length), name=name)
        return super().open_file(name, *args, **kwargs)  # not mapped, or closed (Whoosh's error)
