"""Hostile /api/search requests: what an attacker or a careless script sends to make one request
expensive (broad and many wildcards, wildcards under NOT, long OR chains and phrases, deep
nesting, huge pages and facets, oversized and malformed values). Used by the CI test
(tests/test_hostile.py: each answered within the time budget, never a 5xx) and by the soak
benchmark (benchmarks/soak.py)."""

from __future__ import annotations

import itertools

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
COMMON = ("السعودية الرياض المملكة العربية وزير الامير خادم الحرمين الشريفين الملك سلمان ولي العهد "
          "محمد عبدالله الداخلية الخارجية التعليم الصحة النفط اليمن ايران سوريا مصر مجلس الوزراء "
          "الشورى الهلال النصر الاهلي جدة مكة").split()


def hostile_queries() -> list[str]:
    two = ["".join(p) for p in itertools.product(LETTERS[:12], repeat=2)]
    pairs = list(zip(COMMON, COMMON[1:]))
    return [
        "ولي -*", "-ا*", "ولي NOT *", "NOT ال*", "-سل* -مح* -عب*", "سل*", "ال*", "ا*", "**", "*",
        " OR ".join(p + "*" for p in two[:8]),
        " OR ".join(p + "*" for p in two[:16]),
        " OR ".join(p + "*" for p in two[:64]),
        " ".join(p + "*" for p in two[:32]),
        " OR ".join(COMMON[:10]),
        " OR ".join(COMMON),
        " ".join(COMMON),
        " ".join(f"-{w}" for w in COMMON),
        '"' + " ".join(COMMON[:20]) + '"',
        " OR ".join(f'"{a} {b}"' for a, b in pairs[:16]),
        "(" * 200 + "الرياض" + ")" * 200,
        "(" * 500 + "الرياض",
        "الرياض " + "OR " * 300,
        "AND " * 200 + "الرياض",
        "NOT " * 300 + "الرياض",
        '"' * 301,
        " ".join(COMMON) * 40,  # over the 2,000 characters: cut
        "ا" * 5000,
        "الرياض" * 400,
        "\u200f\u202e\u2066" * 200 + "الرياض",
        "\x00\x01\x1f الرياض \x7f",
        "title:الرياض body:* id:1",
        "[a TO z] {a TO z} ~2 ^9 الرياض~ الرياض^100",
        "%00%ff%ud800",
        "<script>alert(1)</script>",
        "في من على إلى عن",
    ]


def hostile_requests() -> list[dict[str, str]]:
    """Each hostile query alone, then with the parameters that multiply its cost (the largest
    page, deep paging, all facet values, the other match mode, a date sort), and hostile
    parameters on an ordinary query."""
    out: list[dict[str, str]] = []
    extras = [{}, {"per_page": "100"}, {"match": "any", "per_page": "100"}, {"facet_size": "500"},
              {"sort": "newest", "page": "100"}, {"match": "any", "person_contains": ".*[(\\"}]
    for q in hostile_queries():
        for extra in extras:
            out.append({"q": q, **extra})
    for bad in ({"page": "999999999"}, {"page": "-1"}, {"per_page": "100000"}, {"facet_size": "99999999"},
                {"from": "2015-13-45"}, {"to": "x" * 3000}, {"sort": "'; DROP TABLE"}, {"match": "none"},
                {"person_contains": "(" * 1000}, {"explain": "1", "per_page": "100"}):
        out.append({"q": "الرياض", **bad})
    return out
