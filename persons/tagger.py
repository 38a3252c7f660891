"""The trained person tagger: two CRFs over persons/features.py, shipped in persons/data/.

The first pass tags each sentence alone; the second re-tags the sentences that share a word with
a name the first pass found elsewhere in the article, with that evidence as features. The models
are read from the package; nothing is downloaded. Retrain with `python -m persons.train`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from persons.features import Span, doc_hints, sentence_features

MODEL_DIR = Path(__file__).with_name("data")
SENTENCE_MODEL = "persons.crfsuite"
DOCUMENT_MODEL = "persons-doc.crfsuite"
META = "persons.json"


def bio_spans(labels: list[str]) -> list[tuple[int, int]]:
    """[start, end) token spans of the B-PER/I-PER runs in a label sequence."""
    spans = []
    start = None
    for i, lab in enumerate([*labels, "O"]):
        if start is not None and lab != "I-PER":
            spans.append((start, i))
            start = None
        if lab == "B-PER" or (lab == "I-PER" and start is None):
            start = i
    return spans


def _open(path: Path) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def _run(tagger: pycrfsuite.Tagger, features: list[list[str]]) -> list[Span]:
    """(start, end, confidence) of each name; confidence = the lowest marginal in the span."""
    tagger.set(features)
    labels = tagger.tag()
    return [
        (start, end, min(tagger.marginal(labels[k], k) for k in range(start, end)))
        for start, end in bio_spans(labels)
    ]


class PersonTagger:
    """Tags person-name spans in tokenized sentences; one instance per process (not thread-safe)."""

    def __init__(self, model_dir: Path = MODEL_DIR, threshold: float | None = None) -> None:
        self._sentence = _open(model_dir / SENTENCE_MODEL)
        self._document = _open(model_dir / DOCUMENT_MODEL)
        meta_path = model_dir / META
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        self.threshold = meta.get("threshold", 0.0) if threshold is None else threshold

    def tag_sentence(self, words: list[str]) -> list[Span]:
        """First pass only, every span with its confidence (no threshold)."""
        return _run(self._sentence, sentence_features(words)) if words else []

    def tag_document(self, sentences: list[list[str]], window: int | None = None) -> list[list[Span]]:
        """Both passes over an article's sentences (or, with `window`, over a stream of sentences
        where `window` sentences either side stand for the article); spans below the threshold
        are dropped."""
        first = [self.tag_sentence(words) for words in sentences]
        hints = doc_hints(sentences, first, window)
        out = []
        for words, spans, h in zip(sentences, first, hints):
            if any(h):
                spans = _run(self._document, sentence_features(words, h))
            out.append([s for s in spans if s[2] >= self.threshold])
        return out


@lru_cache(maxsize=1)
def default_tagger() -> PersonTagger:
    return PersonTagger()
