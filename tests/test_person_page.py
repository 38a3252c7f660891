"""The person page (issue 20): /person/<name> and /api/person/<name>: articles naming the person,
over time, by outlet, the spellings seen, who is named with them, the latest articles; reachable
from every facet value and person chip."""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter

from searchcore import IndexHandle, SearchParams, run_search
from searchcore.person_page import person_page


def _search(index_dir, **args):  # type: ignore[no-untyped-def]
    lists = {k: v for k, v in args.items() if isinstance(v, list)}
    single = {k: v for k, v in args.items() if not isinstance(v, list)}
    return run_search(IndexHandle(index_dir), SearchParams.from_args(single.get, lambda k: lists.get(k, [])))


def test_counts_equal_the_facet_and_the_articles(index_dir) -> None:  # type: ignore[no-untyped-def]
    facet = _search(index_dir, facet_size="10")["facets"]["person"]
    assert facet
    for value in facet[:5]:
        page = person_page(IndexHandle(index_dir), value["value"])
        assert page["articles"] == value["count"]  # the facet's count is the page's
        theirs = _search(index_dir, person=[value["value"]], per_page="100")
        assert theirs["total"] == page["articles"]
        # co-mentions counted by hand over the person's articles
        named = Counter(p for h in theirs["hits"] for p in set(h["persons"]) if p != value["value"])
        for co in page["co_mentioned"]:
            assert co["count"] == sum(n for p, n in named.items()
                                      if IndexHandle(index_dir).snapshot().persons.number(p)
                                      == IndexHandle(index_dir).snapshot().persons.number(co["name"]))
        assert sum(o["count"] for o in page["outlets"]) == page["articles"]
        assert sum(d["count"] for d in page["dates"]) <= page["articles"]  # undated articles have no bar
        dates = [a["date"] or "" for a in page["latest"]]
        assert dates == sorted(dates, reverse=True)


def test_any_spelling_finds_the_person(index_dir) -> None:  # type: ignore[no-untyped-def]
    h = IndexHandle(index_dir)
    page = person_page(h, "اسماعيل هنيه")  # the folded spelling of إسماعيل هنية
    assert page["name"] == "إسماعيل هنية" and page["articles"] > 0
    assert person_page(h, page["key"])["articles"] == page["articles"]


LATIN_H1 = '<h1>إسماعيل هنية <span class="latin" dir="ltr" lang="en">Ismail Haniyeh</span></h1>'


def test_pages_links_and_errors(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/person/" + urllib.parse.quote("إسماعيل هنية"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and LATIN_H1 in html and "يُذكر معه" in html
    api = client.get("/api/person/" + urllib.parse.quote("إسماعيل هنية")).get_json()
    assert api["name"] == "إسماعيل هنية" and str(api["articles"]) in html
    for path in ("/person/", "/api/person/"):
        missing = client.get(path + urllib.parse.quote("لا أحد بهذا الاسم"))
        assert missing.status_code == 404 and "Traceback" not in missing.get_data(as_text=True)
    hostile = client.get("/person/" + urllib.parse.quote("<script>alert(1)</script>"))
    assert hostile.status_code == 404 and "<script>alert" not in hostile.get_data(as_text=True)

    results = client.get("/?q=" + urllib.parse.quote("هنية")).get_data(as_text=True)
    persons_facet = results[results.index('id="facet-person"'):results.index('id="facet-outlet"')]
    facet_values = re.findall(r'class="facet-value[^"]*" data-value="([^"]+)"', persons_facet)
    profile_links = set(re.findall(r'class="profile" href="(/person/[^"]+)"', results))
    assert facet_values and all("/person/" + urllib.parse.quote(v, safe="") in profile_links
                                for v in facet_values if v)
    article = client.get("/article/" + api["latest"][0]["id"]).get_data(as_text=True)
    assert 'class="profile" href="/person/' in article
