"""The proclitics that attach to the front of an Arabic word in news text: the conjunctions و
and ف, the prepositions ب, ل, ك, the future marker س, and the article ال with what can precede
it (وال, بال, كال, فال, لل). Letters are in their normalized form (analyzers/charmap.py)."""

from __future__ import annotations

PROCLITICS = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س")


def strip_proclitics(word: str, keep: int = 3) -> str:
    """`word` without its longest proclitic group, when at least `keep` letters remain
    (والرياض -> رياض, بوظيفه -> وظيفه, but ولد and بلد stay)."""
    for p in PROCLITICS:  # longest first
        if word.startswith(p) and len(word) - len(p) >= keep:
            return word[len(p):]
    return word
