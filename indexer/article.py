"""The article record every corpus reader produces, and its stable id and content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class Article:
    id: str
    title: str
    body: str
    url: str = ""
    outlet: str = "unknown"
    outlet_name: str = ""  # the outlet's display name when the source gives one (sources file, sidecar)
    date: str | None = None  # ISO date YYYY-MM-DD, or None when unknown
    author: str = ""
    persons: list[str] = field(default_factory=list)
    source: str = ""  # file the article was read from
    persons_given: bool = False  # persons came with the record (not extracted)
    minhash: bytes | None = None  # near-duplicate signature (indexer/neardup.py), computed with the persons

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the index; a change means the article must be updated."""
        h = hashlib.sha1()
        given = "\x1f".join(self.persons) if self.persons_given else ""
        for part in (self.title, self.body, self.url, self.outlet, self.date or "", self.author, given):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x1e")
        return h.hexdigest()


def make_id(url: str, title: str, body: str) -> str:
    """Stable id: from the URL when there is one, else from the content."""
    key = url.strip() if url and url.strip() else f"{title}\x1e{body}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
