"""`newsvault serve`: the read-only operator dashboard (Flask, server-rendered, no JavaScript).

Everything shown from crawled pages is untrusted: Jinja autoescapes every template, raw pages are
shown as escaped text only, and every response carries a Content-Security-Policy that allows no
script at all. Only GET and HEAD are routed, so any other method is answered 405.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from flask import Flask, abort, render_template, request
from markupsafe import Markup

from core.counts import FILTERED
from newsvault.config import Config
from newsvault.dashboard.charts import bars, sparkline
from newsvault.dashboard.data import ReadOnlyState

RECENT_RUNS = 20
RECENT_ARTICLES = 50
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


def create_app(config: Config) -> Flask:
    from archive.stores import open_store

    app = Flask(__name__)
    app.jinja_env.autoescape = True  # every template, whatever its extension
    state = ReadOnlyState(config.state.uri)
    store = open_store(config.archive.uri, endpoint_url=config.archive.endpoint_url,
                       region=config.archive.region)
    source_ids = [s.id for s in config.sources]

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
        from scheduler.health import judge, source_runs

        runs = state.list_runs(limit=500)
        next_runs = state.next_runs()
        rows = []
        for source in config.sources:
            history = source_runs(runs, source.id)[:RECENT_RUNS]  # newest first
            verdict = judge(source.id, history)
            oldest_first = list(reversed(history))
            errors: Counter[str] = Counter()
            for run in runs:
                counts = (run.get("per_source") or {}).get(source.id) or {}
                errors.update({k: int(v) for k, v in (counts.get("errors") or {}).items() if v})
            last = history[0] if history else None
            rows.append({
                "source": source, "last": last, "health": verdict,
                "next_run": _next_run(next_runs, source.id, source.schedule is not None),
                "yield_chart": sparkline([r.yielded for r in oldest_first],
                                         label=f"{source.id}: articles per run"),
                "complete_chart": sparkline([r.completeness for r in oldest_first], maximum=1.0,
                                            label=f"{source.id}: share of complete records per run"),
                "runs": len(history),
                "errors": bars(errors.most_common(6)) if errors else None,
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
    def not_found(error: Any) -> tuple[str, int]:
        return render_template("error.html", message="Not found", page=None), 404

    @app.errorhandler(400)
    def bad_request(error: Any) -> tuple[str, int]:
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


def _next_run(next_runs: dict[str, str | None] | None, source_id: str, scheduled: bool) -> str:
    if not scheduled:
        return "not scheduled"
    if next_runs is None or source_id not in next_runs:
        return "scheduler not started yet"
    return next_runs[source_id] or "paused"
