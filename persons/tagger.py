"""The trained person tagger: two CRFs over persons/features.py, shipped in persons/data/.

The first pass tags each sentence alone; the second re-tags the sentences that share a word with
a name the first pass found elsewhere in the article, with that evidence as features. The models
are read from the package; nothing is downloaded. Retrain with `python -m persons.train`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from persons.crf import CompiledCRF
from persons.features import Span, doc_hints, rule_tags

MODEL_DIR = Path(__file__).with_name("data")
SENTENCE_MODEL = "persons.crfsuite"
DOCUMENT_MODEL = "persons-doc.crfsuite"
META = "persons.json"


class PersonTagger:
    """Tags person-name spans in tokenized sentences (one instance per process: it caches)."""

    def __init__(self, model_dir: Path = MODEL_DIR, threshold: float | None = None) -> None:
        self._sentence = CompiledCRF(model_dir / SENTENCE_MODEL)
        self._document = CompiledCRF(model_dir / DOCUMENT_MODEL)
        meta_path = model_dir / META
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        self.threshold = meta.get("threshold", 0.0) if threshold is None else threshold

    def tag_sentence(self, words: list[str]) -> list[Span]:
        """First pass only, every span with its confidence (no threshold)."""
        return self._sentence.tag(words)

    def tag_document(self, sentences: list[list[str]], window: int | None = None) -> list[list[Span]]:
        """Both passes over an article's sentences (or, with `window`, over a stream of sentences
        where `window` sentences either side stand for the article); spans below the threshold
        are dropped."""
        tags = [rule_tags(words) for words in sentences]
        first = self._sentence.tag_batch(sentences, tags=tags)
        hints = doc_hints(sentences, first, window)
        again = [i for i, h in enumerate(hints) if any(h)]
        if again:
            second = self._document.tag_batch([sentences[i] for i in again], [hints[i] for i in again],
                                              [tags[i] for i in again])
            for i, spans in zip(again, second):
                first[i] = spans
        return [[s for s in spans if s[2] >= self.threshold] for spans in first]


@lru_cache(maxsize=1)
def default_tagger() -> PersonTagger:
    return PersonTagger()
