"""The web app: a thin Flask layer over `searchcore` (page, article page, JSON API)."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, jsonify, render_template, request

from searchcore import IndexHandle
from searchcore.engine import EngineHandle

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("ARNEWS_INDEX", "var/index"),
        JSON_AS_ASCII=False,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    from search_app.text import FOLD_TABLE_JSON, article_noun

    app.jinja_env.filters["article_noun"] = article_noun
    app.jinja_env.globals["fold_table"] = FOLD_TABLE_JSON
    app.extensions["arnews_handle"] = _handle(app.config)

    from search_app import api, exports, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(exports.bp)

    @app.after_request
    def _headers(resp):  # type: ignore[no-untyped-def]
        for k, v in SECURITY_HEADERS.items():
            resp.headers.setdefault(k, v)
        return resp

    @app.get("/favicon.ico")
    def _favicon():  # type: ignore[no-untyped-def]
        return app.send_static_file("favicon.svg"), 200, {"Content-Type": "image/svg+xml",
                                                           "Cache-Control": "public, max-age=86400"}

    @app.errorhandler(404)
    def _not_found(e):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            return jsonify(error="not found"), 404
        return render_template("error.html", message="الصفحة غير موجودة (not found)."), 404

    @app.errorhandler(405)
    def _method(e):  # type: ignore[no-untyped-def]
        return jsonify(error="method not allowed"), 405

    @app.errorhandler(Exception)
    def _any_error(e):  # type: ignore[no-untyped-def]
        # Never a stack trace in a response; the log keeps it.
        from werkzeug.exceptions import HTTPException

        if isinstance(e, HTTPException):
            return jsonify(error=e.description), e.code
        app.logger.exception("unhandled error")
        if request.path.startswith("/api/"):
            return jsonify(error="internal error"), 500
        return render_template("error.html", message="حدث خطأ غير متوقع (internal error)."), 500

    return app


def _handle(config: Any) -> EngineHandle:
    """The embedded index in INDEX_DIR, or the cluster of OPENSEARCH (OpenSearchSettings)."""
    settings = config.get("OPENSEARCH")
    if settings is not None:
        from backends.opensearch.engine import OpenSearchHandle

        return OpenSearchHandle(settings)
    return IndexHandle(config["INDEX_DIR"])


def get_handle() -> EngineHandle:
    from flask import current_app

    return current_app.extensions["arnews_handle"]
