"""Captures chosen by time, source and URL prefix through complete run manifests, and their WARC
records read back one exchange at a time.

A capture is one indexed record (a response) of a WARC part. Its exchange is that record and the
records written with it, which name it in ``WARC-Concurrent-To`` or ``WARC-Refers-To`` (the request
and the metadata record of archive/warc.py ``WarcPart.write_exchange``). A part is written one
exchange after another, so a capture's exchange lies between its offset and the next indexed record
of the part (or the end of the file): the CDXJ index alone gives every byte range to read, and no
WARC is scanned. Only files listed by run manifests are read, so a run still going is never seen.

A capture answered 304 Not Modified (a conditional refetch of a page that had not changed) holds
no page: a replay tool would serve it, empty, in place of the page. Such captures are counted and
left out, so a replay at their time finds the page in the capture they confirmed.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from http import HTTPStatus
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from archive.cdxj import INDEXED_TYPES, Capture, parse_line, timestamp14
from archive.history import source_of_path
from archive.reader import iter_manifests
from archive.store_types import ArchiveStore

__all__ = [
    "READ_BLOCK_BYTES",
    "CaptureFilter",
    "CaptureSelection",
    "SelectedCapture",
    "SelectedPart",
    "iter_exchanges",
    "read_warcinfo",
    "select_captures",
]

# Adjacent selected exchanges are fetched together up to this size: one ranged read (one S3 GET)
# for many small pages, while a WARC part is never held whole in memory.
READ_BLOCK_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class CaptureFilter:
    """Which captures to take: fetched in [since, until), of one source, under one URL prefix."""

    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    url_prefix: str | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise ValueError(f"the window is empty: since {self.since.isoformat()} is not before "
                             f"until {self.until.isoformat()}")

    @cached_property
    def _since14(self) -> str | None:
        return timestamp14(self.since) if self.since is not None else None

    @cached_property
    def _until14(self) -> str | None:
        return timestamp14(self.until) if self.until is not None else None

    def admits_source(self, source: str | None) -> bool:
        return self.source is None or source == self.source

    def admits(self, capture: Capture) -> bool:
        since, until = self._since14, self._until14
        if since is not None and capture.timestamp < since:
            return False
        if until is not None and capture.timestamp >= until:
            return False
        return self.url_prefix is None or capture.url.startswith(self.url_prefix)

    def may_hold(self, manifest: dict[str, Any]) -> bool:
        """Whether the run can hold captures in the window, judged from its manifest alone.

        Only a crawl is known to fetch between its start and its end; other kinds (an import of
        older WARCs) hold captures of any time, so their indexes are always read.
        """
        if manifest.get("kind", "crawl") != "crawl":
            return True
        since, until = self._since14, self._until14
        started = _manifest_time14(manifest.get("started_at"))
        finished = _manifest_time14(manifest.get("finished_at"))
        if until is not None and started is not None and started >= until:
            return False
        return not (since is not None and finished is not None and finished < since)


def _manifest_time14(value: Any) -> str | None:
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return digits[:14] if len(digits) >= 14 else None


@dataclass(frozen=True)
class SelectedCapture:
    capture: Capture
    line: str  # its CDXJ line as the archive indexed it
    end: int  # where its exchange ends in the part: the next indexed record, else the end of the file

    @property
    def exchange_length(self) -> int:
        return self.end - self.capture.offset


@dataclass
class SelectedPart:
    """One WARC part of the archive and its selected captures, in the order they were written."""

    run_id: str
    source: str | None
    key: str
    size: int
    first_offset: int  # of its first indexed record; before it is the part's warcinfo
    captures: list[SelectedCapture] = field(default_factory=list)
    not_modified: int = 0


@dataclass
class CaptureSelection:
    parts: list[SelectedPart] = field(default_factory=list)
    manifests: list[dict[str, Any]] = field(default_factory=list)  # runs holding them, in run order
    not_modified: int = 0  # captures in the selection answered 304, left out

    @property
    def captures(self) -> int:
        return sum(len(part.captures) for part in self.parts)


def select_captures(store: ArchiveStore, wanted: CaptureFilter) -> CaptureSelection:
    """The captures ``wanted`` admits, part by part in run order; raises ValueError when a listed
    index does not match its manifest or points outside the files the run lists."""
    selection = CaptureSelection()
    for manifest in iter_manifests(store):
        if manifest.get("status") == "running" or not wanted.may_hold(manifest):
            continue
        parts = _selected_parts(store, manifest, wanted)
        selection.not_modified += sum(part.not_modified for part in parts)
        parts = [part for part in parts if part.captures]
        if parts:
            selection.manifests.append(manifest)
            selection.parts.extend(parts)
    return selection


def _selected_parts(store: ArchiveStore, manifest: dict[str, Any], wanted: CaptureFilter) -> list[SelectedPart]:
    run_id = manifest["run_id"]
    files = manifest.get("files", [])
    warcs = {entry["path"]: entry for entry in files if entry.get("kind") == "snapshots"}
    indexed: dict[str, list[tuple[Capture, str]]] = {}
    for entry in files:
        if entry.get("kind") != "index" or not wanted.admits_source(source_of_path(entry["path"])):
            continue
        data = _listed(store, entry["path"], run_id)
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise ValueError(f"index {entry['path']} does not match run {run_id}'s manifest")
        for raw in data.splitlines():
            if raw.strip():
                line = raw.decode("utf-8")
                capture = parse_line(line)
                indexed.setdefault(capture.filename, []).append((capture, line))
    parts = []
    for key in sorted(indexed):
        listed = warcs.get(key)
        if listed is None:
            raise ValueError(f"run {run_id} indexes captures in {key}, which its manifest does not list")
        parts.append(_selected_part(run_id, key, int(listed["bytes"]), indexed[key], wanted))
    return parts


def _selected_part(run_id: str, key: str, size: int, lines: list[tuple[Capture, str]],
                   wanted: CaptureFilter) -> SelectedPart:
    lines.sort(key=lambda item: item[0].offset)
    part = SelectedPart(run_id, source_of_path(key), key, size, lines[0][0].offset)
    for position, (capture, line) in enumerate(lines):
        end = lines[position + 1][0].offset if position + 1 < len(lines) else size
        if end < capture.offset + capture.length:
            raise ValueError(f"the index of {key} says its record at {capture.offset} ({capture.length} bytes) "
                             f"runs past the next record or the end of the file ({end})")
        if not wanted.admits(capture):
            continue
        if capture.status == HTTPStatus.NOT_MODIFIED:
            part.not_modified += 1
        else:
            part.captures.append(SelectedCapture(capture, line, end))
    return part


# -- reading the records back ----------------------------------------------------------------------


def read_warcinfo(store: ArchiveStore, part: SelectedPart) -> bytes:
    """The part's warcinfo records as stored (what precedes its first indexed record): who wrote the
    part, with what, on which host."""
    if part.first_offset == 0:
        return b""
    data = _listed(store, part.key, part.run_id, 0, part.first_offset)
    return b"".join(raw for rec_type, _, raw in _records(data, part.key, 0) if rec_type == "warcinfo")


def iter_exchanges(store: ArchiveStore, part: SelectedPart,
                   block_bytes: int = READ_BLOCK_BYTES) -> Iterator[tuple[SelectedCapture, list[bytes]]]:
    """Each selected capture of ``part`` with its exchange's records, each record its stored bytes
    (one gzip member), the indexed record first."""
    for block in _blocks(part.captures, block_bytes):
        start = block[0].capture.offset
        length = block[-1].end - start
        data = _listed(store, part.key, part.run_id, start, length)
        if len(data) != length:
            raise ValueError(f"{part.key} ends before byte {start + length} that its index and manifest promise")
        for selected in block:
            low = selected.capture.offset - start
            yield selected, _exchange(data[low:low + selected.exchange_length], part.key, selected)


def _listed(store: ArchiveStore, key: str, run_id: str, offset: int | None = None, length: int = 0) -> bytes:
    """A file a run manifest lists, whole or a range of it; its absence is damage, not a missing page."""
    try:
        return store.get_bytes(key) if offset is None else store.get_range(key, offset, length)
    except FileNotFoundError:
        raise ValueError(f"{key}, listed by run {run_id}'s manifest, is missing from the archive") from None


def _blocks(captures: list[SelectedCapture], limit: int) -> Iterator[list[SelectedCapture]]:
    """Runs of adjacent exchanges, each at most ``limit`` bytes unless one exchange alone is larger."""
    block: list[SelectedCapture] = []
    for selected in captures:
        if block and (selected.capture.offset != block[-1].end
                      or selected.end - block[0].capture.offset > limit):
            yield block
            block = []
        block.append(selected)
    if block:
        yield block


def _exchange(data: bytes, key: str, selected: SelectedCapture) -> list[bytes]:
    capture = selected.capture
    records = _records(data, key, capture.offset)
    if not records:
        raise ValueError(f"no WARC record at {key} offset {capture.offset}")
    rec_type, headers, first = records[0]
    if rec_type not in INDEXED_TYPES or len(first) != capture.length \
            or headers.get_header("WARC-Target-URI") != capture.url:
        raise ValueError(f"the record at {key} offset {capture.offset} is not the capture its index names "
                         f"({capture.url}, {capture.length} bytes); found a {rec_type} of "
                         f"{headers.get_header('WARC-Target-URI')}, {len(first)} bytes")
    record_id = headers.get_header("WARC-Record-ID")
    kept = [first]
    for _, other, raw in records[1:]:
        if record_id and record_id in (other.get_header("WARC-Concurrent-To"), other.get_header("WARC-Refers-To")):
            kept.append(raw)
    return kept


def _records(data: bytes, key: str, base: int) -> list[tuple[str, StatusAndHeaders, bytes]]:
    """(type, WARC headers, stored bytes) of every record in ``data``, read from ``key`` at ``base``."""
    found = []
    iterator = ArchiveIterator(io.BytesIO(data))
    try:
        for record in iterator:
            headers = record.rec_headers
            rec_type = record.rec_type
            iterator.read_to_end(record)
            offset, length = iterator.get_record_offset(), iterator.get_record_length()
            found.append((rec_type, headers, data[offset:offset + length]))
    except Exception as exc:  # warcio raises many types on damaged input; all mean "unreadable here"
        # warcio quotes the bytes it could not parse: keep the message to a line
        message = (" ".join(str(exc).split()) or type(exc).__name__)[:160]
        raise ValueError(f"cannot read the WARC records of {key} at offset {base}: {message}") from exc
    return found
