"""One facet value per person: a normalized key (أحمد/احمد, عبدالله/عبد الله meet), and the
corpus-level merge of the long and short forms of one name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from analyzers.charmap import normalize
from persons.lexicon import name_lexicon, word_stats

# عبد before a divine name is one word in some spellings (عبدالله, عبدربه) and two in others
_ABD = re.compile(r"\bعبد\s+(?=ال|ربه\b)")
_SPACES = re.compile(r"\s+")
MAX_NAME_WORDS = 8  # a person value has at most this many words
# Words that join the parts of a full name: بن/ابن/بنت before a father's name, آل (ال once
# normalized) before a family name.
_JOINERS = frozenset(normalize(w) for w in ("بن", "ابن", "بنت", "آل"))


def strip_proclitic(word: str) -> str:
    """A name's first word without an attached و (when 3 letters remain) or ف/ب/ل/ك (only when
    what remains is a known name and much more common than the whole), unless the whole word is
    a known name: وبوش → بوش, لأوباما → أوباما, ولميخائيل → ميخائيل, but بلال, كمال, فهد,
    فيرجسون, كلينتون stay."""
    n = normalize(word)
    if len(n) < 4 or n[0] not in "وفبلك" or n in name_lexicon():
        return word
    rest = n[1:]
    if n[0] == "و":  # and a second clitic after it: ولميخائيل → لميخائيل → ميخائيل
        return word[1:] if rest[0] == "و" else strip_proclitic(word[1:])
    stats = word_stats()
    if rest in name_lexicon() and stats.get(rest, (0, 0))[0] >= stats.get(n, (0, 0))[0] + 10:
        return word[1:]
    return word


def person_key(name: str) -> str:
    """Normalized spelling with عبد compounds closed up."""
    key = _SPACES.sub(" ", normalize(name)).strip()
    return _ABD.sub("عبد", key)


def _within(short: tuple[str, ...], long: tuple[str, ...]) -> list[int] | None:
    """Positions in `long` of the words that are not in `short`, when `short` is a subsequence of
    `long` that starts with the same word; None otherwise."""
    if len(short) < 2 or len(long) <= len(short) or short[0] != long[0]:
        return None
    j = 0
    extra = []
    for i, w in enumerate(long):
        if j < len(short) and w == short[j]:
            j += 1
        else:
            extra.append(i)
    return extra if j == len(short) else None


def _extends(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """`long` is `short` with nasab or family parts added: عادل الجبير ⊂ عادل بن احمد الجبير,
    سلمان بن عبدالعزيز ⊂ سلمان بن عبدالعزيز ال سعود. Every added word is a joiner or follows one."""
    extra = _within(short, long)
    return extra is not None and all(long[i] in _JOINERS or long[i - 1] in _JOINERS for i in extra)


def corpus_aliases(keys: Iterable[str], weight: dict[str, int]) -> dict[str, str]:
    """Map each key that is a shorter or longer form of one person to that person's key (the
    form with the most articles). A name merges into its most frequent longer form (added nasab
    or family parts only) when that form holds at least two thirds of the articles of all longer
    names containing it; otherwise it may be either person (فهد بن عبدالله) and stays alone."""
    words = {k: tuple(k.split()) for k in keys}
    by_first_and_word: dict[tuple[str, str], list[str]] = {}
    for k, ws in words.items():
        for w in set(ws[1:]):
            by_first_and_word.setdefault((ws[0], w), []).append(k)
    groups: dict[str, set[str]] = {}
    for k, ws in words.items():
        if len(ws) < 2:
            continue
        containing = [o for o in by_first_and_word.get((ws[0], ws[-1]), ()) if _within(ws, words[o]) is not None]
        valid = [o for o in containing if _extends(ws, words[o])]
        if not valid:
            continue
        best = max(valid, key=lambda o: (weight.get(o, 0), o))
        if 3 * weight.get(best, 0) < 2 * sum(weight.get(o, 0) for o in containing):
            continue
        group = {k, best} | groups.get(k, set()) | groups.get(best, set())
        for member in group:
            groups[member] = group
    return {k: max(group, key=lambda g: (weight.get(g, 0), -len(g), g)) for k, group in groups.items()}
