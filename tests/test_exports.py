"""Exports (issue 19): every results page has CSV and JSON twins holding all matching articles up
to the cap, in the page's order, and an Atom feed of the newest; each read back and compared with
/api/search."""

from __future__ import annotations

import csv
import io
import json
import re
from xml.etree import ElementTree as ET

import pytest

from searchcore.export import COLUMNS

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _all_ids(client, args: dict) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    first = client.get("/api/search", query_string={**args, "per_page": "100"}).get_json()
    ids = [h["id"] for h in first["hits"]]
    for page in range(2, first["pages"] + 1):
        ids += [h["id"] for h in client.get("/api/search", query_string={**args, "per_page": "100",
                                                                          "page": str(page)}).get_json()["hits"]]
    return first["total"], ids


def test_csv_holds_every_matching_article_in_order(client) -> None:  # type: ignore[no-untyped-def]
    args = {"q": "خبر OR تقرير", "match": "any", "outlet": "okaz", "sort": "newest"}
    total, ids = _all_ids(client, args)
    r = client.get("/results.csv", query_string=args)
    assert r.status_code == 200 and r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    text = r.get_data(as_text=True)
    assert text.startswith("\ufeff")  # spreadsheet software reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert tuple(rows[0].keys()) == COLUMNS and total > 5
    assert [row["id"] for row in rows] == ids
    api = {h["id"]: h for h in client.get("/api/search", query_string={**args, "per_page": "100"}).get_json()["hits"]}
    for row in rows:
        if row["id"] in api:
            hit = api[row["id"]]
            assert (row["title"], row["outlet"], row["date"] or None) == (hit["title"], hit["outlet"], hit["date"])
            assert row["persons"].split("؛ ") == hit["persons"] or (not hit["persons"] and row["persons"] == "")
            assert "<mark>" not in row["snippet"] and row["snippet"]


def test_json_export_and_its_cap(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    total, ids = _all_ids(client, {"q": ""})
    data = json.loads(client.get("/results.json").get_data(as_text=True))
    assert data["total"] == total and [a["id"] for a in data["articles"]] == ids
    import searchcore.export as export

    monkeypatch.setattr(export, "EXPORT_CAP", 7)
    monkeypatch.setattr(export, "CHUNK", 3)  # several chunks, the last one short
    from searchcore import IndexHandle, SearchParams

    handle = client.application.extensions["arnews_handle"]
    assert isinstance(handle, IndexHandle)
    out = export.export_articles(handle, SearchParams(q=""), cap=7)
    assert out.total == total and [r["id"] for r in out.rows] == ids[:7]


def test_atom_feed_is_valid_and_newest_first(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/feed.atom", query_string={"q": "الرئيس", "outlet": "alriyadh"})
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    root = ET.fromstring(r.data)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link"))
    entries = root.findall(f"{ATOM}entry")
    newest = client.get("/api/search", query_string={"q": "الرئيس", "outlet": "alriyadh", "sort": "newest",
                                                     "per_page": "50"}).get_json()
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"urn:arnews:article:{h['id']}" for h in newest["hits"]]
    ids = set()
    for e in entries:
        assert e.findtext(f"{ATOM}title") and RFC3339.match(e.findtext(f"{ATOM}updated"))
        assert e.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://localhost/article/")
        ids.add(e.findtext(f"{ATOM}id"))
    assert len(ids) == len(entries) > 0


@pytest.mark.parametrize("args", [{"q": "الرئيس", "outlet": "alriyadh"}, {}, {"q": "لاشيءيطابقهذا"},
                                  {"person": "عادل الجبير", "from": "2015-01-01"}])
def test_atom_feed_passes_rfc_4287_and_a_feed_reader(client, args) -> None:  # type: ignore[no-untyped-def]
    """Validated by the RFC's MUST rules (tests/atom_rules.py) and read back by feedparser, the
    parser feed readers build on: no error flagged, Atom 1.0, the same entries as the API."""
    import feedparser

    from tests.atom_rules import atom_violations

    body = client.get("/feed.atom", query_string=args).data
    assert atom_violations(body) == []
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and parsed.feed.get("language") == "ar"
    newest = client.get("/api/search", query_string={**args, "sort": "newest", "per_page": "50"}).get_json()
    assert [e.title for e in parsed.entries] == [h["title"] for h in newest["hits"]]
    assert all(e.updated_parsed and e.link.startswith("http://localhost/article/") for e in parsed.entries)


def test_the_atom_checker_catches_violations() -> None:
    from tests.atom_rules import atom_violations

    good = (f'<feed xmlns="{ATOM[1:-1]}"><id>urn:x:1</id><title>t</title><updated>2015-07-21T00:00:00Z</updated>'
            '<author><name>a</name></author><entry><id>urn:x:2</id><title>e</title>'
            '<updated>2015-07-21T00:00:00Z</updated><link href="http://x/"/></entry></feed>')
    assert atom_violations(good.encode()) == []
    bad = {
        "no id": good.replace("<id>urn:x:1</id>", ""),
        "date": good.replace("2015-07-21T00:00:00Z</updated><author>", "21/07/2015</updated><author>"),
        "relative id": good.replace("urn:x:2", "article-2"),
        "no link or content": good.replace('<link href="http://x/"/>', ""),
        "no author": good.replace("<author><name>a</name></author>", ""),
        "unknown element": good.replace("<title>t</title>", "<title>t</title><colour>red</colour>"),
        "not xml": good[:-3],
    }
    for why, doc in bad.items():
        assert atom_violations(doc.encode()), why


def test_the_page_links_its_exports_and_feed(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/", query_string={"q": "الرئيس", "person": "عادل الجبير", "page": "2"}).get_data(as_text=True)
    for path in ("/results.csv?", "/results.json?", "/feed.atom?"):
        assert path in page
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert "page=2" not in re.search(r'href="(/results\.csv[^"]*)"', page).group(1)


def test_exports_of_bad_parameters_are_clear_errors(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/results.csv", query_string={"from": "2015-13-45"})
    assert r.status_code in (200, 400)
    many = "&".join(f"person=p{i}" for i in range(60))
    r = client.get(f"/results.json?{many}")
    assert r.status_code == 400 and "error" in r.get_json()
