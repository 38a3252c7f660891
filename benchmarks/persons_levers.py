"""Two levers toward the person tagger's accuracy target (issue 20: name-set F1 >= 0.80 at
P >= 0.90), measured with persons_eval.py's split and measure: the tune part's 5-fold CV, and
the held-back part scored by models trained on the whole tune part.

    .venv/bin/python benchmarks/persons_levers.py [--articles 600] [--confidence 0.85] [--json FILE]

- **Candidate ceiling.** The name-set recall of every span any ensemble member proposes: no
  post-filter or reranker can find more.
- **Span reranker.** A logistic regression over each proposed span (the members' confidences,
  length, name-list and word-frequency evidence, the words around it, how often the same name is
  proposed in the 20 sentences either side), trained by 5-fold CV over the tune part's
  out-of-fold spans, and on all of them for the held-back part.
- **Self-training.** For each fold, `--articles` bundled SaudiNewsNet articles are tagged by
  that fold's own models; sentences where every span the ensemble proposes has confidence >=
  `--confidence` become labelled sentences (as many without a name as with one), and the models
  are retrained on the fold's training part plus those. No model labels text it is scored on.

Models are kept under `--work` (default /tmp/persons-levers), so a second run reuses them. About
20 min for the plain models and 30 min for self-training with the defaults, on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analyzers.charmap import normalize  # noqa: E402
from benchmarks.persons_eval import DEFAULT_DATA, HELD_BACK, SHIPPED, _value_form, name_form, prf, tagged_rows  # noqa: E402
from indexer.readers import read_corpus  # noqa: E402
from indexer.report import ReadReport  # noqa: E402
from persons.canonical import person_key  # noqa: E402
from persons.charmodel import name_likeness  # noqa: E402
from persons.extract import clean_names, sentences  # noqa: E402
from persons.features import Span, strip_clitics  # noqa: E402
from persons.lexicon import is_name_word, name_list, word_stats  # noqa: E402
from persons.rules import ROLE_WORDS, SPEECH_OR_VERB, rule_spans  # noqa: E402
from persons.tagger import META, PersonTagger, average_spans, non_overlapping  # noqa: E402
from persons.train import WINDOW, Sentence, folds, read_conll, train_models  # noqa: E402

THRESHOLDS = (0.0, 0.3, 0.5, SHIPPED, 0.6, 0.7, 0.8)
BUNDLED = REPO / "seeds" / "saudinewsnet"
# Per sentence: for each member, its first-pass spans, then its both-pass spans.
Detail = tuple[list[list[Span]], list[list[Span]]]


def member_spans(model_dir: Path, part: list[Sentence]) -> list[Detail]:
    """Each sentence's spans from every member, both passes as the evaluation tags them."""
    tagger = PersonTagger(model_dir, threshold=0.0)
    words = [w for w, _ in part]
    batch = tagger.table.batch(words)
    firsts = [first.decode(batch) for first, _ in tagger.members]
    boths = tagger.member_spans(words, WINDOW)
    return [([f[k] for f in firsts], [b[k] for b in boths]) for k in range(len(part))]


def trained(model_dir: Path, train: list[Sentence]) -> Path:
    """Both passes of every member trained on `train` into `model_dir`, unless already there."""
    if not (model_dir / "done").exists():
        model_dir.mkdir(parents=True, exist_ok=True)
        (model_dir / META).write_text(json.dumps({"threshold": 0.0}), encoding="utf-8")
        train_models(train, model_dir)
        (model_dir / "done").write_text(str(len(train)), encoding="utf-8")
    return model_dir


