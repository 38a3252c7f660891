"""`reindex --sources FILE` and web archives against a local Arabic news web (tests/web_fixtures.py):
feeds of every kind become searchable articles with persons, outlets and local dates; a second
run asks with conditional GET and fetches nothing already read; every bad source or record is
reported and the run goes on; fetching is polite and bounded."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from indexer.report import ReadReport
from searchcore import IndexHandle, SearchParams, run_search
from tests.web_fixtures import ARTICLES, FixtureWeb, Route, article_text, atom, outlet_page, rss1, rss2

DELAY = 0.2


def build_site(web: FixtureWeb) -> None:
    b = web.base
    page = lambda key, **kw: Route(outlet_page(key, **kw).encode())  # noqa: E731
    web.routes.update({
        "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/news/jubeir.html": page("jubeir", canonical=f"{b}/news/jubeir.html"),
        "/news/rain.html": page("rain"),
        "/news/league.html": page("league"),
        "/news/budget.html": page("budget", with_date=False),
        "/mirror/jubeir-copy.html": page("jubeir"),  # the same text at another address
        "/private/secret.html": page("rain"),
        "/news/huge.html": Route(outlet_page("rain").encode() + b"<!--" + b"x" * 400_000 + b"-->"),
        "/news/slow.html": Route(outlet_page("league").encode(), slow=0.5),
        "/go/league": Route(status=302, location="/news/league.html"),
        "/go/loop": Route(status=302, location="/go/loop"),
        "/go/file": Route(status=302, location="file:///etc/passwd"),
        "/feed/main.rss": Route(rss2(b, [
            ("jubeir", f"{b}/news/jubeir.html"), ("rain", f"{b}/news/rain.html?utm_source=rss&utm_medium=feed"),
            ("league", f"{b}/go/league"), ("rain", f"{b}/private/secret.html"), ("rain", f"{b}/news/huge.html"),
            ("league", f"{b}/news/slow.html"), ("league", f"{b}/go/loop"), ("league", f"{b}/go/file")]),
            content_type="application/rss+xml", etag='"v1"'),
        "/feed/atom.xml": Route(atom(b, [("rain", f"{b}/news/rain.html"), ("jubeir", f"{b}/mirror/jubeir-copy.html")]),
                                content_type="application/atom+xml"),
        "/feed/rdf.xml": Route(rss1(b, [("league", f"{b}/news/league.html")]), content_type="application/rdf+xml"),
        "/feed/cp1256.rss": Route(rss2(b, [("budget", f"{b}/news/budget.html")], encoding="windows-1256"),
                                  content_type="application/rss+xml; charset=windows-1256"),
        "/feed/broken.rss": Route(b"<html><body>this is not a feed</body></html>", content_type="text/html"),
    })


def sources_file(path: Path, web: FixtureWeb) -> Path:
    feeds = ", ".join(f'"{web.base}{f}"' for f in ("/feed/main.rss", "/feed/atom.xml", "/feed/rdf.xml",
                                                  "/feed/cp1256.rss", "/feed/broken.rss", "/feed/missing.rss"))
    path.write_text(f"""
[fetch]
timeout = 2
total_timeout = 1.5
max_bytes = 300000

