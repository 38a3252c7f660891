"""Web archives (WARC, .warc and .warc.gz: what the Internet Archive, Common Crawl's news crawl
and newsroom archiving tools write) as corpus input: each HTML response becomes an article
record; other records are skipped and counted; a truncated or damaged record ends the file's
reading with a report, keeping what came before it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from indexer.report import ReadReport
from indexer.web.pages import MAX_PAGE_BYTES, extract_page, page_record

HTML_TYPES = ("text/html", "application/xhtml+xml")


def warc_records(path: Path, file: str, report: ReadReport) -> Iterator[tuple[str, object]]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, check_digests=False)
        try:
            for rec in records:
                n += 1
                where = f"record {n}"  # (warcio's get_record_offset() would consume the payload)
                uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                if rec.rec_type != "response":
                    report.skip(file, where, f"WARC {rec.rec_type} record (not a page)")
                    continue
                status = rec.http_headers.get_statuscode() if rec.http_headers else None
                ctype = (rec.http_headers.get_header("Content-Type") or "") if rec.http_headers else ""
                if status != "200" or ctype.split(";")[0].strip().lower() not in HTML_TYPES:
                    kind = ctype[:40] or "no type"
                    report.skip(file, where, f"WARC response not an HTML page (HTTP {status}, {kind})")
                    continue
                body = rec.content_stream().read(MAX_PAGE_BYTES + 1)
                missing = getattr(rec.raw_stream, "limit", 0)  # what the record declared but the file lacks
                if len(body) <= MAX_PAGE_BYTES and missing > 0:
                    report.skip(file, where, f"truncated or damaged WARC record ({missing:,} bytes missing; "
                                             f"{uri[:120]})")
                    continue
                page = extract_page(body, uri or None)
                if isinstance(page, str):
                    report.skip(file, where, f"{page} ({uri[:120]})")
                    continue
                yield where, page_record(page, uri)
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as e:
            report.skip(file, f"record {n + 1}", f"truncated or damaged WARC record ({type(e).__name__}); "
                                                  "the rest of the file was not read")
