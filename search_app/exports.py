"""A search's articles as files: CSV and JSON (every matching article up to the export cap,
streamed) and an Atom feed of the newest ones, each taking the same parameters as the page, so
any page can be downloaded or followed in a feed reader."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, jsonify, request

from search_app import get_handle
from search_app.api import unavailable
from search_app.urls import safe_link
from searchcore import IndexUnavailable, SearchError, SearchParams
from searchcore.export import COLUMNS, Export, export_articles

bp = Blueprint("exports", __name__)

FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"


def _export(cap: int | None = None, newest: bool = False) -> Export | tuple[Response, int]:
    try:
        params = SearchParams.from_args(request.args.get, request.args.getlist)
        if newest:
            params.sort = "newest"
        return export_articles(get_handle(), params, **({"cap": cap} if cap else {}))
    except SearchError as e:
        return jsonify(error=str(e)), 400
    except IndexUnavailable as e:
        return unavailable(e)


def _filename(ext: str) -> str:
    return f'attachment; filename="arnews-results.{ext}"'


@bp.get("/results.csv")
def results_csv():  # type: ignore[no-untyped-def]
    export = _export()
    if not isinstance(export, Export):
        return export

    def lines() -> Iterator[str]:
        buf = io.StringIO()
        out = csv.writer(buf)
        buf.write("\ufeff")  # spreadsheet software reads the file as UTF-8
        out.writerow(COLUMNS)
        for row in export.rows:
            out.writerow([("؛ ".join(row[c]) if c == "persons" else row[c] or "") for c in COLUMNS])
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()

    return Response(lines(), mimetype="text/csv", headers={"Content-Disposition": _filename("csv"),
                                                          "X-Total-Count": str(export.total)})


@bp.get("/results.json")
def results_json():  # type: ignore[no-untyped-def]
    export = _export()
    if not isinstance(export, Export):
        return export

    def chunks() -> Iterator[str]:
        head = {"query": export.query, "total": export.total, "cap": export.cap, "messages": export.messages}
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "articles": ['
        for i, row in enumerate(export.rows):
            yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    return Response(chunks(), mimetype="application/json", headers={"Content-Disposition": _filename("json")})


def _stamp(day: str | None, fallback: str) -> str:
    return f"{day}T00:00:00Z" if day else fallback


@bp.get("/feed.atom")
def feed_atom():  # type: ignore[no-untyped-def]
    """The newest articles of the search, as an Atom 1.0 feed (RFC 4287)."""
    export = _export(cap=FEED_ENTRIES, newest=True)
    if not isinstance(export, Export):
        return export
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "sort"]
    base = request.host_url.rstrip("/")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = list(export.rows)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ar"})

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    key = hashlib.sha1(urlencode(sorted(args)).encode("utf-8")).hexdigest()
    add(feed, "id", f"urn:arnews:search:{key}")
    add(feed, "title", f"أخبار: {export.query}" if export.query else "أخبار: الأحدث")
    add(feed, "updated", max((_stamp(r["date"], now) for r in rows if r["date"]), default=now))
    add(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/feed.atom?{urlencode(args)}")
    add(feed, "link", rel="alternate", type="text/html", href=f"{base}/?{urlencode(args)}")
    add(add(feed, "author"), "name", "arnews")
    add(feed, "generator", "arnews")
    for r in rows:
        entry = add(feed, "entry")
        add(entry, "id", f"urn:arnews:article:{r['id']}")
        add(entry, "title", r["title"])
        add(entry, "updated", _stamp(r["date"], now))
        add(entry, "link", rel="alternate", type="text/html", href=f"{base}/article/{r['id']}")
        original = safe_link(r["url"])
        if original:
            add(entry, "link", rel="related", href=original)
        add(entry, "summary", r["snippet"])
        add(entry, "category", term=r["outlet"], label=r["outlet_name"])
        for person in r["persons"][:20]:
            add(entry, "category", term=person, scheme="urn:arnews:person")
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, mimetype="application/atom+xml")


def export_links(args: list[tuple[str, Any]]) -> dict[str, str]:
    """The page's export and feed URLs for its own parameters (no paging)."""
    q = urlencode([(k, v) for k, v in args if k not in ("page", "per_page", "facet_size")])
    suffix = f"?{q}" if q else ""
    return {"csv": f"/results.csv{suffix}", "json": f"/results.json{suffix}", "atom": f"/feed.atom{suffix}"}
