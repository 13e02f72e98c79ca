"""Web archives made by others, as input: WARC 1.0/1.1 and ARC files, read one record at a time.

An input is named by a path, a glob, a folder or a URI of an archive store (``s3://bucket/key``,
``s3://bucket/prefix/*.warc.gz``): the part before the file name or the first glob segment is opened
as a store (archive/stores.py decides the backend), the rest is a key or a pattern over its keys. A
folder holds the files whose names end in .warc, .warc.gz, .arc or .arc.gz.

Reading streams the file through warcio (``store.open_read``: never a whole file in memory), as
gzip members per record (what every crawler writes), plain, or one gzip stream over the whole file
(warcio refuses that form for replay; it is read here through ``gzip`` instead). A record that
cannot be read ends the file with `InputInvalid` (what was read before it stays read): a parse
error, a record shorter than its Content-Length, trailing bytes after the last whole record (a
truncated gzip member, which warcio would take for the end of the file).

Revisit records name the response they repeat (``WARC-Refers-To``, or the payload digest): responses
read earlier are indexed by location (archive/revisit_index.py), and the one a revisit points at is
read again from its file by that location.
"""

from __future__ import annotations

import contextlib
import fnmatch
import gzip
import hashlib
import io
import logging
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import iso_date_to_datetime

from archive.revisit_index import Location, PayloadIndex
from archive.store_types import ArchiveStore, StoreError, uri_scheme

__all__ = ["InputError", "InputFile", "InputInvalid", "InputReading", "Payload", "WarcRecord", "payload_at",
           "resolve_inputs"]

logger = logging.getLogger(__name__)

WARC_NAME = re.compile(r"\.w?arc(\.gz)?$", re.IGNORECASE)
_GLOB = re.compile(r"[*?\[]")
_BLOCK = 1 << 16
_TAIL = 4096
# warcio's message for one gzip stream over the whole file (archiveiterator.GZIP_ERR_MSG)
_WHOLE_GZIP = "non-chunked gzip"
# what a bad record can make warcio, zlib or gzip raise
READ_ERRORS = (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error, IndexError, KeyError, TypeError)


class InputError(ValueError):
    """An input argument that names no readable file."""


