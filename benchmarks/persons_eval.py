"""Score the person extractor with 5-fold cross-validation, next to the rules-only baseline.

    .venv/bin/python benchmarks/persons_eval.py [../shared/dev/persons-anercorp-dev] [--folds 5]

The sentences are cut into 5 contiguous folds (neighbouring sentences come from one article, so
a random split would leak names); each fold is tagged by models trained (persons.train, both
passes, with their own inner folds) on the other four only. The data has no article breaks, so
20 sentences either side stand for the article. Measures, pooled over the folds, with 95%
bootstrap intervals over sentences:
- exact span: a predicted mention counts when its token span equals a gold one;
- name set: per sentence, the set of names after stripping a leading و/ب/ل/ك/ف and folding
  alef/ya/taa marbuta (the analyzer's normalize), micro-averaged; the predicted names are the
  facet values the product stores (persons.extract.clean_names of each span).
The confidence threshold (the lowest marginal in a span) trades recall for precision; it is
swept here, and persons/data/persons.json holds the one the product uses.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyzers.charmap import normalize  # noqa: E402
from persons.crf import bio_spans  # noqa: E402
from persons.extract import clean_names  # noqa: E402
from persons.rules import rule_spans  # noqa: E402
from persons.tagger import META, MODEL_DIR, PersonTagger  # noqa: E402
from persons.train import WINDOW, folds, read_conll, train_models  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "dev" / "persons-anercorp-dev"
SHIPPED = json.loads((MODEL_DIR / META).read_text(encoding="utf-8"))["threshold"]
THRESHOLDS = tuple(sorted({0.0, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, SHIPPED}))
Span = tuple[int, int, float]


def name_form(name: str) -> str:
    """The name-set form of a mention: normalized, a leading proclitic letter dropped."""
    n = " ".join(normalize(name).split())
    if len(n) > 3 and n[0] in "وبلكف" and n[1] != " ":
        n = n[1:]
    return n


def _value_form(value: str, gold: set[str]) -> str:
    """A value whose clitic the extractor already took off is not stripped a second time."""
    plain = " ".join(normalize(value).split())
    return plain if plain in gold else name_form(value)


def cross_validate(sentences: list, k: int) -> tuple[list[list[Span]], list[list[Span]]]:
    """(first pass, both passes): spans for every sentence from models that did not see it."""
    first: list[list[Span]] = []
    both: list[list[Span]] = []
    for a, b in folds(len(sentences), k):
        held_out = [w for w, _ in sentences[a:b]]
        with tempfile.TemporaryDirectory() as tmp:
            train_models(sentences[:a] + sentences[b:], Path(tmp))
            tagger = PersonTagger(Path(tmp), threshold=0.0)
            first.extend(tagger.tag_sentence(w) for w in held_out)
            both.extend(tagger.tag_document(held_out, window=WINDOW))
    return first, both


def counts(sentences: list, predicted: list[list[tuple[int, int]]], gold_names: list[list[str]]) -> list[tuple]:
    """Per sentence: (span tp, span pred, span gold, set tp, set pred, set gold)."""
    rows = []
    for (words, labels), pred, names in zip(sentences, predicted, gold_names):
        gold = set(bio_spans(labels))
        ps = set(pred)
        gset = {name_form(x) for x in names}
        pset = {_value_form(v, gset) for s, e in ps for v in clean_names(words[s:e])}
        rows.append((len(ps & gold), len(ps), len(gold), len(pset & gset), len(pset), len(gset)))
    return rows


def prf(rows: list[tuple], offset: int) -> tuple[float, float, float]:
    tp = sum(r[offset] for r in rows)
    pred = sum(r[offset + 1] for r in rows)
    gold = sum(r[offset + 2] for r in rows)
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bootstrap(rows: list[tuple], offset: int, rounds: int = 1000, seed: int = 7) -> list[tuple[float, float]]:
    """95% intervals of P, R, F1 from resampling sentences."""
    rng = random.Random(seed)
    samples = [prf([rows[rng.randrange(len(rows))] for _ in rows], offset) for _ in range(rounds)]
    out = []
    for m in range(3):
        vals = sorted(s[m] for s in samples)
        out.append((vals[int(0.025 * rounds)], vals[int(0.975 * rounds) - 1]))
    return out


def report_line(label: str, rows: list[tuple]) -> dict:
    result: dict = {"system": label}
    for measure, offset in (("span", 0), ("set", 3)):
        p, r, f = prf(rows, offset)
        ci = bootstrap(rows, offset)
        result[measure] = {"p": p, "r": r, "f1": f, "ci": ci}
        print(
            f"{label:<30} {measure:<5} P {p:.3f} [{ci[0][0]:.3f}-{ci[0][1]:.3f}]  "
            f"R {r:.3f} [{ci[1][0]:.3f}-{ci[1][1]:.3f}]  F1 {f:.3f} [{ci[2][0]:.3f}-{ci[2][1]:.3f}]",
            flush=True,
        )
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--limit", type=int, help="only the first N sentences (a smoke run)")
    args = ap.parse_args()
    sentences = read_conll(args.data / "dev.conll")
    docs = [json.loads(line) for line in (args.data / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == len(sentences), "docs.jsonl and dev.conll must have the same sentences"
    if args.limit:
        sentences, docs = sentences[: args.limit], docs[: args.limit]
    gold_names = [d["persons"] for d in docs]
    print(f"{len(sentences)} sentences, {sum(len(g) for g in gold_names)} gold mentions, {args.folds} folds")

    results = []
    rules = [[(s, e) for _, s, e in rule_spans(words)] for words, _ in sentences]
    results.append(report_line("rules only (baseline)", counts(sentences, rules, gold_names)))
    t0 = time.perf_counter()
    first, both = cross_validate(sentences, args.folds)
    print(f"(cross-validation {time.perf_counter() - t0:.0f} s)")
    for label, tagged in (("CRF first pass", first), ("CRF both passes", both)):
        for t in THRESHOLDS:
            pred = [[(s, e) for s, e, c in spans if c >= t] for spans in tagged]
            shipped = " (shipped)" if t == SHIPPED and label == "CRF both passes" else ""
            results.append(report_line(f"{label}, thr {t:.2f}{shipped}", counts(sentences, pred, gold_names)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
