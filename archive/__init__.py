"""The archive: storage backends, JSONL and WARC parts, run manifests, and the reader."""

from archive.jsonl import JsonlPart, PartInfo
from archive.manifest import RUN_STATUSES, build_manifest, manifest_key, new_run_id, write_manifest
from archive.reader import iter_manifests, iter_records, read_snapshot
from archive.run_archive import RunArchive
from archive.spool import Spool
from archive.stores import STORE_SCHEMES, ArchiveStore, FSStore, S3Store, StoreError, open_store, safe_key
from archive.warc import SnapshotResponse, WarcPart, read_response_at

__all__ = [
    "RUN_STATUSES",
    "STORE_SCHEMES",
    "ArchiveStore",
    "FSStore",
    "JsonlPart",
    "PartInfo",
    "RunArchive",
    "S3Store",
    "SnapshotResponse",
    "Spool",
    "StoreError",
    "WarcPart",
    "build_manifest",
    "iter_manifests",
    "iter_records",
    "manifest_key",
    "new_run_id",
    "open_store",
    "read_response_at",
    "read_snapshot",
    "safe_key",
    "write_manifest",
]
