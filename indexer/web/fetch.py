"""Polite, bounded HTTP fetching: a user agent that names the project, robots.txt honoured, a
pause between requests to one host, conditional GET, timeouts (per read and per response),
redirects bounded and checked, a size cap, and http(s) only. Every failure is a FetchError
whose message says why, for the run's report.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from indexer.web.urls import is_web_url

USER_AGENT = "arnews/0.1 (Arabic news search engine; reads public feeds and articles; respects robots.txt)"
ROBOTS_AGENT = "arnews"
DELAY = 1.0  # seconds between two requests to one host
TIMEOUT = 10.0  # seconds to connect, and of silence while reading
TOTAL_TIMEOUT = 30.0  # seconds for one whole response (a host that trickles bytes is cut off)
MAX_BYTES = 5 * 1024 * 1024  # an article page or a feed larger than this is refused
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(RuntimeError):
    """A URL that could not be fetched; the message is the reason."""


@dataclass
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified: body empty)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"'")
        return None


class Fetcher:
    def __init__(self, delay: float = DELAY, timeout: float = TIMEOUT, total_timeout: float = TOTAL_TIMEOUT,
                 max_bytes: int = MAX_BYTES, max_redirects: int = MAX_REDIRECTS,
                 user_agent: str = USER_AGENT) -> None:
        self.delay = delay
        self.timeout = timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})
        self.session.trust_env = False  # no proxy or netrc settings picked up from the environment
        self._next: dict[str, float] = {}  # host -> earliest time of its next request
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._host_delay: dict[str, float] = {}  # a source's own delay, or robots.txt's longer Crawl-delay
        self._lock = threading.Lock()
        self.requests = 0  # how many requests were sent (tests and the run summary read it)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET `url` (conditionally when etag/last_modified are given), following at most
        max_redirects redirects, each to an http(s) URL that robots.txt allows."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(self.max_redirects + 1):
            if not is_web_url(url):
                raise FetchError(f"not an http(s) URL: {url[:200]}")
            if not self.allowed(url):
                raise FetchError("disallowed by the site's robots.txt")
            resp = self._request(url, headers)
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {resp.status} without a Location")
                url = urljoin(url, location)
                continue
            if resp.status == 304:
                return resp
            if resp.status >= 400:
                raise FetchError(f"HTTP {resp.status}")
            return resp
        raise FetchError(f"more than {self.max_redirects} redirects")

    def allowed(self, url: str) -> bool:
        """robots.txt (RFC 9309): a missing file (4xx) allows everything; an unreachable one
        (5xx, network failure) allows nothing, for now."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        return True if rules is None else rules.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        rules = urllib.robotparser.RobotFileParser()
        try:
            resp = self._request(f"{origin}/robots.txt", {}, max_bytes=512 * 1024)
        except FetchError:
            rules.parse(["User-agent: *", "Disallow: /"])
            return rules
        if resp.status >= 500:
            rules.parse(["User-agent: *", "Disallow: /"])
            return rules
        if resp.status != 200:
            return None
        rules.parse(resp.body.decode("utf-8", "replace").splitlines())
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            host = urlsplit(origin).netloc
            self._host_delay[host] = max(self._host_delay.get(host, self.delay), min(float(delay), 60.0))
        return rules

    def set_delay(self, url: str, seconds: float) -> None:
        """Pause `seconds` between requests to the host of `url` (a source's own setting)."""
        self._host_delay[urlsplit(url).netloc] = seconds

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + self._host_delay.get(host, self.delay)
        if start > now:
            time.sleep(start - now)

    def _request(self, url: str, headers: dict[str, str], max_bytes: int | None = None) -> Response:
        cap = max_bytes or self.max_bytes
        self._wait_turn(urlsplit(url).netloc)
        self.requests += 1
        deadline = time.monotonic() + self.total_timeout
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True,
                                  allow_redirects=False) as r:
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > cap:
                    raise FetchError(f"response of {int(declared):,} bytes, over the {cap:,}-byte limit")
                body = bytearray()
                for chunk in r.iter_content(CHUNK):
                    body += chunk
                    if len(body) > cap:
                        raise FetchError(f"response over the {cap:,}-byte limit")
                    if time.monotonic() > deadline:
                        raise FetchError(f"too slow: no complete response within {self.total_timeout:g} s")
                return Response(r.url, r.status_code, {k.lower(): v for k, v in r.headers.items()}, bytes(body))
        except requests.Timeout:
            raise FetchError(f"timed out (no answer within {self.timeout:g} s)") from None
        except requests.TooManyRedirects:
            raise FetchError("too many redirects") from None
        except requests.RequestException as e:
            raise FetchError(f"cannot connect ({type(e).__name__})") from None
