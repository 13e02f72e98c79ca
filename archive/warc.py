"""WARC/1.1 snapshot parts, written and read with warcio.

Every record is its own gzip member (as ``WARCWriter(gzip=True)`` writes them; ours with ISA-L), so
the byte range of a response record is independently decompressible: a record's ``snapshot`` pointer
is that range, and replay fetches only it.
"""

from __future__ import annotations

import base64
import hashlib
import http
import io
import platform
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

from isal import isal_zlib
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from archive.jsonl import HashingWriter, PartInfo
from core import VERSION

__all__ = ["SnapshotResponse", "WarcPart", "payload_digest", "read_response_at", "utc_datetime"]

WARC_VERSION = "WARC/1.1"
_CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
# The stored body is the decoded payload, so the headers describing the wire encoding would lie about
# it; like pywb we keep their original values under X-Archive-Orig-*.
_WIRE_HEADERS = ("content-encoding", "transfer-encoding", "content-length")
_HTTP_PROTOCOLS = ("HTTP/1.0", "HTTP/1.1")
# warcio compresses every record with zlib at level 9. Compression runs on the crawler's reactor
# thread for every fetched page, so it is worth choosing. Measured over 300 corpus pages of bench/
# (mean 265 kB of HTML), one core, ms of CPU per page and compression ratio:
#     zlib level 1: 2.2 ms, 4.29   zlib level 3: 2.8 ms, 4.54   zlib 6: 5.9 ms, 5.08
#     ISA-L (isal) level 2: 0.5-0.7 ms, 4.41
# ISA-L writes the same standard gzip members (any WARC reader inflates them) at a fifth of zlib
# level 3's CPU for 3 % more bytes; its level 3 takes 2.0 ms for 4.54.
WARC_COMPRESSLEVEL = 2


def _software() -> str:
    try:
        warcio_version = importlib_metadata.version("warcio")
    except importlib_metadata.PackageNotFoundError:
        warcio_version = "unknown"
    return f"newsvault/{VERSION} warcio/{warcio_version}"


