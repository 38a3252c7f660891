"""Turn one raw JSON record (SaudiNewsNet or generic field names) into an Article, or say why not."""

from __future__ import annotations

import re
from datetime import date, datetime

from indexer.article import Article, make_id
from indexer.outlets import outlet_id
from indexer.report import EMPTY_RECORD, TITLE_ONLY, ReadReport

MAX_BODY_CHARS = 400_000  # longer bodies are truncated (and reported): no real article is this long
MAX_FIELD_CHARS = 2_000  # title, author, url
MAX_PERSON_CHARS = 100
MAX_OUTLET_NAME_CHARS = 100  # a person's name; longer "names" given by a record are dropped
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone one (JSON "\\ud800") cannot be stored as UTF-8
_ID_OK = re.compile(r"^[\w.:-]{1,128}$")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y")


def parse_date(raw: object) -> str | None:
    """ISO date (YYYY-MM-DD) from the date formats corpora use; None if it cannot be read."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw <= 0:  # 0 and -1 mean "unknown" in exports, not 1970-01-01 or 1969-12-31
            return None
        try:
            return datetime.utcfromtimestamp(float(raw)).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    try:
        d = datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        d = None
        for fmt in _DATE_FORMATS:
            try:
                d = datetime.strptime(text[: len(fmt) + 4], fmt).date()
                break
            except ValueError:
                continue
    if d is None or not (date(1800, 1, 1) <= d <= date(2200, 1, 1)):
        return None
    return d.isoformat()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        return ""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value)).replace("\r\n", "\n").strip()


def _first(record: dict, *names: str) -> object:
    for n in names:
        if n in record and record[n] not in (None, ""):
            return record[n]
    return None


def article_from_record(record: object, file: str, position: str, report: ReadReport) -> Article | None:
    """Build an Article; problems are recorded in `report` (skipped → None, repaired → fixed value)."""
    if not isinstance(record, dict):
        report.skip(file, position, "record is not a JSON object")
        return None
    title = _text(_first(record, "title", "headline"))
    body = _text(_first(record, "content", "body", "text"))
    if not body and not title:
        report.skip(file, position, EMPTY_RECORD)
        return None
    if not body:
        report.repair(file, position, TITLE_ONLY)
        body = title
    if len(body) > MAX_BODY_CHARS:
        report.repair(file, position, f"body longer than {MAX_BODY_CHARS} characters (truncated)")
        body = body[:MAX_BODY_CHARS]
    if len(title) > MAX_FIELD_CHARS:
        report.repair(file, position, "title too long (truncated)")
        title = title[:MAX_FIELD_CHARS]
    if not title:
        title = body.split("\n", 1)[0][:200]
    url = _text(_first(record, "url", "link"))[:MAX_FIELD_CHARS]
    raw_date = _first(record, "date_extracted", "date", "published", "datetime")
    iso = parse_date(raw_date)
    if raw_date is not None and iso is None:
        report.repair(file, position, "unparseable date (indexed without a date)")
    raw_id = record.get("id")
    if (isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and _ID_OK.match(str(raw_id))
            and str(raw_id).strip(".")):  # "." and ".." would collapse the article's link
        aid = str(raw_id)
    else:
        if raw_id not in (None, ""):
            report.repair(file, position, "unusable id (replaced by a hash)")
        aid = make_id(url, title, body)
    persons_raw = record.get("persons")
    persons_given = isinstance(persons_raw, list)
    persons = [p for p in (_text(x) for x in persons_raw or []) if p][:200] if persons_given else []
    if any(len(p) > MAX_PERSON_CHARS for p in persons):
        report.repair(file, position, f"person name longer than {MAX_PERSON_CHARS} characters (dropped)")
        persons = [p for p in persons if len(p) <= MAX_PERSON_CHARS]
    return Article(
        id=aid,
        title=title,
        body=body,
        url=url,
        outlet=outlet_id(_first(record, "source", "outlet")),
        outlet_name=_text(record.get("outlet_name"))[:MAX_OUTLET_NAME_CHARS],
        date=iso,
        author=_text(_first(record, "author", "byline"))[:MAX_FIELD_CHARS],
        persons=persons,
        persons_given=persons_given,
        source=file,
    )
