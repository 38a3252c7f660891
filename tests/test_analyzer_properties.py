"""Property tests on random Arabic-heavy strings: never raises, idempotent, offsets in bounds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers import analyze, exact_analyzer

ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
MIXED = st.one_of(
    ARABIC,
    st.sampled_from(list(" \u200c\u200d\u200e\u200f\ufeff،؛؟«»-_.,!\"'()\u0640ﻻﻣﺤﻤﺪ٠١٢abcXYZ09\n\t")),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFC),
)
TEXT = st.text(alphabet=MIXED, max_size=80)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_never_raises_and_offsets_are_sane(text: str) -> None:
    toks = analyze(text)
    last_end = 0
    for t in toks:
        assert 0 <= t["start"] < t["end"] <= len(text)
        assert t["start"] >= last_end or t["start"] == toks[toks.index(t) - 1]["end"]
        assert text[t["start"] : t["end"]] == t["text"]
        assert t["term"]
        last_end = t["end"]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_idempotent_on_its_own_output(text: str) -> None:
    an = exact_analyzer()
    once = [t.text for t in an(text)]
    twice = [t.text for t in an(" ".join(once))]
    assert twice == once


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_is_safe(text: str) -> None:
    for t in analyze(text):
        assert 0 <= t["start"] < t["end"] <= len(text)


# Pieces without presentation forms (those take the chain itself), with the letters and words
# the fast path treats specially: آ of the family word, the عبد + divine-name compounds, İ.
PIECES = st.one_of(
    ARABIC,
    st.sampled_from(list(" \u200c\u200d\u200e\u200f\ufeff\u00ad\u061c،؛؟«»-_.,\u0640٠١٢abcİXYZ09\n")),
    st.sampled_from(["آل ", " ال ", "عبدالله ", "وعبدالرحمن ", "آلاف ", "مسؤول ", "في ", "أل "]),
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(PIECES, max_size=40).map("".join), TEXT))
def test_indexing_fast_path_gives_the_chains_terms(text: str) -> None:
    from analyzers.terms import exact_terms

    assert exact_terms(text) == [t.text for t in exact_analyzer()(text)]


def test_indexing_fast_path_examples() -> None:
    from analyzers.terms import exact_terms

    assert exact_terms("آلُ سعودٍ والـمسؤولُ عبدالله في الرياض ال") == ["آل", "سعود", "والمسءول", "عبد", "الله", "الرياض"]


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_indexed_postings_are_the_token_chains(text: str) -> None:
    """The postings the indexer writes (one analysis pass, each distinct term stemmed once)
    are, per term, where the exact and the stem analyzers put it among the text's kept tokens
    (positions count kept tokens: a dropped bare ال leaves no gap)."""
    from collections import defaultdict

    from analyzers import stem_analyzer
    from backends.whoosh.positions import CompactPositions
    from backends.whoosh.preanalyzed import analyze_text, items

    for terms, chain in zip(analyze_text(text), (exact_analyzer(), stem_analyzer())):
        want: dict[bytes, list[int]] = defaultdict(list)
        for pos, t in enumerate(chain(text)):
            want[t.text.encode("utf-8")].append(pos)
        fmt = CompactPositions()
        got = {term: fmt.decode_positions(value) for term, freq, weight, value in items(terms, fmt.encode)}
        assert got == dict(want)
        assert all(freq == weight == len(got[term]) == fmt.decode_frequency(value)
                   for term, freq, weight, value in items(terms, fmt.encode))


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=40, max_size=200).map("".join))
def test_translator_on_long_text_is_str_translate(text: str) -> None:
    """The passes that replace str.translate on long texts (analyzers/charmap.py Translator)
    give what str.translate gives, for the index's table and the fast path's."""
    from analyzers.charmap import TRANSLATE_TABLE, Translator
    from analyzers.terms import _FOLD_TEXT

    text = text * (1 + Translator.LONG // (len(text) + 1))  # long enough for the passes
    assert len(text) >= Translator.LONG
    assert Translator(TRANSLATE_TABLE)(text) == text.translate(TRANSLATE_TABLE)
    assert _FOLD_TEXT(text) == text.translate(_FOLD_TEXT.table)
