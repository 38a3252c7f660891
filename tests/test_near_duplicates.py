"""Near-duplicate groups (issue 21): a wire story carried by several outlets is one group; the
page and the API can collapse a group into its best-placed hit, saying where else it ran."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer import reindex
from indexer.neardup import MIN_WORDS, groups, signature, similarity
from searchcore import IndexHandle, SearchParams, run_search
from tests.web_fixtures import ARTICLES, article_text

WIRE = article_text("jubeir")
# what a second outlet makes of the same agency copy: a new lead word, one word changed, a
# sentence appended
COPY = ("و" + WIRE).replace("أمس", "اليوم") + "\nوكان الوزيران قد التقيا الشهر الماضي في واشنطن."
OTHER = article_text("league")


def test_signatures_find_copies_and_only_copies() -> None:
    wire, copy, other = signature(WIRE), signature(COPY), signature(OTHER)
    assert wire and copy and other and len(wire) == 64 * 4
    assert similarity(wire, copy) >= 0.7 > 0.2 > similarity(wire, other)
    assert signature(WIRE) == wire  # deterministic: signatures compare across processes and builds
    assert signature(" ".join(["كلمة"] * (MIN_WORDS - 1))) is None  # too short to judge
    found = groups([("b", wire), ("c", other), ("a", copy)])
    assert found == {"a": "a", "b": "a"}  # the group is named by its smallest id; "c" has no group


def test_groups_close_transitively() -> None:
    """x ~ y and y ~ z while x and z differ more: still one group (a story edited twice)."""
    words = " ".join(article_text(k) for k in ("rain", "budget", "league")).split()

    def edited(ws: list[str], where: range) -> list[str]:
        return [w + "ات" if i in where else w for i, w in enumerate(ws)]

    step1 = edited(words, range(0, 90, 14))
    step2 = edited(step1, range(110, 200, 14))
    x, y, z = (signature(" ".join(t)) for t in (words, step1, step2))
    assert similarity(x, y) >= 0.7 and similarity(y, z) >= 0.7 and similarity(x, z) < 0.7
    assert groups([("x", x), ("y", y), ("z", z)]) == {"x": "x", "y": "x", "z": "x"}


@pytest.fixture(scope="module")
def wire_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wire")
    records = [
        {"id": "okaz-1", "title": ARTICLES["jubeir"]["title"], "body": WIRE, "source": "okaz", "date": "2026-12-01"},
        {"id": "riyadh-1", "title": "الجبير وكيري يبحثان الأوضاع", "body": COPY, "source": "alriyadh",
         "date": "2026-12-01"},
        {"id": "sabq-1", "title": "الجبير يلتقي كيري", "body": WIRE, "source": "sabq", "date": "2026-12-02"},
        {"id": "okaz-2", "title": ARTICLES["league"]["title"], "body": OTHER, "source": "okaz", "date": "2026-11-28"},
        {"id": "okaz-3", "title": ARTICLES["rain"]["title"], "body": article_text("rain"), "source": "okaz",
         "date": "2026-11-29"},
    ]
    (root / "news.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    reindex(root / "index", [root / "news.json"], procs=1)
    return root


def _search(index: Path, **args: str) -> dict:
    return run_search(IndexHandle(index), SearchParams.from_args(args.get, lambda k: []))


def test_the_page_collapses_a_group_into_one_hit(wire_index: Path) -> None:
    index = wire_index / "index"
    plain = _search(index, q="الجبير")
    assert plain["total"] == 3 and not plain["collapsed"]
    hit = plain["hits"][0]
    assert {d["id"] for d in hit["near_duplicates"]} == {h["id"] for h in plain["hits"]} - {hit["id"]}
    assert {d["outlet_name"] for d in plain["hits"][0]["near_duplicates"]} <= {"عكاظ", "الرياض", "سبق"}

    folded = _search(index, q="الجبير", collapse="1")
    assert folded["collapsed"] and folded["total"] == 1 and folded["articles_total"] == 3
    assert folded["hits"][0]["id"] == plain["hits"][0]["id"]  # the group's best-ranked member stands for it
    newest = _search(index, q="الجبير", collapse="1", sort="newest")
    assert [h["id"] for h in newest["hits"]] == ["sabq-1"]  # by date: the newest copy
    browse = _search(index, collapse="1")
    assert browse["total"] == 3 and browse["articles_total"] == 5  # the two other stories have no copies


def test_stats_count_the_groups(wire_index: Path) -> None:
    meta = json.loads((wire_index / "index" / "current" / "meta.json").read_text())
    assert meta["near_duplicates"] == {"groups": 1, "articles": 3, "cross_outlet_groups": 1}


def test_an_incremental_copy_joins_its_group(tmp_path: Path, wire_index: Path) -> None:
    import shutil

    index = tmp_path / "index"
    shutil.copytree(wire_index / "index", index, symlinks=True)
    later = tmp_path / "later.json"
    later.write_text(json.dumps([{"id": "was-1", "title": "لقاء الجبير وكيري", "body": WIRE + "\n(واس)",
                                  "source": "was", "date": "2026-12-01"}], ensure_ascii=False), encoding="utf-8")
    result = reindex(index, [wire_index / "news.json", later], procs=1)
    assert result.mode == "incremental" and result.added == 1
    folded = _search(index, q="الجبير", collapse="1")
    assert folded["total"] == 1 and folded["articles_total"] == 4
    assert len(folded["hits"][0]["near_duplicates"]) == 3


def test_the_page_says_where_else_a_story_ran(wire_index: Path) -> None:
    from search_app import create_app

    client = create_app({"INDEX_DIR": str(wire_index / "index"), "TESTING": True}).test_client()
    page = client.get("/", query_string={"q": "الجبير"}).get_data(as_text=True)
    assert "نُشر أيضًا في" in page and "دمج النسخ المتشابهة" in page
    folded = client.get("/", query_string={"q": "الجبير", "collapse": "1"}).get_data(as_text=True)
    assert folded.count('class="hit"') == 1 and "عرض كل النسخ" in folded and "من 3 بعد دمج" in folded
    assert 'name="collapse" value="1"' in folded  # a new query keeps the collapsed view
