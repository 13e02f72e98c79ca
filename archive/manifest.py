"""Run manifests: ``runs/<run_id>.json``, written last, listing every file of the run.

A consumer that reads only files listed in manifests never sees a partial file.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from archive.store_types import ArchiveStore, safe_key
from archive.warc import utc_datetime

__all__ = [
    "MANIFEST_PREFIX",
    "RUN_STATUSES",
    "build_manifest",
    "check_run_id",
    "format_time",
    "manifest_bytes",
    "manifest_key",
    "new_run_id",
    "write_manifest",
]

RUN_STATUSES = ("ok", "degraded", "interrupted", "timeout", "crashed", "failed", "running")
FILE_KINDS = ("articles", "snapshots", "index")
MANIFEST_PREFIX = "runs/"
_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_FILE_KEYS = ("path", "kind", "records", "bytes", "sha256")


def check_run_id(run_id: str) -> str:
    """``run_id`` unchanged if it can name files (it ends up in keys), else ValueError."""
    if not isinstance(run_id, str) or not _RUN_ID_RE.match(run_id) or ".." in run_id:
        raise ValueError(f"invalid run id {run_id!r}: letters, digits, '_', '-' and '.' only")
    return run_id


def new_run_id(now: datetime) -> str:
    """Sortable by start time, unique across machines: ``20261126T100000Z-<6 hex>``."""
    return f"{utc_datetime(now, 'run start').strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def manifest_key(run_id: str) -> str:
    return safe_key("runs", f"{check_run_id(run_id)}.json")


def format_time(value: datetime) -> str:
    """The manifest's time format: UTC, whole seconds, ``Z``."""
    return utc_datetime(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_file(entry: Mapping[str, Any]) -> dict[str, Any]:
    missing = [k for k in _FILE_KEYS if k not in entry]
    if missing:
        raise ValueError(f"manifest file entry {dict(entry)!r} lacks {', '.join(missing)}")
    if entry["kind"] not in FILE_KINDS:
        raise ValueError(f"manifest file entry kind must be one of {FILE_KINDS}, got {entry['kind']!r}")
    safe_key(entry["path"])
    return dict(entry)


def build_manifest(
    *,
    run_id: str,
    kind: str,
    sources: list[str],
    status: str,
    started_at: datetime,
    finished_at: datetime | None,
    files: list[dict],
    counts: dict,
    extra: Mapping | None = None,
) -> dict:
    """The manifest document; ``finished_at`` is None only while the run is ``running``."""
    if status not in RUN_STATUSES:
        raise ValueError(f"run status must be one of {', '.join(RUN_STATUSES)}, got {status!r}")
    if finished_at is None and status != "running":
        raise ValueError(f"a {status!r} run needs finished_at")
    manifest: dict[str, Any] = {
        "run_id": check_run_id(run_id),
        "kind": kind,
        "sources": list(sources),
        "status": status,
        "started_at": format_time(started_at),
        "finished_at": format_time(finished_at) if finished_at is not None else None,
        "files": [_check_file(f) for f in files],
        "counts": dict(counts),
    }
    for key, value in (extra or {}).items():
        if key in manifest:
            raise ValueError(f"extra manifest key {key!r} would overwrite a standard key")
        manifest[key] = value
    return manifest


def manifest_bytes(manifest: dict) -> bytes:
    return orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n"


def write_manifest(store: ArchiveStore, manifest: dict) -> None:
    """Publish the manifest; call it after every file it lists has been published."""
    store.put_bytes(manifest_key(manifest["run_id"]), manifest_bytes(manifest))
