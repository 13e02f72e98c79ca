"""What a crawl killed mid-run leaves behind, reconciled by the next run.

A run journals each published part in the state store and commits its records to the dedup index
right after publishing it; `kill -9` can land between the rename and those two writes. So the dead
run's published parts are found in the store itself (its run id prefixes their names, in its
sources' date folders from its start until now): parts missing from the journal are added to it,
and the records of every JSONL part are committed to the dedup index again (idempotently), so the
next run neither omits a published part from the crashed manifest nor archives its articles twice.
Its temp files are removed by name, however young, since their writer is dead.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import os
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive.manifest import build_manifest
from archive.spool import write_manifest_after_parts
from archive.stores import ArchiveStore, StoreError, safe_key
from state.state_types import ArticleCommit, StateStore

logger = logging.getLogger(__name__)
KINDS = ("snapshots", "articles")


def pid_alive(pid: int) -> bool:
    """Whether a process of this machine still runs (a run's pid is only meaningful on its host)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


def _days(since: datetime, until: datetime) -> Iterator[date]:
    day = since.date()
    while day <= until.date():
        yield day
        day += timedelta(days=1)


def _folders(sources: Sequence[str], since: datetime, until: datetime) -> Iterator[tuple[str, str]]:
    """(kind, folder key) of every folder the run may have written into."""
    for kind in KINDS:
        for source in sources:
            for day in _days(since, until):
                yield kind, safe_key(kind, f"source={source}", f"date={day.isoformat()}")


def _kind_of(key: str) -> str | None:
    for suffix, kind in ((".jsonl.gz", "articles"), (".warc.gz", "snapshots"), (".cdxj", "index")):
        if key.endswith(suffix):
            return kind
    return None


def _describe(store: ArchiveStore, key: str, kind: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = store.get_bytes(key)
    records: list[dict[str, Any]] = []
    if kind == "articles":
        records = [json.loads(line) for line in gzip.decompress(data).splitlines() if line.strip()]
        count = len(records)
    elif kind == "snapshots":
        count = sum(1 for _ in ArchiveIterator(io.BytesIO(data)))
    else:
        count = sum(1 for line in data.splitlines() if line.strip())
    entry = {"path": key, "kind": kind, "records": count, "bytes": len(data),
             "sha256": hashlib.sha256(data).hexdigest()}
    return entry, records


def salvage_dead_run(store: ArchiveStore, state: StateStore, run_id: str, sources: Sequence[str],
                     started_at: datetime, now: datetime) -> tuple[list[dict[str, Any]], int]:
    """Reconcile a dead run's journal with the store; (its published files, records archived)."""
    journal = {f["path"]: f for f in state.run_files(run_id)}
    files = dict(journal)
    archived = 0
    for _folder_kind, folder in _folders(sources, started_at, now):
        for key in store.list(f"{folder}/{run_id}-"):
            kind = _kind_of(key)
            if kind is None:
                continue
            try:
                entry, records = _describe(store, key, kind)
            except Exception as exc:  # one bad part must not stop the recovery of the others
                # Published parts are complete by construction; one that is not is reported, not used.
                logger.error("part %s of dead run %s is unreadable: %s", key, run_id, exc)
                continue
            if key not in journal:
                logger.warning("part %s of dead run %s was published but not journaled; adding it", key, run_id)
                state.add_run_files(run_id, [entry])
                files[key] = entry
            archived += len(records)
            state.commit_articles([
                ArticleCommit(article_id=r["article_id"], canonical_url=r["canonical_url"], source=r["source"],
                              version=r["version"], content_hash=r["content_hash"], simhash=r.get("simhash"),
                              fetched_at=r["fetched_at"], run_id=r["run_id"])
                for r in records
            ])
    return sorted(files.values(), key=lambda f: f["path"]), archived


def remove_dead_staging(store: ArchiveStore, run_id: str, sources: Sequence[str], started_at: datetime,
                        now: datetime) -> int:
    """Delete the temp files a dead run left in its folders; how many were removed."""
    removed = 0
    for _kind, folder in _folders(sources, started_at, now):
        try:
            staging_dir = store.staging_path(f"{folder}/{run_id}-probe").parent
        except StoreError:
            continue
        for leftover in staging_dir.glob(f".{run_id}-*.tmp"):
            try:
                leftover.unlink()
                removed += 1
            except FileNotFoundError:
                continue
    return removed


def close_dead_run(store: ArchiveStore, state: StateStore, old: dict[str, Any], now: datetime, *,
                   status: str = "crashed", extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Close the books of a run whose process died: its published parts found (journal and store),
    their records committed, its temp files removed, its manifest written behind any of its parts
    still waiting in the spool. Whoever finds the dead run calls this: the next crawl or the scheduler."""
    started = datetime.fromisoformat(old["started_at"].replace("Z", "+00:00"))
    files, archived = salvage_dead_run(store, state, old["run_id"], old["sources"], started, now)
    remove_dead_staging(store, old["run_id"], old["sources"], started, now)
    manifest = build_manifest(
        run_id=old["run_id"], kind=old["kind"], sources=old["sources"], status=status,
        started_at=started, finished_at=now, files=files, counts={"archived": archived}, extra=extra or {},
    )
    write_manifest_after_parts(store, manifest, store.spool)
    state.finish_run(manifest)
    return manifest
