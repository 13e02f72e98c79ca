"""Captures and article versions, found through the runs' CDXJ indexes, never by scanning WARCs.

A lookup reads the run manifests, then the index files they list (only those of the candidate
sources when the caller knows them), binary-searching each sorted index for the URL's SURT key. The
record of a capture is in the JSONL part that shares its WARC part's name (same segment), so a
history reads only the parts that hold captures of the article, not the whole archive.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from archive.cdxj import Capture, parse_line, surt_key, timestamp14
from archive.reader import iter_manifests, iter_records
from archive.store_types import ArchiveStore
from archive.warc import SnapshotResponse, read_response_at
from core.record import article_id, canonicalize_url, normalise_text

__all__ = [
    "ArchiveIndex",
    "IndexedCapture",
    "Version",
    "article_versions",
    "is_trivial_change",
    "source_of_path",
    "text_diff",
]


def source_of_path(path: str) -> str | None:
    """The source id in an archive key (``.../source=<id>/...``)."""
    for segment in path.split("/"):
        if segment.startswith("source="):
            return segment.removeprefix("source=")
    return None


@dataclass(frozen=True)
class IndexedCapture:
    capture: Capture
    run_id: str
    source: str | None

    @property
    def pointer(self) -> dict[str, Any]:
        return {"warc": self.capture.filename, "offset": self.capture.offset, "length": self.capture.length}

    def sort_key(self) -> tuple[str, str, str, int]:
        return (self.capture.timestamp, self.run_id, self.capture.filename, self.capture.offset)


class ArchiveIndex:
    """The archive's captures by URL, read from the per-run CDXJ index files."""

    def __init__(self, store: ArchiveStore, sources: Collection[str] | None = None) -> None:
        self.store = store
        self.sources = set(sources) if sources else None
        self._manifests: list[dict] | None = None
        self._index_lines: dict[str, list[bytes]] = {}
        self._records: dict[str, dict[tuple[str, int], dict]] = {}

    def manifests(self) -> list[dict]:
        if self._manifests is None:
            self._manifests = list(iter_manifests(self.store))
        return self._manifests

    def _entries(self, kind: str) -> Iterator[tuple[dict, dict]]:
        for manifest in self.manifests():
            for entry in manifest.get("files", []):
                if entry.get("kind") != kind:
                    continue
                if self.sources is not None and source_of_path(entry["path"]) not in self.sources:
                    continue
                yield manifest, entry

    def _lines(self, entry: dict) -> list[bytes]:
        path = entry["path"]
        if path not in self._index_lines:
            data = self.store.get_bytes(path)
            if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                raise ValueError(f"index {path} does not match its run manifest's sha256")
            self._index_lines[path] = [line for line in data.splitlines() if line.strip()]
        return self._index_lines[path]

    def captures(self, url: str) -> list[IndexedCapture]:
        """Every indexed capture whose URL has the same canonical form as ``url``, oldest first."""
        canonical = canonicalize_url(url)
        # Captures of one canonical URL share the SURT key up to the query (tracking parameters only
        # differ in the query), so a prefix range of each sorted index holds them all.
        prefix = surt_key(canonical).split("?", 1)[0].encode("utf-8")
        found: list[IndexedCapture] = []
        for manifest, entry in self._entries("index"):
            lines = self._lines(entry)
            start = bisect.bisect_left(lines, prefix)
            for line in lines[start:]:
                if not line.startswith(prefix):
                    break
                capture = parse_line(line)
                try:
                    same = canonicalize_url(capture.url) == canonical
                except ValueError:
                    continue
                if same:
                    found.append(IndexedCapture(capture, manifest["run_id"], source_of_path(entry["path"])))
        return sorted(found, key=IndexedCapture.sort_key)

    def capture_at(self, url: str, at: datetime | None = None) -> IndexedCapture | None:
        """The capture of ``url`` current at ``at`` (the latest at or before it); the latest if None."""
        limit = timestamp14(at) if at is not None else None
        candidates = [c for c in self.captures(url) if c.capture.kind in (None, "article")]
        if limit is not None:
            candidates = [c for c in candidates if c.capture.timestamp <= limit]
        return candidates[-1] if candidates else None

    def read(self, capture: IndexedCapture) -> SnapshotResponse:
        """The stored response, by one ranged read of its WARC record."""
        c = capture.capture
        return read_response_at(self.store.get_range(c.filename, c.offset, c.length))

    def record_of(self, capture: IndexedCapture) -> dict | None:
        """The archived record extracted from this capture, if the crawl archived one."""
        target = (capture.capture.filename, capture.capture.offset)
        for path in self._record_parts(capture):
            records = self._part_records(capture.run_id, path)
            if target in records:
                return records[target]
        return None

    def _record_parts(self, capture: IndexedCapture) -> list[str]:
        # The twin JSONL part first; the run's other parts of that source only when the record's
        # fetch day differed from its snapshot's (a fetch across midnight).
        twin = capture.capture.filename.replace("snapshots/", "articles/", 1).removesuffix(".warc.gz") + ".jsonl.gz"
        manifest = next((m for m in self.manifests() if m["run_id"] == capture.run_id), None)
        if manifest is None:
            return []
        paths = [e["path"] for e in manifest.get("files", []) if e.get("kind") == "articles"
                 and source_of_path(e["path"]) == capture.source]
        return sorted(paths, key=lambda p: p != twin)

    def _part_records(self, run_id: str, path: str) -> dict[tuple[str, int], dict]:
        if path not in self._records:
            manifest = next(m for m in self.manifests() if m["run_id"] == run_id)
            entry = next(e for e in manifest["files"] if e["path"] == path)
            by_pointer: dict[tuple[str, int], dict] = {}
            for record in iter_records(self.store, {"run_id": run_id, "files": [entry]}):
                pointer = record.get("snapshot") or {}
                by_pointer[(pointer.get("warc"), pointer.get("offset"))] = record
            self._records[path] = by_pointer
        return self._records[path]


