"""Rules for person names: title and role words followed by a name.

They are the rules-only baseline of the evaluation and one feature of the trained tagger
(persons/features.py). They prefer precision: a name is taken only right after a trigger
(الرئيس، الملك، الأمير، وزير الخارجية، المتحدث باسم ...) and only as far as name-like words go.
"""

from __future__ import annotations

import re

from analyzers.charmap import normalize
from analyzers.stopwords import stopwords
from persons.lexicon import is_name_word

_PARTICLES = {normalize(w) for w in ("بن", "ابن", "بنت", "أبو", "أبي", "أم", "آل", "عبد", "ال")}


def has_name_word(name: str) -> bool:
    """The first word of `name` is a known given name (particles such as أبو skipped).

    Spans that fail are phrases the triggers caught by mistake: لكرة القدم, برقية تهنئة.
    """
    words = [w for w in normalize(name).split() if w not in _PARTICLES]
    return bool(words) and is_name_word(words[0])

_TRIGGERS = [
    "خادم الحرمين الشريفين الملك", "ولي العهد الأمير", "ولي ولي العهد الأمير", "صاحب السمو الملكي الأمير",
    "سمو الأمير", "الملك", "الأمير", "الأميرة", "الرئيس", "رئيس الوزراء", "رئيس الحكومة",
    "الشيخ", "الدكتور", "د.", "المهندس", "اللواء", "العميد", "العقيد", "الفريق", "المشير",
    "السفير", "المستشار", "الوزير", "المتحدث باسم", "وزير", "وزيرة", "نائب الرئيس", "أمير منطقة", "محافظ", "سفير",
    "المتحدث الرسمي", "الناطق باسم", "المدرب",
    "اللاعب", "النجم", "الفنان", "الفنانة", "الكاتب", "الإعلامي", "الداعية", "المرشد", "الزعيم",
    "السيد", "السيدة", "المفتي", "الإمام", "القاضي", "الرئيس التنفيذي", "المدير العام", "المحافظ",
    "الجنرال", "البابا", "المستشارة",
]
# Words that end a name: they are never part of one.
_BREAK = {
    normalize(w)
    for w in (
        "في من إلى على عن مع أن إن الذي التي قال وقال أكد وأكد أوضح وأوضح أعلن وأعلن خلال بعد قبل "
        "اليوم أمس يوم لدى حيث كما أيضا و بن"
    ).split()
} - {"بن"}
# Title and role words are never part of a name: a span is cut where one starts.
_NOT_NAME = {
    normalize(w)
    for w in (
        "وزير وزيرة رئيس رئيسة هيئة الأركان المشتركة الخارجية الداخلية الدفاع خادم الحرمين الشريفين صاحب "
        "السمو الملكي سمو أمير منطقة مجلس عضو مدير نائب قائد الفريق اللواء العميد العقيد الدكتور الشيخ "
        "المهندس الأمير الملك الرئيس الوزير السفير المتحدث الناطق محافظ سفير مساعد وكيل أمين عام العام "
        "شركة جامعة نادي فريق منتخب مدينة محافظة وزارة الوزراء الحكومة المملكة "
        # institutions named after kings and princes: مطار الملك عبدالعزيز الدولي
        "الدولي الدولية الرياضية الطبية التاريخي التاريخية العامة الجامعي الجامعية الخيرية التخصصي "
        "للعلوم للتقنية الإسلامية"
    ).split()
}
# "جامعة الملك عبدالعزيز", "مستشفى الملك فهد": a royal name after one of these names a place or
# an institution, not a person in the news.
_INSTITUTION = {
    normalize(w)
    for w in (
        "جامعة مستشفى مدينة مطار طريق مركز مجمع شارع جائزة مؤسسة كلية قاعدة ميناء برنامج مشروع دارة "
        "مكتبة حي جسر ملعب استاد ستاد صندوق معهد مدرسة أكاديمية وقف مستشفيات جامعه كرسي منحة مسابقة "
        "قاعة ميدان دوار نفق محطة بوابة مجمعات واحة حديقة منتزه"
    ).split()
}
_NAME_LINK = {"بن", "بنت", "ابن", "أبو", "ابو", "آل", "ال", "عبد", "أبي", "ابي", "أم", "ام"}
# Words and single punctuation marks: the token unit of the rules and of the tagger.
TOKEN = re.compile(r"[\w\u064B-\u065F\u0670\u0640]+|[^\w\s]")
SPEECH_OR_VERB = re.compile(
    r"^(?:[وف]?(?:قال|أكد|أوضح|أشار|أعلن|صرح|دعا|بحث|التقى|استقبل|وصل|زار|يزور|أجرى|تلقى|بعث|وجه|"
    r"رعى|افتتح|أصدر|شدد|لفت|نفى|كشف|عبر|قدم|ترأس|شارك|غادر|هنأ|أبرق))"
)
_MAX_NAME_WORDS = 5
# A word with an attached preposition or future/subjunctive prefix is not part of a name:
# للمنتخب, بالرياض, لتدريب, ليتولى, بمنطقة.
_PREP_ATTACHED = re.compile(r"^(?:لل|بال|وال|فال|كال|ل[تين]|بم|لم)")


