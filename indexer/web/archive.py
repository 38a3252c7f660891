"""What fetching has read so far, kept beside the index: the articles as JSONL files (one folder
per outlet, one file per day of fetching: ordinary corpus input, so a full rebuild reads them
again and nothing fetched is lost), and a small SQLite state: each feed's validators for
conditional GET, and each page already read (by canonical URL and by text hash)."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from pathlib import Path

from analyzers import normalize

STATE = "state.sqlite"
_SPACE = re.compile(r"\s+")
_SAFE = re.compile(r"[^\w-]")


def text_hash(text: str) -> str:
    """The same article text, however spaced or spelled (diacritics, hamza forms), hashes alike."""
    return hashlib.sha1(_SPACE.sub(" ", normalize(text)).strip().encode("utf-8", "surrogatepass")).hexdigest()


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(root / STATE)
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked_at TEXT);"
            "CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, text_hash TEXT, outcome TEXT, fetched_at TEXT);"
            "CREATE INDEX IF NOT EXISTS pages_hash ON pages (text_hash);"
        )
        self._day = time.strftime("%Y-%m-%d", time.gmtime())

    def validators(self, feed_url: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (feed_url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def feed_checked(self, feed_url: str, etag: str | None, last_modified: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
                        (feed_url, etag, last_modified, _now()))

    def seen(self, url: str) -> bool:
        return self.db.execute("SELECT 1 FROM pages WHERE url = ?", (url,)).fetchone() is not None

    def same_text(self, digest: str) -> str | None:
        """The URL of an article already read with this text, if any."""
        row = self.db.execute("SELECT url FROM pages WHERE text_hash = ? AND outcome = 'article'",
                              (digest,)).fetchone()
        return row[0] if row else None

    def remember(self, url: str, outcome: str, digest: str | None = None) -> None:
        """A page read (outcome 'article', or why it is not one), so no later run fetches it again."""
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", (url, digest, outcome, _now()))

    def write(self, outlet: str, record: dict) -> None:
        folder = self.root / (_SAFE.sub("_", outlet).strip("._") or "unknown")  # never ".." or a path
        folder.mkdir(exist_ok=True)
        with (folder / f"{self._day}.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