def out_of_fold(root: Path, tune: list[Sentence], held: list[Sentence], k: int,
                extra: Callable[[str], list[Sentence]] | None = None,
                added: dict[str, int] | None = None) -> tuple[list[Detail], list[Detail]]:
    """(tune part's spans from the fold models, held part's from the whole-tune model), models
    kept under `root`; `extra` (fold name → labelled sentences) adds training text per fold, and
    how many goes into `added`."""
    jobs = [(f"fold{i}", tune[:a] + tune[b:], tune[a:b]) for i, (a, b) in enumerate(folds(len(tune), k))]
    jobs.append(("full", tune, held))
    tune_out: list[Detail] = []
    held_out: list[Detail] = []
    for name, train, test in jobs:
        t0 = time.perf_counter()
        more = extra(name) if extra else []
        if added is not None:
            added[name] = len(more)
        model = trained(root / name, train + more)
        (held_out if name == "full" else tune_out).extend(member_spans(model, test))
        print(f"  {name}: {len(train)} + {len(more)} sentences, {time.perf_counter() - t0:.0f} s", flush=True)
    return tune_out, held_out


def scored(part: list[Sentence], gold: list[list[str]], kept: list[list[Span]], threshold: float) -> tuple:
    """Name-set P, R, F1 of the spans at or above `threshold`."""
    return prf(tagged_rows(part, gold, kept, threshold), 3)


def paired_difference(rows: list[tuple], base: list[tuple], rounds: int = 1000,
                      seed: int = 7) -> tuple[float, float, float]:
    """Name-set F1 of `rows` minus that of `base` (the same sentences), with a 95% interval from
    resampling sentences for both at once."""
    rng = random.Random(seed)
    diffs = []
    for _ in range(rounds):
        pick = [rng.randrange(len(rows)) for _ in rows]
        diffs.append(prf([rows[i] for i in pick], 3)[2] - prf([base[i] for i in pick], 3)[2])
    diffs.sort()
    return prf(rows, 3)[2] - prf(base, 3)[2], diffs[int(0.025 * rounds)], diffs[int(0.975 * rounds) - 1]


def ensemble(details: list[Detail]) -> list[list[Span]]:
    return [average_spans(both) for _, both in details]


def candidates(detail: Detail) -> dict[tuple[int, int], list[float]]:
    """Every span any member proposes → its both-pass confidence per member, then first-pass."""
    firsts, boths = detail
    out: dict[tuple[int, int], list[float]] = {}
    for m, spans in enumerate(boths):
        for s, e, c in spans:
            out.setdefault((s, e), [0.0] * (2 * len(boths)))[m] = c
    for m, spans in enumerate(firsts):
        for s, e, c in spans:
            if (s, e) in out:
                out[s, e][len(boths) + m] = c
    return out