[[source]]
name = "Test Daily"
outlet = "testdaily"
display_name = "صحيفة الاختبار"
feeds = [{feeds}]
language = "ar"
timezone = "Asia/Riyadh"
delay = {DELAY}
""", encoding="utf-8")
    return path


def write_warc(path: Path, truncate: bool = True) -> Path:
    """An archive as crawlers write it: a request and its HTML response (the Jubeir story as Okaz
    carried it), an image, a metadata record, and a last page cut off mid-record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    url = "https://www.okaz.com.sa/news/politics/2150001"

    def response(target: str, body: bytes, ctype: str) -> None:
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(target, "response", payload=io.BytesIO(body),
                                                      http_headers=http))

    writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    response(url, outlet_page("jubeir").encode(), "text/html; charset=utf-8")
    response("https://www.okaz.com.sa/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
    writer.write_record(writer.create_warc_record(url, "metadata", payload=io.BytesIO(b"via: test"),
                                                  warc_content_type="application/warc-fields"))
    good = buf.tell()
    response("https://www.okaz.com.sa/news/sport/2150002", outlet_page("league").encode(), "text/html")
    data = buf.getvalue()
    path.write_bytes(data[: good + (len(data) - good) // 2] if truncate else data)
    return path


def reindex(index: Path, *args: str) -> subprocess.CompletedProcess:
    """The `arnews reindex` command, run in this process (the person tagger loads once for all
    the runs of the tests, not once per run)."""
    from click.testing import CliRunner

    from arnews.cli import main

    r = CliRunner().invoke(main, ["--index", str(index), "reindex", *args])
    if r.exception and not isinstance(r.exception, SystemExit):
        raise r.exception
    return subprocess.CompletedProcess(["arnews", "reindex", *args], r.exit_code, r.stdout, r.stderr)


def search(index: Path, q: str = "", **lists: list[str]) -> dict:
    args = {"q": q, "per_page": "50"}
    return run_search(IndexHandle(index), SearchParams.from_args(args.get, lambda k: lists.get(k, [])))


@pytest.fixture()
def web():
    site = FixtureWeb().start()
    build_site(site)
    yield site
    site.stop()


def test_sources_and_a_warc_become_searchable_articles(web: FixtureWeb, tmp_path: Path) -> None:
    index = tmp_path / "index"
    run = reindex(index, "--sources", str(sources_file(tmp_path / "sources.toml", web)),
                  str(write_warc(tmp_path / "crawl.warc.gz")))
    assert run.returncode == 0, run.stdout + run.stderr
    # the same story by another address: one already read (tracking parameters, one in two feeds),
    # one with the same text
    assert "4 new articles, 1 duplicates, 2 already read" in run.stdout, run.stdout

    everything = search(index)
    assert everything["total"] == 5  # four stories from the feeds, and Okaz's copy of one from the archive
    by_url = {h["url"]: h for h in everything["hits"]}
    jubeir = by_url[f"https://127.0.0.1:{web.server.server_address[1]}/news/jubeir.html"]
    assert jubeir["date"] == "2026-12-01"  # 22:30 UTC on 30 November is 1 December in Riyadh
    assert jubeir["outlet_name"] == "صحيفة الاختبار" and jubeir["title"] == ARTICLES["jubeir"]["title"]
    assert any("الجبير" in p for p in jubeir["persons"])
    budget = next(h for h in everything["hits"] if h["title"] == ARTICLES["budget"]["title"])
    assert budget["date"] is None  # windows-1256 feed read; no date anywhere: indexed without one
    outlets = {o["value"]: o for o in everything["facets"]["outlet"]}
    assert outlets["testdaily"]["count"] == 4 and outlets["testdaily"]["label"] == "صحيفة الاختبار"
    assert outlets["okaz"]["count"] == 1  # the archive's page is filed under its site's outlet

    found = search(index, "الجبير كيري")
    assert {h["outlet"] for h in found["hits"]} == {"testdaily", "okaz"}
    # one wire story in two outlets: a near-duplicate group, each copy naming the other
    assert [[d["outlet"] for d in h["near_duplicates"]] for h in found["hits"]] in (
        [["okaz"], ["testdaily"]], [["testdaily"], ["okaz"]])
    assert search(index, "امطار جده")["total"] == 1  # spelling-tolerant as on the bundled corpus

    report = json.loads((index / "last-report.json").read_text())
    reasons = [f"{p['position']} {p['reason']}" for p in report["problems"]]

    def reported(*words: str) -> bool:
        return any(all(w in r for w in words) for r in reasons)

    assert reported("/private/secret.html", "robots.txt")
    assert reported("/news/huge.html", "300,000-byte limit")
    assert reported("/news/slow.html", "too slow")
    assert reported("/go/loop", "redirects")
    assert reported("/go/file", "not an http(s) URL")
    assert reported("/feed/broken.rss", "not a feed")
    assert reported("/feed/missing.rss", "HTTP 404")
    assert reported("/news/budget.html", "no publication date")
    assert reported("WARC request record")
    assert reported("WARC response not an HTML page", "image/png")
    assert reported("truncated or damaged WARC record")
    assert all(p["file"] == "source Test Daily" for p in report["problems"] if "/feed/" in p["position"])

    # polite: the project's user agent, robots.txt once, the disallowed page never asked for, and
    # at least `delay` between two requests to the one host
    assert all(h.get("User-Agent", "").startswith("arnews/") for _, _, h in web.log)
    assert len(web.requested("/robots.txt")) == 1
    assert not web.requested("/private/secret.html")
    times = [t for t, _, _ in web.log]
    assert min(b - a for a, b in zip(times, times[1:])) >= DELAY * 0.9


def test_a_second_run_fetches_only_what_changed(web: FixtureWeb, tmp_path: Path) -> None:
    index, sources = tmp_path / "index", sources_file(tmp_path / "sources.toml", web)
    assert reindex(index, "--sources", str(sources)).returncode == 0
    first = len(web.log)
    generation = os.readlink(index / "current")

    again = reindex(index, "--sources", str(sources), "--quiet")
    assert again.returncode == 0, again.stderr
    second = [path for _, path, _ in web.log[first:]]
    main = web.requested("/feed/main.rss")
    assert main[-1].get("If-None-Match") == '"v1"'  # conditional GET: the unchanged feed costs one 304
    assert not any(p.startswith(("/news/jubeir", "/news/rain", "/news/league", "/news/budget", "/mirror/"))
                   for p in second), second
    assert os.readlink(index / "current") == generation  # nothing new: the live index is kept

    web.routes["/news/new.html"] = Route(outlet_page("league", canonical=f"{web.base}/news/new.html")
                                         .replace("الهلال", "الاتحاد").encode())
    web.routes["/feed/main.rss"] = Route(rss2(web.base, [("league", f"{web.base}/news/new.html"),
                                                         ("jubeir", f"{web.base}/news/jubeir.html")]),
                                         content_type="application/rss+xml", etag='"v2"')
    mark = len(web.log)
    third = reindex(index, "--sources", str(sources))
    pages = [p for _, p, _ in web.log[mark:] if p.startswith(("/news/", "/mirror/"))]
    assert "/news/new.html" in pages and "/news/jubeir.html" not in pages
    assert "1 new articles" in third.stdout
    assert search(index)["total"] == 5


def test_nothing_readable_exits_non_zero_and_keeps_the_index(web: FixtureWeb, tmp_path: Path) -> None:
    from indexer import reindex as build

    index, sources = tmp_path / "index", sources_file(tmp_path / "sources.toml", web)
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps([{"id": "e1", "title": "خبر سابق", "body": article_text("rain")}],
                                  ensure_ascii=False), encoding="utf-8")
    build(index, [earlier], procs=1)
    generation = os.readlink(index / "current")
    web.stop()
    down = reindex(index, "--sources", str(sources))
    assert down.returncode == 1 and "no feed could be read" in down.stderr
    assert "Traceback" not in down.stderr and "/feed/main.rss" in down.stdout  # each failure is listed
    assert os.readlink(index / "current") == generation and search(index)["total"] == 1


def test_a_bad_sources_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    for text, words in [("[[source]]\nname = 'x'\n", "feeds"), ("not toml [", "not valid TOML"),
                        ("[[source]]\nfeeds = ['ftp://x/y']\n", "http(s)"),
                        ("[[source]]\nfeeds = ['http://x/']\ntimezone = 'Mars/Base'\n", "time zone"),
                        ("[fetch]\nspeed = 3\n[[source]]\nfeeds = ['http://x/']\n", "no setting")]:
        bad.write_text(text, encoding="utf-8")
        run = reindex(tmp_path / "index", "--sources", str(bad))
        assert run.returncode == 2 and words in run.stderr and "Traceback" not in run.stderr, (text, run.stderr)


def test_saved_pages_are_read_like_fetched_ones(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "rain.html").write_text(outlet_page("rain", canonical="https://sabq.org/saudia/rain-1"), "utf-8")
    (folder / "league.html").write_text(outlet_page("league"), "utf-8")
    (folder / "league.json").write_text(json.dumps({"outlet": "alriyadh", "date": "2026-11-28"}), "utf-8")
    (folder / "empty.html").write_text("<html><body><nav>القائمة</nav></body></html>", "utf-8")
    run = reindex(tmp_path / "index", str(folder))
    assert run.returncode == 0, run.stderr
    hits = {h["title"]: h for h in search(tmp_path / "index")["hits"]}
    assert hits[ARTICLES["rain"]["title"]]["outlet"] == "sabq"  # from the page's canonical URL's host
    assert hits[ARTICLES["league"]["title"]]["outlet"] == "alriyadh"  # the sidecar's
    assert hits[ARTICLES["league"]["title"]]["date"] == "2026-11-28"
    report = json.loads((tmp_path / "index" / "last-report.json").read_text())
    assert any(p["file"].endswith("empty.html") and "no article text" in p["reason"] for p in report["problems"])


def test_warc_records_are_read_skipped_and_counted(tmp_path: Path) -> None:
    from indexer.readers import read_corpus

    report = ReadReport()
    arts = list(read_corpus([write_warc(tmp_path / "a.warc.gz")], report))
    assert [a.outlet for a in arts] == ["okaz"] and arts[0].url == "https://okaz.com.sa/news/politics/2150001"
    reasons = [p.reason for p in report.problems]
    assert sum("not a page" in r for r in reasons) == 2  # the request and the metadata records
    assert sum("not an HTML page" in r for r in reasons) == 1
    assert any("truncated or damaged" in r for r in reasons)
    whole = ReadReport()
    assert len(list(read_corpus([write_warc(tmp_path / "b.warc.gz", truncate=False)], whole))) == 2
    plain = tmp_path / "c.warc"
    plain.write_bytes(gzip.decompress((tmp_path / "b.warc.gz").read_bytes()))
    assert len(list(read_corpus([plain], ReadReport()))) == 2  # uncompressed .warc too


def extraction_scores() -> dict[str, tuple[float, float]]:
    """Token recall and precision of the extracted body against each fixture page's known article
    text (the furniture around it, if kept, costs precision; a lost paragraph costs recall)."""
    from collections import Counter

    from indexer.web.pages import extract_page

    scores = {}
    for key in ARTICLES:
        page = extract_page(outlet_page(key).encode(), f"https://example.com/{key}")
        assert not isinstance(page, str), page
        got, want = Counter(page.text.split()), Counter(article_text(key).split())
        overlap = sum((got & want).values())
        scores[key] = (overlap / sum(want.values()), overlap / sum(got.values()))
    return scores


def test_extraction_keeps_the_article_and_drops_the_page_furniture() -> None:
    scores = extraction_scores()
    print("extraction recall/precision per page:", {k: (round(r, 3), round(p, 3)) for k, (r, p) in scores.items()})
    assert all(r >= 0.95 and p >= 0.95 for r, p in scores.values()), scores


def test_one_article_one_address() -> None:
    from indexer.web.urls import canonical_url, is_web_url

    same = ["https://www.okaz.com.sa/news/local/2150000?utm_source=twitter&utm_medium=x#comments",
            "http://m.okaz.com.sa/news/local/2150000/", "https://okaz.com.sa/news/local/2150000/amp",
            "https://amp.okaz.com.sa/news/local/2150000?fbclid=abc", "HTTPS://OKAZ.COM.SA:443/news/local/2150000"]
    assert {canonical_url(u) for u in same} == {"https://okaz.com.sa/news/local/2150000"}
    assert canonical_url("https://sabq.org/a?id=3&page=2") != canonical_url("https://sabq.org/a?id=4&page=2")
    assert [is_web_url(u) for u in ("https://x.org/a", "file:///etc/passwd", "javascript:alert(1)", "ftp://x/y",
                                    "http://")] == [True, False, False, False, False]


def test_the_archive_stays_in_its_folder(tmp_path: Path) -> None:
    from indexer.web.archive import Archive

    archive = Archive(tmp_path / "fetched")
    for outlet in ("..", "../../etc", "okaz", "/abs"):
        archive.write(outlet, {"title": "t"})
    archive.close()
    files = list(tmp_path.rglob("*.jsonl"))
    assert len(files) == 4 and all(f.resolve().is_relative_to((tmp_path / "fetched").resolve()) for f in files)
