"""The archive side of one run: segments of WARC + JSONL parts, rotated and published in order.

A segment is (source, UTC fetch date). It owns one WARC part and one JSONL part sharing a part number
that is unique within the run. Rotation publishes every WARC before any JSONL, so a published record
never points into an unpublished WARC, and only then tells the caller which records are now archived.

Writing happens on the caller's thread (the Twisted reactor in a crawl). Publishing a rotated batch
(closing its parts, uploading them) is handed to a `Publisher`: inline by default, or one thread of
its own in a crawl (pipelines/publisher.py), so an upload to a slow store never stalls a download.
A publisher runs the batches in the order they were rotated and reports each back on the caller's
thread, where the files are listed and the records reported: no locking. A detached batch is touched
by the publishing thread only; the open segments by the caller's only.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from archive.cdxj import KIND_FIELD, IndexPart, cdxj_line, timestamp14
from archive.jsonl import JsonlPart, PartInfo
from archive.manifest import check_run_id
from archive.spool import Spool, write_manifest_after_parts
from archive.store_types import ArchiveStore, StoreError, safe_key
from archive.warc import WarcPart, payload_digest, utc_datetime

__all__ = ["InlinePublisher", "Publisher", "RunArchive"]

_SOURCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
SegmentCallback = Callable[[str, list[dict]], None]


@dataclass(eq=False)
class _Segment:
    source: str
    day: str
    number: int
    opened_at: float
    stem: str
    warc: WarcPart | None = None
    warc_staged: Path | None = None
    # The CDXJ index of the WARC part, published right after it (pywb's format, see archive/cdxj.py).
    index: IndexPart | None = None
    index_staged: Path | None = None
    jsonl: JsonlPart | None = None
    jsonl_staged: Path | None = None
    records: list[dict] = field(default_factory=list)
    # WARC keys the records point into: those parts must be published before this JSONL part.
    refers_to: set[str] = field(default_factory=set)

    @property
    def warc_key(self) -> str:
        return safe_key("snapshots", f"source={self.source}", f"date={self.day}", f"{self.stem}.warc.gz")

    @property
    def index_key(self) -> str:
        return safe_key("snapshots", f"source={self.source}", f"date={self.day}", f"{self.stem}.cdxj")

    @property
    def jsonl_key(self) -> str:
        return safe_key("articles", f"source={self.source}", f"date={self.day}", f"{self.stem}.jsonl.gz")


@dataclass
class _Published:
    """What publishing a batch did, handed back to the caller's thread."""

    reported: list[_Segment] = field(default_factory=list)  # segments whose records are now archived
    files: list[dict] = field(default_factory=list)  # manifest entries of the parts published
    store_errors: list[str] = field(default_factory=list)
    error: BaseException | None = None  # what stopped the batch; its unpublished parts were discarded


class Publisher(Protocol):
    """Runs `job` (publishing one batch) after every job submitted before it, then calls `done` with
    its result on the submitter's thread."""

    def submit(self, job: Callable[[], _Published], done: Callable[[_Published], None]) -> None: ...


class InlinePublisher:
    """Publishes at once, on the caller's thread: a rotation returns when its batch is published."""

    def submit(self, job: Callable[[], _Published], done: Callable[[_Published], None]) -> None:
        done(job())


def _record_day(record: Mapping[str, Any]) -> date:
    value = record.get("fetched_at")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"record fetched_at {value!r} is not an ISO 8601 time") from None
    if not isinstance(value, datetime):
        raise ValueError(f"record for {record.get('url')!r} has no fetched_at time")
    return utc_datetime(value, "record fetched_at").date()


def _check_source(source: str) -> str:
    # Wider than the config's [a-z0-9][a-z0-9_-]* so the archive never second-guesses it, narrow
    # enough that a source id is always exactly one harmless key segment.
    if not isinstance(source, str) or not _SOURCE_RE.match(source):
        raise ValueError(f"invalid source id {source!r}: letters, digits, '_', '-' and '.', not first")
    return source