def payload_digest(body: bytes) -> str:
    """The ``WARC-Payload-Digest`` of a response with this body, as warcio writes it: ``sha1:<base32>``."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def utc_datetime(value: datetime, what: str = "time") -> datetime:
    """``value`` in UTC; a naive datetime is refused because its zone is a guess."""
    if not isinstance(value, datetime):
        raise ValueError(f"{what} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} {value.isoformat()} has no time zone; pass an aware (UTC) datetime")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class SnapshotResponse:
    """A stored HTTP response as it was fetched."""

    url: str
    fetched_at: datetime
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    record_id: str


def _clean_headers(headers: list[tuple[str, str]], what: str) -> list[tuple[str, str]]:
    # A CR or LF in a value would end the header block early and corrupt the stored message.
    cleaned: list[tuple[str, str]] = []
    for name, value in headers:
        name = str(name).strip()
        if not name or any(c in name for c in ":\r\n\t \x00"):
            raise ValueError(f"invalid {what} header name {name!r}")
        value = " ".join(str(value).replace("\x00", " ").splitlines()).strip()
        cleaned.append((name, value))
    return cleaned


def _response_headers(headers: list[tuple[str, str]], body_length: int) -> list[tuple[str, str]]:
    kept: list[tuple[str, str]] = []
    originals: list[tuple[str, str]] = []
    for name, value in _clean_headers(headers, "response"):
        if name.lower() in _WIRE_HEADERS:
            originals.append((f"X-Archive-Orig-{name}", value))
        else:
            kept.append((name, value))
    return [*kept, *originals, ("Content-Length", str(body_length))]


def _request_target(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"snapshot url {url!r} is not an absolute http(s) URL")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return target, parts.netloc


class _GzipMember:
    """One gzip member holding one WARC record, as warcio's GzippingWrapper writes it."""

    def __init__(self, out: HashingWriter, level: int) -> None:
        self._out = out
        self._compressor = isal_zlib.compressobj(level, isal_zlib.DEFLATED, isal_zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        compressed = self._compressor.compress(data)
        if compressed:  # the compressor buffers most small writes: nothing to hash or store yet
            self._out.write(compressed)

    def flush(self) -> None:
        self._out.write(self._compressor.flush())
        self._out.flush()


class _GzipMemberWriter(WARCWriter):
    """warcio's WARCWriter with ISA-L's gzip at the level chosen above instead of zlib at 9."""

    def __init__(self, out: HashingWriter, level: int, **kwargs: str) -> None:
        super().__init__(out, gzip=False, **kwargs)
        self._level = level

    def _write_warc_record(self, out: HashingWriter, record: object) -> None:
        super()._write_warc_record(_GzipMember(out, self._level), record)


class WarcPart:
    """One ``.warc.gz`` being written: warcinfo first, then response + request (+ metadata) per fetch."""

    def __init__(self, path: Path, key: str, warcinfo: Mapping[str, str]) -> None:
        self.path = Path(path)
        self.key = key
        self._out = HashingWriter(open(self.path, "wb"))  # noqa: SIM115 -- closed in close()
        self._writer = _GzipMemberWriter(self._out, WARC_COMPRESSLEVEL, warc_version=WARC_VERSION)
        self._records = 0
        self._info: PartInfo | None = None
        info: dict[str, str] = {
            "software": _software(),
            "format": "WARC File Format 1.1",
            "conformsTo": _CONFORMS_TO,
            "hostname": platform.node(),
        }
        info.update({str(k): str(v) for k, v in warcinfo.items()})
        clean_info = dict(_clean_headers(list(info.items()), "warcinfo"))
        try:
            self._writer.write_record(
                self._writer.create_warcinfo_record(PurePosixPath(key).name, clean_info)
            )
        except BaseException:
            self._out.close()
            raise
        self._records = 1

    @property
    def records(self) -> int:
        """All WARC records written, warcinfo included."""
        return self._records

    @property
    def bytes(self) -> int:
        return self._out.bytes

    @property
    def closed(self) -> bool:
        return self._info is not None

    def write_exchange(
        self,
        *,
        url: str,
        fetched_at: datetime,
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
        request_method: str = "GET",
        request_headers: list[tuple[str, str]],
        protocol: str = "HTTP/1.1",
        metadata: Mapping[str, str] | None = None,
        ip_address: str | None = None,
        digest: str | None = None,
    ) -> dict:
        """Write one fetch; return the pointer to its response record.

        ``digest`` is the body's ``payload_digest`` when the caller has it already: one pass over
        the body fewer.
        """
        if self._info is not None:
            raise ValueError(f"WARC part {self.path} is already closed")
        if not isinstance(status, int) or not 100 <= status <= 999:
            raise ValueError(f"invalid HTTP status {status!r} for {url}")
        if not isinstance(body, bytes | bytearray | memoryview):
            raise ValueError(f"snapshot body of {url} must be bytes, got {type(body).__name__}")
        body = bytes(body)
        method = request_method.strip().upper()
        if not method or not method.isalpha():
            raise ValueError(f"invalid HTTP method {request_method!r}")
        target, host = _request_target(url)
        # warcio (and pywb) only accept HTTP/1.x status lines; an h2 exchange is stored as HTTP/1.1.
        proto = protocol.upper() if protocol.upper() in _HTTP_PROTOCOLS else "HTTP/1.1"
        if not reason:
            try:
                reason = http.HTTPStatus(status).phrase
            except ValueError:
                reason = ""
        reason = " ".join(reason.splitlines())
        warc_date = datetime_to_iso_date(
            utc_datetime(fetched_at, "fetched_at").replace(tzinfo=None), use_micros=True
        )

        response_id = f"<urn:uuid:{uuid.uuid4()}>"
        response_warc_headers = {"WARC-Record-ID": response_id, "WARC-Date": warc_date,
                                 "WARC-Payload-Digest": digest or payload_digest(body)}
        if ip_address:
            response_warc_headers["WARC-IP-Address"] = ip_address
        response = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            warc_headers_dict=response_warc_headers,
            http_headers=StatusAndHeaders(
                f"{status} {reason}".strip(), _response_headers(response_headers, len(body)), protocol=proto
            ),
        )

        req_headers = _clean_headers(request_headers, "request")
        if not any(name.lower() == "host" for name, _ in req_headers):
            req_headers.insert(0, ("Host", host))
        request = self._writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            warc_headers_dict={"WARC-Date": warc_date, "WARC-Concurrent-To": response_id},
            http_headers=StatusAndHeaders(f"{method} {target} {proto}", req_headers, is_http_request=True),
        )

        offset = self._out.tell()
        self._writer.write_record(response)
        length = self._out.tell() - offset
        self._writer.write_record(request)
        self._records += 2

        if metadata:
            fields = "".join(f"{k}: {v}\r\n" for k, v in _clean_headers(list(metadata.items()), "metadata"))
            payload = fields.encode("utf-8")
            meta = self._writer.create_warc_record(
                url,
                "metadata",
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_content_type="application/warc-fields",
                warc_headers_dict={
                    "WARC-Date": warc_date,
                    "WARC-Concurrent-To": response_id,
                    "WARC-Refers-To": response_id,
                },
            )
            self._writer.write_record(meta)
            self._records += 1

        return {"warc": self.key, "offset": offset, "length": length, "record_id": response_id}

    def close(self) -> PartInfo:
        if self._info is None:
            self._out.close()
            self._info = PartInfo(self.path, self._records, self._out.bytes, self._out.hexdigest())
        return self._info

    def abort(self) -> None:
        """Close without caring about the content: the caller is discarding the file."""
        self.close()


def read_response_at(data_or_stream: bytes | BinaryIO, offset: int = 0) -> SnapshotResponse:
    """Parse the response record starting at ``offset`` of a WARC (a whole file or a record's slice)."""
    stream: BinaryIO = io.BytesIO(data_or_stream) if isinstance(data_or_stream, bytes | bytearray) else data_or_stream
    stream.seek(offset)
    try:
        record = next(iter(ArchiveIterator(stream)), None)
        if record is None:
            raise ValueError(f"no WARC record at offset {offset}")
        if record.rec_type != "response":
            raise ValueError(f"the WARC record at offset {offset} is a {record.rec_type!r}, not a response")
        if record.http_headers is None:
            raise ValueError(f"the WARC response at offset {offset} has no HTTP headers")
        body = record.content_stream().read()
        warc_date = record.rec_headers.get_header("WARC-Date")
        return SnapshotResponse(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            fetched_at=iso_date_to_datetime(warc_date, tz_aware=True).astimezone(UTC),
            status=int(record.http_headers.get_statuscode()),
            headers=list(record.http_headers.headers),
            body=body,
            record_id=record.rec_headers.get_header("WARC-Record-ID"),
        )
    except ValueError:
        raise
    except Exception as exc:  # warcio raises a zoo of errors on damaged input
        raise ValueError(f"cannot read a WARC response at offset {offset}: {exc}") from exc
