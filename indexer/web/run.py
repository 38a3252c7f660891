"""`reindex --sources FILE`, its fetching half: each source's feeds (conditionally), then each
article page not read before, extracted and kept in the archive; the indexing half is the usual
incremental reindex of the archive folder. A feed or page that fails is reported and the run
goes on."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.report import ReadReport
from indexer.web.archive import Archive, text_hash
from indexer.web.feeds import FeedItem, parse_feed
from indexer.web.fetch import Fetcher, FetchError
from indexer.web.pages import extract_page
from indexer.web.sources import Source
from indexer.web.urls import canonical_url, is_web_url

NO_DATE = "no publication date in the feed or the page (indexed without a date)"


@dataclass
class FetchSummary:
    feeds_read: int = 0  # answered 200 or 304
    feeds_unchanged: int = 0  # 304
    feeds_failed: int = 0
    pages_fetched: int = 0
    articles: int = 0  # new articles kept in the archive
    duplicates: int = 0  # the same article by another URL, or the same text
    already_read: int = 0  # items whose page an earlier run read
    no_article: int = 0  # pages without article text
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"fetched: {self.feeds_read} feeds read ({self.feeds_unchanged} unchanged, {self.feeds_failed} "
                f"failed), {self.pages_fetched} pages fetched, {self.articles} new articles, "
                f"{self.duplicates} duplicates, {self.already_read} already read")


def fetch_sources(sources: list[Source], archive: Archive, report: ReadReport,
                  fetcher: Fetcher | None = None) -> FetchSummary:
    fetcher = fetcher or Fetcher()
    summary = FetchSummary()
    for source in sources:
        for feed_url in source.feeds:
            fetcher.set_delay(feed_url, source.delay)
            _read_feed(source, feed_url, archive, fetcher, report, summary)
            archive.commit()
    return summary


def _fail(report: ReadReport, summary: FetchSummary, source: Source, url: str, why: str) -> None:
    report.skip(f"source {source.name}", url, why)
    summary.failures.append(f"{source.name}: {url}: {why}")


def _read_feed(source: Source, feed_url: str, archive: Archive, fetcher: Fetcher, report: ReadReport,
               summary: FetchSummary) -> None:
    etag, modified = archive.validators(feed_url)
    try:
        resp = fetcher.get(feed_url, etag=etag, last_modified=modified)
    except FetchError as e:
        summary.feeds_failed += 1
        _fail(report, summary, source, feed_url, f"feed not fetched: {e}")
        return
    if resp.not_modified:
        summary.feeds_read += 1
        summary.feeds_unchanged += 1
        return
    items, problem = parse_feed(resp.body, resp.headers.get("content-type"), source.zone)
    if not items and problem:
        summary.feeds_failed += 1
        _fail(report, summary, source, feed_url, f"feed not read: {problem}")
        return
    summary.feeds_read += 1
    if problem:
        report.repair(f"source {source.name}", feed_url, f"feed not well-formed, {len(items)} items read ({problem})")
    for item in items:
        _read_item(source, feed_url, item, archive, fetcher, report, summary)
    # validators are kept only once every item has been handled: an interrupted run reads the feed again
    archive.feed_checked(feed_url, resp.headers.get("etag"), resp.headers.get("last-modified"))


def _read_item(source: Source, feed_url: str, item: FeedItem, archive: Archive, fetcher: Fetcher,
               report: ReadReport, summary: FetchSummary) -> None:
    if not is_web_url(item.url):
        _fail(report, summary, source, item.url[:200], "item link is not an http(s) URL")
        return
    key = canonical_url(item.url)
    if archive.seen(key):
        summary.already_read += 1
        return
    try:
        resp = fetcher.get(item.url)
    except FetchError as e:  # not remembered: the next run tries again
        _fail(report, summary, source, item.url, f"page not fetched: {e}")
        return
    summary.pages_fetched += 1
    html = resp.body.decode(resp.charset, "replace") if resp.charset else resp.body
    page = extract_page(html, resp.url)
    if isinstance(page, str):
        summary.no_article += 1
        archive.remember(key, page)
        report.skip(f"source {source.name}", item.url, page)
        return
    canonical = canonical_url(page.url) if is_web_url(page.url) else canonical_url(resp.url)
    digest = text_hash(page.text)
    earlier = archive.same_text(digest) or (archive.seen(canonical) and canonical != key and canonical)
    archive.remember(key, "article" if not earlier else "duplicate", digest)
    if earlier:
        summary.duplicates += 1
        return
    archive.remember(canonical, "article", digest)
    date = item.published or page.date
    if date is None:
        report.repair(f"source {source.name}", item.url, NO_DATE)
    archive.write(source.outlet, {
        "url": canonical, "title": page.title or item.title, "body": page.text,
        "author": page.author or item.author, "date": date, "outlet": source.outlet,
        "outlet_name": source.display_name, "feed": feed_url,
    })
    summary.articles += 1
