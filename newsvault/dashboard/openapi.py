"""The OpenAPI 3.1 document of /api/v1/ (served at /api/v1/openapi.json): every path, its parameters,
its answers, and the bearer token `serve --token-env` requires. The record's schema is the archive's
own (core/record_schema.json), so the API and `newsvault schema` cannot disagree."""

from __future__ import annotations

from typing import Any

from core import VERSION
from core.record import record_schema


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query(name: str, description: str, schema: dict[str, Any] | None = None, *,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


_ERROR = {"$ref": "#/components/schemas/Error"}
_ERRORS = {"400": _json(_ERROR, "A parameter is malformed"),
           "401": _json(_ERROR, "No or a wrong bearer token (when `serve --token-env` set one)")}
_SOURCE = _query("source", "Only this source's (a source id of the config)")
_SINCE = _query("since", "Only runs started after this run id, or at or after this ISO 8601 time (as `export --since`)")


def _limit(default: int, maximum: int) -> dict[str, Any]:
    return _query("limit", f"At most this many (default {default})",
                  {"type": "integer", "minimum": 1, "maximum": maximum, "default": default})


def _rebased(schema: Any, base: str) -> Any:
    """The schema with its own "#/..." references made relative to where it sits in this document."""
    if isinstance(schema, dict):
        return {k: (base + v[1:] if k == "$ref" and isinstance(v, str) and v.startswith("#/") else _rebased(v, base))
                for k, v in schema.items()}
    if isinstance(schema, list):
        return [_rebased(item, base) for item in schema]
    return schema


def openapi_document() -> dict[str, Any]:
    record = _rebased({k: v for k, v in record_schema().items() if k not in ("$schema", "$id")},
                      "#/components/schemas/Record")
    run = {"type": "object", "description": "A run manifest (runs/<run_id>.json) and where it ran (host, pid; "
                                            "`worker` in a cluster); `waiting`: its parts still in the spool.",
           "required": ["run_id", "kind", "sources", "status", "started_at", "finished_at", "counts"],
           "properties": {"run_id": {"type": "string"}, "kind": {"type": "string"},
                          "sources": {"type": "array", "items": {"type": "string"}},
                          "status": {"enum": ["ok", "degraded", "interrupted", "timeout", "crashed", "failed",
                                              "running"]},
                          "started_at": {"type": "string"}, "finished_at": {"type": ["string", "null"]},
                          "files": {"type": "array", "items": {"type": "object"}},
                          "counts": {"type": "object"}, "host": {"type": ["string", "null"]},
                          "pid": {"type": ["integer", "null"]}, "waiting": {"type": "integer"}}}
    source = {"type": "object", "required": ["id", "name", "flagged", "health", "last_run", "next_run"],
              "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                             "schedule": {"type": ["string", "null"]},
                             "next_run": {"type": "string", "description": "A time, or paused, not scheduled, "
                                                                           "scheduler not started yet"},
                             "flagged": {"type": "boolean"},
                             "health": {"type": "object", "description": "As `runs --check --json`"},
                             "last_run": {"type": ["object", "null"]}, "runs": {"type": "integer"},
                             "errors": {"type": "object", "additionalProperties": {"type": "integer"}}}}
    page = {"type": "object", "required": ["articles", "next_cursor", "more"],
            "properties": {"articles": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}},
                           "next_cursor": {"type": ["string", "null"], "description": "The position after the "
                                           "last record: ask again with it for the next page, now or later"},
                           "more": {"type": "boolean", "description": "More records are there now"}}}
    version = {"type": "object", "required": ["version", "article_id", "url", "fetched_at", "run_id"],
               "properties": {"version": {"type": "integer"}, "article_id": {"type": "string"},
                              "url": {"type": "string"}, "fetched_at": {"type": "string"},
                              "content_hash": {"type": "string"}, "title": {"type": ["string", "null"]},
                              "word_count": {"type": "integer"}, "run_id": {"type": "string"},
                              "snapshot": {"type": "object"}, "trivial": {"type": ["boolean", "null"]},
                              "diff": {"type": ["string", "null"]}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "newsvault", "version": VERSION,
                 "description": "The archive and its runs, read-only: what `newsvault serve`'s dashboard shows."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/sources": {"get": {"summary": "Each source's health, as on the dashboard", "operationId": "sources",
                                 "responses": {"200": _json({"type": "array", "items": {"$ref": "#/components/schemas/Source"}},
                                                            "Every source of the config"), **_ERRORS}}},
            "/runs": {"get": {"summary": "The run history, as `newsvault runs --json`", "operationId": "runs",
                              "parameters": [_SOURCE, _SINCE, _limit(20, 1000)],
                              "responses": {"200": _json({"type": "array", "items": {"$ref": "#/components/schemas/Run"}},
                                                         "Newest first"),
                                            "404": _json(_ERROR, "Unknown source"), **_ERRORS}}},
            "/runs/{run_id}": {"get": {"summary": "One run: its manifest", "operationId": "run",
                                       "parameters": [{"name": "run_id", "in": "path", "required": True,
                                                       "schema": {"type": "string"}}],
                                       "responses": {"200": _json({"$ref": "#/components/schemas/Run"}, "The run"),
                                                     "404": _json(_ERROR, "No such run"), **_ERRORS}}},
            "/articles": {"get": {"summary": "Records of complete runs, oldest run first, paged",
                                  "operationId": "articles",
                                  "parameters": [_SOURCE, _SINCE, _limit(100, 1000),
                                                 _query("cursor", "The next_cursor of the page before")],
                                  "responses": {"200": _json({"$ref": "#/components/schemas/ArticlePage"}, "A page"),
                                                "404": _json(_ERROR, "Unknown source"), **_ERRORS}}},
            "/history": {"get": {"summary": "Every archived version of an article, with diffs, oldest first",
                                 "operationId": "history",
                                 "parameters": [_query("url", "The article's URL", required=True)],
                                 "responses": {"200": _json({"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
                                                            "As `newsvault history --json`"),
                                               "404": _json(_ERROR, "No archived version"), **_ERRORS}}},
            "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                                      "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1"), **_ERRORS}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "The token in the variable `serve --token-env` names"}},
            "schemas": {"Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                        "Run": run, "Source": source, "ArticlePage": page, "Version": version, "Record": record},
        },
    }
