"""Build the name lists in persons/data/ from two offline packages.

    .venv/bin/pip install 'arabic-name-romanizer==0.2.0' 'arabnamer==0.1.3'
    .venv/bin/python persons/data/build_lexicon.py

Sources (see NOTICE.md): arabic-name-romanizer's names.sqlite3 (Wikidata given names and
surnames, CC0), and arabnamer's dict_FINAL.json (Latin → Arabic transliterations of mostly
foreign names, CC BY 4.0). Only the Arabic name words are kept, normalized like the index,
one list per role: given_names.txt, surnames.txt, foreign_names.txt.
"""

from __future__ import annotations

import importlib.resources
import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analyzers.charmap import normalize  # noqa: E402

HERE = Path(__file__).parent
MIN_WIKIDATA_COUNT = 2


def _clean(words: set[str]) -> list[str]:
    return sorted(w for w in words if len(w) >= 2 and w.isalpha())


def main() -> None:
    roles: dict[str, set[str]] = {"given": set(), "surname": set()}
    db = importlib.resources.files("arabic_name_romanizer") / "resources" / "names.sqlite3"
    with sqlite3.connect(str(db)) as conn:
        rows = conn.execute(
            "SELECT arabic_key, role, SUM(count) FROM units WHERE role IN ('given', 'surname') "
            "GROUP BY arabic_key, role"
        )
        for key, role, count in rows:
            if count >= MIN_WIKIDATA_COUNT:
                roles[role].update(normalize(w) for w in key.split())
    foreign: set[str] = set()
    dict_final = importlib.resources.files("arabnamer") / "data" / "dict_FINAL.json"
    for arabic in json.loads(dict_final.read_text(encoding="utf-8")).values():
        foreign.update(normalize(w) for w in str(arabic).split())
    for name, words in (("given_names", roles["given"]), ("surnames", roles["surname"]), ("foreign_names", foreign)):
        out = HERE / f"{name}.txt"
        kept = _clean(words)
        out.write_text("\n".join(kept) + "\n", encoding="utf-8")
        print(f"{len(kept)} words -> {out}")


if __name__ == "__main__":
    main()