class InputInvalid(Exception):
    """The record at ``offset`` cannot be read: the file ends there."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"unreadable record at offset {offset}: {reason}")
        self.offset = offset
        self.reason = reason


@dataclass(frozen=True)
class InputFile:
    store: ArchiveStore
    key: str
    uri: str  # how messages and the manifest name it: a path, or the store's URI and the key
    size: int
    version: str  # changes when the file is rewritten (modification time, ETag)

    @property
    def identity(self) -> str:
        """What the import journal knows the input by: the same file, unchanged."""
        return f"{self.uri}|{self.size}|{self.version}"


# -- finding the inputs ------------------------------------------------------------------------------


def _segments(spec: str) -> tuple[Callable[[int], str], list[str]]:
    """(the URI of the folder holding the first n segments, the segments) of an input argument."""
    if uri_scheme(spec):
        parts = urlsplit(spec)
        root = f"{parts.scheme}://{parts.netloc}"
        segments = [s for s in parts.path.split("/") if s]
    else:
        root = ""
        segments = [s for s in os.path.abspath(os.path.expanduser(spec)).split(os.sep) if s]
    return (lambda n: f"{root}/{'/'.join(segments[:n])}"), segments


def _matches(key: str, pattern: Sequence[str]) -> bool:
    """Whether a key's segments match a glob's; ``**`` matches any number of segments."""
    segments = key.split("/")

    def match(i: int, j: int) -> bool:
        if j == len(pattern):
            return i == len(segments)
        if pattern[j] == "**":
            return any(match(k, j + 1) for k in range(i, len(segments) + 1))
        return i < len(segments) and fnmatch.fnmatchcase(segments[i], pattern[j]) and match(i + 1, j + 1)

    return match(0, 0)


def resolve_inputs(specs: Sequence[str], open_container: Callable[[str], ArchiveStore]) -> list[InputFile]:
    """Every file the arguments name, in their order (a glob's or a folder's sorted by key), once.

    ``open_container(uri)`` opens the store of a folder or bucket prefix. InputError names an
    argument that holds nothing to read."""
    stores: dict[str, ArchiveStore] = {}

    def store_of(uri: str) -> ArchiveStore:
        if uri not in stores:
            stores[uri] = open_container(uri)
        return stores[uri]

    found: dict[str, InputFile] = {}
    for spec in specs:
        container, segments = _segments(spec)
        glob_at = next((i for i, s in enumerate(segments) if _GLOB.search(s)), None)
        if glob_at is not None:
            uri, pattern = container(glob_at), segments[glob_at:]
            literal = _GLOB.split(pattern[0], 1)[0] if len(pattern) == 1 else ""
            keys = [k for k in store_of(uri).list(literal) if _matches(k, pattern)]
        else:
            keys = []
            if segments:
                uri = container(len(segments) - 1)
                with contextlib.suppress(FileNotFoundError):  # not a file: a folder, or a bucket prefix
                    store_of(uri).stat(segments[-1])
                    keys = [segments[-1]]
            if not keys:
                uri = container(len(segments))
                keys = [k for k in store_of(uri).list("") if WARC_NAME.search(k)]
        if not keys:
            raise InputError(f"{spec}: no such WARC or ARC file, nor any under it")
        store = store_of(uri)
        for key in sorted(keys):
            name = f"{uri.rstrip('/')}/{key}"
            if name not in found:
                stat = store.stat(key)
                found[name] = InputFile(store, key, name, stat.size, stat.version)
    return list(found.values())


# -- reading one input -------------------------------------------------------------------------------


class _Counted:
    """A stream as warcio reads it: bytes counted (offsets), optionally hashed, its last bytes kept."""

    def __init__(self, raw: Any, hashing: bool) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256() if hashing else None
        self.position = 0
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.raw.read(size if size is not None and size >= 0 else _BLOCK)
        except EOFError as exc:  # gzip's "ended before the end-of-stream marker": warcio would take it for the end
            raise OSError(f"the file is truncated: {exc}") from exc
        if data:
            self.position += len(data)
            if self.sha256 is not None:
                self.sha256.update(data)
            self.tail = data[-_TAIL:] if len(data) >= _TAIL else (self.tail + data)[-_TAIL:]
        return bytes(data)

    def tell(self) -> int:
        return self.position

    def drain(self) -> None:
        while self.read(_BLOCK):
            pass


@dataclass(frozen=True)
class Payload:
    """An HTTP response as a capture holds it, the body decoded (chunks, Content-Encoding)."""

    status_line: str
    protocol: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def status(self) -> int | None:
        try:
            return int(self.status_line.split(" ", 1)[0])
        except ValueError:
            return None

    @property
    def reason(self) -> str:
        return self.status_line.partition(" ")[2].strip()

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in reversed(self.headers) if k.lower() == name), None)


class WarcRecord:
    """One record as it is read: its WARC and HTTP headers at once, its body on demand (before the
    next record is asked for)."""

    def __init__(self, record: Any, offset: int) -> None:
        self._record = record
        self.offset = offset  # where the record starts (after the last whole one), in the file as read
        self.broken: str | None = None  # why its body could not be read
        headers = record.rec_headers
        self.rec_type: str = record.rec_type
        self.url: str = (headers.get_header("WARC-Target-URI") or "").strip()
        self.record_id: str | None = headers.get_header("WARC-Record-ID")
        self.payload_digest: str | None = headers.get_header("WARC-Payload-Digest")
        self.refers_to: str | None = headers.get_header("WARC-Refers-To")
        self.ip_address: str | None = headers.get_header("WARC-IP-Address")
        self._date: str | None = headers.get_header("WARC-Date")
        self.http: StatusAndHeaders | None = record.http_headers

    @property
    def date(self) -> datetime | None:
        """The capture's WARC-Date in UTC; None when it has none that parses."""
        if not self._date:
            return None
        try:
            return iso_date_to_datetime(self._date, tz_aware=True).astimezone(UTC)
        except (ValueError, TypeError, OverflowError):
            return None

    @property
    def content_type(self) -> str | None:
        return self.http.get_header("Content-Type") if self.http is not None else None

    @property
    def status(self) -> int | None:
        if self.http is None:
            return None
        try:
            return int(self.http.get_statuscode())
        except (TypeError, ValueError):
            return None

    def payload(self) -> Payload | None:
        """The HTTP response with its decoded body; None when the record is cut short or its bytes
        cannot be read (the file then ends with InputInvalid when the next record is asked for)."""
        if self.http is None:
            raise ValueError(f"the {self.rec_type} record of {self.url} holds no HTTP response")
        try:
            body = self._record.content_stream().read()
            # what follows the body in the block (a chunked body's trailer), so that a block cut
            # short shows as bytes still owed
            while self._record.raw_stream.read(_BLOCK):
                pass
        except READ_ERRORS as exc:
            self.broken = f"the body of {self.url} cannot be read: {_message(exc)}"
            return None
        if _owed(self._record) > 0 and not _whole_by_http(self._record):
            self.broken = (f"the record of {self.url} ends {_owed(self._record)} bytes before its "
                           "Content-Length (truncated)")
            return None
        return Payload(self.http.statusline, self.http.protocol or "HTTP/1.1", list(self.http.headers), body)


