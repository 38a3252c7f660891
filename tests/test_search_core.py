"""The search core against a real index: query language, ranking, highlighting, facets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from searchcore import IndexHandle, SearchError, SearchParams, run_search
from tests.conftest import SPECIAL, make_articles

ALL = make_articles() + SPECIAL


def search(index_dir: Path, **args: object) -> dict:
    single = {k: v for k, v in args.items() if not isinstance(v, list)}
    lists = {k: v for k, v in args.items() if isinstance(v, list)}
    params = SearchParams.from_args(lambda k: None if single.get(k) is None else str(single[k]),
                                    lambda k: lists.get(k, []))
    return run_search(IndexHandle(index_dir), params)


def test_browse_is_everything_newest_first(index_dir: Path) -> None:
    r = search(index_dir)
    assert r["total"] == len(ALL)
    assert r["hits"][0]["id"] == "haniyeh"  # 2023 is the newest
    dates = [h["date"] for h in search(index_dir, per_page=100)["hits"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[-1] is None  # undated last


def test_spelling_variants_and_highlight_on_original(index_dir: Path) -> None:
    r = search(index_dir, q="اسماعيل هنيه")
    assert [h["id"] for h in r["hits"]] == ["haniyeh"]
    assert "<mark>إسماعيلُ</mark>" in r["hits"][0]["snippet"] and "<mark>هنيّة</mark>" in r["hits"][0]["snippet"]


def test_exact_form_ranks_above_stem_only(index_dir: Path) -> None:
    ids = [h["id"] for h in search(index_dir, q="الوزير")["hits"]]
    assert ids[:2] == ["exact", "stemonly"]


def test_compound_name_word_and_phrase(index_dir: Path) -> None:
    for q in ("عبد الله", '"عبد الله بن مساعد"', "عبدالله", '"عبدالله بن مساعد"'):
        assert "abdullah" in [h["id"] for h in search(index_dir, q=q)["hits"]], q


def test_all_words_phrase_exclusion_or(index_dir: Path) -> None:
    both = search(index_dir, q="الهلال النصر", per_page=100)
    assert both["total"] == 12 and both["match"] == "all"
    assert search(index_dir, q='"النصر في الدوري"')["total"] == 12
    assert search(index_dir, q='"الدوري النصر"')["total"] == 0
    assert search(index_dir, q="الهلال -النصر")["total"] == 0
    assert search(index_dir, q="الهلال OR النفط")["total"] == 24
    assert search(index_dir, q="الهلال أو النفط")["total"] == 24


def test_any_words_fallback_when_all_words_find_nothing(index_dir: Path) -> None:
    r = search(index_dir, q="هنية المريخ")
    assert r["relaxed"] and r["match"] == "any" and r["total"] >= 1 and r["messages"]
    assert search(index_dir, q="هنية المريخ", match="any")["total"] == r["total"]


def test_wildcards_are_normalized_and_bounded(index_dir: Path) -> None:
    assert search(index_dir, q="الرئ*")["total"] == 12
    r = search(index_dir, q="*")
    assert r["total"] == 0 and r["messages"]
    assert search(index_dir, q="ا*")["messages"]  # one letter is not enough


def test_bad_syntax_is_best_effort(index_dir: Path) -> None:
    r = search(index_dir, q='"الهلال (النصر')
    assert r["total"] == 12 and len(r["messages"]) == 2
    r = search(index_dir, q="body:الهلال")  # no field syntax: the words are searched
    assert r["total"] == 12 and r["messages"]
    assert search(index_dir, q="الهلال -النصر", match="any")["total"] == 0
    assert search(index_dir, q="مصر؟")["total"] == 0  # ؟ is punctuation, not a wildcard
    assert search(index_dir, q="هنية؟")["total"] == 1


def test_limits_raise_clear_errors(index_dir: Path) -> None:
    r = search(index_dir, q="الهلال " + "كلمة " * 600)  # too long: cut, with a message, never refused
    assert r["total"] == 12 and any("2000" in m for m in r["messages"])
    with pytest.raises(SearchError, match="too deep"):
        search(index_dir, page=10**9)
    r = search(index_dir, per_page=1000, page="x", sort="up", **{"from": "2015-99-99"})
    assert r["per_page"] == 100 and r["page"] == 1 and r["sort"] == "newest" and len(r["messages"]) >= 3


def _expected_counts(arts: list[dict], key: str) -> Counter:
    c: Counter = Counter()
    for a in arts:
        if key == "persons":
            c.update(set(a.get("persons", [])))
        else:
            c[a.get(key) or "unknown"] += 1
    return c


def test_facet_counts_match_the_corpus(index_dir: Path) -> None:
    r = search(index_dir, facet_size=100)
    outlets = {o["value"]: o["count"] for o in r["facets"]["outlet"]}
    expected = _expected_counts(ALL, "outlet")
    expected = {k.lower() if k.isascii() and k.isalnum() else k: v for k, v in expected.items()}
    assert outlets["okaz"] == expected["okaz"] and outlets["alriyadh"] == expected["alriyadh"]
    assert outlets["unknown"] == 1
    persons = {p["value"]: p["count"] for p in r["facets"]["person"]}
    for name, n in _expected_counts(ALL, "persons").items():
        if " " in name:
            assert persons.get(name) == n, name


def test_disjunctive_facets(index_dir: Path) -> None:
    r = search(index_dir, outlet=["okaz"], facet_size=100)
    okaz = [a for a in ALL if a.get("outlet") == "okaz"]
    assert r["total"] == len(okaz)
    outlets = {o["value"]: (o["count"], o["selected"]) for o in r["facets"]["outlet"]}
    # The outlet facet ignores its own selection: other outlets keep their counts.
    assert outlets["okaz"] == (len(okaz), True) and outlets["sabq"][0] == _expected_counts(ALL, "outlet")["sabq"]
    persons = {p["value"]: p["count"] for p in r["facets"]["person"]}
    assert persons == {k: v for k, v in _expected_counts(okaz, "persons").items() if k in persons}
    assert set(persons) == {k for k in _expected_counts(okaz, "persons") if " " in k}

    two = search(index_dir, outlet=["okaz", "sabq"])  # OR within a facet
    assert two["total"] == len(okaz) + _expected_counts(ALL, "outlet")["sabq"]

    sel = ["محمد بن سلمان"]
    both = search(index_dir, outlet=["okaz"], person=sel, facet_size=100)  # AND across facets
    want = [a for a in okaz if "محمد بن سلمان" in a.get("persons", [])]
    assert both["total"] == len(want)
    # The person facet, computed without the person selection, equals the okaz-only counts.
    assert {p["value"]: p["count"] for p in both["facets"]["person"]} == persons
    # The outlet facet, computed without the outlet selection, counts that person in each outlet.
    with_person = [a for a in ALL if "محمد بن سلمان" in a.get("persons", [])]
    assert {o["value"]: o["count"] for o in both["facets"]["outlet"]} == dict(_expected_counts(with_person, "outlet"))


def test_person_filter_matches_spelling_variants(index_dir: Path) -> None:
    a = search(index_dir, person=["محمد بن سلمان"])["total"]
    assert a > 0 and search(index_dir, person=["مُحَمَّد بن سلمان"])["total"] == a
    assert search(index_dir, person=["اسماعيل هنيه"])["hits"][0]["id"] == "haniyeh"


def test_dates_range_and_histogram(index_dir: Path) -> None:
    r = search(index_dir, **{"from": "2015-07-01", "to": "2015-07-31"})
    july = [a for a in ALL if (a.get("date") or "").startswith("2015-07")]
    assert r["total"] == len(july)
    hist = search(index_dir)["facets"]["date"]
    assert search(index_dir)["facet_info"]["date_unit"] == "year"  # 2015 … 2023
    assert sum(b["count"] for b in hist) == len([a for a in ALL if a.get("date")])
    days = search(index_dir, outlet=["okaz"], **{"to": "2015-12-31"})
    assert days["facet_info"]["date_unit"] == "day"


def test_sorting_and_paging(index_dir: Path) -> None:
    newest = search(index_dir, q="تقرير", sort="newest", per_page=100)["hits"]
    dates = [h["date"] for h in newest]
    assert dates == sorted(dates, reverse=True)
    oldest = [h["date"] for h in search(index_dir, q="تقرير", sort="oldest", per_page=100)["hits"]]
    assert oldest == sorted(oldest)
    p1 = search(index_dir, per_page=5, page=1)["hits"]
    p2 = search(index_dir, per_page=5, page=2)["hits"]
    assert len(p1) == len(p2) == 5 and not {h["id"] for h in p1} & {h["id"] for h in p2}
    last = search(index_dir, per_page=50, page=2)
    assert len(last["hits"]) == len(ALL) - 50 and last["pages"] == 2


def test_relevance_hits_respect_every_filter(index_dir: Path) -> None:
    r = search(index_dir, q="الهلال OR النفط", outlet=["sabq"], per_page=100, **{"from": "2015-07-10"})
    assert r["total"] == len(r["hits"]) > 0
    assert all(h["outlet"] == "sabq" and h["date"] >= "2015-07-10" for h in r["hits"])
    r = search(index_dir, q="الهلال", person=["عادل الجبير"], per_page=100)
    assert r["total"] == len(r["hits"]) and all("عادل الجبير" in h["persons"] for h in r["hits"])


def test_person_facet_merges_variants_and_keeps_hygiene(tmp_path: Path) -> None:
    """Across the corpus: short and long forms of one name are one value (selecting either
    finds both); a bare first name that starts many names, and a one-word value seen in one
    article only, stay out of the facet; a recurring one-word name stays in."""
    import json

    from indexer.build import reindex

    people = [["عادل الجبير"], ["عادل بن أحمد الجبير"], ["عادل الجبير"], ["محمد"], ["محمد"], ["بوتين"],
              ["بوتين"], ["كيري"]]
    people += [[f"محمد {s}"] for s in ("العلي", "السالم", "الحربي", "القحطاني", "الشهري")]
    records = [{"id": f"p{i}", "title": f"خبر {i}", "body": "نص الخبر عن الاجتماع.", "persons": p,
                "date": "2015-08-01", "source": "okaz"} for i, p in enumerate(people)]
    (tmp_path / "c.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    reindex(tmp_path / "ix", [tmp_path / "c.json"], full=True, procs=1)
    facet = {p["value"]: p["count"] for p in search(tmp_path / "ix", facet_size=50)["facets"]["person"]}
    assert facet["عادل الجبير"] == 3 and "عادل بن أحمد الجبير" not in facet
    assert search(tmp_path / "ix", person=["عادل بن أحمد الجبير"])["total"] == 3
    assert "محمد" not in facet and "كيري" not in facet
    assert facet["بوتين"] == 2 and facet["محمد العلي"] == 1


def test_every_match_inside_a_snippet_is_marked() -> None:
    """Analysis stops early for speed (once every query stem is seen); the window shown must
    still mark each of its matches, also those past the point where analysis stopped (the
    matches slide across the analysis chunks' boundaries)."""
    from searchcore.highlight import snippet

    filler = "كلمات عادية في نص طويل "
    for lead in range(0, 460, 23):
        body = ("ن " * (lead // 2) + filler * 2 + "الوقت " + filler * 3 + "وقت " + filler * 3 + "الوقت " + filler * 20)
        html = str(snippet(body, {"الوقت"}, {"وقت"}, []))
        visible = html.replace("<mark>", "").replace("</mark>", "")
        assert html.count("<mark>") == visible.count("وقت") >= 2, lead


def test_a_new_facet_is_one_class(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A facet kind is one class: registered in FACETS, it is counted (under the other facets'
    selections) and returned without edits anywhere else."""
    import numpy as np

    import searchcore.handle
    from searchcore.facets import FACETS, Facet

    class NamesPersonFacet(Facet):
        name = "names_person"

        def selection_mask(self, params):  # type: ignore[no-untyped-def]
            return None

        def counts(self, mask, params):  # type: ignore[no-untyped-def]
            named = np.zeros(self.arrays.size, dtype=bool)
            named[self.arrays.person_doc] = True
            return [{"value": "yes", "count": int((mask & named).sum())}], {"names_person_seen": True}

    plain = search(index_dir, q="الهلال")
    monkeypatch.setattr(searchcore.handle, "FACETS", (*FACETS, NamesPersonFacet))
    r = run_search(IndexHandle(index_dir), SearchParams(q="الهلال", outlets=["okaz"]))
    assert r["facet_info"]["names_person_seen"] and "names_person" not in plain["facets"]
    named_in_okaz = sum(1 for h in search(index_dir, q="الهلال", outlet=["okaz"], per_page=100)["hits"] if h["persons"])
    assert r["facets"]["names_person"][0]["count"] == named_in_okaz
    assert set(r["facets"]) == {"person", "outlet", "date", "names_person"}


def test_snippets_stay_short_for_text_without_spaces(tmp_path: Path) -> None:
    """A body of 400,000 characters without a space (hostile or broken input) gives a snippet of
    about SNIPPET_CHARS, not the whole body (it was 399,008 characters: 40 MB of JSON for 100
    hits), and analysis of it stays chunk by chunk."""
    import json

    from indexer import reindex
    from searchcore.highlight import MAX_WORD_CHARS, SNIPPET_CHARS, snippet

    arts = [{"id": f"long{i}", "title": "خبر", "body": "ب" * 200_000 + " الرياض " + "ج" * 200_000} for i in range(3)]
    arts.append({"id": "nospace", "title": "الرياض", "body": "د" * 400_000})
    (tmp_path / "c.json").write_text(json.dumps(arts, ensure_ascii=False), encoding="utf-8")
    reindex(tmp_path / "ix", [tmp_path / "c.json"], full=True, procs=1)
    r = search(tmp_path / "ix", q="الرياض", per_page=100)
    assert r["total"] == 4
    limit = SNIPPET_CHARS + 2 * MAX_WORD_CHARS + 2
    assert all(len(h["snippet"].replace("<mark>", "").replace("</mark>", "")) <= limit for h in r["hits"])
    assert sum("<mark>الرياض</mark>" in h["snippet"] for h in r["hits"]) == 3
    assert len(json.dumps(r, ensure_ascii=False)) < 20_000
    words = "كلمة " * 100 + "الرياض " + "كلمة " * 100
    assert str(snippet(words, {"الرياض"}, {"رياض"}, [])).startswith("…كلمة ")  # real words still cut whole


def test_a_request_over_its_time_budget_answers_partially(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22, item 2: the whole request has one time budget (matching, ranking, the any-word
    retry); past it the remaining words are skipped and the answer says it is partial."""
    from searchcore import limits
    from searchcore.deadline import PARTIAL_MESSAGE

    q = {"q": "الرئيس OR المعلمين OR \"مباراة الهلال\" OR أسع*"}
    full = run_search(IndexHandle(index_dir), SearchParams.from_args(q.get, lambda k: []))
    assert full["total"] > 0 and not full["partial"] and PARTIAL_MESSAGE not in full["messages"]
    monkeypatch.setattr(limits, "SEARCH_TIME_BUDGET_S", 0.0)
    cut = run_search(IndexHandle(index_dir), SearchParams.from_args(q.get, lambda k: []))
    assert cut["partial"] and PARTIAL_MESSAGE in cut["messages"] and cut["total"] < full["total"]


def test_caches_stay_within_one_byte_budget(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22, item 4: the term caches of a process share one budget in bytes (not a count of
    entries, which let a worker grow to 1.8 GB), and their size and hit rate are reported."""
    from searchcore import cache, health

    limit = 48 * 1024
    monkeypatch.setattr(cache.BUDGET, "limit_bytes", limit)
    h = IndexHandle(index_dir)
    words = sorted({w for a in make_articles() for w in a["title"].split() + a["body"].split()})
    for w in words * 2:
        run_search(h, SearchParams(q=w))
        assert cache.BUDGET.used_bytes <= limit
    report = health(h)["cache"]
    assert report["limit_bytes"] == limit and 0 < report["bytes"] <= limit
    assert report["hits"] > 0 and 0 < report["hit_rate"] < 1


def test_wildcards_under_not_are_bounded_like_any_other(index_dir: Path) -> None:
    """Issue 22, item 1: the wildcard bounds were skipped inside NOT / - (`ولي -*` took 157 s on
    the bundled corpus). A bare or too short `*` is dropped with a message wherever it is; a
    bounded prefix under NOT excludes exactly its matches."""
    h = IndexHandle(index_dir)

    def search(q: str) -> dict:
        return run_search(h, SearchParams(q=q))

    base = search("الرئيس")
    for q in ("الرئيس -*", "الرئيس NOT *", "الرئيس -ا*", "الرئيس NOT (ا* OR *)"):
        r = search(q)
        assert r["total"] == base["total"] > 0 and any("wildcard" in m for m in r["messages"]), q
    assert search("الرئيس -خب*")["total"] == base["total"] - search("الرئيس خب*")["total"]


def test_the_date_chart_drills_down_and_ignores_stray_old_articles(tmp_path: Path) -> None:
    """Issue 19: one 2023 article turned a two-month chart into years, clicking a year showed the
    same yearly chart, and the chosen bucket was not marked."""
    import json

    from indexer import reindex

    arts = make_articles(200) + [{"id": "old", "title": "مقال قديم", "body": "خبر من 2023", "date": "2023-11-06"}]
    (tmp_path / "c.json").write_text(json.dumps(arts, ensure_ascii=False), encoding="utf-8")
    reindex(tmp_path / "ix", [tmp_path / "c.json"], full=True, procs=1)
    h = IndexHandle(tmp_path / "ix")
    browse = run_search(h, SearchParams())
    buckets, unit = browse["facets"]["date"], browse["facet_info"]["date_unit"]
    assert unit == "day" and buckets[-1]["value"] == "2023-11-06" and buckets[-1]["count"] == 1
    assert sum(b["count"] for b in buckets) == 201 and not any(b["selected"] for b in buckets)
    assert len(buckets) < 70  # the days of the dense span, and the one stray day: not eight years of days
    july = run_search(h, SearchParams.from_args({"from": "2015-07-01", "to": "2015-07-31"}.get, lambda k: []))
    days = july["facets"]["date"]
    assert july["facet_info"]["date_unit"] == "day" and {b["value"][:7] for b in days} == {"2015-07"}
    assert all(b["selected"] for b in days) and sum(b["count"] for b in days) == july["total"]
    year = run_search(h, SearchParams.from_args({"from": "2015-01-01", "to": "2015-12-31"}.get, lambda k: []))
    assert year["facet_info"]["date_unit"] == "day" and "2023-11-06" not in {b["value"] for b in year["facets"]["date"]}


def test_a_query_of_only_common_words_says_so(index_dir: Path) -> None:
    """على folds to the name علي; spelled with alef maqsura and alone among stop words it is the
    preposition (issue 19: `في من على` found 26,609 articles). Spelled علي, it is the name."""
    h = IndexHandle(index_dir)

    def ask(q: str) -> dict:
        return run_search(h, SearchParams.from_args({"q": q}.get, lambda k: []))

    for q in ("في من على", "في من إلى", "على", "عَلَى"):
        r = ask(q)
        assert r["total"] == 0 and any("only common words" in m for m in r["messages"]), q
    assert any("علي" in m for m in ask("في من على")["messages"])
    for q in ("علي", "في من علي", '"على"', "علي خامنئي"):
        r = ask(q)
        assert r["total"] > 0 and not any("only common words" in m for m in r["messages"]), q
