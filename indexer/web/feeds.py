"""A feed's items (RSS 2.0, Atom, RSS 1.0) through feedparser, with each item's publication
date as the outlet's local date."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass
class FeedItem:
    url: str
    title: str
    published: str | None  # YYYY-MM-DD in the outlet's time zone, or None
    author: str
    summary: str


def local_date(raw: str | None, zone: ZoneInfo) -> str | None:
    """A feed's date (RFC 822 in RSS, RFC 3339 in Atom) as a date in the outlet's time zone; a
    date without an offset is taken as the outlet's local time. None when it cannot be read."""
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    when: datetime | None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    try:
        return when.astimezone(zone).date().isoformat()
    except (OverflowError, ValueError):
        return None


def parse_feed(body: bytes, content_type: str | None, zone: ZoneInfo) -> tuple[list[FeedItem], str | None]:
    """The items of a feed, and a problem to report (None when it parsed cleanly). Not a feed at
    all: no items and the reason."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-type": content_type or "application/xml"})
    problem = None
    if parsed.bozo:
        problem = f"{type(parsed.bozo_exception).__name__}: {str(parsed.bozo_exception)[:120]}"
    if not parsed.version and not parsed.entries:
        return [], f"not a feed ({problem or 'no RSS or Atom found'})"
    items = []
    for e in parsed.entries:
        link = e.get("link") or ""
        if not link:
            continue
        raw = e.get("published") or e.get("updated") or e.get("dc_date") or e.get("created")
        items.append(FeedItem(url=link.strip(), title=(e.get("title") or "").strip(),
                              published=local_date(raw, zone), author=(e.get("author") or "").strip(),
                              summary=(e.get("summary") or "").strip()))
    return items, problem
