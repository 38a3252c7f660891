"""An article out of an HTML page (fetched, saved, or in a web archive): trafilatura finds the
article text among navigation, related links, comments and share buttons, and its metadata
(title, author, canonical URL; the publication date through htmldate)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from indexer.outlets import outlet_from_host
from indexer.web.urls import canonical_url, is_web_url

MIN_TEXT_CHARS = 80  # less than this is a stub, an index page or a paywall, not an article
MAX_PAGE_BYTES = 5 * 1024 * 1024

# trafilatura and htmldate log every page they find hard at WARNING; the run's report says it once
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass
class Page:
    title: str
    text: str
    author: str
    date: str | None  # YYYY-MM-DD as the page states it (its own time zone)
    url: str  # the page's canonical URL when it names one, else the URL it was read from
    site: str  # the site name the page gives, if any


def extract_page(html: bytes | str, url: str | None = None) -> Page | str:
    """The article of a page, or why there is none (a reason for the report)."""
    import trafilatura

    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        return "empty page"
    if len(html) > MAX_PAGE_BYTES:
        return f"page over {MAX_PAGE_BYTES:,} bytes"
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            favor_precision=True,
            date_extraction_params={"extensive_search": True, "original_date": True},
        )
    except Exception as e:  # noqa: BLE001 - a third-party parser on hostile input: report, go on
        return f"unreadable HTML ({type(e).__name__})"
    if not doc:
        return "no article text found"
    doc = doc.as_dict()
    text = (doc.get("text") or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        return "no article text found (a stub, an index page or a paywall?)"
    title = (doc.get("title") or "").strip()
    # trafilatura starts the text with the headline when the page repeats it in the body
    if title and text.startswith(title):
        text = text[len(title):].lstrip()
    return Page(title=title, text=text, author=(doc.get("author") or "").strip(),
                date=doc.get("date") or None, url=(doc.get("url") or url or "").strip(),
                site=(doc.get("sitename") or "").strip())


def page_record(page: Page, read_from: str = "") -> dict:
    """A page's article as a corpus record (indexer/records.py reads it like any other): filed
    under its site's outlet, identified by its canonical URL."""
    url = page.url if is_web_url(page.url) else read_from
    record: dict = {"title": page.title, "body": page.text, "author": page.author, "date": page.date}
    if is_web_url(url):
        record["url"] = canonical_url(url)
        record["outlet"] = outlet_from_host(urlsplit(record["url"]).hostname or "")
    if page.site:
        record["outlet_name"] = page.site
    return record
