"""Build persons/data/name_lexicon.txt: normalized personal-name words from two offline lists.

    .venv/bin/pip install 'arabic-name-romanizer==0.2.0' 'arabnamer==0.1.3'
    .venv/bin/python persons/data/build_lexicon.py

Sources (see NOTICE.md): arabic-name-romanizer's names.sqlite3 (Wikidata given names and
surnames, CC0), and arabnamer's dict_FINAL.json (Latin → Arabic transliterations of mostly
foreign names, CC BY 4.0). Only the Arabic name words are kept, normalized like the index.
"""

from __future__ import annotations

import importlib.resources
import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analyzers.charmap import normalize  # noqa: E402

OUT = Path(__file__).with_name("name_lexicon.txt")
MIN_WIKIDATA_COUNT = 2


def main() -> None:
    words: set[str] = set()
    db = importlib.resources.files("arabic_name_romanizer") / "resources" / "names.sqlite3"
    with sqlite3.connect(str(db)) as conn:
        rows = conn.execute("SELECT arabic_key, SUM(count) FROM units WHERE role != 'unknown' GROUP BY arabic_key")
        for key, count in rows:
            if count >= MIN_WIKIDATA_COUNT:
                words.update(normalize(w) for w in key.split())
    foreign = importlib.resources.files("arabnamer") / "data" / "dict_FINAL.json"
    for arabic in json.loads(foreign.read_text(encoding="utf-8")).values():
        words.update(normalize(w) for w in str(arabic).split())
    words = {w for w in words if len(w) >= 2 and w.isalpha()}
    OUT.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"{len(words)} name words -> {OUT}")


if __name__ == "__main__":
    main()
