"""`newsvault serve`: the read-only operator dashboard (Flask, server-rendered, no JavaScript), and
its JSON API under /api/v1/ (newsvault/dashboard/api.py).

Everything shown from crawled pages is untrusted: Jinja autoescapes every template, raw pages are
shown as escaped text only, and every response carries a Content-Security-Policy that allows no
script at all. Only GET and HEAD are routed, so any other method is answered 405. Given a token,
every request, page, stylesheet or API call, needs `Authorization: Bearer <token>`, else 401.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request
from markupsafe import Markup

from core.counts import FILTERED
from newsvault.config import Config
from newsvault.dashboard.api import API_PREFIX, register_api
from newsvault.dashboard.charts import bars, sparkline
from newsvault.dashboard.data import open_read_view, source_overviews

RECENT_RUNS = 20
RECENT_ARTICLES = 50
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


def create_app(config: Config, *, token: str | None = None) -> Flask:
    from archive.stores import open_archive

    app = Flask(__name__)
    app.jinja_env.autoescape = True  # every template, whatever its extension
    state = open_read_view(config)
    store = open_archive(config)  # with its spool: the API's runs say what waits in it, as `runs` does
    source_ids = [s.id for s in config.sources]
    register_api(app, config, state, store)

    if token is not None:
        expected = f"Bearer {token}".encode()

        @app.before_request
        def require_token() -> Any:
            given = request.headers.get("Authorization", "").encode()
            if hmac.compare_digest(given, expected):
                return None
            response = (jsonify(error="unauthorized: send Authorization: Bearer <token>")
                        if request.path.startswith(API_PREFIX) else Response("Unauthorized\n", mimetype="text/plain"))
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="newsvault"'
            return response

    @app.after_request
    def security_headers(response: Any) -> Any:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def health() -> str:
        rows = []
        for overview in source_overviews(config, state, RECENT_RUNS):
            source, history = overview.source, overview.history  # newest first
            oldest_first = list(reversed(history))
            rows.append({
                "source": source, "last": history[0] if history else None, "health": overview.health,
                "next_run": overview.next_run,
                "yield_chart": sparkline([r.yielded for r in oldest_first],
                                         label=f"{source.id}: articles per run"),
                "complete_chart": sparkline([r.completeness for r in oldest_first], maximum=1.0,
                                            label=f"{source.id}: share of complete records per run"),
                "runs": len(history),
                "errors": bars(overview.errors.most_common(6)) if overview.errors else None,
            })
        return render_template("health.html", rows=rows, page="health")

    @app.get("/runs")
    def runs() -> str:
        return render_template("runs.html", runs=state.list_runs(limit=200), page="runs")

    @app.get("/runs/<run_id>")
    def run(run_id: str) -> str:
        manifest = next((r for r in state.list_runs(limit=100_000) if r["run_id"] == run_id), None)
        if manifest is None:
            abort(404)
        return render_template("run.html", run=manifest, page="runs",
                               manifest_json=json.dumps(manifest, indent=2, ensure_ascii=False))

    @app.get("/articles")
    def articles() -> str:
        from archive.reader import iter_records

        wanted = request.args.get("source") or None
        records: list[dict[str, Any]] = []
        for manifest in state.list_runs(source=wanted, limit=RECENT_RUNS):
            if manifest.get("status") == "running":
                continue
            records += iter_records(store, manifest, source=wanted)
            if len(records) >= RECENT_ARTICLES:
                break
        records.sort(key=lambda r: r["fetched_at"], reverse=True)
        return render_template("articles.html", records=records[:RECENT_ARTICLES], page="articles",
                               sources=source_ids, wanted=wanted)

    @app.get("/article")
    def article() -> str:
        from archive.history import ArchiveIndex, article_versions

        url = request.args.get("url", "")
        if not url.startswith(("http://", "https://")):
            abort(400)
        versions = article_versions(ArchiveIndex(store), url)
        if not versions:
            abort(404)
        return render_template("article.html", url=url, versions=versions, page="articles")

    @app.get("/snapshot")
    def snapshot() -> str:
        from archive.reader import read_snapshot
        from archive.stores import safe_key

        pointer = {k: request.args.get(k, "") for k in ("warc", "offset", "length", "record_id")}
        try:
            if not safe_key(pointer["warc"]).startswith("snapshots/"):
                abort(404)
            response = read_snapshot(store, pointer)
        except (ValueError, KeyError, OSError):
            abort(404)
        charset = "utf-8"
        for name, value in response.headers:
            if name.lower() == "content-type" and "charset=" in value.lower():
                charset = value.lower().split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
        try:
            body = response.body.decode(charset, "replace")
        except LookupError:
            body = response.body.decode("utf-8", "replace")
        return render_template("snapshot.html", response=response, body=body, pointer=pointer, page="articles")

    @app.errorhandler(404)
    def not_found(error: Any) -> Any:
        if request.path.startswith(API_PREFIX):
            return jsonify(error=getattr(error, "description", None) or "not found"), 404
        return render_template("error.html", message="Not found", page=None), 404

    @app.errorhandler(400)
    def bad_request(error: Any) -> Any:
        if request.path.startswith(API_PREFIX):
            return jsonify(error=getattr(error, "description", None) or "bad request"), 400
        return render_template("error.html", message="Bad request", page=None), 400

    @app.template_filter("pct")
    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.0%}"

    @app.template_filter("errors")
    def errors_text(errors: dict[str, int] | None) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted((errors or {}).items()) if v) or "-"

    @app.template_filter("filtered")
    def filtered_text(counts: dict[str, Any] | None) -> str:
        """Articles the filters did not keep, by reason."""
        counts = counts or {}
        return ", ".join(f"{name.replace('_', ' ')} {counts[name]}"
                         for name in FILTERED if counts.get(name)) or "-"

    app.jinja_env.globals["Markup"] = Markup
    return app
