"""Corpus readers: SaudiNewsNet zips, JSON arrays, JSONL, folders of .txt files with sidecars,
saved .html pages and web archives (.warc, .warc.gz)."""

from __future__ import annotations

import codecs
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.article import Article
from indexer.records import article_from_record
from indexer.report import ReadReport

CORPUS_SUFFIXES = (".zip", ".json", ".jsonl", ".ndjson", ".txt", ".html", ".htm", ".warc", ".warc.gz")
SIDECAR_OF = (".txt", ".html", ".htm")  # name.json beside name.txt or name.html is its metadata
# A zip member is read whole (a JSON array is parsed at once): one larger than this, by its
# declared size, is skipped and reported (a 1 MB zip of 1 GB took 2.2 GB of memory), and the
# read itself is bounded, whatever the header says.
MAX_MEMBER_BYTES = 256 * 1024 * 1024


def _decode(data: bytes, file: str, report: ReadReport) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        report.repair(file, f"byte {e.start}", "invalid UTF-8 (bad bytes replaced)")
        return data.decode("utf-8-sig", errors="replace")


def _inside(path: Path, root: Path) -> bool:
    """Whether `path`, its links followed, is within the folder `root` (also resolved)."""
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):  # a dangling link or a loop
        return False


def corpus_files(paths: list[Path], report: ReadReport | None = None) -> list[tuple[Path, Path]]:
    """Every readable corpus file under the given paths, in a stable order, with the folder its
    links must stay in (a file named directly: its own folder).

    A .json file next to a .txt file of the same stem is that text's sidecar, not a corpus file.
    Links that lead out of the given folder (to /etc/passwd, /proc/self/environ) are not
    followed: they are reported and skipped.
    """
    found: list[tuple[Path, Path]] = []
    for p in paths:
        if p.is_dir():
            root = p.resolve()
            candidates = sorted(x for x in p.rglob("*") if x.name.lower().endswith(CORPUS_SUFFIXES)
                                and (x.is_file() or x.is_symlink()))
        else:
            root, candidates = p.resolve().parent, [p]
        for f in candidates:
            if f.suffix.lower() == ".json" and any(f.with_suffix(s).exists() for s in SIDECAR_OF):
                continue
            if p.is_dir() and not (_inside(f, root) and f.is_file()):
                if report is not None:
                    report.skip(display_name(f), "file", "a link out of the corpus folder (not followed)")
                continue
            found.append((f, root))
    return found


