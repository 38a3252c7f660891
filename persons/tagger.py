"""The trained person tagger: an ensemble of two-pass CRFs over persons/features.py, shipped in
persons/data/.

Each member's first pass tags each sentence alone; its second pass re-tags the sentences that
share a word with a name the first pass found elsewhere in the article, with that evidence as
features. The members differ in label scheme and training settings (persons/train.py MEMBERS);
a span's confidence is the mean of the members' (0 from a member that did not find that exact
span), which ranks names better than any one member (docs/persons.md). The models are read from
the package; nothing is downloaded. Retrain with `python -m persons.train`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from persons.crf import CompiledCRF, CRFModel
from persons.features import Span, doc_hint_masks, doc_hints, hint_masks
from persons.wordtable import Batch, WordTable

MODEL_DIR = Path(__file__).with_name("data")
META = "persons.json"


def model_files(member: str) -> tuple[str, str]:
    """The (first pass, second pass) model file names of an ensemble member."""
    return f"persons-{member}.crfsuite", f"persons-{member}-doc.crfsuite"


def average_spans(per_member: list[list[Span]]) -> list[Span]:
    """One sentence's spans from every member, each with the mean of the members' confidences
    (0 for a member without that exact span); of overlapping spans the more confident is kept."""
    if len(per_member) == 1:
        return per_member[0]
    total: dict[tuple[int, int], float] = {}
    for spans in per_member:
        for start, end, conf in spans:
            total[start, end] = total.get((start, end), 0.0) + conf
    return non_overlapping((s, e, c / len(per_member)) for (s, e), c in total.items())


def non_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Of overlapping spans the more confident (on a tie, the one further left), in text order."""
    kept: list[Span] = []
    for start, end, conf in sorted(spans, key=lambda t: (-t[2], t[0], t[1])):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, conf))
    return sorted(kept)


@lru_cache(maxsize=4)
def read_models(model_dir: Path) -> tuple[tuple[CRFModel, CRFModel], ...]:
    """Each member's (first pass, second pass) models, read once per process. Their weights
    come from pycrfsuite's text dump, which closes its file descriptor twice: read them where no
    other thread opens files (a second close can hit a file another thread just opened)."""
    meta = json.loads((model_dir / META).read_text(encoding="utf-8"))
    return tuple(tuple(CRFModel.read(model_dir / f) for f in model_files(m["name"]))  # type: ignore[misc]
                 for m in meta["members"])


class PersonTagger:
    """Tags person-name spans in tokenized sentences (one instance per process: it caches)."""

    def __init__(self, model_dir: Path = MODEL_DIR, threshold: float | None = None) -> None:
        meta = json.loads((model_dir / META).read_text(encoding="utf-8"))
        models = read_models(model_dir)
        # one word table for all the models: a word's features are looked up once
        self.table = WordTable(f for pair in models for m in pair for f in m.features())
        self.members = [tuple(CompiledCRF(m, self.table) for m in pair) for pair in models]
        self.threshold = meta["threshold"] if threshold is None else threshold

    def tag_sentence(self, words: list[str]) -> list[Span]:
        """First passes only, every span with its confidence (no threshold)."""
        batch = self.table.batch([words])
        return average_spans([first.decode(batch)[0] for first, _ in self.members])

    def tag_document(self, sentences: list[list[str]], window: int | None = None) -> list[list[Span]]:
        """Both passes over an article's sentences (or, with `window`, over a stream of sentences
        where `window` sentences either side stand for the article); spans below the threshold
        are dropped."""
        return [
            [s for s in average_spans(list(per_member)) if s[2] >= self.threshold]
            for per_member in zip(*self.member_spans(sentences, window))
        ]

    def member_spans(self, sentences: list[list[str]], window: int | None = None) -> list[list[list[Span]]]:
        """Per member, per sentence, its both-pass spans with its own confidences (no threshold):
        what tag_document averages."""
        batch = self.table.batch(sentences)
        return [self._both_passes(first, second, batch, sentences, window) for first, second in self.members]

    def _both_passes(self, first: CompiledCRF, second: CompiledCRF, batch: Batch, sentences: list[list[str]],
                     window: int | None) -> list[list[Span]]:
        spans = first.decode(batch)
        first_token = batch.first_token
        if window is None:
            masks = doc_hint_masks(self.table.core[batch.rows[batch.at]], first_token, spans)
        else:
            masks = hint_masks(doc_hints(sentences, spans, window))
        hinted = np.flatnonzero(masks)
        if len(hinted):
            again = np.unique(np.searchsorted(first_token, hinted, side="right") - 1).tolist()
            for i, s in zip(again, second.decode(batch.with_hints(masks).select(again))):
                spans[i] = s
        return spans


@lru_cache(maxsize=1)
def default_tagger() -> PersonTagger:
    return PersonTagger()
