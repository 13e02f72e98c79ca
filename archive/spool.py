"""The local spool: finished parts that a remote store could not take, waiting to be uploaded.

A part lands here when its upload failed for good (after the client's retries): it is already on
local disk, complete, with its key and sha256, so its records count as archived. Entries are uploaded
in the order they arrived (``flush``), so a run's WARC parts go before the JSONL parts pointing into
them and its manifest, spooled after its parts, goes last. An upload is skipped when the store already
holds the key with the same sha256: a flush killed between uploading and forgetting an entry uploads
nothing twice.

Layout, one pair per entry, named so that name order is arrival order::

    <spool>/<time_ns>-<hex>.data   the part's bytes
    <spool>/<time_ns>-<hex>.json   {"key", "sha256", "bytes", "run_id", "spooled_at"}, written last
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from archive.manifest import manifest_bytes, manifest_key, write_manifest
from archive.store_types import ArchiveStore, StoreError
from state.backends import StateError, state_backend

__all__ = [
    "FlushReport",
    "Spool",
    "SpoolEntry",
    "default_spool_root",
    "file_sha256",
    "flush_store",
    "write_manifest_after_parts",
]

logger = logging.getLogger(__name__)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_spool_root(state_uri: str | None, config_dir: Path | None) -> Path:
    """``spool/`` next to the state's database file; else next to the config; else the user's state dir.

    It must outlive the run (its parts are uploaded by the next one), so never a temp folder.
    """
    db = None
    if state_uri:
        with contextlib.suppress(StateError):
            db = state_backend(state_uri).database_path(state_uri)
    if db is not None:
        if not db.is_absolute() and config_dir is not None:
            db = config_dir / db
        return db.parent / "spool"
    if config_dir is not None:
        return Path(config_dir) / "spool"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "newsvault" / "spool"


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True)
class SpoolEntry:
    name: str
    key: str
    sha256: str
    bytes: int
    run_id: str | None
    spooled_at: str
    data: Path


@dataclass
class FlushReport:
    uploaded: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    remaining: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"uploaded": self.uploaded, "already_there": self.already_there,
                "remaining": self.remaining, "errors": self.errors}


class SpoolBusy(Exception):
    """Another process is flushing this spool."""


class Spool:
    """A folder of parts waiting for their store, uploaded first in, first out."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"Spool({str(self.root)!r})"

    def _new_name(self) -> str:
        return f"{time.time_ns():020d}-{secrets.token_hex(4)}"

    def add(self, staged: Path, key: str, *, sha256: str | None = None, run_id: str | None = None) -> SpoolEntry:
        """Move the finished file ``staged`` into the spool; durable on disk when this returns."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = self._new_name()
        data = self.root / f"{name}.data"
        try:
            os.replace(staged, data)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            shutil.copyfile(staged, data)
            staged.unlink()
        with open(data, "rb") as fh:
            os.fsync(fh.fileno())
        return self._write_entry(name, data, key, sha256 or file_sha256(data), run_id)

    def add_bytes(self, key: str, payload: bytes, *, run_id: str | None = None) -> SpoolEntry:
        self.root.mkdir(parents=True, exist_ok=True)
        name = self._new_name()
        data = self.root / f"{name}.data"
        with open(data, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        return self._write_entry(name, data, key, hashlib.sha256(payload).hexdigest(), run_id)

    def _write_entry(self, name: str, data: Path, key: str, sha256: str, run_id: str | None) -> SpoolEntry:
        entry = SpoolEntry(name=name, key=key, sha256=sha256, bytes=data.stat().st_size, run_id=run_id,
                           spooled_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), data=data)
        doc = {"key": key, "sha256": sha256, "bytes": entry.bytes, "run_id": run_id,
               "spooled_at": entry.spooled_at}
        temp = self.root / f".{name}.json.tmp"
        with open(temp, "wb") as fh:
            fh.write(orjson.dumps(doc))
            fh.flush()
            os.fsync(fh.fileno())
        # The entry exists once its .json does: a crash before this leaves a .data nobody lists.
        os.replace(temp, self.root / f"{name}.json")
        _fsync_dir(self.root)
        return entry

    def entries(self) -> list[SpoolEntry]:
        """Waiting entries, oldest first."""
        if not self.root.is_dir():
            return []
        found = []
        for path in sorted(self.root.glob("*.json")):
            try:
                doc = orjson.loads(path.read_bytes())
            except FileNotFoundError:
                continue  # uploaded by a concurrent flush
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"spool entry {path} is not valid JSON: {exc}") from exc
            found.append(SpoolEntry(name=path.stem, key=doc["key"], sha256=doc["sha256"], bytes=doc["bytes"],
                                    run_id=doc.get("run_id"), spooled_at=doc.get("spooled_at", ""),
                                    data=path.with_suffix(".data")))
        return found

    def __len__(self) -> int:
        return len(self.entries())

    def has_run(self, run_id: str) -> bool:
        return any(entry.run_id == run_id for entry in self.entries())

    def summary(self) -> dict[str, Any]:
        """What is waiting: parts, bytes, and parts per run."""
        entries = self.entries()
        runs: dict[str, int] = {}
        for entry in entries:
            runs[entry.run_id or "-"] = runs.get(entry.run_id or "-", 0) + 1
        return {"spool": str(self.root), "parts": len(entries), "bytes": sum(e.bytes for e in entries),
                "runs": runs}

    def forget(self, entry: SpoolEntry) -> None:
        # The .json goes first: an entry without its .json is not waiting any more.
        (self.root / f"{entry.name}.json").unlink(missing_ok=True)
        entry.data.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".flush.lock", "a+b") as lock:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SpoolBusy(f"another process is flushing {self.root}") from None
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def flush(self, store: ArchiveStore) -> FlushReport:
        """Upload waiting entries in order; stop at the first store failure, keep what is left."""
        report = FlushReport()
        if not self.entries():
            return report
        with self._exclusive():
            entries = self.entries()
            blocked_runs: set[str | None] = set()
            for index, entry in enumerate(entries):
                if entry.run_id is not None and entry.run_id in blocked_runs:
                    report.remaining += 1
                    continue
                try:
                    stored = store.stored_sha256(entry.key)
                    if stored == entry.sha256:
                        report.already_there.append(entry.key)
                    elif stored is not None:
                        # Archive files are never rewritten: a different object under this key is a
                        # conflict for a human, and the rest of that run (its manifest) waits with it.
                        report.errors.append(f"{entry.key}: the store holds a different object (sha256 "
                                             f"{stored}, spooled {entry.sha256}); left in {entry.data}")
                        blocked_runs.add(entry.run_id)
                        report.remaining += 1
                        continue
                    elif not entry.data.exists():
                        report.errors.append(f"{entry.key}: spooled data {entry.data} is missing")
                        blocked_runs.add(entry.run_id)
                        report.remaining += 1
                        continue
                    else:
                        _publish(store, entry)
                        report.uploaded.append(entry.key)
                except StoreError as exc:
                    report.errors.append(str(exc))
                    report.remaining += len(entries) - index
                    break
                self.forget(entry)
        return report


def _publish(store: ArchiveStore, entry: SpoolEntry) -> None:
    # publish consumes the file it is given; the spool keeps its copy until the entry is forgotten,
    # so a failure half-way leaves the entry intact.
    upload = entry.data.with_name(f".{entry.name}.upload.tmp")
    try:
        os.link(entry.data, upload)
    except OSError:
        shutil.copyfile(entry.data, upload)
    try:
        store.publish(upload, entry.key)
    finally:
        upload.unlink(missing_ok=True)


def flush_store(store: ArchiveStore, *, when: str = "flush") -> FlushReport | None:
    """Flush ``store``'s spool if it has one; never raises for an unreachable store (it reports)."""
    spool = store.spool
    if spool is None:
        return None
    try:
        report = spool.flush(store)
    except SpoolBusy as exc:
        logger.info("%s: %s", when, exc)
        return FlushReport(remaining=len(spool), errors=[str(exc)])
    if report.uploaded or report.already_there:
        logger.info("%s: uploaded %d spooled parts to %s", when,
                    len(report.uploaded) + len(report.already_there), store.uri)
    for error in report.errors:
        logger.warning("%s: %s part(s) still waiting in %s: %s", when, report.remaining, spool.root, error)
    return report


def write_manifest_after_parts(
    store: ArchiveStore, manifest: dict, spool: Spool | None, *, parts_spooled: bool = False
) -> str | None:
    """Publish a run manifest, or queue it behind its run's parts when any of them waits in ``spool``.

    A manifest the store refuses is spooled as well (an "ok" run becomes "degraded"); the store's
    error is returned then, for the run's errors. Without a spool a refusal raises StoreError.
    """
    run_id = manifest["run_id"]
    if spool is not None and (parts_spooled or spool.has_run(run_id)):
        spool.add_bytes(manifest_key(run_id), manifest_bytes(manifest), run_id=run_id)
        return None
    try:
        write_manifest(store, manifest)
    except StoreError as exc:
        if spool is None:
            raise
        if manifest.get("status") == "ok":
            manifest["status"] = "degraded"
        spool.add_bytes(manifest_key(run_id), manifest_bytes(manifest), run_id=run_id)
        return f"{exc}; the manifest of run {run_id} waits in {spool.root}"
    return None
