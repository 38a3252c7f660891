"""The document store: one SQLite file holding each article's text and metadata.

Whoosh holds only postings and the id; bodies are read from here for snippets and the
article page, which keeps indexing fast and the index small.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.article import Article

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    outlet TEXT NOT NULL,
    date TEXT,
    title TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    persons TEXT NOT NULL,
    source TEXT NOT NULL,
    hash TEXT NOT NULL,
    dup_group TEXT,
    minhash BLOB
);
CREATE INDEX IF NOT EXISTS articles_dup_group ON articles (dup_group);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_COLUMNS = "id, url, outlet, date, title, author, body, persons, source, hash, dup_group"


class DocStore:
    """Thin wrapper over the SQLite file; read-only when opened with `readonly=True`."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        else:
            self.conn = sqlite3.connect(path)
            self.conn.executescript(_SCHEMA)
            self.conn.execute("PRAGMA synchronous=OFF")

    def close(self) -> None:
        self.conn.close()

    # writing -------------------------------------------------------------
    def put_many(self, articles: Iterable[Article]) -> None:
        self.conn.executemany(
            f"INSERT OR REPLACE INTO articles ({_COLUMNS}, minhash) VALUES (?,?,?,?,?,?,?,?,?,?,NULL,?)",
            (
                (a.id, a.url, a.outlet, a.date, a.title, a.author, a.body,
                 json.dumps(a.persons, ensure_ascii=False), a.source, a.content_hash, a.minhash)
                for a in articles
            ),
        )

    def set_groups(self, groups: dict[str, str]) -> None:
        """Each article's near-duplicate group (indexer/neardup.groups); the others have none."""
        self.conn.execute("UPDATE articles SET dup_group = NULL WHERE dup_group IS NOT NULL")
        self.conn.executemany("UPDATE articles SET dup_group = ? WHERE id = ?", ((g, i) for i, g in groups.items()))

    def delete_many(self, ids: Iterable[str]) -> None:
        self.conn.executemany("DELETE FROM articles WHERE id = ?", ((i,) for i in ids))

    def set_meta(self, key: str, value: object) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False))
        )

    def commit(self) -> None:
        self.conn.commit()

    # reading -------------------------------------------------------------
    def meta(self) -> dict[str, object]:
        return {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM meta")}

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, hash FROM articles"))

    def get(self, article_id: str) -> dict | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _row(row) if row else None

    def get_many(self, ids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT {_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            for row in self.conn.execute(q, chunk):
                out[row[0]] = _row(row)
        return out

    def facet_rows(self) -> Iterator[tuple[str, str, str | None, str, str | None]]:
        """(id, outlet, date, persons-json, dup_group) for every article: the input of the facet arrays."""
        yield from self.conn.execute("SELECT id, outlet, date, persons, dup_group FROM articles")

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        yield from self.conn.execute("SELECT id, minhash FROM articles WHERE minhash IS NOT NULL")

    def group_members(self, groups: list[str]) -> dict[str, list[tuple[str, str]]]:
        """group -> [(article id, outlet)] of its members."""
        out: dict[str, list[tuple[str, str]]] = {}
        for i in range(0, len(groups), 500):
            chunk = groups[i:i + 500]
            q = f"SELECT dup_group, id, outlet FROM articles WHERE dup_group IN ({','.join('?' * len(chunk))})"
            for g, aid, outlet in self.conn.execute(q + " ORDER BY date, id", chunk):
                out.setdefault(g, []).append((aid, outlet))
        return out

    def near_duplicate_stats(self) -> dict[str, int]:
        """How many groups, how many articles in them, how many groups span several outlets."""
        groups, articles = self.conn.execute(
            "SELECT COUNT(DISTINCT dup_group), COUNT(*) FROM articles WHERE dup_group IS NOT NULL").fetchone()
        cross = self.conn.execute("SELECT COUNT(*) FROM (SELECT dup_group FROM articles WHERE dup_group IS NOT NULL "
                                  "GROUP BY dup_group HAVING COUNT(DISTINCT outlet) > 1)").fetchone()[0]
        return {"groups": groups, "articles": articles, "cross_outlet_groups": cross}

    def stats(self) -> dict[str, object]:
        c = self.conn
        outlets = dict(c.execute("SELECT outlet, COUNT(*) FROM articles GROUP BY outlet ORDER BY 2 DESC"))
        dmin, dmax = c.execute("SELECT MIN(date), MAX(date) FROM articles WHERE date IS NOT NULL").fetchone()
        sources = [r[0] for r in c.execute("SELECT DISTINCT source FROM articles ORDER BY 1")]
        return {"articles": self.count(), "outlets": outlets, "date_min": dmin, "date_max": dmax, "sources": sources}


def _row(row: tuple) -> dict:
    d = dict(zip(_COLUMNS.split(", "), row))
    d["persons"] = json.loads(d["persons"])
    return d
