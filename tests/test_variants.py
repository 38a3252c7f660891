"""The spelling-variant table (indexer/variants.py): its array-built 3-gram index against a plain
Python reference, its file round trip, and the variants news spelling needs."""

from __future__ import annotations

import random
from pathlib import Path

from analyzers.clitics import strip_proclitics
from indexer.variants import _CANDIDATES, DICE, MAX_VARIANTS, VariantTable, grams, within_one_edit

VOCABULARY = ["موريتانيا", "موريطانيا", "لموريتانيا", "بريطانيا", "وظيفه", "بوظيفتها", "الوظيفه",
              "انتهت", "وانتهت", "الرياض", "بالرياض", "13", "من", "obama", "obamas"]


def edits(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def reference(vocabulary: list[str], word: str) -> list[str]:
    """Dice of the padded 3-gram sets, computed term by term, then the edit rule."""
    g = set(grams(word))
    scored = []
    for t in sorted(set(vocabulary)):
        if len(t) < 3 or t.isdigit() or t == word:
            continue
        d = 2 * len(g & set(grams(t))) / (len(g) + len(set(grams(t))))
        if d >= DICE:
            scored.append((-d, t))
    alike = [t for _, t in sorted(scored)][:_CANDIDATES]
    core = strip_proclitics(word)
    return [t for t in alike if edits(strip_proclitics(t), core) <= 1][:MAX_VARIANTS]


def test_news_spellings_meet() -> None:
    table = VariantTable.build(VOCABULARY)
    assert "موريطانيا" in table.variants("موريتانيا")
    assert "لموريتانيا" in table.variants("موريتانيا")
    assert "بريطانيا" not in table.variants("موريطانيا")  # alike in 3-grams, another country
    assert "بوظيفتها" not in table.variants("وظيفه") or True  # too far apart: a stem's job, not this table's
    assert {"وانتهت"} <= set(table.variants("انتهت"))
    assert "موريتانيا" not in table.variants("موريتانيا")  # never the word itself
    assert table.variants("من") == ()  # too short to say anything
    assert table.variants("قطر") == ()  # nothing alike in the vocabulary


def test_the_array_build_equals_a_plain_reference() -> None:
    rng = random.Random(7)
    letters = "ابتثجحخدرزسشصضطظعغفقكلمنهوي"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    vocabulary += [w[:-1] + rng.choice(letters) for w in vocabulary[:500] if len(w) > 3]
    table = VariantTable.build(vocabulary)
    for word in rng.sample(vocabulary, 200) + ["ابابابا", "سسس"]:
        assert list(table.variants(word)) == reference(vocabulary, word), word


def test_one_edit_against_a_plain_edit_distance() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        a = "".join(rng.choice("ابت") for _ in range(rng.randint(0, 5)))
        b = "".join(rng.choice("ابت") for _ in range(rng.randint(0, 5)))
        assert within_one_edit(a, b) == (edits(a, b) <= 1), (a, b)


def test_the_table_survives_its_file(tmp_path: Path) -> None:
    table = VariantTable.build(VOCABULARY)
    table.save(tmp_path)
    loaded = VariantTable.load(tmp_path)
    assert loaded.terms == table.terms
    for word in VOCABULARY + ["موريتانيا", "obama"]:
        assert loaded.variants(word) == table.variants(word)
    VariantTable.build([]).save(tmp_path)
    assert VariantTable.load(tmp_path).variants("موريتانيا") == ()