def _name_words(words: list[str], i: int) -> list[str]:
    """Name-like words from position i: a given name, then at most one bare word, then only
    family names (ال...) or words joined by بن/أبو/عبد; stops at verbs, prepositions, stop words."""
    out: list[str] = []
    stops = stopwords()
    while i < len(words) and len(out) < _MAX_NAME_WORDS:
        w = words[i]
        n = normalize(w)
        if not re.fullmatch(r"[\u0621-\u064A\u0640\u064B-\u065F\u0670]+", w):
            break
        if n in _BREAK or SPEECH_OR_VERB.match(w) or _PREP_ATTACHED.match(n):
            break
        if n in stops and w not in _NAME_LINK:
            break
        if n in _NOT_NAME or (len(w) > 3 and w[0] in "وف" and normalize(w[1:]) in _NOT_NAME):
            break
        if not out and n.startswith("ال"):
            break
        linked = bool(out) and (out[-1] in _NAME_LINK or w in _NAME_LINK)
        if len(out) >= 2 and not (n.startswith("ال") or linked):
            break
        # A family name (ال...) must be a known name unless it follows بن/آل: not الوفد, المملكة.
        if out and n.startswith("ال") and not linked and not is_name_word(n):
            break
        out.append(w)
        i += 1
    while out and out[-1] in _NAME_LINK:
        out.pop()
    return out


def _trigger_table() -> dict[str, list[list[str]]]:
    """Triggers indexed by their first word, longest first."""
    table: dict[str, list[list[str]]] = {}
    for t in sorted((t.split() for t in _TRIGGERS), key=len, reverse=True):
        table.setdefault(t[0], []).append(t)
    return table


_TRIGGER_WORDS = _trigger_table()
# The first words of triggers, also after و/ف (what _strip_waw takes off).
_TRIGGER_STARTS = frozenset(_TRIGGER_WORDS) | {c + w for w in _TRIGGER_WORDS for c in "وف"}
# Title, role and institution words (normalized): never part of a name, often right before one.
ROLE_WORDS = frozenset(_NOT_NAME | {normalize(w) for t in _TRIGGERS for w in t.split()})


def rule_spans(words: list[str]) -> list[tuple[int, int, int]]:
    """(trigger start, name start, name end) token positions of the names the rules find."""
    spans: list[tuple[int, int, int]] = []
    if _TRIGGER_STARTS.isdisjoint(words):  # most sentences: no trigger at all
        return spans
    i = 0
    while i < len(words):
        matched = 0
        w0 = words[i]
        candidates = _TRIGGER_WORDS.get(w0) or _TRIGGER_WORDS.get(_strip_waw(w0)) or ()
        for trig in candidates:
            k = len(trig)
            window = words[i : i + k]
            if window == trig or [_strip_waw(window[0]), *window[1:]] == trig:
                matched = k
                break
        if not matched:
            i += 1
            continue
        j = i + matched
        if i > 0 and _institution_word(words[i - 1]):
            i = j
            continue
        # Skip the role's object and adjectives: "وزير الخارجية عادل الجبير",
        # "الرئيس الأمريكي باراك أوباما", "المتحدث باسم الجيش الإسرائيلي، دانيال هغاري".
        skipped = 0
        while j < len(words) and skipped < 4 and (words[j].startswith(("ال", "لل")) or words[j] in ("،", ",")):
            j += 1
            skipped += 1
        name = _name_words(words, j)
        royal = words[i + matched - 1] in ("الملك", "الأمير", "الرئيس", "الشيخ")
        if (len(name) >= 2 or (name and len(name[0]) >= 3 and royal)) and has_name_word(" ".join(name)):
            spans.append((i, j, j + len(name)))
        i = j + len(name) if name else i + 1
    return spans


def _institution_word(word: str) -> bool:
    n = normalize(word)
    return n in _INSTITUTION or (len(n) > 3 and n[0] in "وفبلك" and n[1:] in _INSTITUTION)


def _strip_waw(w: str) -> str:
    return w[1:] if len(w) > 2 and w[0] in "وف" else w
