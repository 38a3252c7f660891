"""Token features of the person tagger (a CRF): the same code at training and at tagging time.

Per word type (cached, so a news corpus costs one computation per distinct word): the
normalized form and its clitic-stripped core, affixes, shape, and membership in the name
lists, the stop list and the rules' role vocabulary. Per position: the neighbours' short
features and whether the rules (persons/rules.py) put a name there. The second pass adds
what the first pass found in the rest of the article (doc_hints).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from analyzers.charmap import DIACRITICS, normalize
from analyzers.stopwords import stopwords
from persons.charmodel import name_likeness
from persons.jit import jit
from persons.lexicon import name_list, word_clusters, word_stats
from persons.rules import ROLE_WORDS, SPEECH_OR_VERB, rule_spans

_PARTICLES = frozenset(normalize(w) for w in "بن ابن بنت أبو أبي أبا أم آل عبد ذو".split())
_ARABIC = re.compile(r"[\u0621-\u064A]+")
CONTEXT = (-2, -1, 1, 2)
EDGE = tuple(f"{d}:edge" for d in CONTEXT)
RULE_SEEN = tuple({t: f"{d}:{t}" for t in ("R=T", "R=B", "R=I")} for d in CONTEXT)


def strip_clitics(n: str) -> str:
    """The word (normalized) without a leading conjunction, preposition and article: وبالرءيس → رءيس."""
    if len(n) > 3 and n[0] in "وف":
        n = n[1:]
    if len(n) > 3 and n[0] in "بلك":
        n = n[1:]
    if len(n) > 4 and n.startswith("ال"):
        n = n[2:]
    elif len(n) > 3 and n.startswith("ل") and n[1] == "ل":  # للرئيس after ل was taken: لرئيس
        n = n[1:]
    return n


def _lists(form: str) -> list[str]:
    return [r[0].upper() for r in ("given_names", "surnames", "foreign_names") if form in name_list(r)]


@lru_cache(maxsize=400_000)
def seen_from(word: str) -> tuple[tuple[str, ...], ...]:
    """The word's short features as each neighbour position sees them ("-1:w=...")."""
    short = word_features(word)[1]
    return tuple(tuple(f"{d}:{f}" for f in short) for d in CONTEXT)


