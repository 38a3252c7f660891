"""The index writers: Whoosh's segment writer and multiprocess writer, subclassed (not patched)
to use our codec (backends/whoosh/codec.py) and keep postings in a TermPool.

`ArnewsSegmentWriter.add_document`: Whoosh adds a document one posting at a time: each field
yields (term bytes, frequency, weight, encoded positions) items, and each becomes a (field, term,
docnum, weight, value) tuple handed to the pool in its own call; about 1.5 µs a posting, 8 of a
sub-writer's 30 seconds on half the bundled corpus. Here each pre-analyzed field's terms go to
the pool in one call (`TermPool.add_terms`); the document's other fields (the id), its field
lengths and stored values take Whoosh's own steps. Any other document (boosts) goes to Whoosh's
`add_document` unchanged. Same segment either way (tested).

`ArnewsSegmentWriter._flush_segment`: when a segment's postings are written, Whoosh asks the
just-written per-document reader for the field length of every posting (for block statistics),
one byte read from the file per posting: millions of reads per corpus. Here each field's lengths
column is read once (`codec.PreloadedLengths`).

`ArnewsMpWriter`: Whoosh's multiprocess writer, made safe against a killed parent: if `reindex`
is killed (SIGKILL, OOM), Whoosh's sub-writer processes would wait on their job queue forever,
holding the terminal's pipes open. Each sub-writer asks the kernel to kill it when its parent
dies, and writes its own segment (multisegment) with an ArnewsSegmentWriter.
"""

from __future__ import annotations

import gc
import os

from whoosh.multiproc import MpWriter, SubWriterTask, finish_subsegment
from whoosh.writing import SegmentWriter

from arnews.processes import die_with_parent
from backends.whoosh.codec import ArnewsCodec, PreloadedLengths
from backends.whoosh.preanalyzed import ArticleText, analyzed
from backends.whoosh.termpool import TermPool, write_postings


class ArnewsSegmentWriter(SegmentWriter):
    """A one-process writer: our codec, postings in a TermPool (`pool_options`: its limits)."""

    def __init__(self, ix, pool_options: dict | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("codec", ArnewsCodec())
        super().__init__(ix, **kwargs)
        self.pool = TermPool(**(pool_options or {}))

    def add_document(self, **fields) -> None:  # type: ignore[no-untyped-def]
        pool = self.pool
        pre_analyzed = any(isinstance(v, ArticleText) for v in fields.values())
        if not pre_analyzed or not isinstance(pool, TermPool) or any(n.startswith("_") for n in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema = self.schema
        names = sorted(fields)
        self._check_fields(schema, names)
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                if isinstance(value, ArticleText) and field.scorable:
                    length = pool.add_terms(name, docnum, analyzed(value)[field.role], field.format.encode)
                    perdoc.add_field(name, field, None, length)
                    continue
                # any other field, as Whoosh adds it (indexed terms, length, stored value, column)
                length = 0
                if field.indexed:
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        pool.add((name, tbytes, docnum, weight * 1.0, vbytes))  # (Whoosh: times the boost, 1.0)
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
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


class _SubWriter(SubWriterTask):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        """Whoosh's SubWriterTask.run (whoosh/multiproc.py, 2.7.5), with our writer class."""
        die_with_parent(self.parent_pid)
        # The posting pool is millions of small lists, which the cyclic garbage collector would
        # traverse again and again as it grows (about 3 s per sub-writer on the bundled corpus);
        # this process makes no reference cycles worth collecting and ends with the reindex.
        gc.disable()
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = ArnewsSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
        elif self.multisegment:
            fieldnames = writer.pool.fieldnames
            self.resultqueue.put((None, fieldnames, writer._finalize_segment()), timeout=5)
        else:
            runname, fieldnames, segment = finish_subsegment(writer, self.kwargs.get("k", 64))
            self.resultqueue.put((runname, fieldnames, segment), timeout=5)


class ArnewsMpWriter(MpWriter):
    """`procs` sub-writers, each writing its own segment (multisegment: no serial merge)."""

    def __init__(self, ix, procs: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("codec", ArnewsCodec())
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)

    def _new_task(self):  # type: ignore[no-untyped-def]
        task = _SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                          self.multisegment)
        # Daemonic: if the parent fails, the interpreter must not wait at exit for sub-writers
        # that wait on their job queue forever (the run hung, holding deleted files open).
        task.daemon = True
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        """Stop the sub-writers now and drop their work (Whoosh's cancel only flags them, and they
        wait on their job queue)."""
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(timeout=10)
        self.tasks = []
        super().cancel()