class RunArchive:
    """Write one run's snapshots and records into ``store``, segment by segment."""

    def __init__(
        self,
        store: ArchiveStore,
        run_id: str,
        *,
        kind: str = "crawl",
        on_segment_published: SegmentCallback | None = None,
        max_records: int = 1000,
        max_bytes: int = 64 * 2**20,
        max_age_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        warcinfo: Mapping[str, str] | None = None,
        spool: Spool | None = None,
        on_store_error: Callable[[str], None] | None = None,
        publisher: Publisher | None = None,
        max_open_segments: int = 128,
    ) -> None:
        if max_records < 1 or max_bytes < 1 or max_age_s < 0 or max_open_segments < 1:
            raise ValueError("max_records, max_bytes and max_open_segments must be positive and max_age_s "
                             "not negative")
        self.store = store
        self.run_id = check_run_id(run_id)
        self.kind = kind
        self.on_segment_published = on_segment_published
        self.max_records = max_records
        self.max_bytes = max_bytes
        self.max_age_s = max_age_s
        # Each open segment holds two open files: an import with a source per host (CC-NEWS has
        # thousands) would run out of file descriptors; the segment opened first goes out first.
        self.max_open_segments = max_open_segments
        self.clock = clock
        self.warcinfo = dict(warcinfo or {})
        self._segments: dict[tuple[str, str], _Segment] = {}
        self._open_warcs: dict[str, _Segment] = {}
        self._next_number = 0
        self._files: list[dict] = []
        self._closed = False
        # With a spool, a part the store does not take is kept locally for a later upload instead of
        # being lost; once one part waits, the rest of the run waits behind it, in order.
        self.spool = spool
        self.on_store_error = on_store_error
        self.spooled = 0  # read and written by the publishing thread (and after the run, by its caller)
        self.publisher: Publisher = publisher or InlinePublisher()

    @property
    def files(self) -> list[dict]:
        """Manifest entries of the files published so far, in publication order."""
        return [dict(f) for f in self._files]

    def snapshot(
        self,
        source: str,
        *,
        url: str,
        fetched_at: datetime,
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
        request_headers: list[tuple[str, str]],
        protocol: str = "HTTP/1.1",
        request_method: str = "GET",
        metadata: Mapping[str, str] | None = None,
        ip_address: str | None = None,
    ) -> dict:
        """Store one fetch in its segment's WARC part; return the pointer to the response record."""
        fetched = utc_datetime(fetched_at, "fetched_at")
        segment = self._segment(source, fetched.date())
        if segment.warc is None:
            segment.warc_staged = self.store.staging_path(segment.warc_key)
            info = {"isPartOf": self.run_id, "newsvault-source": source, **self.warcinfo}
            segment.warc = self._local_io(WarcPart, segment.warc_staged, segment.warc_key, info)
            self._open_warcs[segment.warc_key] = segment
            segment.index_staged = self.store.staging_path(segment.index_key)
            segment.index = IndexPart(segment.index_staged)
        digest = payload_digest(body)
        pointer: dict = self._local_io(
            segment.warc.write_exchange,
            url=url,
            fetched_at=fetched,
            status=status,
            reason=reason,
            response_headers=response_headers,
            body=body,
            request_method=request_method,
            request_headers=request_headers,
            protocol=protocol,
            metadata=metadata,
            ip_address=ip_address,
            digest=digest,
        )
        if segment.index is not None:
            content_type = next((v for k, v in response_headers if k.lower() == "content-type"), None)
            segment.index.add(cdxj_line(
                url=url, timestamp=timestamp14(fetched), mime=content_type, status=status,
                digest=digest, length=pointer["length"], offset=pointer["offset"],
                filename=segment.warc_key, kind=(metadata or {}).get(KIND_FIELD),
            ))
        if segment.warc.bytes >= self.max_bytes:
            self._rotate([segment])
        return pointer

    def add_record(self, source: str, record: dict) -> None:
        """Append ``record`` to its segment's JSONL part; it counts as archived once published."""
        segment = self._segment(source, _record_day(record))
        if segment.jsonl is None:
            segment.jsonl_staged = self.store.staging_path(segment.jsonl_key)
            segment.jsonl = self._local_io(JsonlPart, segment.jsonl_staged)
        self._local_io(segment.jsonl.write, record)
        segment.records.append(record)
        pointer = record.get("snapshot")
        if isinstance(pointer, Mapping) and isinstance(pointer.get("warc"), str):
            segment.refers_to.add(pointer["warc"])
        jsonl = segment.jsonl
        warc_bytes = segment.warc.bytes if segment.warc is not None else 0
        if jsonl.records >= self.max_records or max(jsonl.bytes, warc_bytes) >= self.max_bytes:
            self._rotate([segment])

    def rotate_due(self) -> None:
        """Rotate segments open for ``max_age_s`` or longer, so a long crawl reports progress.

        Rotating hands a batch to the publisher; with one of its own thread, its files are listed
        and its records reported once that thread has published it."""
        now = self.clock()
        self._rotate([s for s in self._segments.values() if now - s.opened_at >= self.max_age_s])

    def flush(self) -> None:
        """Rotate every open segment now (a replay does, after each source part it finished)."""
        self._rotate(list(self._segments.values()))

    def close(self) -> list[dict]:
        """Rotate everything still open; return the manifest file entries published so far (the
        whole run's once the publisher has drained)."""
        if not self._closed:
            self._closed = True
            self._rotate(list(self._segments.values()))
        return self.files

    def _segment(self, source: str, day: date) -> _Segment:
        if self._closed:
            raise ValueError(f"run archive {self.run_id} is closed")
        key = (_check_source(source), day.isoformat())
        segment = self._segments.get(key)
        if segment is None:
            if len(self._segments) >= self.max_open_segments:
                self._rotate([min(self._segments.values(), key=lambda s: s.number)])
            number = self._next_number
            self._next_number += 1
            segment = _Segment(
                source=source,
                day=key[1],
                number=number,
                opened_at=self.clock(),
                stem=f"{self.run_id}-{number:05d}",
            )
            self._segments[key] = segment
        return segment

    def _local_io(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            raise StoreError(f"cannot write archive part for run {self.run_id}: {exc}") from exc

    def _with_dependencies(self, segments: list[_Segment]) -> list[_Segment]:
        # A record may point into the WARC of another open segment (its fetch time crossed midnight
        # between snapshot and record): that segment has to be published in the same rotation.
        chosen: dict[int, _Segment] = {}
        stack = list(segments)
        while stack:
            segment = stack.pop()
            if segment.number in chosen:
                continue
            chosen[segment.number] = segment
            stack.extend(self._open_warcs[k] for k in segment.refers_to if k in self._open_warcs)
        return [chosen[n] for n in sorted(chosen)]

    def _rotate(self, segments: list[_Segment]) -> None:
        if not segments:
            return
        batch = self._with_dependencies(segments)
        for segment in batch:
            del self._segments[(segment.source, segment.day)]
            self._open_warcs.pop(segment.warc_key, None)
        self.publisher.submit(partial(self._publish_batch, batch), self._batch_published)

    def _publish_batch(self, batch: list[_Segment]) -> _Published:
        """On the publishing thread: every WARC and index part of the batch, then its JSONL parts."""
        done = _Published()
        try:
            for segment in batch:
                if segment.warc is not None:
                    self._publish_or_discard(done, segment.warc, segment.warc_staged, segment.warc_key, "snapshots", 1)
                    segment.warc = None
                if segment.index is not None:
                    self._publish_or_discard(done, segment.index, segment.index_staged, segment.index_key, "index", 0)
                    segment.index = None
            for segment in batch:
                if segment.jsonl is not None:
                    self._publish_or_discard(done, segment.jsonl, segment.jsonl_staged, segment.jsonl_key,
                                             "articles", 0)
                    segment.jsonl = None
                    done.reported.append(segment)
        except BaseException as exc:
            # Nothing of this batch that is not yet published may be published later: its records
            # stay unreported and are fetched again by the next run. Records already published are
            # still reported, so the dedup index does not miss them.
            for segment in batch:
                for part, staged in ((segment.warc, segment.warc_staged), (segment.index, segment.index_staged),
                                     (segment.jsonl, segment.jsonl_staged)):
                    if part is not None:
                        self._discard(part, staged)
            done.error = exc
        return done

    def _batch_published(self, done: _Published) -> None:
        """On the caller's thread: list the files, report the records; raise what stopped the batch."""
        self._files.extend(done.files)
        for message in done.store_errors:
            self._store_error(message)
        if done.error is not None:
            with contextlib.suppress(Exception):
                self._notify(done.reported)
            raise done.error
        self._notify(done.reported)

    def _publish_or_discard(
        self, done: _Published, part: WarcPart | JsonlPart | IndexPart, staged: Path | None, key: str, kind: str,
        empty_records: int,
    ) -> None:
        assert staged is not None
        if part.records <= empty_records:
            self._discard(part, staged)
            return
        info: PartInfo = self._local_io(part.close)
        if self.spool is not None and self.spooled:
            self._spool(staged, key, info)
        else:
            try:
                # the sha256 computed while writing goes with the part: nobody reads it back to hash it
                self.store.publish(staged, key, sha256=info.sha256)
            except StoreError as exc:
                if self.spool is None:
                    raise
                done.store_errors.append(f"{exc}; parts of run {self.run_id} are kept in {self.spool.root} "
                                         "until `newsvault flush` or the next run uploads them")
                self._spool(staged, key, info)
        done.files.append(
            {"path": key, "kind": kind, "records": info.records, "bytes": info.bytes, "sha256": info.sha256}
        )

    def _spool(self, staged: Path, key: str, info: PartInfo) -> None:
        assert self.spool is not None
        self._local_io(self.spool.add, staged, key, sha256=info.sha256, run_id=self.run_id)
        self.spooled += 1

    def _store_error(self, message: str) -> None:
        if self.on_store_error is not None:
            self.on_store_error(message)

    def publish_manifest(self, manifest: dict) -> None:
        """Write the run manifest after every part it lists: behind them in the spool when any waits.

        A manifest the store refuses is spooled too, and its run is then "degraded".
        """
        error = self._local_io(write_manifest_after_parts, self.store, manifest, self.spool,
                               parts_spooled=bool(self.spooled))
        if error is not None:
            self._store_error(error)

    @staticmethod
    def _discard(part: WarcPart | JsonlPart | IndexPart, staged: Path | None) -> None:
        with contextlib.suppress(OSError):
            part.abort()
        if staged is not None:
            with contextlib.suppress(OSError):
                staged.unlink(missing_ok=True)

    def _notify(self, segments: list[_Segment]) -> None:
        if self.on_segment_published is None:
            return
        errors: list[BaseException] = []
        for segment in segments:
            if not segment.records:
                continue
            try:
                self.on_segment_published(segment.source, list(segment.records))
            except Exception as exc:  # one failing callback must not hide the others' records
                errors.append(exc)
        if errors:
            raise errors[0]
