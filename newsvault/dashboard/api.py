"""The JSON API of `newsvault serve`, under /api/v1/: what the dashboard shows, for programs.

- `sources`: each source's health, as the health page judges it;
- `runs`: the run history exactly as `newsvault runs --json` prints it (`?source=`, `?since=`, `?limit=`);
- `runs/<id>`: one run, as that list holds it (the manifest, and where it ran);
- `articles`: records of complete runs, oldest run first, in pages (`?source=&since=&limit=&cursor=`);
- `history?url=`: every archived version of an article, as `newsvault history --json`;
- `openapi.json`: the OpenAPI 3.1 document of all of it (newsvault/dashboard/openapi.py).

Articles are read through run manifests only, in run-id order, and never past a run still going (the
watermark `newsvault export` keeps): a page's `next_cursor` names the position after its last record,
so a client that keeps it and asks again later gets each record once, including those of runs that
finish in the meantime.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Any

import orjson
from flask import Blueprint, Flask, abort, jsonify, request

from archive.manifest import check_run_id
from archive.reader import iter_manifests, iter_records
from archive.store_types import ArchiveStore
from core.config import Config
from newsvault.dashboard.data import StateView, source_overviews
from newsvault.dashboard.openapi import openapi_document
from newsvault.export import since_key
from newsvault.runs_view import listed_runs

API_PREFIX = "/api/v1"
RECENT_RUNS = 20  # as the health page
DEFAULT_RUNS, MAX_RUNS = 20, 1000
DEFAULT_ARTICLES, MAX_ARTICLES = 100, 1000
AFTER_RUN = 2**31  # a file index past any run's last file: the position after the whole run


def _limit(default: int, maximum: int) -> int:
    text = request.args.get("limit")
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= maximum:
        abort(400, f"limit must be a whole number from 1 to {maximum}, got {text!r}")
    return int(text)


def _source(config: Config) -> str | None:
    source = request.args.get("source") or None
    if source is not None and source not in {s.id for s in config.sources}:
        abort(404, f"unknown source {source!r}")
    return source


def _since() -> str | None:
    try:
        return since_key(request.args.get("since") or None)
    except ValueError:
        abort(400, f"since must be a run id (20261126T100000Z-3fa2c1) or an ISO 8601 time (2026-11-26 or "
                   f"2026-11-26T10:00:00Z), got {request.args.get('since')!r}")


# -- articles: a position in the archive's complete runs --------------------------------------------

def encode_cursor(run_id: str, file_index: int, record_index: int) -> str:
    """The position before record `record_index` of file `file_index` of run `run_id` (file_index past
    the run's last file: after the whole run)."""
    raw = orjson.dumps([run_id, file_index, record_index])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int, int]:
    try:
        run_id, file_index, record_index = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if int(file_index) < 0 or int(record_index) < 0:  # a position, never counted from the end
            raise ValueError("negative position")
        return check_run_id(run_id), int(file_index), int(record_index)
    except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
        abort(400, "cursor is not one this API returned")


def _complete_runs(store: ArchiveStore, first: str | None, after: str | None,
                   running: list[str]) -> Iterator[dict[str, Any]]:
    """Manifests from run `first` on (or after run id `after`), in run-id order, stopping before the
    first run still going: a position past it could skip it once it finishes."""
    # iter_manifests takes an exclusive bound: a run id cut short sorts before `first` and after
    # every shorter-lived id below it; the few ids between are skipped here
    bound = first[:-1] if first is not None else after
    still_running = sorted(r for r in running if bound is None or r > bound)
    for manifest in iter_manifests(store, since=bound):
        if first is not None and manifest["run_id"] < first:
            continue
        if (still_running and still_running[0] < manifest["run_id"]) or manifest.get("status") == "running":
            return
        yield manifest


def article_page(store: ArchiveStore, running: list[str], *, source: str | None, since: str | None,
                 cursor: str | None, limit: int) -> dict[str, Any]:
    start = decode_cursor(cursor) if cursor else None
    records: list[dict[str, Any]] = []
    position: tuple[str, int, int] | None = start
    for manifest in _complete_runs(store, start[0] if start else None, since, running):
        run_id, files = manifest["run_id"], manifest.get("files") or []
        first_file, first_record = (start[1], start[2]) if start and start[0] == run_id else (0, 0)
        for index in range(min(first_file, len(files)), len(files)):
            entry = files[index]
            if entry.get("kind") != "articles":
                continue
            skip = first_record if index == first_file else 0
            single = {"run_id": run_id, "files": [entry]}
            for number, record in enumerate(iter_records(store, single, source=source)):
                if number < skip:
                    continue
                if len(records) == limit and position is not None:
                    return {"articles": records, "next_cursor": encode_cursor(*position), "more": True}
                records.append(record)
                position = (run_id, index, number + 1)
        position = (run_id, len(files), 0)
    if position is None:  # nothing after `since` yet: ask again from there
        return {"articles": [], "next_cursor": encode_cursor(since, AFTER_RUN, 0) if since else None, "more": False}
    return {"articles": records, "next_cursor": encode_cursor(*position), "more": False}


def register_api(app: Flask, config: Config, state: StateView, store: ArchiveStore) -> None:
    api = Blueprint("api", __name__, url_prefix=API_PREFIX)

    @api.get("/sources")
    def sources() -> Any:
        return jsonify([overview.as_json() for overview in source_overviews(config, state, RECENT_RUNS)])

    @api.get("/runs")
    def runs() -> Any:
        source, limit = _source(config), _limit(DEFAULT_RUNS, MAX_RUNS)
        waiting = store.spool.summary() if store.spool is not None else None
        # the same function as `newsvault runs --json`, so the two never drift apart
        return jsonify(listed_runs(state, waiting, source=source, since=_since(), limit=limit))

    @api.get("/runs/<run_id>")
    def run(run_id: str) -> Any:
        found = next((r for r in state.list_runs(limit=100_000) if r["run_id"] == run_id), None)
        if found is None:
            abort(404, f"no run {run_id!r}")
        return jsonify(found)

    @api.get("/articles")
    def articles() -> Any:
        running = [r["run_id"] for r in state.list_runs(limit=1000) if r["status"] == "running"]
        return jsonify(article_page(store, running, source=_source(config), since=_since(),
                                    cursor=request.args.get("cursor") or None,
                                    limit=_limit(DEFAULT_ARTICLES, MAX_ARTICLES)))

    @api.get("/history")
    def history() -> Any:
        from archive.history import ArchiveIndex, article_versions
        from core.record import canonicalize_url
        from newsvault.commands.snapshot import candidate_sources

        try:
            canonical = canonicalize_url(request.args.get("url", ""))
        except ValueError as exc:
            abort(400, f"url: {exc}")
        versions = article_versions(ArchiveIndex(store, candidate_sources(config, canonical)), canonical)
        if not versions:
            abort(404, f"no archived version of {canonical}")
        return jsonify([v.as_json() for v in versions])

    @api.get("/openapi.json")
    def openapi() -> Any:
        return jsonify(openapi_document())

    app.register_blueprint(api)