class _WarcioWarnings:
    """warcio writes one warning straight to stderr (a record not followed by its blank lines: usually a
    wrong Content-Length); formatting it through this logs it instead and writes nothing."""

    def format(self, offset: Any, line: Any) -> str:
        logger.info("WARC record not followed by a blank line at offset %s (a wrong Content-Length?): %r",
                       offset, line)
        return ""


class _Iterator(ArchiveIterator):
    INC_RECORD = _WarcioWarnings()


class InputReading:
    """Reading one input, record by record; afterwards its size, sha256 and what it held."""

    def __init__(self, input_file: InputFile, number: int, index: PayloadIndex | None = None) -> None:
        self.input = input_file
        self.number = number
        self.index = index
        self.whole_gzip = False
        self.indexed = False  # every response of the input is in the index
        self.records = 0
        self.record_types: Counter[str] = Counter()
        self.size: int | None = None
        self.sha256: str | None = None

    def __iter__(self) -> Iterator[WarcRecord]:
        """Every record; InputInvalid at the first one that cannot be read, after those before it.

        Once the records are read (or the file ended early), ``size`` and ``sha256`` are the whole
        file's; a reader that stops early leaves them None."""
        stream = self.input.store.open_read(self.input.key)
        counted = _Counted(stream, hashing=True)
        read = False
        try:
            try:
                yield from self._records(counted, skip=0)
            except ArchiveLoadFailed as exc:
                if _WHOLE_GZIP not in str(exc) or self.whole_gzip:
                    raise
                # one gzip stream over the whole file: read again through gzip, past what was read
                logger.info("%s is gzipped as one stream, not per record; reading it through gzip", self.input.uri)
                stream.close()
                stream = self.input.store.open_read(self.input.key)
                counted = _Counted(stream, hashing=True)
                self.whole_gzip = True
                yield from self._records(_Counted(gzip.GzipFile(fileobj=counted, mode="rb"), hashing=False),
                                         skip=self.records)
            read = True
        except InputInvalid:
            read = True
            raise
        finally:
            try:
                if read:
                    self.indexed = self.indexed or self.index is not None
                    counted.drain()  # the rest of a file that ended early still counts in its sha256
                    self.size = counted.position
                    self.sha256 = counted.sha256.hexdigest() if counted.sha256 is not None else None
            except READ_ERRORS as exc:
                logger.warning("%s could not be read to its end for its sha256: %s", self.input.uri, exc)
            finally:
                stream.close()

    def _records(self, counted: _Counted, skip: int) -> Iterator[WarcRecord]:
        iterator = _Iterator(counted, arc2warc=True)
        end = 0
        seen = 0
        while True:
            start = end
            try:
                record = next(iterator, None)
            except READ_ERRORS as exc:
                if isinstance(exc, ArchiveLoadFailed) and _WHOLE_GZIP in str(exc) and not self.whole_gzip:
                    raise
                raise InputInvalid(start, _message(exc)) from exc
            if record is None:
                break
            seen += 1
            view = WarcRecord(record, start)
            if seen > skip:
                self.records += 1
                self.record_types[view.rec_type] += 1
                yield view
            if view.broken:
                raise InputInvalid(start, view.broken)
            if not isinstance(record.raw_stream, LimitReader):  # what was read is not a whole record header
                raise InputInvalid(start, f"a {view.rec_type!r} record without a Content-Length (a truncated "
                                          "or corrupt header)")
            try:
                offset, length = iterator.get_record_offset(), iterator.get_record_length()
            except READ_ERRORS as exc:
                raise InputInvalid(start, _message(exc)) from exc
            if _owed(record) > 0 and not _whole_by_http(record):
                raise InputInvalid(offset, f"the record of {view.url or view.rec_type} ends "
                                           f"{_owed(record)} bytes before its Content-Length (truncated)")
            end = offset + length
            if self.index is not None:
                self._index(view, offset, length)
        counted.drain()
        leftover = counted.position - end
        if leftover > 0 and (leftover > len(counted.tail) or counted.tail[-leftover:].strip()):
            raise InputInvalid(end, f"{leftover} bytes after the last whole record (a truncated record)")
        if seen == 0:
            raise InputInvalid(0, "no WARC or ARC record in it")

    def _index(self, view: WarcRecord, offset: int, length: int) -> None:
        # responses a later revisit may repeat: HTML ones (a revisit of anything else is not imported)
        assert self.index is not None
        content_type = (view.content_type or "").lower()
        if view.rec_type == "response" and view.payload_digest and "html" in content_type:
            self.index.add(view.payload_digest, view.record_id, view.url,
                           Location(self.number, offset, length, self.whole_gzip))

    def index_only(self) -> None:
        """Read the input for the revisit index alone: one not read yet, whose responses a revisit
        may repeat."""
        for _ in self:
            pass


