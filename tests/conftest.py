"""Shared fixtures: a small hand-made corpus with known facets, built into a real index on disk."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from analyzers import normalize
from indexer import reindex

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

OUTLETS = ["alriyadh", "okaz", "sabq", "was"]
PERSONS = ["سلمان بن عبدالعزيز", "محمد بن سلمان", "عادل الجبير", "باراك أوباما"]
TOPICS = [
    "الرئيس يستقبل الوفد في القصر",
    "المعلمين في المدارس الحكومية",
    "مباراة الهلال والنصر في الدوري",
    "أسعار النفط في الأسواق العالمية",
]


def make_articles(n: int = 48, seed: int = 7) -> list[dict]:
    """Deterministic generic-format articles: outlet, date, persons and topic vary by index."""
    rng = random.Random(seed)
    arts = []
    for i in range(n):
        persons = [PERSONS[i % 4]] + ([PERSONS[(i + 1) % 4]] if i % 3 == 0 else [])
        topic = TOPICS[i % 4]
        arts.append(
            {
                "id": f"a{i:03d}",
                "outlet": OUTLETS[i % 4],
                "date": f"2015-0{7 + (i % 2)}-{1 + (i % 28):02d}",
                "title": f"{topic} رقم {i}",
                "body": f"{topic}. " + " ".join(rng.choice(["خبر", "تقرير", "بيان", "حدث"]) for _ in range(20)),
                "url": f"https://example.com/{i}",
                "author": "محرر",
                "persons": persons,
            }
        )
    return arts


SPECIAL = [
    {"id": "haniyeh", "outlet": "alriyadh", "date": "2023-11-06", "title": "زيارة إلى طهران",
     "body": "زار إسماعيلُ هنيّة طهران واجتمع بالمرشد علي خامنئي.", "url": "https://example.com/h",
     "persons": ["إسماعيل هنية", "علي خامنئي"]},
    {"id": "exact", "outlet": "okaz", "date": "2015-07-05", "title": "تقرير",
     "body": "اجتمع الوزير في الرياض لمناقشة الخطة.", "url": "https://example.com/e", "persons": []},
    {"id": "stemonly", "outlet": "okaz", "date": "2015-07-06", "title": "تقرير آخر",
     "body": "اجتمع بالوزير في الرياض لمناقشة الخطة.", "url": "https://example.com/s", "persons": []},
    {"id": "abdullah", "outlet": "sabq", "date": "2015-07-07", "title": "لقاء",
     "body": "التقى الأمير عبدالله بن مساعد بالفريق.", "url": "https://example.com/a",
     "persons": ["عبدالله بن مساعد"]},
    {"id": "xss", "outlet": "<script>alert(1)</script>", "date": "2015-07-08",
     "title": "<script>alert('t')</script> عنوان خطير", "author": "<img src=x onerror=alert(2)>",
     "body": "نص فيه <img src=x onerror=alert(3)> و&lt;b&gt; و<script>alert(4)</script> خطير",
     "url": "javascript:alert(5)", "persons": ["<b>شخص</b> خطير"]},
    {"id": "nodate", "title": "مقال بلا تاريخ ولا صحيفة", "body": "هذا مقال عن الطاقة الشمسية بلا تاريخ."},
]


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    (d / "generic.json").write_text(json.dumps(make_articles() + SPECIAL, ensure_ascii=False), encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("index")
    reindex(root, [corpus_dir], full=True, procs=1)
    return root


@pytest.fixture(scope="session")
def app(index_dir: Path):
    from search_app import create_app

    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def opensearch_url(tmp_path_factory: pytest.TempPathFactory):
    """A real 3-node OpenSearch cluster (2 shards, 1 replica per index) shared by the backend
    test modules, stopped at the end of the session (scripts/opensearch_cluster.py);
    ARNEWS_TEST_OPENSEARCH_URL names a running one instead."""
    import os
    import sys

    if os.environ.get("ARNEWS_TEST_OPENSEARCH_URL"):
        yield os.environ["ARNEWS_TEST_OPENSEARCH_URL"]
        return

    sys.path.insert(0, str(REPO / "scripts"))
    import opensearch_cluster as cluster

    from tests.test_opensearch_cluster import _free_base

    root = tmp_path_factory.mktemp("opensearch-shared")
    rec = cluster.start(root, nodes=3, http_port=_free_base())
    yield rec["url"]
    cluster.stop(root)


# Names as the bundled news writes them, and as a reader may type them (issue 20)
LATIN_NAMES = {
    "أوباما": ["Obama"],
    "هنية": ["Haniyeh", "Haniya", "Haniyya"],
    "محمد بن سلمان": ["Mohammed bin Salman", "Muhammad bin Salman", "Mohamed bin Salman"],
}
# Text around the person facet's noise values seen on the bundled corpus (issue 20)
NOISE_CONTEXTS = ["سلمان باسمه", "صباح الأحمد أمير", "كرم أمير", "لميخائيل غورباتشوف", "تشاد", "الأزهر"]
NOISE_VALUES = ["تشاد", "الأزهر", "سلمان باسمه", "صباح الأحمد أمير", "كرم أمير", "لميخائيل غورباتشوف",
                "ولميخائيل غورباتشوف", "الحسن", "عبد الله"]


@pytest.fixture(scope="session")
def bundled_sample(tmp_path_factory: pytest.TempPathFactory):
    """An index of bundled SaudiNewsNet articles, persons extracted: those naming أوباما, هنية,
    محمد بن سلمان and look-alikes (سلمان alone, محمود, هاني), those where the facet's noise values
    came from, and 100 others."""
    from indexer.readers import read_corpus
    from indexer.report import ReadReport
    from searchcore import IndexHandle

    articles = list(read_corpus([SEEDS / "saudinewsnet"], ReadReport()))
    rng = random.Random(3)
    chosen: dict[str, object] = {}
    texts = {a.id: normalize(f" {a.title} {a.body} ") for a in articles}
    wanted = [(f" {normalize(n)} ", 60) for n in [*LATIN_NAMES, "سلمان", "محمود", "هاني"]]
    wanted += [(normalize(n), 10) for n in NOISE_CONTEXTS]  # inside a word too: ولميخائيل
    for phrase, cap in wanted:
        having = [a for a in articles if phrase in texts[a.id]]
        for a in rng.sample(having, min(cap, len(having))):
            chosen[a.id] = a
    for a in rng.sample(articles, 100):
        chosen[a.id] = a
    corpus = tmp_path_factory.mktemp("bundled-sample")
    rows = [{"id": a.id, "title": a.title, "body": a.body, "outlet": a.outlet, "date": a.date, "url": a.url}
            for a in chosen.values()]  # type: ignore[attr-defined]
    (corpus / "bundled.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    root = tmp_path_factory.mktemp("bundled-sample-index")
    reindex(root, [corpus], full=True, procs=2)
    return IndexHandle(root)
