"""Train the person tagger on CoNLL data (token<TAB>B-PER/I-PER/O, blank line between sentences).

    .venv/bin/python -m persons.train ../shared/dev/persons-anercorp-dev/dev.conll

writes, for each ensemble member in MEMBERS, persons/data/persons-<member>.crfsuite (first pass)
and persons-<member>-doc.crfsuite (second pass), and persons.json (members, settings, threshold
and the data they came from). The second pass learns from first-pass output the model has not
seen the labels of (k-fold), so it is trained on the same kind of evidence it gets at run time.
The threshold is chosen with benchmarks/persons_eval.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pycrfsuite

from persons.crf import CompiledCRF, to_bilou
from persons.features import doc_hints, sentence_features
from persons.tagger import META, MODEL_DIR, PersonTagger, model_files

# The ensemble: the same features, two label schemes (BILOU marks a name's last word and
# one-word names apart, which changes what the model is sure of), two kinds of regularization.
MEMBERS = (
    {"name": "bio", "scheme": "bio", "params": {"c1": 0.05, "c2": 0.05}},
    {"name": "bilou", "scheme": "bilou", "params": {"c1": 0.05, "c2": 0.05}},
    {"name": "bilou-l2", "scheme": "bilou", "params": {"c1": 0.02, "c2": 0.5}},
)
COMMON_PARAMS = {"max_iterations": 150, "feature.possible_transitions": True}
# Confidence a span needs to become a facet value: precision first (see docs/persons.md).
THRESHOLD = 0.52
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


def _train_crf(member: dict, sentences: list[Sentence], hints: list | None, path: Path) -> None:
    """One CRF of `member` on BIO-labelled sentences (with `hints`: a second pass)."""
    trainer = pycrfsuite.Trainer(verbose=False)
    relabel = to_bilou if member["scheme"] == "bilou" else list
    for k, (words, labels) in enumerate(sentences):
        trainer.append(sentence_features(words, None if hints is None else hints[k]), relabel(labels))
    trainer.set_params({**COMMON_PARAMS, **member["params"]})
    trainer.train(str(path))


def _first_pass_fold(args: tuple[dict, list[Sentence], list[Sentence]]) -> list[list]:
    member, train_part, held_out = args
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fold.crfsuite"
        _train_crf(member, train_part, None, path)
        tagger = CompiledCRF.open(path)
        return [tagger.tag(w) for w, _ in held_out]


def _train_job(args: tuple[dict, list[Sentence], list | None, Path]) -> None:
    _train_crf(*args)


def folds(n: int, k: int) -> list[tuple[int, int]]:
    """k contiguous [start, end) blocks (neighbouring sentences share an article)."""
    bounds = [round(n * i / k) for i in range(k + 1)]
    return list(zip(bounds, bounds[1:]))


def train_models(sentences: list[Sentence], out_dir: Path, workers: int = 2) -> None:
    """Both passes of every member, and persons.json's member list, into `out_dir`."""
    inner = folds(len(sentences), INNER_FOLDS)
    jobs = [(m, sentences[:a] + sentences[b:], sentences[a:b]) for m in MEMBERS for a, b in inner]
    words = [w for w, _ in sentences]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(_first_pass_fold, jobs))
        final = []
        for k, member in enumerate(MEMBERS):
            first_pass = [spans for part in parts[k * len(inner) : (k + 1) * len(inner)] for spans in part]
            hints = doc_hints(words, first_pass, WINDOW)
            first, second = model_files(member["name"])
            final += [(member, sentences, None, out_dir / first), (member, sentences, hints, out_dir / second)]
        list(pool.map(_train_job, final))
    meta_path = out_dir / META
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {"threshold": THRESHOLD}
    meta["members"] = list(MEMBERS)
    meta_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


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
        "members": list(MEMBERS),
        "params": COMMON_PARAMS,
        "window": WINDOW,
        "inner_folds": INNER_FOLDS,
        "trained_on": args.conll.name,
        "sha256": hashlib.sha256(args.conll.read_bytes()).hexdigest(),
        "sentences": len(sentences),
        "command": "python -m persons.train " + str(args.conll),
    }
    (args.out / META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    PersonTagger(args.out)  # every file opens
    files = [f for m in MEMBERS for f in model_files(m["name"])]
    print(f"{len(sentences)} sentences -> {args.out}: " + ", ".join(
        f"{f} {(args.out / f).stat().st_size // 1024} KB" for f in files))


if __name__ == "__main__":
    main()
