"""Arabic text helpers for the templates: number agreement of the article count, and the
character folding table the page's person filter applies while typing (the analyzer's own
table, analyzers/charmap.py, so the page cannot fold differently from the index)."""

from __future__ import annotations

import json

from analyzers.charmap import TRANSLATE_TABLE


def article_noun(n: int) -> str:
    """مقال after a number, as Arabic agreement wants it: 1 مقال, 2 مقالان, 3-10 مقالات,
    11-99 مقالًا, and by the last two digits above 100 (100 مقال, 105 مقالات, 150 مقالًا)."""
    n = int(n)
    if n == 2:
        return "مقالان"
    tail = n % 100
    if 3 <= tail <= 10:
        return "مقالات"
    if 11 <= tail <= 99:
        return "مقالًا"
    return "مقال"


FOLD_TABLE_JSON = json.dumps({chr(k): v or "" for k, v in TRANSLATE_TABLE.items()}, ensure_ascii=False)
