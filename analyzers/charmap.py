"""Character-level normalization of Arabic text, built from pyarabic's character sets.

One `str.translate` table does all single-character work (deletions and 1:1 foldings);
presentation forms are the only case that needs NFKC (one glyph may become two letters).
"""

from __future__ import annotations

import re
import unicodedata

from pyarabic import araby

# Marks that carry no lexical identity for search: harakat, tanwin, shadda, sukun,
# dagger alef, combining hamza/madda (an NFD-decomposed أ is ا + U+0654), Quranic marks.
_QURANIC_MARKS = "".join(chr(c) for c in range(0x0610, 0x061B)) + "".join(
    chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06E5, 0x06E6)
)
_EXTRA_COMBINING = "".join(chr(c) for c in range(0x0653, 0x0660))  # madda/hamza above/below, etc.
DIACRITICS = "".join(araby.TASHKEEL) + araby.MINI_ALEF + _EXTRA_COMBINING + _QURANIC_MARKS

# Invisible format characters that web text is full of: they are removed inside words.
# ZWNJ (U+200C) is not here: the tokenizer treats it as a word separator.
INVISIBLE = "\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u061c"

_DELETE = DIACRITICS + araby.TATWEEL + INVISIBLE

_FOLD: dict[str, str] = {
    araby.ALEF_HAMZA_ABOVE: araby.ALEF,
    araby.ALEF_HAMZA_BELOW: araby.ALEF,
    araby.ALEF_MADDA: araby.ALEF,
    araby.ALEF_WASLA: araby.ALEF,
    # Both hamza carriers fold to the bare hamza, so the two house spellings
    # of the press meet: مسؤول = مسئول, شؤون = شئون.
    araby.WAW_HAMZA: araby.HAMZA,
    araby.YEH_HAMZA: araby.HAMZA,
    araby.TEH_MARBUTA: araby.HEH,
    araby.ALEF_MAKSURA: araby.YEH,
    "\u06cc": araby.YEH,  # Farsi yeh ی
    "\u06a9": araby.KAF,  # keheh ک
    "\u06c1": araby.HEH,  # heh goal ہ
    "\u06d5": araby.HEH,  # ae ە
}
for _east, _west in zip(araby.NUMBERS_EAST, araby.NUMBERS_WEST):
    _FOLD[_east] = _west
for _i in range(10):
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Persian digits

TRANSLATE_TABLE: dict[int, str | None] = {ord(c): None for c in _DELETE}
TRANSLATE_TABLE.update({ord(k): v for k, v in _FOLD.items()})


class Translator:
    """`text.translate(table)` for a table of deletions and one-character replacements, faster
    on long texts: str.translate looks every character up in the table (about 50 ns each), so a
    news article takes one regex pass that deletes, then one `str.replace` per replaced
    character the text holds. Same result (no replacement is itself a key of the table), about
    8x faster on the bundled bodies; short strings (words) keep str.translate."""

    LONG = 200  # characters from which the passes beat str.translate

    def __init__(self, table: dict[int, str | None]) -> None:
        self.table = table
        deleted = "".join(chr(k) for k, v in table.items() if v is None)
        self._delete = re.compile(f"[{re.escape(deleted)}]") if deleted else None
        self._replace = [(chr(k), v) for k, v in table.items() if v is not None]
        assert all(len(v) == 1 and ord(v) not in table for _, v in self._replace), "not a one-pass table"

    def __call__(self, text: str) -> str:
        if len(text) < self.LONG:
            return text.translate(self.table)
        if self._delete is not None:
            text = self._delete.sub("", text)
        for old, new in self._replace:
            if old in text:
                text = text.replace(old, new)
        return text


_fold = Translator(TRANSLATE_TABLE)


_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefc\uff00-\uffef]")


def _needs_nfkc(text: str) -> bool:
    """Does the text hold a presentation form or a full-width character (NFKC's job)?"""
    return _PRESENTATION_FORM.search(text) is not None


def normalize_char(ch: str) -> str:
    """Normalize one original character; may return '' (deleted) or two letters (ﻻ → لا)."""
    if _needs_nfkc(ch):
        ch = unicodedata.normalize("NFKC", ch)
    return ch.translate(TRANSLATE_TABLE).lower()


def normalize(text: str) -> str:
    """Normalize a string the way the index does (no tokenizing, no stemming)."""
    if _needs_nfkc(text):
        text = unicodedata.normalize("NFKC", text)
    return _fold(text).lower()


def normalize_token(word: str) -> str:
    """Normalize one word; a presentation form that expands to several words (ﷺ) stays one term."""
    if _needs_nfkc(word):
        return "".join(normalize(word).split())
    return word.translate(TRANSLATE_TABLE).lower()


def original_offset(surface: str, n_normalized: int) -> int:
    """Index into `surface` after which `n_normalized` normalized characters have been produced.

    Used to split a token (عبدالله → عبد + الله) while keeping offsets into the original text.
    """
    produced = 0
    for i, ch in enumerate(surface):
        piece = normalize_char(ch)
        if produced >= n_normalized and piece:
            return i
        produced += len(piece)
    return len(surface)


def normalize_keeping(text: str, letter: str) -> str:
    """Normalize but keep one letter as written: alef madda tells the family word آل from a
    detached article; alef maqsura tells the preposition على from the name علي."""
    return normalize(text.replace(letter, "\x00")).replace("\x00", letter)


def normalize_keep_madda(text: str) -> str:
    return normalize_keeping(text, araby.ALEF_MADDA)
