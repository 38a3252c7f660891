"""Build persons/data/latin_names.tsv: Latin-script forms of Arabic name words, from the two
offline packages build_lexicon.py reads.

    /tmp/namevenv/bin/pip install 'arabic-name-romanizer==0.2.0' 'arabnamer==0.1.3'
    .venv/bin/python persons/data/build_latin.py /tmp/namevenv/lib/python3.11/site-packages

Each line: a normalized Arabic name word (or عبد + name, closed up like persons.canonical's
keys) and up to FORMS Latin spellings, most attested first, '|'-separated. Sources (NOTICE.md):
arabic-name-romanizer's names.sqlite3 `units` (Wikidata given names and surnames with their
Latin labels and counts, CC0) and arabnamer's dict_FINAL.json (English → Arabic pairs of mostly
foreign names, CC BY 4.0; each pair counts once).
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from persons.canonical import person_key  # noqa: E402

HERE = Path(__file__).parent
FORMS = 5
_LATIN = re.compile(r"[A-Za-z][A-Za-z'\- ]*[A-Za-z]")


def _form(latin: str) -> str | None:
    latin = latin.strip()
    if not _LATIN.fullmatch(latin):
        return None  # diacritics, digits or another script: not a form a user types
    return latin if not latin.islower() else "-".join(p.capitalize() for p in latin.split("-"))


def main() -> None:
    site = Path(sys.argv[1])
    counts: dict[str, Counter] = defaultdict(Counter)
    with sqlite3.connect(str(site / "arabic_name_romanizer" / "resources" / "names.sqlite3")) as conn:
        rows = conn.execute("SELECT arabic_key, latin, SUM(count) FROM units GROUP BY arabic_key, latin")
        for arabic, latin, n in rows:
            form = _form(latin)
            key = person_key(arabic)
            if form and key.isalpha():
                counts[key][form] += n
    pairs = json.loads((site / "arabnamer" / "data" / "dict_FINAL.json").read_text(encoding="utf-8"))
    for latin, arabic in pairs.items():
        form = _form(str(latin))
        key = person_key(str(arabic))
        if form and key.isalpha():
            counts[key][form] += 1
    lines = []
    for key in sorted(counts):
        seen: set[str] = set()
        forms = []
        for form, _ in sorted(counts[key].items(), key=lambda kv: (-kv[1], kv[0])):
            if form.lower() not in seen:
                seen.add(form.lower())
                forms.append(form)
        lines.append(f"{key}\t{'|'.join(forms[:FORMS])}")
    out = HERE / "latin_names.tsv"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} name words -> {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