def mean_both(conf: list[float]) -> float:
    """The ensemble's confidence in a span from its `candidates` entry (the members' both-pass mean)."""
    both = conf[: len(conf) // 2]
    return sum(both) / len(both)


def span_features(words: list[str], s: int, e: int, conf: list[float], support: int,
                  rules: list[tuple[int, int, int]]) -> list[float]:
    """The reranker's evidence on one proposed span (`rules`: the sentence's rule_spans)."""
    given, surnames, foreign = (name_list(r) for r in ("given_names", "surnames", "foreign_names"))
    stats = word_stats()
    forms = [(n, strip_clitics(n)) for n in (normalize(w) for w in words[s:e])]
    both = conf[: len(conf) // 2]
    n = e - s
    freq = [stats.get(w, (0, -1))[0] for w, _ in forms]
    al = [stats.get(w, (0, -1))[1] for w, _ in forms]
    likeness = [name_likeness(w)[0] if w else 0 for w, _ in forms]
    before = normalize(words[s - 1]) if s else ""
    after = words[e] if e < len(words) else ""
    values = clean_names(words[s:e])
    return [
        mean_both(conf), *conf, sum(c > 0 for c in both), min(both), max(both),
        n == 1, n == 2, n == 3, n >= 4,
        *(sum(w in lst or c in lst for w, c in forms) / n for lst in (given, surnames, foreign)),
        forms[0][0] in given or forms[0][1] in given, sum(is_name_word(w) for w, _ in forms) / n,
        min(freq) / 70, max(freq) / 70, max(al) / 10, min(al) / 10, sum(w.startswith("ال") for w, _ in forms) / n,
        min(likeness) / 4, sum(likeness) / n / 4,
        s == 0, before in ROLE_WORDS or strip_clitics(before) in ROLE_WORDS, bool(SPEECH_OR_VERB.match(after)),
        before in ("،", ",", "(", "و"), after in ("،", ",", ")", "."),
        not values, len(values) > 1, bool(values) and " ".join(values) != " ".join(words[s:e]),
        math.log1p(support), any(a <= s < b for _, a, b in rules),
    ]


def span_rows(part: list[Sentence], gold: list[list[str]], details: list[Detail]) -> list[tuple]:
    """(sentence, start, end, features, right) per proposed span; right = its values are gold names."""
    cands = [candidates(d) for d in details]
    proposed = [Counter(person_key(" ".join(w[s:e])) for (s, e), c in cd.items() if mean_both(c) >= 0.3)
                for (w, _), cd in zip(part, cands)]
    rows = []
    for i, ((words, _), names, cd) in enumerate(zip(part, gold, cands)):
        around: Counter = Counter()
        for j in range(max(0, i - WINDOW), min(len(cands), i + WINDOW + 1)):
            if j != i:
                around.update(proposed[j])
        gset = {name_form(x) for x in names}
        rules = rule_spans(words)
        for (s, e), conf in cd.items():
            values = {_value_form(v, gset) for v in clean_names(words[s:e])}
            feats = span_features(words, s, e, conf, around.get(person_key(" ".join(words[s:e])), 0), rules)
            rows.append((i, s, e, feats, bool(values) and values <= gset))
    return rows


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (weights; the last is the bias)."""
    x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ w)))
        step = np.linalg.solve((x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w)), x.T @ (p - y) + l2 * w)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def rerank_scores(train: list[tuple], test: list[tuple]) -> np.ndarray:
    xtr = np.array([r[3] for r in train], dtype=float)
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-9
    w = fit_logistic((xtr - mu) / sd, np.array([r[4] for r in train], dtype=float))
    if not test:
        return np.zeros(0)
    xte = (np.array([r[3] for r in test], dtype=float) - mu) / sd
    return 1 / (1 + np.exp(-(np.hstack([xte, np.ones((len(xte), 1))]) @ w)))


def reranked(rows: list[tuple], scores: np.ndarray, n: int) -> list[list[Span]]:
    """Per sentence, the proposed spans by reranker score, overlaps resolved to the higher."""
    by: list[list[Span]] = [[] for _ in range(n)]
    for (i, s, e, _, _), score in zip(rows, scores.tolist()):
        by[i].append((s, e, score))
    return [non_overlapping(spans) for spans in by]


def self_labelled(plain: Path, confidence: float, articles: int) -> Callable[[str], list[Sentence]]:
    """Fold name → bundled sentences labelled by that fold's plain models, where every span the
    ensemble proposes is at least `confidence` sure; as many without a name as with one (about
    ANERcorp's mix). One seeded generator picks the articles and then orders each fold's
    sentences, folds in turn."""
    rng = random.Random(11)
    arts = list(read_corpus([BUNDLED], ReadReport()))
    rng.shuffle(arts)
    arts = arts[:articles]

    def label(fold: str) -> list[Sentence]:
        tagger = PersonTagger(plain / fold, threshold=0.0)
        named: list[Sentence] = []
        unnamed: list[Sentence] = []
        for art in arts:
            sents = sentences(art.title, art.body)
            for words, spans in zip(sents, tagger.tag_document(sents) if sents else []):
                if not 5 <= len(words) <= 60 or any(c < confidence for _, _, c in spans):
                    continue
                labels = ["O"] * len(words)
                for s, e, _ in spans:
                    labels[s:e] = ["B-PER"] + ["I-PER"] * (e - s - 1)
                (named if spans else unnamed).append((words, labels))
        extra = named + unnamed[: len(named)]
        rng.shuffle(extra)
        return extra
    return label


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--articles", type=int, default=600, help="bundled articles tagged for self-training")
    ap.add_argument("--confidence", type=float, default=0.85, help="least confidence of a self-labelled span")
    ap.add_argument("--work", type=Path, default=Path("/tmp/persons-levers"), help="where models are kept")
    ap.add_argument("--limit", type=int, help="only the first N dev sentences (a smoke run)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    dev = read_conll(args.data / "dev.conll")
    docs = [json.loads(line) for line in (args.data / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    if args.limit:
        dev, docs = dev[: args.limit], docs[: args.limit]
    gold = [d["persons"] for d in docs]
    cut = round(len(dev) * (1 - HELD_BACK))
    tune, held, tune_gold, held_gold = dev[:cut], dev[cut:], gold[:cut], gold[cut:]
    results: dict = {}
    baseline: dict[str, list[tuple]] = {}

    def report(system: str, tune_spans: list[list[Span]], held_spans: list[list[Span]]) -> None:
        results[system] = {}
        for t in THRESHOLDS:
            tp, tr, tf = scored(tune, tune_gold, tune_spans, t)
            hp, hr, hf = scored(held, held_gold, held_spans, t)
            results[system][f"{t:.2f}"] = {"tune": [tp, tr, tf], "held": [hp, hr, hf]}
            print(f"{system:<24} thr {t:.2f}  tune CV P {tp:.3f} R {tr:.3f} F1 {tf:.3f}   "
                  f"held-back P {hp:.3f} R {hr:.3f} F1 {hf:.3f}", flush=True)
        # against the shipped ensemble at the shipped threshold, sentence by sentence
        for part, sents, names, spans in (("tune", tune, tune_gold, tune_spans), ("held", held, held_gold, held_spans)):
            rows = tagged_rows(sents, names, spans, SHIPPED)
            baseline.setdefault(part, rows)
            if rows is not baseline[part] and sents:
                diff, lo, hi = paired_difference(rows, baseline[part])
                results[system][f"{part} F1 minus the ensemble's at {SHIPPED:.2f}"] = [diff, lo, hi]
                print(f"{system:<24} {part:<4} F1 at {SHIPPED:.2f} minus the ensemble's: {diff:+.3f} "
                      f"[{lo:+.3f} {hi:+.3f}]", flush=True)

    print(f"tune part {len(tune)} sentences ({args.folds}-fold CV), held-back part {len(held)}; plain models:")
    tune_det, held_det = out_of_fold(args.work / "plain", tune, held, args.folds)
    report("ensemble (as shipped)", ensemble(tune_det), ensemble(held_det))

    rows = span_rows(tune, tune_gold, tune_det)
    held_rows = span_rows(held, held_gold, held_det)
    # the ceiling: every span any member proposes, overlapping ones too
    every = [scored(part, names, [[(s, e, 1.0) for s, e in candidates(d)] for d in det], 0.0)
             for part, names, det in ((tune, tune_gold, tune_det), (held, held_gold, held_det))]
    results["every proposed span"] = {"tune": every[0], "held": every[1]}
    print(f"{len(rows)} spans proposed on the tune part, {sum(r[4] for r in rows)} of them right; all of them:"
          f"  tune CV P {every[0][0]:.3f} R {every[0][1]:.3f}   held-back P {every[1][0]:.3f} R {every[1][1]:.3f}")

    fold_of = np.array([r[0] for r in rows])
    scores = np.zeros(len(rows))
    for a, b in folds(len(tune), args.folds):
        inside = (fold_of >= a) & (fold_of < b)
        scores[inside] = rerank_scores([r for r, m in zip(rows, inside) if not m],
                                       [r for r, m in zip(rows, inside) if m])
    report("span reranker", reranked(rows, scores, len(tune)),
           reranked(held_rows, rerank_scores(rows, held_rows), len(held)))

    print(f"self-training: {args.articles} bundled articles, spans at confidence >= {args.confidence}")
    tune_det, held_det = out_of_fold(args.work / f"self-a{args.articles}-c{args.confidence}", tune, held, args.folds,
                                     self_labelled(args.work / "plain", args.confidence, args.articles),
                                     results.setdefault("self-labelled sentences", {}))
    report("self-trained ensemble", ensemble(tune_det), ensemble(held_det))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
