"""The HTML pages: search with facets, and the article page."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

from flask import Blueprint, render_template, request
from markupsafe import Markup

from search_app import get_handle
from search_app.api import RETRY_AFTER
from search_app.exports import export_links
from search_app.urls import safe_link, state_url, toggle
from searchcore import IndexUnavailable, SearchError, SearchParams, get_article, run_search
from searchcore.errors import IndexBuilding
from searchcore.limits import DEFAULT_FACET_SIZE, MAX_FACET_SIZE
from searchcore.person_page import person_page

bp = Blueprint("views", __name__)


@bp.get("/")
def search_page():  # type: ignore[no-untyped-def]
    try:
        params = SearchParams.from_args(request.args.get, request.args.getlist)
    except SearchError as e:
        return render_template("search.html", params=SearchParams(q=request.args.get("q", "")[:500]),
                               result=None, error=str(e), h=_helpers(SearchParams())), 400
    try:
        result = run_search(get_handle(), params)
    except SearchError as e:
        return render_template("search.html", params=params, result=None, error=str(e), h=_helpers(params)), 400
    except IndexUnavailable as e:
        return unavailable_page(e)
    return render_template("search.html", params=params, result=result, error=None, h=_helpers(params))


@bp.get("/article/<path:article_id>")
def article_page(article_id: str):  # type: ignore[no-untyped-def]
    q = request.args.get("q", "")[:500]
    try:
        art = get_article(get_handle(), article_id, q)
    except SearchError:
        return render_template("error.html", message="المقال غير موجود (article not found)."), 404
    except IndexUnavailable as e:
        return unavailable_page(e)
    back = "/?" + urlencode([(k, v) for k, v in request.args.items(multi=True)]) if request.args else "/"
    return render_template("article.html", art=art, q=q, back=back, link=safe_link(art["url"]),
                           person_url=lambda name: "/?" + urlencode([("person", name)]), person_link=person_link,
                           body=Markup(art.get("body_html") or Markup.escape(art["body"])),
                           title=Markup(art.get("title_html") or Markup.escape(art["title"])))


@bp.get("/person/<path:name>")
def person_page_view(name: str):  # type: ignore[no-untyped-def]
    try:
        person = person_page(get_handle(), name)
    except SearchError:
        return render_template("error.html", message="لا يوجد شخص بهذا الاسم في الفهرس (no such person)."), 404
    except IndexUnavailable as e:
        return unavailable_page(e)
    everything = SearchParams(persons=[person["name"]], sort="newest")
    return render_template(
        "person.html", person=person, all_url=state_url(everything),
        date_url=lambda b: state_url(everything, date_from=date.fromisoformat(b["from"]),
                                     date_to=date.fromisoformat(b["to"])),
        outlet_url=lambda o: state_url(everything, outlets=[o]),
        person_link=person_link,
        maxc=max((b["count"] for b in person["dates"]), default=0))


def person_link(name: str) -> str:
    """The page of the person a name stands for (any spelling: the page resolves it)."""
    return "/person/" + quote(name, safe="")


def unavailable_page(e: IndexUnavailable):  # type: ignore[no-untyped-def]
    """503: why there is nothing to search; while a build runs, how far it has come (the page
    reloads itself until search opens)."""
    building = e.status if isinstance(e, IndexBuilding) else None
    return (render_template("unavailable.html", message=str(e), building=building), 503,
            {"Retry-After": RETRY_AFTER})


def _helpers(params: SearchParams) -> dict:
    """Functions the template uses to build state URLs."""
    def person_url(value: str) -> str:
        return state_url(params, persons=toggle(params.persons, value))

    def outlet_url(value: str) -> str:
        return state_url(params, outlets=toggle(params.outlets, value))

    def date_url(start: str | None, end: str | None) -> str:
        return state_url(params, date_from=date.fromisoformat(start) if start else None,
                         date_to=date.fromisoformat(end) if end else None)

    def page_url(page: int) -> str:
        return state_url(params, page=page)

    def article_url(aid: str) -> str:
        args = params.to_query_args() + ([("page", str(params.page))] if params.page > 1 else [])
        return f"/article/{aid}" + ("?" + urlencode(args) if args else "")

    more = params.facet_size < MAX_FACET_SIZE and params.facet_size <= DEFAULT_FACET_SIZE
    return {
        "person_url": person_url,
        "outlet_url": outlet_url,
        "date_url": date_url,
        "page_url": page_url,
        "article_url": article_url,
        "safe_link": safe_link,
        "person_link": person_link,
        "more_persons_url": state_url(params, facet_size=200) if more else None,
        "clear_url": state_url(params, persons=[], outlets=[], date_from=None, date_to=None),
        "sort_url": lambda s: state_url(params, sort=s),
        "any_url": state_url(params, match="any"),
        "collapse_url": lambda on: state_url(params, collapse=on),
        "exports": export_links(params.to_query_args()),
    }
