"""The Flask app over its test client: JSON schema, parameters, errors, security, escaping."""

from __future__ import annotations

from pathlib import Path

from search_app import create_app

HIT_KEYS = {"id", "title", "url", "outlet", "outlet_name", "date", "persons", "snippet"}


def test_search_schema(client) -> None:
    r = client.get("/api/search?q=الهلال&per_page=3")
    assert r.status_code == 200 and r.is_json
    d = r.get_json()
    for k in ("query", "total", "took_ms", "page", "per_page", "hits", "facets"):
        assert k in d
    assert d["query"] == "الهلال" and d["per_page"] == 3 and len(d["hits"]) == 3
    assert all(HIT_KEYS <= set(h) for h in d["hits"])
    assert set(d["facets"]) == {"person", "outlet", "date"}
    for facet in d["facets"].values():
        for v in facet:
            assert {"value", "count"} <= set(v)
    assert all({"selected"} <= set(v) for v in d["facets"]["person"] + d["facets"]["outlet"])


def test_every_parameter(client) -> None:
    base = client.get("/api/search").get_json()["total"]
    assert client.get("/api/search?outlet=okaz&outlet=sabq").get_json()["total"] < base
    assert client.get("/api/search?person=عادل الجبير").get_json()["total"] > 0
    assert client.get("/api/search?from=2015-08-01&to=2015-08-31").get_json()["filters"]["from"] == "2015-08-01"
    assert client.get("/api/search?q=تقرير&sort=oldest").get_json()["sort"] == "oldest"
    assert client.get("/api/search?page=2&per_page=5").get_json()["page"] == 2
    assert client.get("/api/search?q=هنية المريخ&match=any").get_json()["match"] == "any"
    assert len(client.get("/api/search?facet_size=2").get_json()["facets"]["person"]) == 2


def test_errors_are_messages_not_traces(client) -> None:
    r = client.get("/api/search?q=" + "ب" * 5000)  # long queries are cut with a message, not refused
    assert r.status_code == 200 and any("2000" in m for m in r.get_json()["messages"])
    r = client.get("/api/search?page=999999999")
    assert r.status_code == 400 and "error" in r.get_json() and "Traceback" not in r.get_data(as_text=True)
    assert client.get("/api/article/nope").status_code == 404
    assert client.get("/?page=999999999").status_code == 400
    assert "أبعد" in client.get("/?page=999999999").get_data(as_text=True)
    assert client.get("/nowhere").status_code == 404


def test_search_explain(client) -> None:
    hits = client.get("/api/search?q=الهلال النصر&explain=1&per_page=3").get_json()["hits"]
    assert len(hits) == 3
    for h in hits:
        assert h["explain"]["score"] > 0 and {s["signal"] for s in h["explain"]["signals"]} >= {"stem", "exact"}


def test_article_api(client) -> None:
    d = client.get("/api/article/haniyeh").get_json()
    assert {"id", "title", "url", "outlet", "outlet_name", "date", "author", "persons", "body"} <= set(d)
    assert d["outlet_name"] == "الرياض" and "هنيّة" in d["body"]


def test_healthz(client, tmp_path: Path) -> None:
    d = client.get("/healthz").get_json()
    assert d["status"] == "ok" and d["articles"] > 50 and d["built_at"]
    empty = create_app({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True}).test_client()
    r = empty.get("/healthz")
    assert r.status_code == 503 and "reindex" in r.get_json()["error"]
    assert str(tmp_path) not in r.get_data(as_text=True)  # no file paths in responses
    page = empty.get("/")
    assert page.status_code == 503 and "الفهرس غير متاح" in page.get_data(as_text=True)


def test_page_basics(client) -> None:
    r = client.get("/?q=اسماعيل هنيه")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert 'value="اسماعيل هنيه"' in html
    assert "<mark>إسماعيلُ</mark>" in html
    assert "/article/haniyeh?q=" in html
    assert "كل الكلمات مطلوبة" in html


