"""Train the person tagger on CoNLL data (token<TAB>B-PER/I-PER/O, blank line between sentences).

    .venv/bin/python -m persons.train ../shared/dev/persons-anercorp-dev/dev.conll

writes persons/data/persons.crfsuite (first pass), persons-doc.crfsuite (second pass) and
persons.json (settings, threshold and the data they came from). The second pass learns from
first-pass output the model has not seen the labels of (k-fold), so it is trained on the same
kind of evidence it gets at run time. The threshold is chosen with benchmarks/persons_eval.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pycrfsuite

from persons.crf import CompiledCRF
from persons.features import doc_hints, sentence_features
from persons.tagger import DOCUMENT_MODEL, META, MODEL_DIR, SENTENCE_MODEL, PersonTagger

PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
# Confidence a span needs to become a facet value: precision first (see docs/persons.md).
THRESHOLD = 0.8
# The training data has no article breaks: this many sentences either side stand for the article.
WINDOW = 20
INNER_FOLDS = 4

Sentence = tuple[list[str], list[str]]


def read_conll(path: Path) -> list[Sentence]:
    """Sentences as (tokens, labels)."""
    sentences: list[Sentence] = []
    words: list[str] = []
    labels: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sentences.append((words, labels))
            words, labels = [], []
            continue
        token, _, label = line.rpartition("\t")
        words.append(token)
        labels.append(label.strip() or "O")
    if words:
        sentences.append((words, labels))
    return sentences


def _train_crf(items: list[tuple[list[list[str]], list[str]]], path: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in items:
        trainer.append(features, labels)
    trainer.set_params(PARAMS)
    trainer.train(str(path))


def _first_pass_fold(args: tuple[list[Sentence], list[Sentence]]) -> list[list]:
    train_part, held_out = args
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fold.crfsuite"
        _train_crf([(sentence_features(w), lab) for w, lab in train_part], path)
        tagger = CompiledCRF(path)
        return [tagger.tag(w) for w, _ in held_out]


def folds(n: int, k: int) -> list[tuple[int, int]]:
    """k contiguous [start, end) blocks (neighbouring sentences share an article)."""
    bounds = [round(n * i / k) for i in range(k + 1)]
    return list(zip(bounds, bounds[1:]))


def train_models(sentences: list[Sentence], out_dir: Path, workers: int = 2) -> None:
    """Both passes into `out_dir`."""
    jobs = [(sentences[:a] + sentences[b:], sentences[a:b]) for a, b in folds(len(sentences), INNER_FOLDS)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        first_pass = [spans for part in pool.map(_first_pass_fold, jobs) for spans in part]
    words = [w for w, _ in sentences]
    hints = doc_hints(words, first_pass, WINDOW)
    _train_crf([(sentence_features(w), lab) for w, lab in sentences], out_dir / SENTENCE_MODEL)
    _train_crf([(sentence_features(w, h), lab) for (w, lab), h in zip(sentences, hints)], out_dir / DOCUMENT_MODEL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("conll", type=Path)
    ap.add_argument("--out", type=Path, default=MODEL_DIR, help="directory for the model files")
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    args = ap.parse_args()
    sentences = read_conll(args.conll)
    train_models(sentences, args.out)
    meta = {
        "threshold": args.threshold,
        "params": PARAMS,
        "window": WINDOW,
        "inner_folds": INNER_FOLDS,
        "trained_on": args.conll.name,
        "sha256": hashlib.sha256(args.conll.read_bytes()).hexdigest(),
        "sentences": len(sentences),
        "command": "python -m persons.train " + str(args.conll),
    }
    (args.out / META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    PersonTagger(args.out)  # both files open
    sizes = ", ".join(f"{f} {(args.out / f).stat().st_size // 1024} KB" for f in (SENTENCE_MODEL, DOCUMENT_MODEL))
    print(f"{len(sentences)} sentences -> {args.out}: {sizes}")


if __name__ == "__main__":
    main()
