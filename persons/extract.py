"""The person extractor the indexer calls: tag an article's sentences (persons/tagger.py) and
turn each span into a clean facet value."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from analyzers.charmap import normalize
from analyzers.stopwords import stopwords
from persons.canonical import MAX_NAME_WORDS, person_key, strip_proclitic
from persons.lexicon import is_name_word, not_persons, word_stats
from persons.rules import ROLE_WORDS, SPEECH_OR_VERB, TOKEN
from persons.tagger import MODEL_DIR, default_tagger, read_models

_SENTENCE_END = {".", "!", "?", "؟", "؛", ";"}
_LINKS = {normalize(w) for w in ("بن", "ابن", "بنت", "أبو", "أبي", "أم", "آل", "عبد")}
# Links that cannot start a name (بن, أبو, ابن, أم, عبد can: بن لادن, أبو مازن, ابن بطوطة).
_LEADING_DROP = {normalize("آل")}
# Role words that are also common given names: not dropped from the start of a name.
_NAME_LIKE_ROLES = {normalize(w) for w in ("أمين", "باسم", "مساعد")}
_LETTERS = re.compile(r"[\u0621-\u064A\u064B-\u065F\u0670\u0640]+")


def sentences(title: str, body: str) -> list[list[str]]:
    """Token lists, one per sentence (a line break or . ! ؟ ends one)."""
    out: list[list[str]] = []
    for line in f"{title}\n{body}".splitlines():
        current: list[str] = []
        for tok in TOKEN.findall(line):
            current.append(tok)
            if tok in _SENTENCE_END:
                out.append(current)
                current = []
        if current:
            out.append(current)
    return out


def _verb_like(word: str) -> bool:
    """A common imperfect verb glued to a name (هادي يعين نايف): starts with ي/ت, is frequent
    in news and is no known name (rare words such as تيني, تشاو are foreign names)."""
    n = normalize(word)
    return len(n) >= 4 and n[0] in "يت" and word_stats().get(n, (0, 0))[0] >= 35 and not is_name_word(n)


def clean_names(words: list[str]) -> list[str]:
    """The facet values in a tagged span: cut at verbs, titles dropped, a clitic on the first word
    stripped (وبوش → بوش); nothing when what is left does not look like a name."""
    parts: list[list[str]] = [[]]
    for i, w in enumerate(words):
        if i and (_verb_like(w) or SPEECH_OR_VERB.match(w)):
            parts.append([])
        else:
            parts[-1].append(w)
    return [v for v in (_clean(p) for p in parts) if v]


def _trailing_role(n: str) -> bool:
    """A normalized word that ends a span but is no part of the name: a role word, or one with an
    attached pronoun (ه، ها، هم)."""
    if n in ROLE_WORDS - _NAME_LIKE_ROLES:
        return True
    for suffix in ("هما", "هم", "ها", "ه"):
        if n.endswith(suffix) and n[: -len(suffix)] in ROLE_WORDS:
            return True
    return False


@lru_cache(maxsize=1)
def _not_person_keys() -> frozenset[str]:
    return frozenset(person_key(n) for n in not_persons())


def _clean(words: list[str]) -> str | None:
    stops = stopwords()
    while words and (
        normalize(words[0]) in ROLE_WORDS - _NAME_LIKE_ROLES
        or normalize(words[0]) in _LEADING_DROP
        or (normalize(words[0]) in stops and normalize(words[0]) not in _LINKS)
    ):
        words = words[1:]
    while words and normalize(words[-1]) in _LINKS:
        words = words[:-1]
    # a title or role glued on after the name (صباح الأحمد أمير), or such a word with a pronoun
    # (سلمان باسمه: "in his name")
    while len(words) > 1 and _trailing_role(normalize(words[-1])):
        words = words[:-1]
    if not words or len(words) > MAX_NAME_WORDS or not all(_LETTERS.fullmatch(w) for w in words):
        return None
    words = [strip_proclitic(words[0]), *words[1:]]
    if all(normalize(w) in stops or normalize(w) in ROLE_WORDS for w in words):
        return None
    if person_key(" ".join(words)) in _not_person_keys():
        return None  # a country, city or body (تشاد، الأزهر)
    if len(words) == 1:
        n = normalize(words[0])
        # one word: not a verb, at least 3 letters, and with ال only if it is a known name (الجبير)
        if len(n) < 3 or SPEECH_OR_VERB.match(words[0]) or (n.startswith("ال") and not is_name_word(n)):
            return None
    return " ".join(words)


def extract_persons(title: str, body: str) -> list[str]:
    """Person names named in an article, in order of first mention, without titles; a short
    mention of a name that is also given in full is folded into the full name."""
    sents = sentences(title, body)
    spans = default_tagger().tag_document(sents)
    found: list[str] = []
    seen: set[str] = set()
    for words, sent_spans in zip(sents, spans):
        for start, end, _ in sent_spans:
            for value in clean_names(words[start:end]):
                key = person_key(value)
                if key not in seen:
                    seen.add(key)
                    found.append(value)
    return merge_within_article(found)


def load_tagger() -> None:
    """Load the tagger's models, lexicons and compiled kernels now (about 1.3 s): a reindex does
    it once before forking its extraction processes, which then share them instead of each
    loading its own. The sample names a person twice, so both passes run."""
    extract_persons("", "قال الملك سلمان بن عبدالعزيز. وأكد سلمان")


def start_loading_tagger() -> threading.Thread:
    """load_tagger in a new thread, started; the model files are read first, in the calling
    thread, which must be the only one opening files meanwhile (tagger.read_models: pycrfsuite
    closes a descriptor twice). The rest of the load does not touch descriptors that way."""
    read_models(MODEL_DIR)
    loader = threading.Thread(target=load_tagger, name="arnews-load-tagger")
    loader.start()
    return loader


def merge_within_article(names: list[str]) -> list[str]:
    """Drop a name that a longer name in the same article contains as its start (الملك سلمان →
    سلمان → سلمان بن عبدالعزيز) or, for a one-word name, as its last word (جوتشولك →
    برند جوتشولك)."""
    keys = [person_key(n).split() for n in names]
    out = []
    for i, name in enumerate(names):
        k = keys[i]
        if any(
            len(o) > len(k) and (o[: len(k)] == k or (len(k) == 1 and o[-1] == k[0]))
            for j, o in enumerate(keys)
            if j != i
        ):
            continue
        out.append(name)
    return out