def test_article_page_highlights(client) -> None:
    html = client.get("/article/haniyeh?q=هنيه").get_data(as_text=True)
    assert "<mark>هنيّة</mark>" in html and "العودة إلى النتائج" in html


def test_hostile_article_is_inert(client) -> None:
    for url in ("/?q=خطير", "/article/xss?q=خطير", "/article/xss", "/?outlet=<script>alert(1)</script>",
                "/?person=<img src=x onerror=alert(1)>", "/?q=<script>alert(1)</script>"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body, url
    # The JSON API returns the text as data (JSON, nosniff); only snippet/title_html are HTML, escaped.
    r = client.get("/api/search?q=خطير")
    assert r.mimetype == "application/json" and r.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in r.get_json()["hits"][0]["title_html"]
    html = client.get("/?q=خطير").get_data(as_text=True)
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert 'href="javascript:' not in client.get("/article/xss").get_data(as_text=True)
    d = client.get("/api/search?q=خطير").get_json()
    assert "&lt;script&gt;" in d["hits"][0]["snippet"] and "<mark>" in d["hits"][0]["snippet"]


def test_security_headers(client) -> None:
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in r.get_data(as_text=True)  # no inline script anywhere


def test_facet_links_keep_state(client) -> None:
    html = client.get("/?q=الهلال&outlet=okaz").get_data(as_text=True)
    assert "outlet=okaz&amp;outlet=sabq" in html or "outlet=okaz&outlet=sabq" in html  # add a second outlet
    assert 'href="/?q=%D8%A7%D9%84%D9%87%D9%84%D8%A7%D9%84"' in html  # chip removes okaz, keeps q


def test_thousands_of_facet_values_are_refused_at_once(client) -> None:  # type: ignore[no-untyped-def]
    """20,000 distinct person= values: a 400 that names the limit (refused as soon as the 51st
    distinct value is seen: the duplicate check was quadratic, 3.9 s to reach the refusal)."""
    import urllib.parse

    query = urllib.parse.urlencode([("person", f"اسم {i}") for i in range(20_000)])
    r = client.get("/api/search?" + query)
    assert r.status_code == 400 and "at most 50 person values" in r.get_json()["error"]
    same = urllib.parse.urlencode([("person", "عادل الجبير")] * 20_000)  # duplicates count once
    assert client.get("/api/search?" + same).status_code == 200


def test_no_english_only_message_reaches_the_page(client) -> None:  # type: ignore[no-untyped-def]
    """Issue 19: every message a user can meet starts in Arabic (an English gloss may follow in
    parentheses), and the templates' visible text is Arabic apart from format names."""
    import re

    from search_app import create_app  # noqa: F401  (the app under test)

    bad = ["/api/search?page=abc", "/api/search?page=-3&per_page=900", "/api/search?match=x&sort=y",
           "/api/search?from=2015-99-01&to=x", "/api/search?from=2015-08-01&to=2015-07-01",
           "/api/search?q=" + "ا " * 40, "/api/search?q=\"a", "/api/search?q=(a", "/api/search?q=title:x",
           "/api/search?q=ا*", "/api/search?q=في من إلى", "/api/search?" + "&".join(f"person=p{i}" for i in range(60))]
    arabic = re.compile(r"^[^A-Za-z(]*[\u0600-\u06ff]")
    seen = 0
    for url in bad:
        body = client.get(url).get_json()
        for m in body.get("messages", []) + ([body["error"]] if "error" in body else []):
            assert arabic.match(m), (url, m)
            seen += 1
    assert seen >= 12
    templates = Path(__file__).resolve().parent.parent / "search_app" / "templates"
    allowed = {"CSV", "JSON", "Atom", "arnews", "OR", "hits"}  # format names, the OR operator, an anchor id
    for t in templates.glob("*.html"):
        text = re.sub(r"{%.*?%}|{{.*?}}|<[^>]*>|{#.*?#}", " ", t.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"\([^)]*\)", " ", text)  # an English gloss in parentheses after the Arabic
        latin = set(re.findall(r"[A-Za-z]{2,}", text)) - allowed
        assert not latin, (t.name, sorted(latin)[:10])