def compute_word_features(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(own features, short features the neighbours see) of one word. Uncached: the tagger's word
    table asks once per word type and keeps only feature ids (a cache of every word's feature
    strings held hundreds of MB and slowed the garbage collector); word_features caches."""
    n = normalize(word)
    if not n:
        n = word
    if not _ARABIC.fullmatch(n):
        shape = "digit" if any(c.isdigit() for c in n) else ("punct" if not any(c.isalnum() for c in n) else "other")
        own = ("w=" + n, "shape=" + shape)
        return own, ("shape=" + shape, "w=" + n)
    core = strip_clitics(n)
    marks = [f"{m}0" for m in _lists(n)] + ([f"{m}1" for m in _lists(core)] if core != n else [])
    flags = []
    if n in _PARTICLES:
        flags.append("part")
    if n in ROLE_WORDS or core in ROLE_WORDS:
        flags.append("role")
    if n in stopwords():
        flags.append("stop")
    if SPEECH_OR_VERB.match(word) or SPEECH_OR_VERB.match(n):
        flags.append("verb")
    if n.startswith("ال"):
        flags.append("al")
    if n[0] in "وفبلك" and core != n:
        flags.append("clitic=" + n[0])
    stats = word_stats()
    zipf, al = stats.get(n, (0, -1))
    flags.append(f"zf={zipf // 5}")
    if core != n:
        czipf, al = stats.get(core, (0, -1))
        flags.append(f"czf={czipf // 5}")
    if al >= 0:
        flags.append(f"alr={al // 2}")
    cluster = word_clusters().get(n) or word_clusters().get(core)
    if cluster:
        flags.append("k64=" + cluster[0])
    nl, fl = name_likeness(core)
    charf = (f"nl={nl}", f"fl={fl}", f"nlfl={nl}|{fl}")
    length = min(len(core), 8)
    fine = ("k512=" + cluster[1],) if cluster else ()
    own = (
        "w=" + n,
        "core=" + core,
        "p2=" + n[:2],
        "p3=" + n[:3],
        "s1=" + n[-1:],
        "s2=" + n[-2:],
        "s3=" + n[-3:],
        "cs2=" + core[-2:],
        f"len={length}",
        *marks,
        *flags,
        *fine,
        *charf,
        *("known" for _ in marks[:1]),
    )
    short = ("w=" + n, *marks, *flags, *("known" for _ in marks[:1]))
    return own, short


word_features = lru_cache(maxsize=400_000)(compute_word_features)

Span = tuple[int, int, float]
# Names the first pass found with at least this confidence feed the second pass.
HINT_FROM = 0.5
_UNMARK = str.maketrans("", "", DIACRITICS + "\u0640")


@lru_cache(maxsize=200_000)
def word_core(word: str) -> str:
    """The word as spelled (only marks removed: على and علي stay apart), without و/ف/ب/ل."""
    w = word.translate(_UNMARK)
    return w[1:] if len(w) > 4 and w[0] in "وفبل" else w


def _name_cores(words: list[str], spans: list[Span]) -> tuple[set[str], set[str], set[str]]:
    inside: set[str] = set()
    first: set[str] = set()
    last: set[str] = set()
    for start, end, conf in spans:
        if conf < HINT_FROM:
            continue
        inside.update(word_core(w) for w in words[start:end])
        if end - start >= 2:
            first.add(word_core(words[start]))
            last.add(word_core(words[end - 1]))
    return inside, first, last


_HINTS = ("D:in", "D:first", "D:last")
HINT_BITS = {tag: 1 << k for k, tag in enumerate(_HINTS)}


def mask_hints(mask: int) -> tuple[str, ...]:
    """The hints of a HINT_BITS mask, in their fixed order."""
    return tuple(tag for tag in _HINTS if mask & HINT_BITS[tag])


def doc_hints(sentences: list[list[str]], spans: list[list[Span]], window: int) -> list[list[tuple[str, ...]]]:
    """Per sentence and word, what the first pass found about the same word in the `window`
    sentences either side (training and evaluation, whose data has no article breaks): part of
    a name (D:in), first word (D:first) or last word (D:last) of a full name. A bare surname
    after the full name, or a name the first pass was unsure of in one sentence, gets the
    evidence of the others. A whole article's are doc_hint_masks."""
    per = [_name_cores(w, s) for w, s in zip(sentences, spans)]
    n = len(sentences)
    out = []
    for i, words in enumerate(sentences):
        lo, hi = max(0, i - window), min(n, i + window + 1)
        sets = [set().union(*(per[j][k] for j in range(lo, hi) if j != i)) for k in range(3)]
        out.append([tuple(tag for tag, found in zip(_HINTS, sets) if word_core(w) in found) for w in words])
    return out


def doc_hint_masks(cores: np.ndarray, first_token: np.ndarray, spans: list[list[Span]]) -> np.ndarray:
    """doc_hints over a whole article (every other sentence is evidence), as one HINT_BITS mask
    per token, from integer word cores (`cores`: per token of all sentences one after the other,
    equal where word_core is; `first_token`: where each sentence starts)."""
    confident = [(i, start, end) for i, sent in enumerate(spans) for start, end, conf in sent if conf >= HINT_FROM]
    if not confident:
        return np.zeros(len(cores), dtype=np.int64)
    return _hint_bits(cores, first_token, np.array(confident, dtype=np.int64))


@jit
def _hint_bits(cores: np.ndarray, first_token: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """doc_hint_masks' masks from its confident spans, (sentence, start, end) rows: a token's bit
    k is set when some OTHER sentence has its core in a span in role k (0: anywhere in the span,
    1: first and 2: last word of a span of two words or more). The (core, role, sentence)
    evidence is sorted by core and searched per token."""
    m = 0
    for r in range(spans.shape[0]):
        width = spans[r, 2] - spans[r, 1]
        m += width + (2 if width >= 2 else 0)
    core = np.empty(m, dtype=np.int64)
    role = np.empty(m, dtype=np.int64)
    sent = np.empty(m, dtype=np.int64)
    e = 0
    for r in range(spans.shape[0]):
        i, a, b = spans[r, 0], first_token[spans[r, 0]] + spans[r, 1], first_token[spans[r, 0]] + spans[r, 2]
        for p in range(a, b):
            core[e], role[e], sent[e] = cores[p], 0, i
            e += 1
        if b - a >= 2:
            core[e], role[e], sent[e] = cores[a], 1, i
            core[e + 1], role[e + 1], sent[e + 1] = cores[b - 1], 2, i
            e += 2
    order = np.argsort(core)
    core, role, sent = core[order], role[order], sent[order]
    n = cores.shape[0]
    masks = np.zeros(n, dtype=np.int64)
    for i in range(first_token.shape[0]):
        end = first_token[i + 1] if i + 1 < first_token.shape[0] else n
        for p in range(first_token[i], end):
            q = np.searchsorted(core, cores[p])
            mask = 0
            while q < m and core[q] == cores[p]:
                if sent[q] != i:
                    mask |= 1 << role[q]
                q += 1
            masks[p] = mask
    return masks


def hint_masks(hints: list[list[Sequence[str]]]) -> np.ndarray:
    """The HINT_BITS mask of each word's hints, per sentence and word (doc_hints' form), flat."""
    return np.fromiter((sum(HINT_BITS[h] for h in word) for sentence in hints for word in sentence),
                       dtype=np.int64)


def rule_tags(words: list[str]) -> list[str]:
    """Per word: R=T (trigger), R=B / R=I (name start / inside) where the rules find a name, or ""."""
    tags = [""] * len(words)
    for trigger, start, end in rule_spans(words):
        for k in range(trigger, start):
            tags[k] = "R=T"
        for k in range(start, end):
            tags[k] = "R=B" if k == start else "R=I"
    return tags


def sentence_features(words: list[str], hints: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
    """The CRF's input for one sentence of tokens (with `hints`: the second pass's input).
    persons/crf.py scores the same features without building these lists; keep both in step."""
    per_word = [word_features(w) for w in words]
    rule_tags_ = rule_tags(words)
    seen = [seen_from(w) for w in words]
    out = []
    last = len(words) - 1
    for i, (own, _) in enumerate(per_word):
        feats = ["bias", *own]
        if rule_tags_[i]:
            feats.append(rule_tags_[i])
        for k, d in enumerate(CONTEXT):
            j = i + d
            if 0 <= j <= last:
                feats.extend(seen[j][k])
                if rule_tags_[j]:
                    feats.append(RULE_SEEN[k][rule_tags_[j]])
            else:
                feats.append(EDGE[k])
        if i > 0:
            feats.append(f"bi=-1|{per_word[i - 1][1][0]}|{own[0]}")
        if i < last:
            feats.append(f"bi=+1|{own[0]}|{per_word[i + 1][1][0]}")
        if hints is not None:
            feats.extend(hints[i])
            if i > 0:
                feats.extend("-1" + h for h in hints[i - 1])
            if i < last:
                feats.extend("+1" + h for h in hints[i + 1])
        out.append(feats)
    return out
