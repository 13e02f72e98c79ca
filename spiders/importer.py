"""The import spider: captures of existing WARC/ARC files become PageItems, with no download at all.

Each capture to import (spiders/import_reading.py reads them on a thread, spiders/import_selection.py
chooses them) is first copied into the run's own WARC part, with its CDXJ line, as the crawl's
snapshot middleware stores a fetched response (RunArchive.snapshot: the capture's WARC-Date, status,
headers, decoded body, and a metadata record naming where it came from), so the archive stays
self-contained; then it goes through the same pipelines as a crawled page, with that pointer. At
most a few pages per extraction worker are in flight: a 1 GB input never sits in memory.

Inputs are imported one at a time. After each, the spider waits until every item of it is archived
or dropped, publishes the open parts and journals the input as done (archive/import_journal.py), so
an interrupted import resumes with the input it was reading; each input's counts are the run's
counts over its stretch. Inputs an earlier import with the same selection finished are skipped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads

from archive.cdxj import KIND_FIELD
from archive.import_journal import ImportJournal
from archive.revisit_index import PayloadIndex
from archive.stores import StoreError
from archive.warc_input import InputFile, InputReading
from core.clock import iso_z
from core.counts import count, count_error, count_skipped, run_counts, set_failure, set_manifest_value
from core.items import PageItem
from pipelines.archive import ArchivePipeline
from pipelines.extract.pipeline import ExtractPipeline
from spiders.import_reading import Capture, InputCaptures
from spiders.import_selection import SKIP_REASONS, Selection, SourceAssigner
from spiders.start_items import StartItemsSpider

# The wire's framing and encodings: the stored body is decoded, as a crawled one is.
_WIRE_HEADERS = ("content-encoding", "transfer-encoding", "content-length")
# Where the copy came from, in its WARC metadata record.
ORIGIN_FIELD = "newsvault-imported-from"
ORIGIN_RECORD_FIELD = "newsvault-imported-record-id"


class ImportSpider(StartItemsSpider):
    name = "import"

    def __init__(self, *args: Any, inputs: list[InputFile], journal: ImportJournal, selection: Selection,
                 assigner: SourceAssigner, index: PayloadIndex, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inputs = inputs
        self.journal = journal
        self.selection = selection
        self.assigner = assigner
        self.index = index
        # what the progress line shows
        self.records = 0
        self.captures = 0
        self.snapshot_failures = 0  # captures that could not be copied into the archive's WARC parts
        self.inputs_done = 0
        self.entries: list[dict[str, Any]] = []  # the manifest's `inputs`
        self.first: datetime | None = None
        self.last: datetime | None = None
        self._reading: tuple[InputReading, dict[str, Any]] | None = None  # the input being read

    # -- the inputs --------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[PageItem]:
        stats = self.crawler.stats
        for reason in SKIP_REASONS:  # every reason in the manifest, 0 or not
            count_skipped(stats, reason, 0)
        pipeline = self.crawler.get_item_pipeline(ArchivePipeline)
        extract = self.crawler.get_item_pipeline(ExtractPipeline)
        if pipeline is None:
            raise CloseSpider("an import needs the ArchivePipeline (newsvault/settings.py)")
        # enough pages that every worker always has the next one queued, no more
        in_flight = max(8, 3 * extract.pool.workers) if extract is not None else 8
        readings = [InputReading(f, n, self.index) for n, f in enumerate(self.inputs)]
        for reading in readings:
            earlier = self.journal.finished_before(reading.input.identity)
            if earlier is not None:  # the file as it was, and the run that imported it
                self._note({**{k: earlier.get(k) for k in ("uri", "bytes", "sha256", "records")},
                            "status": "already_imported", "imported_by": earlier.get("run_id")})
                self.inputs_done += 1
                continue
            before = run_counts(stats)[0]
            failures, unstored = pipeline.publish_failures, self.snapshot_failures
            captures = InputCaptures(reading, readings, self.selection, self.assigner, self.index)
            self._reading = (reading, before)
            error: str | None = None
            try:
                while not captures.finished:
                    batch = await maybe_deferred_to_future(threads.deferToThread(captures.next_batch))
                    self.records += batch.records
                    count(stats, None, "records", batch.records)
                    for reason, n in batch.skipped.items():
                        count_skipped(stats, reason, n)
                    error = batch.error or error
                    for capture in batch.captures:
                        await self.at_most(in_flight - 1)
                        item = self._item(pipeline, capture)
                        self.outstanding += 1
                        yield item
            except Exception as exc:  # the store under the input failed, or a bug: the next input
                error = f"cannot read: {exc}"
                count_error(stats, None, "input_unreadable")
                self.logger.error("%s: %s", reading.input.uri, error, exc_info=not isinstance(exc, StoreError))
                captures.close()
            await self.at_most(0)
            pipeline.archive.flush()
            await pipeline.published()
            self._reading = None
            status = "imported" if error is None else "invalid" if reading.sha256 else "unreadable"
            if status == "imported" and self.snapshot_failures != unstored:
                status = "incomplete"  # read again by the next import: dedup keeps what was archived
                error = f"{self.snapshot_failures - unstored} captures could not be copied into the archive"
            entry = self._entry(reading, before, run_counts(stats)[0], status, error)
            self._note(entry)
            if pipeline.publish_failures != failures:  # a batch of this input's records failed
                self.logger.error("the records of %s could not all be archived; the input is read again "
                                  "by the next import", reading.input.uri)
                raise CloseSpider("archive_failed")
            if status == "incomplete":
                self.logger.error("%s: %s; the input is read again by the next import", reading.input.uri, error)
            elif status != "unreadable":
                self.journal.input_done(reading.input.identity, entry)
            self.inputs_done += 1
        self._judge_run()

    def closed(self, reason: str) -> None:
        # stopped in the middle of an input (Ctrl-C): the manifest says which, and that it was not finished
        if self._reading is not None:
            reading, before = self._reading
            self._note(self._entry(reading, before, run_counts(self.crawler.stats)[0], "interrupted", None))

    def _item(self, pipeline: ArchivePipeline, capture: Capture) -> PageItem:
        stats = self.crawler.stats
        payload = capture.payload
        headers = [(k, v) for k, v in payload.headers if _header_name_ok(k)]
        count(stats, capture.source.id, "fetched")
        self.captures += 1
        self.first = min(self.first or capture.fetched_at, capture.fetched_at)
        self.last = max(self.last or capture.fetched_at, capture.fetched_at)
        snapshot = None
        try:
            snapshot = pipeline.archive.snapshot(
                capture.source.id, url=capture.url, fetched_at=capture.fetched_at, status=payload.status or 200,
                reason=payload.reason, response_headers=headers, body=payload.body, request_headers=[],
                protocol=payload.protocol, ip_address=capture.ip_address,
                metadata={KIND_FIELD: "article", ORIGIN_FIELD: capture.origin,
                          ORIGIN_RECORD_FIELD: capture.record_id or ""},
            )
        except (OSError, StoreError, ValueError) as exc:
            # as in a crawl: the page is still extracted, the archive pipeline drops it unstored; the
            # input is then not journaled as done, so the next import reads it again
            self.snapshot_failures += 1
            count_error(stats, capture.source.id, "snapshot_write")
            self.logger.error("cannot copy the capture of %s into the archive: %s", capture.url, exc)
        return PageItem(
            source=capture.source.id,
            url=capture.url,
            status=payload.status or 200,
            # as the crawl hands them on: lower-cased names, the last value of each, the body decoded
            headers={k.lower(): v for k, v in headers if k.lower() not in _WIRE_HEADERS},
            body=payload.body,
            fetched_at=capture.fetched_at,
            snapshot=snapshot,
        )

    # -- what the run says -------------------------------------------------------------------------

    def _entry(self, reading: InputReading, before: dict[str, Any], after: dict[str, Any], status: str,
               error: str | None) -> dict[str, Any]:
        return {"uri": reading.input.uri, "bytes": reading.size if reading.size is not None else reading.input.size,
                "sha256": reading.sha256, "status": status, "error": error, "records": reading.records,
                "record_types": dict(sorted(reading.record_types.items())), "counts": _difference(after, before)}

    def _note(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)
        stats = self.crawler.stats
        set_manifest_value(stats, "inputs", list(self.entries))
        set_manifest_value(stats, "selection", self.journal.identity)
        if self.first is not None and self.last is not None:
            set_manifest_value(stats, "captured", {"first": iso_z(self.first), "last": iso_z(self.last)})

    def _judge_run(self) -> None:
        """A run that imported nothing did not do its job, unless every input was imported before."""
        if self.captures or all(e["status"] == "already_imported" for e in self.entries):
            return
        counts, _ = run_counts(self.crawler.stats)
        skipped = {reason: n for reason, n in counts.get("skipped", {}).items() if n}
        read = [e for e in self.entries if e["status"] in ("imported", "invalid") and e["records"]]
        if not read:
            reason = "no input could be read as WARC or ARC: " + "; ".join(
                f"{e['uri']}: {e['error']}" for e in self.entries if e.get("error"))[:1000]
        elif skipped.get("no_source") and set(skipped) <= {"no_source", "not_html", "http_status", "warc_invalid"}:
            reason = (f"none of the captures belongs to a configured source ({skipped['no_source']} skipped as "
                      "no_source): name one with --source ID, or make a source per host with --by-host")
        else:
            reason = "no capture of the inputs was imported: " + (", ".join(
                f"{name} {n}" for name, n in sorted(skipped.items())) or "they hold no HTTP response")
        set_failure(self.crawler.stats, reason)


def _header_name_ok(name: str) -> bool:
    # a name the WARC writer would refuse (archive/warc.py): dropped rather than lose the capture
    return bool(name) and not any(c in name for c in ":\r\n\t \x00")


def _difference(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """``after - before`` of two manifests' counts, nested dicts too, without the zeros."""
    out: dict[str, Any] = {}
    for key, value in after.items():
        if isinstance(value, dict):
            nested = _difference(value, before.get(key) or {})
            if nested:
                out[key] = nested
        elif isinstance(value, int) and value - int(before.get(key) or 0):
            out[key] = value - int(before.get(key) or 0)
    return out

