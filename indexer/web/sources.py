"""The sources file: which outlets' feeds `reindex --sources FILE` reads (TOML).

    [[source]]
    name = "Okaz"                            # how reports name it
    outlet = "okaz"                          # the outlet id articles are filed under
    display_name = "عكاظ"                     # shown on the page
    feeds = ["https://www.okaz.com.sa/rss"]  # RSS 2.0, Atom or RSS 1.0
    language = "ar"
    timezone = "Asia/Riyadh"                 # the outlet's own: dates are its local dates
    delay = 1.0                              # optional: seconds between requests to its hosts

    [fetch]                                  # optional, for all sources (defaults in indexer/web/fetch.py)
    timeout = 10                             # seconds to connect, and of silence while reading
    total_timeout = 30                       # seconds for one whole response
    max_bytes = 5242880                      # a larger page or feed is refused
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from indexer.outlets import outlet_id
from indexer.web.fetch import DELAY
from indexer.web.urls import is_web_url


class SourcesError(ValueError):
    """The sources file cannot be used as written; the message says where and why."""


@dataclass(frozen=True)
class Source:
    name: str
    outlet: str
    display_name: str
    feeds: tuple[str, ...]
    language: str = "ar"
    timezone: str = "UTC"
    delay: float = DELAY

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


FETCH_OPTIONS = {"timeout": (0.1, 300), "total_timeout": (0.1, 3600), "max_bytes": (1024, 1 << 30),
                 "max_redirects": (0, 20)}


def fetch_options(path: Path) -> dict[str, float]:
    """The [fetch] table of a sources file: keyword arguments for Fetcher, each checked."""
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("fetch") or {}
    if not isinstance(table, dict):
        raise SourcesError(f"{path}: [fetch] must be a table")
    out: dict[str, float] = {}
    for key, value in table.items():
        if key not in FETCH_OPTIONS:
            raise SourcesError(f"{path}: [fetch] has no setting {key!r} (known: {', '.join(FETCH_OPTIONS)})")
        low, high = FETCH_OPTIONS[key]
        if not isinstance(value, (int, float)) or not low <= value <= high:
            raise SourcesError(f"{path}: [fetch] {key} must be a number from {low} to {high}")
        out[key] = int(value) if key in ("max_bytes", "max_redirects") else float(value)
    return out


def load_sources(path: Path) -> list[Source]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SourcesError(f"{path}: cannot read it ({e.strerror or e})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SourcesError(f"{path}: not valid TOML ({e})") from None
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path}: no [[source]] entries")
    out = []
    for i, e in enumerate(entries, 1):
        where = f"{path}: source {i}"
        if not isinstance(e, dict):
            raise SourcesError(f"{where}: not a table")
        feeds = e.get("feeds")
        if isinstance(feeds, str):
            feeds = [feeds]
        if not isinstance(feeds, list) or not feeds or not all(isinstance(f, str) for f in feeds):
            raise SourcesError(f"{where}: `feeds` must be a list of URLs")
        bad = [f for f in feeds if not is_web_url(f)]
        if bad:
            raise SourcesError(f"{where}: not an http(s) URL: {bad[0][:100]}")
        outlet = outlet_id(e.get("outlet") or e.get("name"))
        name = str(e.get("name") or outlet)
        tz = str(e.get("timezone") or "UTC")
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise SourcesError(f"{where}: unknown time zone {tz!r} (an IANA name such as Asia/Riyadh)") from None
        delay = e.get("delay", DELAY)
        if not isinstance(delay, (int, float)) or not 0 <= delay <= 3600:
            raise SourcesError(f"{where}: `delay` must be a number of seconds")
        out.append(Source(name=name, outlet=outlet, display_name=str(e.get("display_name") or name),
                          feeds=tuple(feeds), language=str(e.get("language") or "ar"), timezone=tz,
                          delay=float(delay)))
    return out
