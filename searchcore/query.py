"""From what a user typed to a query tree (searchcore/querytree.py): words (all must match, or
any with match=any), "phrases", -exclusion / NOT, OR / أو, AND, ( ), and prefix*.

Each word goes through the same analyzer chain as the index (analyzers/chain.py), so index and
query time cannot drift; a word the chain splits (عبدالله -> عبد الله) becomes a phrase, a stop
word disappears. OR binds tighter than the words' implicit AND (`a b OR c` is a AND (b OR c)),
as Whoosh's and most search boxes' parsers do. Field syntax is switched off, wildcards are
bounded, and no query is refused: broken syntax falls back to its words, with a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analyzers import analyze, normalize, stem
from analyzers.charmap import normalize_token
from analyzers.stopwords import is_function_spelling
from analyzers.terms import exact_terms
from searchcore.index_reader import EXACT_FIELDS, STEM_FIELDS, IndexReader
from searchcore.latin_names import rewrite_latin_names
from searchcore.limits import MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_WILDCARD_EXPANSION, MIN_WILDCARD_PREFIX
from searchcore.person_catalog import PersonCatalog
from searchcore.querytree import And, Node, Not, Or, Phrase, Prefix, Word, simplified
from searchcore.ranking import QueryWord

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FIELD_SYNTAX = re.compile(r"(?<![^\s(\"])[A-Za-z_][\w.]*:(?=\S)")
_OPERATOR_WORDS = re.compile(r"(?<!\S)(?:AND|OR|NOT|ANDNOT|ANDMAYBE|REQUIRE|أو|او)(?!\S)")
_QUESTION_MARKS = re.compile(r"[?\u061f\u055e\u1367]")
_MINUS = re.compile(r"(^|(?<=[\s(]))-(?=[^\s-])")
_SYNTAX_CHARS = re.compile(r'[*"()]|(?<!\S)-')
_LEXEMES = re.compile(r'"[^"]*"|[()]|[^\s()"]+')
_OR, _AND, _NOT = "OR", "AND", "NOT"
_OPERATORS = {"OR": _OR, "أو": _OR, "او": _OR, "AND": _AND, "NOT": _NOT}
_PREFIX_MESSAGE = f"البحث بالنجمة يحتاج {MIN_WILDCARD_PREFIX} حرفين على الأقل قبلها (wildcard needs a prefix)."


@dataclass
class ParsedQuery:
    text: str  # the cleaned query text
    query: Node | None  # None: browse everything
    messages: list[str] = field(default_factory=list)
    exact_terms: set[str] = field(default_factory=set)  # for highlighting
    stem_terms: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)  # each matched in any exact field, for ranking
    rank_words: list[QueryWord] = field(default_factory=list)  # the positive words, for ranking
    words: int = 0

    def note(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)


def clean_text(text: str) -> str:
    text = _QUESTION_MARKS.sub(" ", _CONTROL.sub(" ", text or ""))
    return re.sub(r"\s+", " ", text).strip()


def _cut(text: str, pq: ParsedQuery) -> str:
    """A query over MAX_QUERY_CHARS is cut at the last space before the limit (never refused)."""
    if len(text) <= MAX_QUERY_CHARS:
        return text
    head = text[:MAX_QUERY_CHARS]
    space = head.rfind(" ")
    pq.messages.append(f"الاستعلام أطول من {MAX_QUERY_CHARS} حرف: بحثنا بأوله فقط "
                       f"(query cut to its first {MAX_QUERY_CHARS} characters).")
    return head[:space] if space > MAX_QUERY_CHARS // 2 else head


def _shortened(text: str, index: IndexReader, pq: ParsedQuery) -> str:
    """A query of more than MAX_QUERY_TERMS words (a pasted paragraph) is searched as plain words,
    keeping its MAX_QUERY_TERMS most informative ones: those in the fewest articles (words the
    index does not hold at all come last: they can match nothing). Query syntax is dropped."""
    plain = _OPERATOR_WORDS.sub(" ", _SYNTAX_CHARS.sub(" ", text))
    words = list(dict.fromkeys(exact_terms(plain)))
    if len(words) + text.count("*") <= MAX_QUERY_TERMS:
        return text

    def rarity(word: str) -> tuple[bool, int]:
        df = sum(index.doc_frequency(f, stem(word)) for f in STEM_FIELDS)
        return df == 0, df

    keep = set(sorted(words, key=rarity)[:MAX_QUERY_TERMS])
    pq.messages.append(f"استعلام طويل ({len(words)} كلمة): بحثنا بأندر {MAX_QUERY_TERMS} كلمة فيه "
                       f"(long query: searched by its {MAX_QUERY_TERMS} most informative words).")
    return " ".join(w for w in words if w in keep)


def parse_user_query(text: str, index: IndexReader, match: str = "all",
                     persons: PersonCatalog | None = None) -> ParsedQuery:
    """Parse, bound and analyze a user query; unreadable syntax falls back to plain words, and no
    query is refused for its length (it is cut or shortened, with a message). With `persons` (the
    generation's), a name typed in Latin script also searches its Arabic spellings."""
    text = clean_text(text)
    pq = ParsedQuery(text=text, query=None)
    if not text:
        return pq
    text = _shortened(_cut(text, pq), index, pq)
    if text.count('"') % 2:
        pq.note("علامة اقتباس غير مغلقة: تم تجاهلها (unbalanced quote ignored).")
        text = text.replace('"', " ")
    if text.count("(") != text.count(")"):
        pq.note("أقواس غير متوازنة: تم تجاهلها (unbalanced parentheses ignored).")
        text = text.replace("(", " ").replace(")", " ")
    if _FIELD_SYNTAX.search(text):
        pq.note("البحث في حقول محددة غير مدعوم: بحثنا عن الكلمات (field syntax is not supported).")
        text = _FIELD_SYNTAX.sub("", text)
    searched, said = rewrite_latin_names(_MINUS.sub("NOT ", text), persons, lambda word: _in_index(index, word))
    if said:
        pq.note("بحثنا عن الأسماء المكتوبة بحروف لاتينية بإملائها العربي (Latin-script names searched in "
                "Arabic): " + "؛ ".join(said))
    parser = _Parser(searched, index, match, pq)
    common = _only_common_words(text)
    q = None if common else simplified(parser.parse())
    if parser.broken:
        pq.note("تعذّرت قراءة صيغة الاستعلام، فبحثنا عن كلماته (query syntax not understood).")
    if match == "any":
        q = _exclusions_stay_required(q)
    if q is not None:
        _collect_terms(q, pq)
    pq.rank_words = [QueryWord(e, stem(e)) for e in sorted(pq.exact_terms)]
    pq.words = len(pq.exact_terms) + len(pq.prefixes)
    pq.query = q
    if q is None:
        pq.note("الاستعلام لا يحوي كلمات يمكن البحث عنها (only common words).")
    if common and any(is_function_spelling(t["text"]) for t in analyze(text)):
        pq.note("للبحث عن الاسم «علي» اكتبه بالياء (to search for the name, spell it علي).")
    return pq


def _in_index(index: IndexReader, word: str) -> bool:
    """Every term of `word` would match some article (by its stem, as a query word matches; the
    stem fields are what every engine counts document frequencies in)."""
    terms = exact_terms(word)
    return bool(terms) and all(any(index.doc_frequency(f, stem(t)) for f in STEM_FIELDS) for t in terms)


def _only_common_words(text: str) -> bool:
    """Every word is a stop word or a preposition spelled as one (في من على: على would otherwise
    search for the name علي, which it folds to). A quoted phrase, an operator, a wildcard or علي
    spelled as the name is asked for, and searched."""
    if _SYNTAX_CHARS.search(text) or _OPERATOR_WORDS.search(text):
        return False
    tokens = analyze(text)
    return bool(tokens) and all(t["stem"] is None or is_function_spelling(t["text"]) for t in tokens)


class _Parser:
    """Recursive descent over the lexemes: sequence := item (AND? item)*, item := unary (OR
    unary)*, unary := NOT unary | ( sequence ) | "phrase" | word. A dangling operator is dropped
    (and `broken` set), never an error."""

    def __init__(self, text: str, index: IndexReader, match: str, pq: ParsedQuery) -> None:
        self.lexemes = _LEXEMES.findall(text)
        self.i = 0
        self.index = index
        self.group = And if match == "all" else Or
        self.pq = pq
        self.broken = False

    def parse(self) -> Node | None:
        node = self._sequence()
        while self.i < len(self.lexemes):  # a stray ")" : skip it and go on
            self.broken = True
            self.i += 1
            rest = self._sequence()
            node = self.group(tuple(n for n in (node, rest) if n is not None)) if rest is not None else node
        return node

    def _peek(self) -> str | None:
        return self.lexemes[self.i] if self.i < len(self.lexemes) else None

    def _operator(self, lexeme: str | None) -> str | None:
        return _OPERATORS.get(lexeme) if lexeme is not None else None

    def _sequence(self) -> Node | None:
        items: list[Node | None] = []
        explicit_and: list[bool] = []
        while (lex := self._peek()) is not None and lex != ")":
            if self._operator(lex) == _AND:
                self.i += 1
                if not items or self._peek() in (None, ")"):
                    self.broken = True
                    continue
                explicit_and.append(True)
                items.append(self._item())
                continue
            explicit_and.append(False)
            items.append(self._item())
        # explicit ANDs bind their two neighbours; the rest are joined by the group operator
        joined: list[Node | None] = []
        for item, anded in zip(items, explicit_and):
            if anded and joined:
                joined[-1] = And(tuple(n for n in (joined[-1], item) if n is not None))
            else:
                joined.append(item)
        kept = tuple(n for n in joined if n is not None)
        return self.group(kept) if kept else None

    def _item(self) -> Node | None:
        node = self._unary()
        parts = [node]
        while self._operator(self._peek()) == _OR:
            self.i += 1
            if self._peek() in (None, ")") or self._operator(self._peek()) in (_OR, _AND):
                self.broken = True
                continue
            parts.append(self._unary())
        kept = tuple(n for n in parts if n is not None)
        if len(parts) == 1:
            return node
        return Or(kept) if kept else None

    def _unary(self) -> Node | None:
        lex = self._peek()
        if lex is None:
            return None
        op = self._operator(lex)
        if op == _NOT:
            self.i += 1
            if self._peek() in (None, ")"):
                self.broken = True
                return None
            inner = self._unary()
            return Not(inner) if inner is not None else None
        if op in (_OR, _AND):  # an operator where a word belongs: searched as a word
            self.i += 1
            self.broken = True
            return None
        self.i += 1
        if lex == "(":
            node = self._sequence()
            if self._peek() == ")":
                self.i += 1
            return node
        if lex.startswith('"'):
            return _words(lex.strip('"'))
        if "*" in lex:
            return self._prefix(lex)
        return _words(lex)

    def _prefix(self, lexeme: str) -> Node | None:
        """`abc*` (anything after the first * is ignored): a bounded prefix of exact terms."""
        literal = normalize_token(lexeme.split("*", 1)[0])
        if len(literal) < MIN_WILDCARD_PREFIX:
            self.pq.note(_PREFIX_MESSAGE)
            return None
        n = set()
        for f in EXACT_FIELDS:
            terms = self.index.prefix_terms(f, literal, MAX_WILDCARD_EXPANSION)
            if terms is None or len(n.union(terms)) > MAX_WILDCARD_EXPANSION:
                self.pq.note(f"«{literal}*» يطابق أكثر من {MAX_WILDCARD_EXPANSION} كلمة فتجاهلناه: أضف حروفًا "
                             "(wildcard too broad: ignored).")
                return None
            n.update(terms)
        return Prefix(literal)


def _words(text: str) -> Node | None:
    """A word or a quoted phrase through the exact chain: nothing (stop words), a Word, or a
    Phrase of the terms in a row."""
    terms = exact_terms(text)
    if not terms:
        return None
    if len(terms) == 1:
        return Word(terms[0], stem(terms[0]))
    return Phrase(tuple(terms), tuple(stem(t) for t in terms))


def _exclusions_stay_required(q: Node | None) -> Node | None:
    """In any-words mode, `a b -c` means (a OR b) AND NOT c, not a OR b OR (NOT c)."""
    if not isinstance(q, Or):
        return q
    nots = [s.item for s in q.items if isinstance(s, Not)]
    if not nots:
        return q
    positives = [s for s in q.items if not isinstance(s, Not)]
    if not positives:
        return None
    return simplified(And((Or(tuple(positives)), Not(Or(tuple(nots))))))


def _collect_terms(node: Node, pq: ParsedQuery) -> None:
    """The positive (not excluded) words and prefixes of a query, for ranking and highlighting."""
    if isinstance(node, Not):
        return
    if isinstance(node, Word):
        pq.exact_terms.add(node.exact)
        pq.stem_terms.add(node.stem)
    elif isinstance(node, Phrase):
        pq.exact_terms.update(node.exact)
        pq.stem_terms.update(node.stems)
    elif isinstance(node, Prefix):
        if node.text not in pq.prefixes:
            pq.prefixes.append(node.text)
    else:
        for item in node.items:
            _collect_terms(item, pq)


def normalized_query_text(text: str) -> str:
    """For messages and suggestions: the query as the index sees it, unstemmed."""
    return normalize(clean_text(text))
