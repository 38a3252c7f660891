"""Score the person extractor: k-fold CV on the tune part of the dev data and a held-back part
never tuned on, next to the rules-only baseline and, with --previous, an earlier revision's code.

    .venv/bin/python benchmarks/persons_eval.py [../shared/dev/persons-anercorp-dev] \\
        [--folds 5] [--held-back 0.2] [--previous REV] [--json FILE]

The last 20% of the sentences (contiguous: neighbouring sentences come from one article, so a
random split would leak names) are the held-back part: nothing is chosen on them. The rest, the
tune part, is cut into 5 contiguous folds; each fold is tagged by models trained (persons.train,
both passes, with their own inner folds) on the other four only, and the confidence threshold is
swept there. The held-back part is tagged by models trained on the whole tune part, at the
shipped threshold (persons/data/persons.json). With --previous REV the same protocol runs at the
same time, in a child process, on the persons/ and analyzers/ code and models of that revision.
The data has no article breaks, so 20 sentences either side stand for the article. Measures,
pooled, with 95% bootstrap intervals over sentences:
- exact span: a predicted mention counts when its token span equals a gold one;
- name set: per sentence, the set of names after stripping a leading و/ب/ل/ك/ف and folding
  alef/ya/taa marbuta (the analyzer's normalize), micro-averaged; the predicted names are the
  facet values the product stores (persons.extract.clean_names of each span).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CODE = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else str(Path(__file__).resolve().parents[1])
sys.path.insert(0, _CODE)

from analyzers.charmap import normalize  # noqa: E402
from persons.crf import bio_spans  # noqa: E402
from persons.extract import clean_names  # noqa: E402
from persons.rules import rule_spans  # noqa: E402
from persons.tagger import META, MODEL_DIR, PersonTagger  # noqa: E402
from persons.train import WINDOW, folds, read_conll, train_models  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "dev" / "persons-anercorp-dev"
SHIPPED = json.loads((MODEL_DIR / META).read_text(encoding="utf-8"))["threshold"]
HELD_BACK = 0.2  # the last fifth of the dev sentences: evaluated, never tuned on
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
            f"{label:<46} {measure:<5} P {p:.3f} [{ci[0][0]:.3f}-{ci[0][1]:.3f}]  "
            f"R {r:.3f} [{ci[1][0]:.3f}-{ci[1][1]:.3f}]  F1 {f:.3f} [{ci[2][0]:.3f}-{ci[2][1]:.3f}]",
            flush=True,
        )
    return result


def tagged_rows(sentences: list, gold_names: list, tagged: list[list[Span]], threshold: float) -> list[tuple]:
    pred = [[(s, e) for s, e, c in spans if c >= threshold] for spans in tagged]
    return counts(sentences, pred, gold_names)


def train_and_tag(train: list, test: list) -> list[list[Span]]:
    """Both passes trained on `train` (all of it), then `test` tagged as articles."""
    with tempfile.TemporaryDirectory() as tmp:
        train_models(train, Path(tmp))
        tagger = PersonTagger(Path(tmp), threshold=0.0)
        return tagger.tag_document([w for w, _ in test], window=WINDOW)


def evaluate(sentences: list, gold_names: list, k: int, held_from: int, label: str) -> dict:
    """One system's figures: the rules, the k-fold CV of the tune part (a threshold sweep), and
    the held-back part tagged by models trained on the whole tune part, at the shipped threshold."""
    tune, held = sentences[:held_from], sentences[held_from:]
    tune_gold, held_gold = gold_names[:held_from], gold_names[held_from:]
    out: dict = {"system": label, "threshold": SHIPPED, "tune": {}, "held": {}}
    for part, sents, gold in (("tune", tune, tune_gold), ("held", held, held_gold)):
        rules = [[(s, e) for _, s, e in rule_spans(words)] for words, _ in sents]
        out[part]["rules"] = counts(sents, rules, gold)
    t0 = time.perf_counter()
    first, both = cross_validate(tune, k)
    out["cv_seconds"] = round(time.perf_counter() - t0)
    out["tune"]["sweep"] = {f"{t:.2f}": {"first": tagged_rows(tune, tune_gold, first, t),
                                         "both": tagged_rows(tune, tune_gold, both, t)} for t in THRESHOLDS}
    if held:
        out["held"]["model"] = tagged_rows(held, held_gold, train_and_tag(tune, held), SHIPPED)
    return out


def print_table(results: list[dict], held_sentences: int) -> list[dict]:
    """Rows of name-set and exact-span P/R/F1 with 95% intervals, per system and part."""
    lines = []
    for res in results:
        thr = f"{res['threshold']:.2f}"
        for part, name in (("tune", "tune CV"), ("held", "held-back")):
            if part == "held" and not held_sentences:
                continue
            systems = [("rules only (baseline)", res[part]["rules"])] if res is results[0] else []
            rows = res[part]["sweep"][thr]["both"] if part == "tune" else res[part]["model"]
            systems.append((f"{res['system']}, thr {thr}", rows))
            for label, r in systems:
                lines.append(report_line(f"{name:<9} {label}", r))
    return lines


def _previous_results(rev: str, args: argparse.Namespace) -> tuple[subprocess.Popen, Path]:
    """This script run on the persons/ and analyzers/ code of git revision `rev` (a copy under
    /tmp), in a child process, so both systems are measured in one run on the same split."""
    code = Path(tempfile.mkdtemp(prefix=f"persons-{rev}-"))
    repo = Path(__file__).resolve().parents[1]
    archive = subprocess.run(["git", "-C", str(repo), "archive", rev, "persons", "analyzers"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    out = code / "results.json"
    cmd = [sys.executable, __file__, str(args.data), "--folds", str(args.folds), "--held-back", str(args.held_back),
           "--code", str(code), "--label", f"previous model ({rev})", "--worker-json", str(out)]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--held-back", type=float, default=HELD_BACK,
                    help="the last fraction of the sentences, never tuned on (default %(default)s)")
    ap.add_argument("--previous", metavar="REV", help="also evaluate the persons/ code of this git revision")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--limit", type=int, help="only the first N sentences (a smoke run)")
    ap.add_argument("--code", type=Path, help=argparse.SUPPRESS)  # read by the import block above
    ap.add_argument("--label", default="this model", help=argparse.SUPPRESS)
    ap.add_argument("--worker-json", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    sentences = read_conll(args.data / "dev.conll")
    docs = [json.loads(line) for line in (args.data / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == len(sentences), "docs.jsonl and dev.conll must have the same sentences"
    if args.limit:
        sentences, docs = sentences[: args.limit], docs[: args.limit]
    gold_names = [d["persons"] for d in docs]
    held_from = round(len(sentences) * (1 - args.held_back))
    if args.worker_json:
        result = evaluate(sentences, gold_names, args.folds, held_from, args.label)
        args.worker_json.write_text(json.dumps(result), encoding="utf-8")
        return
    held_gold = sum(len(g) for g in gold_names[held_from:])
    print(f"{len(sentences)} sentences, {sum(len(g) for g in gold_names)} gold mentions; tune part "
          f"{held_from} sentences ({args.folds}-fold CV), held-back part {len(sentences) - held_from} "
          f"sentences ({held_gold} mentions), never tuned on", flush=True)
    previous = _previous_results(args.previous, args) if args.previous else None
    results = [evaluate(sentences, gold_names, args.folds, held_from, args.label)]
    print(f"(cross-validation {results[0]['cv_seconds']} s)\n\nthreshold sweep, tune part (choose here):")
    thr_lines = []
    for t in THRESHOLDS:
        for passes in ("first", "both"):
            shipped = " (shipped)" if t == SHIPPED and passes == "both" else ""
            label = f"tune CV   {'first pass' if passes == 'first' else 'both passes'}, thr {t:.2f}{shipped}"
            thr_lines.append(report_line(label, results[0]["tune"]["sweep"][f"{t:.2f}"][passes]))
    if previous is not None:
        proc, out = previous
        if proc.wait() != 0:
            sys.exit(f"the previous revision's evaluation failed (exit {proc.returncode})")
        results.append(json.loads(out.read_text(encoding="utf-8")))
    print("\nat the shipped threshold, every system in this run:")
    table = print_table(results, len(sentences) - held_from)
    if args.json:
        args.json.write_text(json.dumps({"table": table, "sweep": thr_lines,
                                         "split": {"tune": held_from, "held": len(sentences) - held_from}},
                                        indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
