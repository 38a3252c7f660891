"""From what a user typed to a Whoosh query: words (all must match), "phrases", -exclusion, OR.

The query text goes through the same analyzers as the index (Whoosh's parser calls the
field analyzers), so index and query time cannot drift. Field syntax is switched off (no
`body:` or other fields can be reached), and wildcards are bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import qparser, query
from whoosh.searching import Searcher

from analyzers import normalize, stem
from analyzers.terms import exact_terms
from searchcore.limits import MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_WILDCARD_EXPANSION, MIN_WILDCARD_PREFIX
from searchcore.ranking import QueryWord

# Which fields hold exact (normalized, unstemmed) terms; the others hold stems.
EXACT_FIELDS = ("title", "body")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FIELD_SYNTAX = re.compile(r"(?<![^\s(\"])[A-Za-z_][\w.]*:(?=\S)")
_OPERATOR_WORDS = re.compile(r"(?<!\S)(?:AND|OR|NOT|ANDNOT|ANDMAYBE|REQUIRE|أو|او)(?!\S)")
_QUESTION_MARKS = re.compile(r"[?\u061f\u055e\u1367]")
_MINUS = re.compile(r"(^|(?<=[\s(]))-(?=[^\s-])")
_OR_WORDS = r"(?<=\s)(?:OR|أو|او)(?=\s)"
_SYNTAX_CHARS = re.compile(r'[*"()]|(?<!\S)-')


@dataclass
class ParsedQuery:
    text: str  # the cleaned query text
    query: query.Query | None  # None: browse everything
    messages: list[str] = field(default_factory=list)
    exact_terms: set[str] = field(default_factory=set)  # for highlighting
    stem_terms: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    prefix_queries: list[query.Query] = field(default_factory=list)  # for their match masks in ranking
    rank_words: list[QueryWord] = field(default_factory=list)  # the positive words, for ranking
    words: int = 0


class StarOnlyWildcardPlugin(qparser.WildcardPlugin):
    """Only `*` is a wildcard. Whoosh also treats `?` and the Arabic question mark `؟` as
    one-character wildcards, which turns every question typed in Arabic (مصر؟) into a
    term that matches nothing."""

    expr = r"(?P<text>[*])"


def _parser(fields: tuple[str, ...], schema, match: str) -> qparser.QueryParser:
    group = qparser.AndGroup if match == "all" else qparser.OrGroup
    p = qparser.MultifieldParser(list(fields), schema, group=group)
    for plugin_cls in (qparser.FieldsPlugin, qparser.RangePlugin, qparser.BoostPlugin, qparser.EveryPlugin,
                       qparser.SingleQuotePlugin):
        p.remove_plugin_class(plugin_cls)
    p.replace_plugin(qparser.OperatorsPlugin(Or=_OR_WORDS, AndNot=None, AndMaybe=None, Require=None))
    p.remove_plugin_class(qparser.WildcardPlugin)
    p.add_plugin(StarOnlyWildcardPlugin())
    return p


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


def _shortened(text: str, searcher: Searcher, pq: ParsedQuery) -> str:
    """A query of more than MAX_QUERY_TERMS words (a pasted paragraph) is searched as plain words,
    keeping its MAX_QUERY_TERMS most informative ones: those in the fewest articles (words the
    index does not hold at all come last: they can match nothing). Query syntax is dropped."""
    plain = _OPERATOR_WORDS.sub(" ", _SYNTAX_CHARS.sub(" ", text))
    words = list(dict.fromkeys(exact_terms(plain)))
    if len(words) + text.count("*") <= MAX_QUERY_TERMS:
        return text

    def rarity(word: str) -> tuple[bool, int]:
        df = sum(searcher.doc_frequency(f, stem(word)) for f in ("title_stem", "body_stem"))
        return df == 0, df

    keep = set(sorted(words, key=rarity)[:MAX_QUERY_TERMS])
    pq.messages.append(f"استعلام طويل ({len(words)} كلمة): بحثنا بأندر {MAX_QUERY_TERMS} كلمة فيه "
                       f"(long query: searched by its {MAX_QUERY_TERMS} most informative words).")
    return " ".join(w for w in words if w in keep)


def parse_user_query(text: str, searcher: Searcher, fields: tuple[str, ...], match: str = "all") -> ParsedQuery:
    """Parse, bound and analyze a user query; unreadable syntax falls back to plain words, and no
    query is refused for its length (it is cut or shortened, with a message)."""
    text = clean_text(text)
    pq = ParsedQuery(text=text, query=None)
    if not text:
        return pq
    text = _shortened(_cut(text, pq), searcher, pq)
    if text.count('"') % 2:
        pq.messages.append("علامة اقتباس غير مغلقة: تم تجاهلها (unbalanced quote ignored).")
        text = text.replace('"', " ")
    if text.count("(") != text.count(")"):
        pq.messages.append("أقواس غير متوازنة: تم تجاهلها (unbalanced parentheses ignored).")
        text = text.replace("(", " ").replace(")", " ")
    if _FIELD_SYNTAX.search(text):
        pq.messages.append("البحث في حقول محددة غير مدعوم: بحثنا عن الكلمات (field syntax is not supported).")
        text = _FIELD_SYNTAX.sub("", text)
    prepared = _MINUS.sub("NOT ", text)
    schema = searcher.schema
    try:
        q = _parser(fields, schema, match).parse(prepared)
    except Exception:  # e.g. a lone NOT: never let a query become a 500
        pq.messages.append("تعذّرت قراءة صيغة الاستعلام، فبحثنا عن كلماته (query syntax not understood).")
        plain = _OPERATOR_WORDS.sub(" ", re.sub(r"[^\w\s]", " ", text))
        try:
            q = _parser(fields, schema, match).parse(plain)
        except Exception:
            q = query.NullQuery
    q = _bound_wildcards(q, searcher, pq)
    if match == "any":
        q = _exclusions_stay_required(q)
    _collect_terms(q, pq)
    pq.rank_words = [QueryWord(e, stem(e)) for e in sorted(pq.exact_terms)]
    pq.words = len(pq.exact_terms) + len(pq.prefixes)
    if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
        q = None
    pq.query = q
    if q is None:
        pq.messages.append("الاستعلام لا يحوي كلمات يمكن البحث عنها (only common words).")
    return pq


def _exclusions_stay_required(q: query.Query) -> query.Query:
    """In any-words mode, `a b -c` means (a OR b) AND NOT c, not a OR b OR (NOT c)."""
    if not isinstance(q, query.Or):
        return q
    nots = [s.query for s in q.subqueries if isinstance(s, query.Not)]
    if not nots:
        return q
    positives = [s for s in q.subqueries if not isinstance(s, query.Not)]
    if not positives:
        return query.NullQuery
    return query.AndNot(query.Or(positives, scale=q.scale), query.Or(nots)).normalize()


def _bound_wildcards(q: query.Query, searcher: Searcher, pq: ParsedQuery) -> query.Query:
    """Wildcards only on the exact fields, with a literal prefix, and a bounded expansion."""

    def fix(node: query.Query) -> query.Query:
        if isinstance(node, query.Every):
            msg = f"البحث بالنجمة يحتاج {MIN_WILDCARD_PREFIX} حرفين على الأقل قبلها (wildcard needs a prefix)."
            if msg not in pq.messages:
                pq.messages.append(msg)
            return query.NullQuery
        if isinstance(node, (query.Wildcard, query.Prefix)):
            text = node.text
            prefix = re.split(r"[*?]", text, maxsplit=1)[0] if isinstance(node, query.Wildcard) else text
            if node.fieldname.endswith("_stem"):
                return query.NullQuery
            if len(prefix) < MIN_WILDCARD_PREFIX:
                msg = f"البحث بالنجمة يحتاج {MIN_WILDCARD_PREFIX} حرفين على الأقل قبلها (wildcard needs a prefix)."
                if msg not in pq.messages:
                    pq.messages.append(msg)
                return query.NullQuery
            n = 0
            for _ in searcher.reader().expand_prefix(node.fieldname, prefix):
                n += 1
                if n > MAX_WILDCARD_EXPANSION:
                    msg = (f"«{prefix}*» يطابق أكثر من {MAX_WILDCARD_EXPANSION} كلمة فتجاهلناه: أضف حروفًا "
                           "(wildcard too broad: ignored).")
                    if msg not in pq.messages:
                        pq.messages.append(msg)
                    return query.NullQuery
            return node
        if isinstance(node, query.Not):
            node.query = fix(node.query)
            return node
        if hasattr(node, "subqueries"):
            node.subqueries = [fix(s) for s in node.subqueries]
            return node.normalize()
        if hasattr(node, "child"):
            node.child = fix(node.child)
            return node
        return node

    return fix(q).normalize()


def _collect_terms(node: query.Query, pq: ParsedQuery) -> None:
    """The positive (not excluded) terms and prefixes of a query, for ranking and highlighting."""
    if isinstance(node, query.Not):
        return
    if isinstance(node, query.AndNot):
        _collect_terms(node.a, pq)
        return
    if isinstance(node, (query.Wildcard, query.Prefix)):
        p = re.split(r"[*?]", node.text, maxsplit=1)[0]
        if not p:
            return
        if p not in pq.prefixes:
            pq.prefixes.append(p)
            pq.prefix_queries.append(query.Or([]))
        pq.prefix_queries[pq.prefixes.index(p)].subqueries.append(node)  # the prefix in any field
        return
    if isinstance(node, query.Term):
        (pq.exact_terms if node.fieldname in EXACT_FIELDS else pq.stem_terms).add(node.text)
        return
    if isinstance(node, query.Phrase):
        (pq.exact_terms if node.fieldname in EXACT_FIELDS else pq.stem_terms).update(node.words)
        return
    for sub in getattr(node, "subqueries", ()) or ():
        _collect_terms(sub, pq)
    child = getattr(node, "child", None)
    if child is not None:
        _collect_terms(child, pq)


def normalized_query_text(text: str) -> str:
    """For messages and suggestions: the query as the index sees it, unstemmed."""
    return normalize(clean_text(text))