def _owed(record: Any) -> int:
    """The bytes of a record's block its stream ended without (0 for a whole record)."""
    raw = record.raw_stream
    return raw.limit if isinstance(raw, LimitReader) else 0


def _whole_by_http(record: Any) -> bool:
    """Whether a block that ended short of its record's length still holds the whole HTTP body, as
    the body's own Content-Length counts it: old ARC writers got record lengths wrong, not bodies."""
    http = record.http_headers
    if http is None or http.get_header("Transfer-Encoding") or record.payload_length < 0:
        return False
    try:
        return record.payload_length - _owed(record) >= int(http.get_header("Content-Length") or "")
    except ValueError:
        return False


def _message(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text[:300]}"


def payload_at(input_file: InputFile, location: Location) -> Payload | None:
    """The HTTP response of the record at a location found while reading the input, read again on
    its own; None when it cannot be read."""
    stream: Any = None
    try:
        if location.whole_gzip:
            stream = input_file.store.open_read(input_file.key)
            source: Any = gzip.GzipFile(fileobj=stream, mode="rb")
            remaining = location.offset
            while remaining > 0:
                skipped = source.read(min(remaining, _BLOCK))
                if not skipped:
                    return None
                remaining -= len(skipped)
        else:
            source = io.BytesIO(input_file.store.get_range(input_file.key, location.offset, location.length))
        record = next(_Iterator(_Counted(source, hashing=False), arc2warc=True), None)
        if record is None:
            return None
        view = WarcRecord(record, location.offset)
        return view.payload() if view.http is not None else None
    except (*READ_ERRORS, StoreError) as exc:
        logger.warning("the record at offset %d of %s cannot be read again: %s", location.offset,
                       input_file.uri, _message(exc))
        return None
    finally:
        if stream is not None:
            stream.close()
