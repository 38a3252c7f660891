"""Search parameters, read and validated once for the CLI and the web app alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from searchcore.errors import SearchError
from searchcore.limits import (
    DEFAULT_FACET_SIZE,
    DEFAULT_PER_PAGE,
    MAX_FACET_SIZE,
    MAX_FILTER_VALUES,
    MAX_PER_PAGE,
    MAX_RESULT_DEPTH,
)

SORTS = ("relevance", "newest", "oldest")
MATCHES = ("all", "any")


@dataclass
class SearchParams:
    q: str = ""
    persons: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    match: str = "all"
    facet_size: int = DEFAULT_FACET_SIZE
    person_contains: str = ""
    explain: bool = False  # each hit's score broken down by word and signal
    collapse: bool = False  # near-duplicates (wire copies) shown as one hit, the best placed
    within_selection: bool = False  # facets count within every selection (a person page's co-mentions)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, get: Callable[[str], str | None], getlist: Callable[[str], list[str]]) -> SearchParams:
        """Read request-style arguments; bad values become warnings (and defaults), limits become errors."""
        p = cls()
        p.q = (get("q") or "")[:10_000]
        p.persons = _values(getlist("person"), "person")
        p.outlets = _values(getlist("outlet"), "outlet")
        p.date_from = _date(get("from"), "from", p.warnings)
        p.date_to = _date(get("to"), "to", p.warnings)
        if p.date_from and p.date_to and p.date_from > p.date_to:
            p.warnings.append("تاريخ البداية بعد تاريخ النهاية: تم تبديلهما (from/to swapped).")
            p.date_from, p.date_to = p.date_to, p.date_from
        sort = (get("sort") or "relevance").strip().lower()
        if sort not in SORTS:
            p.warnings.append(
                f"ترتيب غير معروف «{sort[:20]}»: استُخدم الترتيب حسب الصلة (sort must be one of {', '.join(SORTS)})."
            )
            sort = "relevance"
        p.sort = sort
        match = (get("match") or "all").strip().lower()
        if match not in MATCHES:
            p.warnings.append("طريقة المطابقة إما all أو any: استخدمنا all (match must be all or any).")
            match = "all"
        p.match = match
        p.page = _int(get("page"), 1, "page", p.warnings, lo=1)
        p.per_page = _int(get("per_page"), DEFAULT_PER_PAGE, "per_page", p.warnings, lo=1)
        if p.per_page > MAX_PER_PAGE:
            p.warnings.append(f"أقصى عدد للنتائج في الصفحة {MAX_PER_PAGE} (per_page is at most {MAX_PER_PAGE}).")
            p.per_page = MAX_PER_PAGE
        if p.page * p.per_page > MAX_RESULT_DEPTH:
            raise SearchError(
                f"الصفحة {p.page} أبعد مما نعرض: أقصى عمق {MAX_RESULT_DEPTH} نتيجة؛ ضيّق البحث بالمرشحات "
                f"(page too deep: at most {MAX_RESULT_DEPTH} results can be paged through)."
            )
        p.facet_size = min(_int(get("facet_size"), DEFAULT_FACET_SIZE, "facet_size", p.warnings, lo=1), MAX_FACET_SIZE)
        p.person_contains = (get("person_filter") or "").strip()[:100]
        p.explain = (get("explain") or "").strip().lower() in ("1", "true", "yes")
        p.collapse = (get("collapse") or "").strip().lower() in ("1", "true", "yes")
        return p

    def to_query_args(self) -> list[tuple[str, str]]:
        """The parameters as URL query pairs (the page's state lives in the URL)."""
        args: list[tuple[str, str]] = []
        if self.q:
            args.append(("q", self.q))
        args += [("person", v) for v in self.persons]
        args += [("outlet", v) for v in self.outlets]
        if self.date_from:
            args.append(("from", self.date_from.isoformat()))
        if self.date_to:
            args.append(("to", self.date_to.isoformat()))
        if self.sort != "relevance":
            args.append(("sort", self.sort))
        if self.match != "all":
            args.append(("match", self.match))
        if self.per_page != DEFAULT_PER_PAGE:
            args.append(("per_page", str(self.per_page)))
        if self.collapse:
            args.append(("collapse", "1"))
        return args


def _values(values: list[str], name: str) -> list[str]:
    """The distinct non-empty values, in order; refused past MAX_FILTER_VALUES as soon as one
    too many is seen (a request with 20,000 values costs no more than one with 51)."""
    out: dict[str, None] = {}
    for v in values:
        v = (v or "").strip()[:200]
        if v and v not in out:
            out[v] = None
            if len(out) > MAX_FILTER_VALUES:
                raise SearchError(f"لا يمكن اختيار أكثر من {MAX_FILTER_VALUES} قيمة في «{name}» معًا "
                                  f"(at most {MAX_FILTER_VALUES} {name} values can be selected at once).")
    return list(out)


def _date(raw: str | None, name: str, warnings: list[str]) -> date | None:
    if not raw or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        warnings.append(f"تاريخ غير صالح في «{name}»: استخدم الصيغة YYYY-MM-DD (invalid date ignored).")
        return None


def _int(raw: str | None, default: int, name: str, warnings: list[str], lo: int) -> int:
    if raw is None or str(raw).strip() == "":
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        warnings.append(f"القيمة «{name}» يجب أن تكون عددًا صحيحًا: استخدمنا {default} "
                        f"({name} must be a whole number).")
        return default
    if value < lo:
        warnings.append(f"القيمة «{name}» لا تقل عن {lo}: استخدمنا {lo} ({name} must be at least {lo}).")
        return lo
    return min(value, 10**9)
