"""The alert events: one JSON object each, of a stable shape (event_schema.json, `newsvault alerts
schema`), built from what the run and health code already produce (a manifest, a SourceHealth).

Every event has the same envelope (schema_version, id, type, occurred_at, summary, sources, host,
newsvault_version) and its type's `data`. An event's id is derived from what it is about
(`run_failed:<run_id>`, `source_flagged:<source>:<run_id>`), so two processes recording the same
event (two workers closing one crashed run) record it once, and a receiver can deduplicate on it.
"""

from __future__ import annotations

import json
import secrets
import socket
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from archive.manifest import manifest_key
from archive.store_types import ArchiveStore
from core import VERSION
from core.clock import iso_z, utc_now
from core.config import Source
from scheduler.health import SourceHealth

SCHEMA_VERSION = 1
FAILED_STATUSES = ("failed", "crashed", "timeout")


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    sources: tuple[str, ...]
    document: dict[str, Any]

    @property
    def body(self) -> str:
        """The JSON sent (and signed): compact, keys in the order built, the same on every attempt."""
        return json.dumps(self.document, ensure_ascii=False, separators=(",", ":"))


@cache
def _schema_text() -> str:
    return resources.files("newsvault.alerts").joinpath("event_schema.json").read_text(encoding="utf-8")


def event_schema() -> dict[str, Any]:
    """The events' JSON Schema (draft 2020-12); a fresh dict on every call."""
    result: dict[str, Any] = json.loads(_schema_text())
    return result


def _event(event_id: str, kind: str, occurred_at: str, summary: str, sources: list[str],
           data: dict[str, Any]) -> Event:
    document = {"schema_version": SCHEMA_VERSION, "id": event_id, "type": kind, "occurred_at": occurred_at,
                "summary": summary, "sources": sources, "host": socket.gethostname(),
                "newsvault_version": VERSION, "data": data}
    return Event(event_id, kind, tuple(sources), document)


def _run_data(manifest: dict[str, Any], store: ArchiveStore) -> dict[str, Any]:
    files = manifest.get("files") or []
    key = manifest_key(manifest["run_id"])
    return {
        "run_id": manifest["run_id"], "kind": manifest.get("kind", "crawl"), "status": manifest["status"],
        "sources": list(manifest.get("sources") or []), "started_at": manifest["started_at"],
        "finished_at": manifest["finished_at"], "failure": manifest.get("failure"),
        "counts": manifest.get("counts") or {},
        "files": {"articles": sum(f["kind"] == "articles" for f in files),
                  "snapshots": sum(f["kind"] == "snapshots" for f in files),
                  "records": sum(int(f["records"]) for f in files if f["kind"] == "articles")},
        "manifest": {"key": key, "uri": f"{store.uri.rstrip('/')}/{key}"},
    }


def _sources_text(sources: list[str]) -> str:
    return ", ".join(sources) if len(sources) <= 3 else f"{len(sources)} sources"


def run_failed(manifest: dict[str, Any], store: ArchiveStore) -> Event:
    data = _run_data(manifest, store)
    why = f": {data['failure']}" if data["failure"] else ""
    summary = f"run {data['run_id']} of {_sources_text(data['sources'])} {data['status']}{why}"
    return _event(f"run_failed:{data['run_id']}", "run_failed", data["finished_at"], summary, data["sources"], data)


def run_published(manifest: dict[str, Any], store: ArchiveStore) -> Event:
    data = _run_data(manifest, store)
    summary = (f"run {data['run_id']} of {_sources_text(data['sources'])} published ({data['status']}): "
               f"{data['files']['records']} records in {data['files']['articles']} parts")
    return _event(f"run_published:{data['run_id']}", "run_published", data["finished_at"], summary,
                  data["sources"], data)


def store_degraded(manifest: dict[str, Any], store: ArchiveStore, spool_summary: dict[str, Any]) -> Event:
    run_id = manifest["run_id"]
    run_parts = int((spool_summary.get("runs") or {}).get(run_id, 0))
    data = {"run_id": run_id, "archive": store.uri, "spool": str(spool_summary.get("spool", "")),
            "run_parts": run_parts,
            "waiting": {"parts": int(spool_summary.get("parts", 0)), "bytes": int(spool_summary.get("bytes", 0))}}
    summary = (f"archive store {store.uri} refused parts: {run_parts} part(s) of run {run_id} wait in the spool "
               f"({data['waiting']['parts']} in all); the next run or `newsvault flush` uploads them")
    sources = list(manifest.get("sources") or [])
    return _event(f"store_degraded:{run_id}", "store_degraded", manifest["finished_at"], summary, sources, data)


def source_changed(source: Source, health: SourceHealth, run_id: str | None) -> Event:
    """source_flagged or source_recovered, by the health's verdict."""
    kind = "source_flagged" if health.flagged else "source_recovered"
    data = {"source": source.id, "name": source.name, "run_id": run_id, "flagged": health.flagged,
            "reasons": list(health.reasons), "health": health.as_dict()}
    summary = (f"source {source.id} flagged: {'; '.join(health.reasons)}" if health.flagged
               else f"source {source.id} recovered" + (f" with run {run_id}" if run_id else ""))
    return _event(f"{kind}:{source.id}:{run_id or iso_z(utc_now())}", kind, iso_z(utc_now()), summary,
                  [source.id], data)


def sample_event(target: str) -> Event:
    """What `newsvault alerts test` sends each target: a new id every time."""
    now = iso_z(utc_now())
    data = {"message": "a test event from `newsvault alerts test`: this target receives newsvault's alerts",
            "target": target}
    return _event(f"test:{now}:{secrets.token_hex(4)}", "test", now, f"test event for {target}", [], data)
