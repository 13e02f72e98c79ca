"""One input of an import read on a thread of its own, in batches: the captures to import, and the
records passed over, by reason (spiders/import_selection.py decides which).

Reading and gunzipping a WARC, parsing its records and decoding bodies is work the reactor should
not wait on; the import spider asks for a batch at a time (``threads.deferToThread``), so at most one
batch of bodies is in memory beyond the pages in the pipelines.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from archive.revisit_index import PayloadIndex
from archive.warc_input import InputInvalid, InputReading, Payload, WarcRecord, payload_at
from core.config import Source
from spiders.import_selection import Selection, SourceAssigner
from spiders.news import is_html_page, looks_binary

__all__ = ["Batch", "Capture", "InputCaptures"]

logger = logging.getLogger(__name__)

MAX_BATCH_CAPTURES = 16
MAX_BATCH_RECORDS = 2000
MAX_BATCH_BYTES = 16 * 2**20


@dataclass(frozen=True)
class Capture:
    """A 2xx HTML response of the inputs, to import into `source`."""

    source: Source
    url: str
    fetched_at: datetime  # its WARC-Date
    payload: Payload
    ip_address: str | None
    record_id: str | None  # the WARC-Record-ID of the record read (a revisit's own)
    origin: str  # the input it was read from


@dataclass
class Batch:
    captures: list[Capture] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    records: int = 0
    finished: bool = False
    error: str | None = None  # why the input ended early (with finished)


class InputCaptures:
    """The captures of one input, batch by batch; revisits followed within the import's inputs."""

    def __init__(self, reading: InputReading, readings: list[InputReading], selection: Selection,
                 assigner: SourceAssigner, index: PayloadIndex) -> None:
        self.reading = reading
        # every input of the import: a revisit may repeat a response of any of them
        self.readings = readings
        self.selection = selection
        self.assigner = assigner
        self.index = index
        self._records: Iterator[WarcRecord] = iter(reading)
        self._skipped: str | None = None  # why the record read last is passed over, once it is read whole
        self.finished = False

    def next_batch(self) -> Batch:
        batch = Batch()
        size = 0
        while len(batch.captures) < MAX_BATCH_CAPTURES and batch.records < MAX_BATCH_RECORDS and size < MAX_BATCH_BYTES:
            try:
                record = next(self._records, None)
            except InputInvalid as exc:
                # the record judged last is the broken one: it counts as that, not as what it looked like
                self._skipped = None
                logger.error("%s: %s; the rest of the file is skipped", self.reading.input.uri, exc)
                batch.skipped["warc_invalid"] += 1
                batch.finished, batch.error = True, str(exc)
                break
            if self._skipped is not None:  # read past whole: its reason stands
                batch.skipped[self._skipped] += 1
                self._skipped = None
            if record is None:
                batch.finished = True
                break
            batch.records += 1
            outcome = self._judge(record)
            if isinstance(outcome, Capture):  # its whole body is read: it cannot turn out broken
                batch.captures.append(outcome)
                size += len(outcome.payload.body)
            else:
                self._skipped = outcome
        self.finished = batch.finished
        return batch

    def close(self) -> None:
        """Stop reading early (the import is stopping)."""
        close = getattr(self._records, "close", None)
        if close is not None:
            close()

    def _judge(self, record: WarcRecord) -> Capture | str | None:
        """The capture to import, or why not; None for records that are not captures at all."""
        if record.rec_type not in ("response", "revisit"):
            return None
        date = record.date
        if date is None or not record.url:
            logger.warning("%s: a %s record at offset %d has no valid WARC-Date or Target-URI; skipped",
                           self.reading.input.uri, record.rec_type, record.offset)
            return "warc_invalid"
        if record.rec_type == "response" and record.http is None:
            return "not_html"  # dns:, whois:, a bare ARC record: no HTTP response
        reason = self.selection.skip_reason(record.url, date)
        if reason is not None:
            return reason
        source = self.assigner.source_of(record.url)
        if source is None:
            return "no_source"
        if record.http is not None:  # a response's, or a revisit's own: judged before any body is read
            if not _ok_status(record.status) and not (record.rec_type == "revisit" and record.status == 304):
                return "http_status"
            content_type = record.content_type
            if content_type and not is_html_page(content_type.encode("latin-1", "replace"), b""):
                return "not_html"
        if record.rec_type == "revisit":
            payload = self._revisited(record)
            if payload is None:
                return "revisit_unresolved"
        else:
            payload = record.payload()
            if payload is None:
                return None  # cut short: the file ends here, counted as warc_invalid
        if not _ok_status(payload.status):
            return "http_status"
        content_type = (payload.header("Content-Type") or "").encode("latin-1", "replace")
        if not is_html_page(content_type, payload.body) or looks_binary(payload.body):
            return "not_html"
        return Capture(source, record.url, date, payload, record.ip_address, record.record_id,
                       self.reading.input.uri)

    def _revisited(self, record: WarcRecord) -> Payload | None:
        """The response a revisit repeats, under the revisit's own status and headers when it has
        them (an identical-payload revisit), else under the repeated response's."""
        location = self.index.find(record.refers_to, record.payload_digest, record.url)
        if location is None and not all(r.indexed for r in self.readings):
            # A response read later (a later input, an input imported before and skipped now): every
            # input not indexed yet is read for the index once, and the revisit looked up again.
            logger.info("a revisit of %s repeats no response read so far: indexing the other inputs", record.url)
            for reading in self.readings:
                if not reading.indexed:
                    self._index_all(reading)
            location = self.index.find(record.refers_to, record.payload_digest, record.url)
        if location is None:
            return None
        target = payload_at(self.readings[location.input].input, location)
        if target is None:
            return None
        own = record.http
        if own is not None and own.get_statuscode() not in ("304", None, ""):
            return Payload(own.statusline, own.protocol or target.protocol, list(own.headers), target.body)
        return target


    def _index_all(self, reading: InputReading) -> None:
        scan = InputReading(reading.input, reading.number, self.index)
        try:
            scan.index_only()
        except InputInvalid:
            pass  # indexed up to where it breaks
        except Exception as exc:  # unreadable now: its responses stay unknown
            logger.warning("%s could not be read for revisits: %s", reading.input.uri, exc)
        reading.indexed = True
        reading.index = None  # its own reading need not index it again


def _ok_status(status: int | None) -> bool:
    return status is not None and 200 <= status < 300
