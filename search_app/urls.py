"""URLs that carry the whole search state: toggling a facet value, removing a chip, paging."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from searchcore import SearchParams


def state_url(params: SearchParams, **changes: object) -> str:
    """The search URL for `params` with some parts changed (page resets to 1 unless given)."""
    p = SearchParams(
        q=params.q, persons=list(params.persons), outlets=list(params.outlets), date_from=params.date_from,
        date_to=params.date_to, sort=params.sort, per_page=params.per_page, match=params.match,
        collapse=params.collapse,
    )
    for k, v in changes.items():
        setattr(p, k, v)
    args = p.to_query_args()
    page = changes.get("page")
    if isinstance(page, int) and page > 1:
        args.append(("page", str(page)))
    if changes.get("facet_size"):
        args.append(("facet_size", str(changes["facet_size"])))
    return "/?" + urlencode(args) if args else "/"


def toggle(values: list[str], value: str) -> list[str]:
    return [v for v in values if v != value] if value in values else [*values, value]


def safe_link(url: str) -> str | None:
    """Article URLs are linked only when they are http(s)."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None
