"""Snippets and full-text highlighting on the ORIGINAL text: escape first, then mark.

Matching is decided on analyzed tokens (exact term or stem), but what is shown is the text
as written, diacritics included, so `اسماعيل هنيه` highlights `إسماعيلُ هنيّة`.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from analyzers import exact_analyzer, normalize, stem

_ANALYZER = exact_analyzer()
SNIPPET_CHARS = 240
CHUNK_CHARS = 200
# A cut point moves to a word's edge only within this many characters: a "word" longer than any
# real one (a text without spaces, hostile or broken) is cut where it is, so a snippet stays about
# SNIPPET_CHARS long and analysis goes chunk by chunk whatever the text.
MAX_WORD_CHARS = 40


def _needles(exact: set[str], stems: set[str], prefixes: list[str]) -> list[str]:
    """Strings that a chunk's normalized text must contain for it to hold a match. A stem is
    nearly always a substring of its word; snowball's few rewrites touch the first letter
    (تستاجر → استاجر), so a stem's needle leaves that letter out."""
    out = {normalize(t) for t in exact} | {p for p in prefixes}
    out |= {s[1:] if len(s) >= 4 else s for s in stems}
    return [n for n in out if n]


def _matches(text: str, exact: set[str], stems: set[str], prefixes: list[str],
             stop_after: int | None = None) -> tuple[list[tuple[int, int, str]], int]:
    """(start, end, term) of every matching token, and how far the text was analyzed. With
    `stop_after`, analysis goes chunk by chunk, skips a chunk whose normalized text holds none of
    the query's needles, and stops once every query stem has been seen, or `stop_after`
    characters after the first match: a snippet needs the matches near the best window, not
    those of a whole long article (analysis is most of a search's cost otherwise)."""
    spans: list[tuple[int, int, str]] = []
    if not (exact or stems or prefixes):
        return spans, len(text)
    seen: set[str] = set()
    first = None
    pos = 0
    n = len(text)
    needles = _needles(exact, stems, prefixes) if stop_after is not None else []
    while pos < n:
        end = n if stop_after is None else _cut(text, min(n, pos + CHUNK_CHARS))
        if needles and not _may_match(text[pos:end], needles):
            pos = end
            continue
        for t in _ANALYZER(text[pos:end]):
            term = t.text
            st = stem(term) if stems else ""
            if term in exact or st in stems or (prefixes and any(term.startswith(p) for p in prefixes)):
                spans.append((pos + t.startchar, pos + t.endchar, term))
                seen.add(st or term)
                if first is None:
                    first = pos + t.startchar
        pos = end
        if stop_after is not None and first is not None and (
            (stems and stems <= seen) or pos >= first + stop_after
        ):
            break
    return spans, pos


def _may_match(chunk: str, needles: list[str]) -> bool:
    folded = normalize(chunk)
    return any(n in folded for n in needles)


def _render(text: str, spans: list[tuple[int, int, str]], start: int, end: int) -> Markup:
    out: list[str] = []
    pos = start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        out.append(str(escape(text[pos:s])))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(str(escape(text[pos:end])))
    return Markup("".join(out))


def highlight_full(text: str, exact: set[str], stems: set[str], prefixes: list[str]) -> Markup:
    """The whole text, escaped, with every match wrapped in <mark>."""
    return _render(text, _matches(text, exact, stems, prefixes)[0], 0, len(text))


def snippet(text: str, exact: set[str], stems: set[str], prefixes: list[str], size: int = SNIPPET_CHARS) -> Markup:
    """The window of about `size` characters holding the most distinct matched terms (among the
    matches up to a few windows past the first one)."""
    spans, scanned = _matches(text, exact, stems, prefixes, stop_after=4 * size)
    if not spans:
        end = _cut(text, min(len(text), size))
        return Markup(str(escape(text[:end])) + ("…" if end < len(text) else ""))
    best, best_score = 0, -1
    j = 0
    for i in range(len(spans)):
        while j < len(spans) and spans[j][1] - spans[i][0] <= size:
            j += 1
        score = len({sp[2] for sp in spans[i:j]}) * 100 + (j - i)
        if score > best_score:
            best, best_score = i, score
    first = spans[best][0]
    start = max(0, first - size // 4)
    start = _cut_back(text, start)
    end = _cut(text, min(len(text), start + size))
    if end > scanned:  # analysis stopped inside the window: mark the rest of it too
        tail, _ = _matches(text[scanned:end], exact, stems, prefixes)
        spans = spans + [(s + scanned, e + scanned, t) for s, e, t in tail]
    body = _render(text, spans, start, end)
    return Markup(("…" if start > 0 else "") + str(body) + ("…" if end < len(text) else ""))


def _cut(text: str, pos: int) -> int:
    """Move a cut point forward to the end of the word it falls in (at most MAX_WORD_CHARS)."""
    limit = min(len(text), pos + MAX_WORD_CHARS)
    end = pos
    while 0 < end < limit and not text[end].isspace():
        end += 1
    return end if end < limit or end == len(text) else pos


def _cut_back(text: str, pos: int) -> int:
    """Move a cut point back to the start of the word it falls in (at most MAX_WORD_CHARS)."""
    limit = max(0, pos - MAX_WORD_CHARS)
    start = pos
    while limit < start < len(text) and not text[start - 1].isspace():
        start -= 1
    return start if start > limit or start == 0 else pos
