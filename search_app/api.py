"""The JSON API: /api/search, /api/article/<id>, /healthz."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from search_app import get_handle
from searchcore import IndexUnavailable, SearchError, SearchParams, get_article, health, run_search

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def api_search():  # type: ignore[no-untyped-def]
    try:
        params = SearchParams.from_args(request.args.get, request.args.getlist)
        return jsonify(run_search(get_handle(), params))
    except SearchError as e:
        return jsonify(error=str(e)), 400
    except IndexUnavailable as e:
        return jsonify(error=str(e)), 503


@bp.get("/api/article/<path:article_id>")
def api_article(article_id: str):  # type: ignore[no-untyped-def]
    try:
        art = get_article(get_handle(), article_id, request.args.get("q", ""))
    except SearchError as e:
        return jsonify(error=str(e)), 404 if "no such article" in str(e) else 400
    except IndexUnavailable as e:
        return jsonify(error=str(e)), 503
    return jsonify(art)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    try:
        return jsonify(health(get_handle()))
    except IndexUnavailable as e:
        return jsonify(status="unavailable", error=str(e)), 503