@dataclass
class Version:
    record: dict
    trivial: bool | None = None
    diff: str | None = None

    def as_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "version": r["version"], "article_id": r["article_id"], "url": r["url"],
            "fetched_at": r["fetched_at"], "content_hash": r["content_hash"], "title": r["title"],
            "word_count": r["word_count"], "run_id": r["run_id"], "snapshot": r["snapshot"],
            "trivial": self.trivial, "diff": self.diff,
        }


def article_versions(index: ArchiveIndex, url: str) -> list[Version]:
    """Every archived version of the article at ``url``, oldest first, each with its diff to the last."""
    records: dict[tuple[str, int, str], dict] = {}
    seen_urls: set[str] = set()
    pending = [canonicalize_url(url)]
    ids = {article_id(pending[0])}
    while pending:
        current = pending.pop()
        if current in seen_urls:
            continue
        seen_urls.add(current)
        for capture in index.captures(current):
            if capture.capture.kind not in (None, "article"):
                continue
            record = index.record_of(capture)
            if record is None:
                continue
            records[(record["article_id"], record["version"], record["run_id"])] = record
            ids.add(record["article_id"])
            # The page may name another canonical URL: its captures are versions of this article too.
            pending.append(record["canonical_url"])
    ordered = sorted((r for r in records.values() if r["article_id"] in ids),
                     key=lambda r: (r["fetched_at"], r["version"]))
    versions = [Version(r) for r in ordered]
    for before, after in zip(versions, versions[1:], strict=False):
        after.diff = text_diff(before.record, after.record)
        after.trivial = is_trivial_change(before.record["text"], after.record["text"])
    return versions


def text_diff(before: dict, after: dict) -> str:
    """Unified diff of two records' texts, one paragraph per line."""
    return "".join(difflib.unified_diff(
        [line + "\n" for line in before["text"].split("\n")],
        [line + "\n" for line in after["text"].split("\n")],
        fromfile=f"version {before['version']} ({before['fetched_at']})",
        tofile=f"version {after['version']} ({after['fetched_at']})",
    ))


_TIME_WORDS = (
    r"(?:last\s+)?(?:updated|modified|edited|published|posted|am|pm|at|on|utc|gmt|[a-z]{2,4}t|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|"
    r"thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|\d+(?:st|nd|rd|th)?)"
)
_TIME_TOKEN = re.compile(rf"\b{_TIME_WORDS}\b", re.IGNORECASE)
_STAMP_START = re.compile(r"^\s*(?:last\s+)?(?:updated|modified|edited)\b", re.IGNORECASE)


def _is_timestamp_line(line: str) -> bool:
    """A line that only says when: "Updated 12 May 2024, 10:32 BST", "2024-05-12 10:32"."""
    if len(line) > 120:
        return False
    rest = _TIME_TOKEN.sub(" ", line)
    rest = re.sub(r"[\W_]+", "", rest)
    return not rest or (bool(_STAMP_START.match(line)) and len(rest) <= 12)


def is_trivial_change(before: str, after: str) -> bool:
    """Whether two texts differ only in whitespace or in lines that merely give a time."""
    def content(text: str) -> list[str]:
        lines = (normalise_text(line) for line in text.split("\n"))
        return [line for line in lines if line and not _is_timestamp_line(line)]

    return content(before) == content(after)

