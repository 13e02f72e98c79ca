"""Reading the archive the way a consumer should: through run manifests only.

Files not listed in a manifest may be from a run still going or one that died; listed files are
complete, and their sha256 is checked before their records are trusted.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath

import orjson

from archive.manifest import MANIFEST_PREFIX
from archive.store_types import ArchiveStore
from archive.warc import SnapshotResponse, read_response_at

__all__ = ["SnapshotResponse", "iter_manifests", "iter_records", "read_snapshot"]


def iter_manifests(store: ArchiveStore, since: str | None = None) -> Iterator[dict]:
    """Run manifests in run_id order (= start time order), those with run_id > ``since`` when given.

    ``since`` may be a run id or the prefix of one, such as ``20261126T100000Z`` for "runs started at
    or after 2026-11-26 10:00 UTC".
    """
    run_ids = sorted(
        PurePosixPath(key).name.removesuffix(".json")
        for key in store.list(MANIFEST_PREFIX)
        if key.endswith(".json") and "/" not in key[len(MANIFEST_PREFIX) :]
    )
    for run_id in run_ids:
        if since is not None and run_id <= since:
            continue
        key = f"{MANIFEST_PREFIX}{run_id}.json"
        try:
            manifest = orjson.loads(store.get_bytes(key))
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"run manifest {key} is not valid JSON: {exc}") from exc
        if not isinstance(manifest, dict) or manifest.get("run_id") != run_id:
            raise ValueError(f"run manifest {key} does not describe run {run_id}")
        yield manifest


def _file_source(path: str) -> str | None:
    for segment in path.split("/"):
        if segment.startswith("source="):
            return segment.removeprefix("source=")
    return None


def iter_records(
    store: ArchiveStore, manifest: dict | None = None, source: str | None = None
) -> Iterator[dict]:
    """Records of the article files listed in ``manifest`` (else in every manifest), optionally one source's."""
    manifests = [manifest] if manifest is not None else iter_manifests(store)
    for current in manifests:
        for entry in current.get("files", []):
            if entry.get("kind") != "articles":
                continue
            path = entry["path"]
            if source is not None and _file_source(path) != source:
                continue
            data = store.get_bytes(path)
            digest = hashlib.sha256(data).hexdigest()
            if digest != entry.get("sha256") or len(data) != entry.get("bytes"):
                raise ValueError(
                    f"{path} does not match run {current.get('run_id')}'s manifest "
                    f"(sha256 {digest}, {len(data)} bytes; listed {entry.get('sha256')}, {entry.get('bytes')} bytes)"
                )
            try:
                lines = gzip.decompress(data).splitlines()
            except (OSError, EOFError, zlib.error) as exc:
                raise ValueError(f"{path} is not valid gzip: {exc}") from exc
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise ValueError(f"{path} line {number} is not valid JSON: {exc}") from exc


def read_snapshot(store: ArchiveStore, pointer: dict) -> SnapshotResponse:
    """The stored response a record's ``snapshot`` pointer names, reading only its byte range."""
    try:
        key, offset, length = pointer["warc"], int(pointer["offset"]), int(pointer["length"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"invalid snapshot pointer {pointer!r}") from exc
    response = read_response_at(store.get_range(key, offset, length))
    expected_id = pointer.get("record_id")
    if expected_id and response.record_id != expected_id:
        raise ValueError(
            f"snapshot pointer {key}@{offset} names record {expected_id} but holds {response.record_id}"
        )
    return response
