"""Our analyzer chains (analyzers/chain.py) as Whoosh analyzers, for the fields' query-time
analysis (Whoosh's query parser calls a field's analyzer). Indexing does not come here: the
writer indexes pre-analyzed text (backends/whoosh/preanalyzed.py)."""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Analyzer, Token

from analyzers import exact_analyzer, stem_analyzer


class ArabicAnalyzer(Analyzer):
    """The exact chain, or the stem chain when `stem`. Pickled in the index's schema by its kind
    alone, so the chain itself is always the code's own."""

    def __init__(self, stem: bool = False) -> None:
        self.stem = stem

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.stem == other.stem  # type: ignore[attr-defined]

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: object) -> Iterator[Token]:
        chain = stem_analyzer() if self.stem else exact_analyzer()
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for ours in chain(value, removestops=removestops, start_pos=start_pos, start_char=start_char,
                          split=tokenize):
            t.text = ours.text
            t.boost = 1.0
            t.stopped = ours.stopped
            if keeporiginal:
                t.original = ours.surface
            if positions:
                t.pos = ours.pos
            if chars:
                t.startchar, t.endchar = ours.startchar, ours.endchar
            yield t
