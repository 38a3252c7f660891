"""One canonical form per article URL, so that the same article reached by two links is one
article: tracking parameters, AMP and mobile variants, fragments and case differences removed."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, never which article it is.
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|ref_url|"
                      r"cmpid|at_\w+|outputType|amp)$", re.I)
MOBILE_HOST = re.compile(r"^(m|mobile|amp|www)\.", re.I)
AMP_PATH = re.compile(r"(/amp/?$|/amp(?=/)|\.amp(?=\.html?$|$))", re.I)


def is_web_url(url: str) -> bool:
    """Only http(s) is fetched: no file:, ftp:, data: or javascript: links from a feed."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def canonical_url(url: str) -> str:
    """The article's identity as a URL: https and http alike, host lower-cased without www./m./
    amp., default port and trailing slash dropped, AMP path parts and tracking parameters removed,
    remaining parameters sorted, no fragment."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    while MOBILE_HOST.match(host) and host.count(".") > 1:
        host = MOBILE_HOST.sub("", host, count=1)
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = AMP_PATH.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k))
    return urlunsplit(("https", netloc, path, urlencode(query), ""))
