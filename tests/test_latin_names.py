"""Names typed in Latin script (issue 20): the query box, the person filter box and the API's
person= find the person's articles on the bundled corpus; several romanizations of one name meet;
each person facet value carries a Latin form where its words are known."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers import normalize
from persons.latin import LatinMatcher, romanize, vowel_fold
from searchcore import IndexHandle, SearchParams, run_search
from searchcore.person_page import person_page
from tests.conftest import LATIN_NAMES as NAMES


def _search(handle: IndexHandle, q: str = "", **args: object) -> dict:
    single = {"q": q, "per_page": "100", "sort": "newest", **{k: v for k, v in args.items() if isinstance(v, str)}}
    lists = {k: v for k, v in args.items() if isinstance(v, list)}
    return run_search(handle, SearchParams.from_args(single.get, lambda k: lists.get(k, [])))


def _ids(result: dict) -> list[str]:
    return [h["id"] for h in result["hits"]]


@pytest.mark.parametrize("arabic", list(NAMES))
def test_latin_queries_find_the_persons_articles(bundled_sample: IndexHandle, arabic: str) -> None:
    quoted = f'"{arabic}"' if " " in arabic else arabic
    expected = _search(bundled_sample, quoted)
    assert expected["total"] > 0
    for latin in NAMES[arabic]:
        found = _search(bundled_sample, latin)
        assert found["total"] == expected["total"], latin
        assert _ids(found) == _ids(expected), latin
        assert any(latin in m for m in found["messages"])  # the page says what was searched
    # the full name is searched as a phrase: Salman's other articles do not answer
    assert _search(bundled_sample, "Salman")["total"] > _search(bundled_sample, "Mohammed bin Salman")["total"]


def test_a_latin_name_finds_the_person_in_the_facet_and_the_api(bundled_sample: IndexHandle) -> None:
    found = _search(bundled_sample, "Obama", facet_size="5")
    top = found["facets"]["person"][0]
    assert "Obama" in (top["latin"] or "") and "أوباما" in top["value"]
    # person=Obama in the API selects that person; its count is the facet's
    chosen = _search(bundled_sample, person=["Obama"])
    assert chosen["total"] == top["count"] == person_page(bundled_sample, "Obama")["articles"]
    assert person_page(bundled_sample, "Obama")["name"] == top["value"]
    mbs = person_page(bundled_sample, "Mohammed bin Salman")
    assert mbs["name"].startswith("محمد بن سلمان") and mbs["latin"].endswith(mbs["latin"].split()[-1])
    assert _search(bundled_sample, person=["Muhammad bin Salman"])["total"] == mbs["articles"]
    # each hit's persons carry their Latin forms, in order (null where a word is unknown)
    hits = _search(bundled_sample, person=["Obama"])["hits"]
    assert all(len(h["persons_latin"]) == len(h["persons"]) for h in hits)
    assert all(latin == romanize(p) for h in hits for p, latin in zip(h["persons"], h["persons_latin"]))
    assert any(latin and "Obama" in latin for h in hits for latin in h["persons_latin"])


def test_the_person_filter_box_takes_latin(bundled_sample: IndexHandle) -> None:
    listed = _search(bundled_sample, person_filter="Obama", facet_size="50")["facets"]["person"]
    assert listed and all("اوباما" in normalize(p["value"]) for p in listed)
    variants = _search(bundled_sample, person_filter="Haniya", facet_size="50")["facets"]["person"]
    assert variants and all("هنيه" in normalize(p["value"]) for p in variants)
    assert not _search(bundled_sample, person_filter="Zzyzx")["facets"]["person"]


def test_romanizations_of_one_name_meet() -> None:
    m = LatinMatcher()
    for spellings, arabic in ((("Mohammed", "Muhammad", "Mohamed", "Mohammad"), "محمد"),
                              (("Haniyeh", "Haniya", "Haniyya", "Haniyah"), "هنيه"),
                              (("Erdogan", "Erdoğan"), "اردوغان"), (("Abdulaziz", "Abdelaziz"), "عبدالعزيز")):
        for s in spellings:
            assert arabic in m.arabic(s), s
    assert "محمود" not in m.arabic("Mohammed") and "محمد" not in m.arabic("Mahmoud")
    assert m.arabic("bin") == ["بن"]
    assert m.phrase_options(["Abdul", "Aziz"]) == [["عبدالعزيز"]]
    assert vowel_fold("Muhammad") == vowel_fold("Muhammed".replace("e", "a"))


def test_latin_forms_of_names() -> None:
    assert romanize("باراك أوباما") is not None and romanize("باراك أوباما").endswith("Obama")
    assert romanize("إسماعيل هنية") == "Ismail Haniyeh"
    assert " bin Salman" in (romanize("محمد بن سلمان") or "")
    assert (romanize("عادل الجبير") or "").lower().replace("-", " ") in ("adel al jubair", "adel al jubeir")
    assert romanize("كلمةغيرموجودة") is None  # no Latin form is made up


def test_latin_words_that_name_nobody_are_searched_as_typed(bundled_sample: IndexHandle) -> None:
    result = _search(bundled_sample, "Zzyzx")
    assert result["total"] == 0 and not any("Latin-script" in m for m in result["messages"])
    # a Latin name beside Arabic words: both must match
    both = _search(bundled_sample, "Obama السعودية")
    alone = _search(bundled_sample, "Obama")
    assert 0 < both["total"] < alone["total"]
    # a name typed with accents (Haníyeh, as copied from a Latin-script source) is read the same way
    assert _search(bundled_sample, "Haníyeh")["total"] == _search(bundled_sample, "Haniyeh")["total"] > 0
    # excluded in Latin too
    assert _search(bundled_sample, "السعودية -Obama")["total"] == _search(bundled_sample, "السعودية -أوباما")["total"]


def test_the_table_is_shipped_and_read_offline() -> None:
    table = Path(__file__).resolve().parents[1] / "persons" / "data" / "latin_names.tsv"
    assert table.stat().st_size > 100_000