def display_name(path: Path) -> str:
    """A file's name as text that can be stored and printed: bytes of a name that are not UTF-8
    (kept by Python as lone surrogates) become U+FFFD."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _loads(text: str) -> object:
    """json.loads; its failures all raise ValueError (malformed, an integer of more than 4,300
    digits) or RecursionError (nested deeper than Python's stack), which the callers report."""
    return json.loads(text)


def _records_from_json_text(text: str, file: str, report: ReadReport) -> Iterator[tuple[str, object]]:
    try:
        data = _loads(text)
    except json.JSONDecodeError as e:
        report.skip(file, f"line {e.lineno}", f"malformed JSON ({e.msg}); file skipped")
        return
    except (ValueError, RecursionError) as e:
        report.skip(file, "file", f"unreadable JSON ({type(e).__name__}: {str(e)[:80]}); file skipped")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        report.skip(file, "file", "JSON is not an array of articles")
        return
    for i, rec in enumerate(data):
        yield f"record {i}", rec


def _records_from_jsonl(lines: Iterable[str], file: str, report: ReadReport) -> Iterator[tuple[str, object]]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = _loads(line)
        except json.JSONDecodeError as e:
            report.skip(file, f"line {n}", f"malformed JSON ({e.msg})")
            continue
        except (ValueError, RecursionError) as e:
            report.skip(file, f"line {n}", f"unreadable JSON ({type(e).__name__}: {str(e)[:80]})")
            continue
        yield f"line {n}", rec


def _jsonl_lines(path: Path, file: str, report: ReadReport) -> Iterator[str]:
    """The lines of a JSONL file, read one at a time (a corpus file can be larger than memory)."""
    with path.open("rb") as f:
        for n, raw in enumerate(f, 1):
            if n == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as e:
                report.repair(file, f"line {n}, byte {e.start}", "invalid UTF-8 (bad bytes replaced)")
                yield raw.decode("utf-8", errors="replace")


def _read_txt(path: Path, report: ReadReport, root: Path) -> Iterator[tuple[str, object]]:
    file = display_name(path)
    text = _decode(path.read_bytes(), file, report)
    lines = text.strip().split("\n")
    record: dict = {"title": lines[0].strip() if lines else "", "body": "\n".join(lines[1:]).strip()}
    _complete(path, record, report, root)
    yield "file", record


def _read_html(path: Path, report: ReadReport, root: Path) -> Iterator[tuple[str, object]]:
    """A saved page: its article through the same extraction as fetched pages; a sidecar
    name.json may add or correct metadata (outlet, date, url)."""
    from indexer.web.pages import MAX_PAGE_BYTES, extract_page, page_record

    if path.stat().st_size > MAX_PAGE_BYTES:
        report.skip(display_name(path), "file", f"page over {MAX_PAGE_BYTES:,} bytes")
        return
    page = extract_page(path.read_bytes())
    if isinstance(page, str):
        report.skip(display_name(path), "file", page)
        return
    record = page_record(page)
    _complete(path, record, report, root)
    yield "file", record


def _complete(path: Path, record: dict, report: ReadReport, root: Path) -> None:
    """A file's record completed: the metadata of name.json beside it (never its text), and the
    file's name as its id when it has neither id nor URL."""
    sidecar = path.with_suffix(".json")
    if sidecar.exists() and not _inside(sidecar, root):
        report.repair(display_name(sidecar), "file", "sidecar is a link out of the corpus folder (not followed)")
    elif sidecar.exists():
        try:
            meta = _loads(_decode(sidecar.read_bytes(), display_name(sidecar), report))
        except json.JSONDecodeError as e:
            report.repair(display_name(sidecar), f"line {e.lineno}", f"malformed sidecar JSON ({e.msg}); ignored")
            meta = {}
        except (ValueError, RecursionError) as e:
            report.repair(display_name(sidecar), "file", f"unreadable sidecar JSON ({type(e).__name__}); ignored")
            meta = {}
        if isinstance(meta, dict):
            record.update({k: v for k, v in meta.items() if k not in ("body", "content", "text")})
        else:
            report.repair(display_name(sidecar), "file", "sidecar is not a JSON object; ignored")
    if not record.get("id") and not record.get("url"):
        record["id"] = path.stem


def read_file(path: Path, report: ReadReport, root: Path | None = None) -> Iterator[Article]:
    """Articles from one corpus file (its sidecar must stay within `root`, by default its own
    folder); every problem goes to `report`, nothing raises."""
    file = display_name(path)
    report.files += 1
    suffix = path.suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                members = [m for m in z.namelist() if m.lower().endswith((".json", ".jsonl"))]
                if not members:
                    report.skip(file, "file", "zip holds no .json file")
                for m in members:
                    where = f"{file}!{m}"
                    size = z.getinfo(m).file_size
                    if size > MAX_MEMBER_BYTES:
                        report.skip(where, "file", f"zip member of {size:,} bytes, over the "
                                    f"{MAX_MEMBER_BYTES:,}-byte limit (a zip bomb?); skipped")
                        continue
                    with z.open(m) as f:
                        data = f.read(MAX_MEMBER_BYTES + 1)
                    if len(data) > MAX_MEMBER_BYTES:
                        report.skip(where, "file", f"zip member over the {MAX_MEMBER_BYTES:,}-byte limit; skipped")
                        continue
                    text = _decode(data, where, report)
                    recs = (
                        _records_from_jsonl(text.split("\n"), where, report)
                        if m.lower().endswith(".jsonl")
                        else _records_from_json_text(text, where, report)
                    )
                    yield from _articles(recs, where, report)
            return
        if suffix == ".txt":
            yield from _articles(_read_txt(path, report, root or path.resolve().parent), file, report)
            return
        if suffix in (".html", ".htm"):
            yield from _articles(_read_html(path, report, root or path.resolve().parent), file, report)
            return
        if path.name.lower().endswith((".warc", ".warc.gz")):
            from indexer.web.warc import warc_records

            yield from _articles(warc_records(path, file, report), file, report)
            return
        if suffix in (".jsonl", ".ndjson"):
            recs = _records_from_jsonl(_jsonl_lines(path, file, report), file, report)
        else:
            recs = _records_from_json_text(_decode(path.read_bytes(), file, report), file, report)
        yield from _articles(recs, file, report)
    except (OSError, zipfile.BadZipFile, EOFError) as e:
        report.skip(file, "file", f"unreadable file ({type(e).__name__}: {e})")


def _articles(records: Iterator[tuple[str, object]], file: str, report: ReadReport) -> Iterator[Article]:
    for position, rec in records:
        report.records += 1
        art = article_from_record(rec, file, position, report)
        if art is not None:
            yield art


def read_corpus(paths: list[Path], report: ReadReport) -> Iterator[Article]:
    """All articles under `paths`, duplicates (same id) skipped and reported."""
    seen: set[str] = set()
    for f, root in corpus_files(paths, report):
        for art in read_file(f, report, root):
            if art.id in seen:
                report.skip(art.source, art.id, "duplicate id (first occurrence kept)")
                continue
            seen.add(art.id)
            yield art
