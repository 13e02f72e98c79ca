"""What a replay re-extracts, and its journal in the target archive.

The plan comes from the source archive's CDXJ indexes alone: every 2xx HTML response fetched as an
article (or, for a WARC without fetch kinds, every 2xx HTML response) in the time window, grouped by
WARC part in crawl order. The journal, ``replay/<run_id>.json`` in the target, lists the source parts
already replayed and the target files published so far; it is rewritten after each part, so a
replay killed at any point can be resumed, and a run that left no manifest gets one from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from archive.cdxj import Capture, iter_index, timestamp14
from archive.history import source_of_path
from archive.manifest import build_manifest, format_time, write_manifest
from archive.reader import iter_manifests
from archive.store_types import ArchiveStore

__all__ = ["JOURNAL_PREFIX", "ReplayJournal", "ReplayPart", "plan_replay", "window_of"]

JOURNAL_PREFIX = "replay/"


@dataclass
class ReplayPart:
    run_id: str
    key: str
    source: str
    sha256: str | None
    captures: list[Capture] = field(default_factory=list)


def _replayable(capture: Capture) -> bool:
    return (capture.status is not None and 200 <= capture.status < 300 and capture.is_html
            and capture.kind in (None, "article"))


def _overlaps(manifest: dict, since: str, until: str) -> bool:
    started = (manifest.get("started_at") or "")
    finished = manifest.get("finished_at") or "9999"
    if manifest.get("kind") == "import":
        # An import's captures were fetched long before it ran: its manifest says when, in
        # `captured`; a crashed import's manifest does not, so its indexes are read.
        captured = manifest.get("captured") or {}
        started, finished = captured.get("first") or "", captured.get("last") or "9999"
    return started < until and finished >= since


def plan_replay(store: ArchiveStore, since: datetime, until: datetime,
                sources: set[str] | None = None) -> list[ReplayPart]:
    """The source WARC parts to replay, each with its captures fetched in [since, until)."""
    since14, until14 = timestamp14(since), timestamp14(until)
    since_iso, until_iso = format_time(since), format_time(until)
    parts: list[ReplayPart] = []
    for manifest in iter_manifests(store):
        if manifest.get("kind") == "replay" or not _overlaps(manifest, since_iso, until_iso):
            continue
        warcs = {e["path"]: e for e in manifest.get("files", []) if e.get("kind") == "snapshots"}
        for entry in manifest.get("files", []):
            if entry.get("kind") != "index":
                continue
            source = source_of_path(entry["path"])
            if source is None or (sources is not None and source not in sources):
                continue
            data = store.get_bytes(entry["path"])
            if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                raise ValueError(f"index {entry['path']} does not match run {manifest['run_id']}'s manifest")
            by_part: dict[str, ReplayPart] = {}
            for capture in iter_index(data):
                if not (since14 <= capture.timestamp < until14) or not _replayable(capture):
                    continue
                part = by_part.get(capture.filename)
                if part is None:
                    listed = warcs.get(capture.filename)
                    part = by_part[capture.filename] = ReplayPart(
                        manifest["run_id"], capture.filename, source, listed["sha256"] if listed else None)
                part.captures.append(capture)
            for part in by_part.values():
                part.captures.sort(key=lambda c: c.offset)  # the order the crawl fetched them
                parts.append(part)
    return parts


def window_of(since: datetime, until: datetime, sources: set[str] | None) -> dict[str, Any]:
    return {"since": format_time(since), "until": format_time(until),
            "sources": sorted(sources) if sources else None}


class ReplayJournal:
    """The replay run's progress in the target archive, and what earlier runs of the same replay did."""

    def __init__(self, store: ArchiveStore, run_id: str, identity: dict[str, Any], header: dict[str, Any]) -> None:
        self.store = store
        self.run_id = run_id
        # Source archive, extractor options and window: runs with the same identity resume each other.
        self.identity = identity
        self.header = header
        self.done: set[str] = set()

    @property
    def key(self) -> str:
        return f"{JOURNAL_PREFIX}{self.run_id}.json"

    def resume(self) -> list[str]:
        """Take over what earlier runs of this replay finished; returns their run ids.

        A run killed before its manifest gets one now (status "crashed", its published files), so
        the records it archived are visible and are not written twice.
        """
        manifests = {m["run_id"]: m for m in iter_manifests(self.store)}
        earlier = []
        for key in sorted(self.store.list(JOURNAL_PREFIX)):
            if not key.endswith(".json"):
                continue
            journal = orjson.loads(self.store.get_bytes(key))
            if journal.get("identity") != self.identity or journal.get("run_id") == self.run_id:
                continue
            run_id = journal["run_id"]
            if run_id not in manifests:
                write_manifest(self.store, build_manifest(
                    run_id=run_id, kind="replay", sources=journal.get("sources", []), status="crashed",
                    started_at=datetime.fromisoformat(journal["started_at"].replace("Z", "+00:00")),
                    finished_at=datetime.fromisoformat(journal["updated_at"].replace("Z", "+00:00")),
                    files=journal.get("files", []), counts={},
                    extra={**journal.get("manifest_extra", {}), "recovered_by": self.run_id},
                ))
            self.done.update(journal.get("done", []))
            earlier.append(run_id)
        return earlier

    def part_done(self, part_key: str, files: list[dict]) -> None:
        self.done.add(part_key)
        document = {**self.header, "run_id": self.run_id, "identity": self.identity,
                    "updated_at": format_time(datetime.now(UTC)), "done": sorted(self.done), "files": files}
        self.store.put_bytes(self.key, orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")

