"""The JSON API: /api/search, /api/article/<id>, /healthz."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from search_app import get_handle
from searchcore import IndexUnavailable, SearchError, SearchParams, get_article, health, run_search
from searchcore.errors import IndexBuilding

RETRY_AFTER = "10"  # seconds: a client told the index is unavailable may ask again after this

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def api_search():  # type: ignore[no-untyped-def]
    try:
        params = SearchParams.from_args(request.args.get, request.args.getlist)
        return jsonify(run_search(get_handle(), params))
    except SearchError as e:
        return jsonify(error=str(e)), 400
    except IndexUnavailable as e:
        return unavailable(e)


def unavailable(e: IndexUnavailable, **extra: object):  # type: ignore[no-untyped-def]
    """The JSON answer when there is no index to ask: 503, why, and a build's progress."""
    body: dict = {"error": str(e), **extra}
    if isinstance(e, IndexBuilding):
        body["building"] = e.status
    return jsonify(body), 503, {"Retry-After": RETRY_AFTER}


@bp.get("/api/article/<path:article_id>")
def api_article(article_id: str):  # type: ignore[no-untyped-def]
    try:
        art = get_article(get_handle(), article_id, request.args.get("q", ""))
    except SearchError as e:
        return jsonify(error=str(e)), 404 if "no such article" in str(e) else 400
    except IndexUnavailable as e:
        return unavailable(e)
    return jsonify(art)


@bp.get("/api/person/<path:name>")
def api_person(name: str):  # type: ignore[no-untyped-def]
    """The person page's data: articles, dates, outlets, spellings, co-mentioned persons, latest."""
    from searchcore.person_page import person_page

    try:
        return jsonify(person_page(get_handle(), name))
    except SearchError as e:
        return jsonify(error=str(e)), 404
    except IndexUnavailable as e:
        return unavailable(e)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    try:
        return jsonify(health(get_handle()))
    except IndexUnavailable as e:
        return unavailable(e, status="building" if isinstance(e, IndexBuilding) else "unavailable")
