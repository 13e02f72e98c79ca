"""CDXJ indexes of WARC files, in pywb's format, so captures are found without scanning WARCs.

One line per response (also revisit and resource) record, sorted bytewise::

    <SURT key> <14-digit UTC timestamp> {"url": ..., "mime": ..., "status": "200", "digest": ...,
                                         "length": "...", "offset": "...", "filename": ..., "kind": ...}

exactly as pywb's own indexer (``cdxj-indexer``, ``wb-manager add``) writes it: values are strings,
``digest`` is the base32 SHA-1 of the payload without its ``sha1:`` prefix, ``length`` / ``offset``
are the byte range of the record's gzip member. ``filename`` is the WARC's key relative to the
archive root, so pywb serves the archive with ``archive_paths`` set to that root. ``kind`` is ours
(pywb keeps unknown fields): the crawl's reason for the fetch (article, feed, sitemap, page), taken
from the ``newsvault-kind`` field of the metadata record written with each fetch.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

from archive.jsonl import PartInfo

__all__ = [
    "INDEXED_TYPES",
    "KIND_FIELD",
    "Capture",
    "CdxjError",
    "IndexPart",
    "cdxj_line",
    "index_warc",
    "iter_index",
    "parse_line",
    "relocated_line",
    "sorted_index",
    "surt_key",
    "timestamp14",
]

INDEXED_TYPES = ("response", "revisit", "resource")
# The warc-fields name, in each fetch's metadata record, that says why newsvault fetched the page.
KIND_FIELD = "newsvault-kind"


class CdxjError(ValueError):
    """A WARC that cannot be indexed, or a CDXJ line that cannot be parsed."""


def surt_key(url: str) -> str:
    """The SURT sort key pywb uses for ``url`` (``com,example)/path?query``)."""
    try:
        return str(surt.surt(url))
    except Exception as exc:  # surt raises bare errors on URLs it cannot parse
        raise CdxjError(f"cannot compute the SURT key of {url!r}: {exc}") from exc


def timestamp14(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _mime(content_type: str | None) -> str:
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    return mime or "unk"


def cdxj_line(
    *,
    url: str,
    timestamp: str,
    mime: str | None,
    status: int | str | None,
    digest: str | None,
    length: int,
    offset: int,
    filename: str,
    kind: str | None = None,
) -> str:
    """One CDXJ line (no newline); ``mime`` may be a whole Content-Type header value."""
    fields: dict[str, str] = {"url": url, "mime": _mime(mime)}
    if status not in (None, "", "-"):
        fields["status"] = str(status)
    if digest and digest != "-":
        fields["digest"] = digest.removeprefix("sha1:")
    fields["length"] = str(length)
    fields["offset"] = str(offset)
    fields["filename"] = filename
    if kind:
        fields["kind"] = kind
    return f"{surt_key(url)} {timestamp} {json.dumps(fields, ensure_ascii=False)}"


def sorted_index(lines: Iterable[str]) -> bytes:
    """The index file's content: lines sorted bytewise (pywb's binary search needs it), UTF-8."""
    encoded = sorted(line.encode("utf-8") for line in lines)
    return b"".join(line + b"\n" for line in encoded)


def _warc_fields(payload: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for raw in payload.decode("utf-8", "replace").splitlines():
        name, sep, value = raw.partition(":")
        if sep:
            fields[name.strip().lower()] = value.strip()
    return fields


def index_warc(stream: BinaryIO, filename: str = "-") -> list[str]:
    """The sorted CDXJ lines of a WARC (or ARC) stream, gzipped per record or not.

    Raises :class:`CdxjError` naming the file and the offset reached when the stream is not a WARC
    or is damaged (for instance a gzip file that is not one member per record, which no reader can
    seek into).
    """
    entries: list[dict[str, Any]] = []
    by_record_id: dict[str, dict[str, Any]] = {}
    kinds: dict[str, str] = {}
    iterator = ArchiveIterator(stream, arc2warc=True)
    try:
        for record in iterator:
            headers = record.rec_headers
            rec_type = record.rec_type
            if rec_type == "metadata":
                refers_to = headers.get_header("WARC-Refers-To") or headers.get_header("WARC-Concurrent-To")
                kind = _warc_fields(record.content_stream().read()).get(KIND_FIELD)
                if refers_to and kind:
                    kinds[refers_to] = kind
                iterator.read_to_end(record)
                continue
            if rec_type not in INDEXED_TYPES:
                iterator.read_to_end(record)
                continue
            url = headers.get_header("WARC-Target-URI")
            date = headers.get_header("WARC-Date")
            digest = headers.get_header("WARC-Payload-Digest")
            if digest is None and rec_type != "revisit":
                sha1 = hashlib.sha1()
                while chunk := record.raw_stream.read(65536):
                    sha1.update(chunk)
                digest = "sha1:" + base64.b32encode(sha1.digest()).decode("ascii")
            http = record.http_headers
            if rec_type == "revisit":
                mime = "warc/revisit"
            elif http is not None and rec_type != "resource":
                mime = http.get_header("Content-Type")
            else:
                mime = headers.get_header("Content-Type")
            status = http.get_statuscode() if http is not None and rec_type == "response" else None
            if status is None and rec_type == "response" and url and url.startswith("dns:"):
                status = "200"  # as pywb indexes DNS lookups
            iterator.read_to_end(record)
            if not url or not date:
                continue
            entry = {
                "url": url,
                "timestamp": iso_date_to_timestamp(date),
                "mime": mime,
                "status": status,
                "digest": digest,
                "offset": iterator.get_record_offset(),
                "length": iterator.get_record_length(),
            }
            entries.append(entry)
            if record_id := headers.get_header("WARC-Record-ID"):
                by_record_id[record_id] = entry
    except CdxjError:
        raise
    except Exception as exc:  # warcio raises many types on damaged input; all mean "not indexable"
        reached = f" after {len(entries)} indexed records" if entries else ""
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise CdxjError(f"cannot index {filename}{reached}: {type(exc).__name__}: {message}") from exc
    for record_id, kind in kinds.items():
        if record_id in by_record_id:
            by_record_id[record_id]["kind"] = kind
    lines = []
    for entry in entries:
        try:
            lines.append(cdxj_line(filename=filename, **entry))
        except CdxjError:
            continue  # a record whose URL has no SURT form cannot be looked up anyway
    return sorted(lines, key=lambda line: line.encode("utf-8"))


@dataclass(frozen=True)
class Capture:
    """One indexed record: where it is and what it was."""

    urlkey: str
    timestamp: str
    url: str
    mime: str
    status: int | None
    digest: str | None
    offset: int
    length: int
    filename: str
    kind: str | None

    @property
    def fetched_at(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)

    @property
    def is_html(self) -> bool:
        return self.mime in ("text/html", "application/xhtml+xml")


def parse_line(line: str | bytes) -> Capture:
    """A CDXJ line back as a :class:`Capture`; :class:`CdxjError` says what is wrong with it."""
    text = line.decode("utf-8") if isinstance(line, bytes) else line
    parts = text.rstrip("\r\n").split(" ", 2)
    if len(parts) != 3 or not parts[2].startswith("{"):
        raise CdxjError(f"not a CDXJ line (SURT timestamp {{json}}): {text[:200]!r}")
    urlkey, timestamp, blob = parts
    if len(timestamp) < 14 or not timestamp[:14].isdigit():
        raise CdxjError(f"CDXJ timestamp {timestamp!r} is not 14 digits")
    try:
        fields = json.loads(blob)
        status = fields.get("status")
        return Capture(
            urlkey=urlkey,
            timestamp=timestamp[:14],
            url=fields["url"],
            mime=fields.get("mime", "unk"),
            status=int(status) if status not in (None, "", "-") else None,
            digest=fields.get("digest"),
            offset=int(fields["offset"]),
            length=int(fields["length"]),
            filename=fields["filename"],
            kind=fields.get("kind"),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise CdxjError(f"bad CDXJ line {text[:200]!r}: {exc}") from exc


def relocated_line(line: str, *, offset: int, filename: str) -> str:
    """``line`` for a byte-for-byte copy of its record, now at ``offset`` of ``filename``; every other
    field is kept as indexed."""
    parts = line.rstrip("\r\n").split(" ", 2)
    if len(parts) != 3 or not parts[2].startswith("{"):
        raise CdxjError(f"not a CDXJ line (SURT timestamp {{json}}): {line[:200]!r}")
    try:
        fields = json.loads(parts[2])
    except json.JSONDecodeError as exc:
        raise CdxjError(f"bad CDXJ line {line[:200]!r}: {exc}") from exc
    fields["offset"] = str(offset)
    fields["filename"] = filename
    return f"{parts[0]} {parts[1]} {json.dumps(fields, ensure_ascii=False)}"


def iter_index(data: bytes) -> Iterator[Capture]:
    for line in data.splitlines():
        if line.strip():
            yield parse_line(line)


class IndexPart:
    """The CDXJ index of one WARC part, collected as the part is written and sorted on close.

    Shaped like the other parts (``records``, ``close() -> PartInfo``, ``abort()``) so the run
    archive publishes it the same way, right after its WARC.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lines: list[str] = []
        self._info: PartInfo | None = None

    @property
    def records(self) -> int:
        return len(self._lines)

    def add(self, line: str) -> None:
        if self._info is not None:
            raise ValueError(f"index part {self.path} is already closed")
        self._lines.append(line)

    def close(self) -> PartInfo:
        if self._info is None:
            data = sorted_index(self._lines)
            with open(self.path, "wb") as fh:
                fh.write(data)
            self._info = PartInfo(self.path, len(self._lines), len(data), hashlib.sha256(data).hexdigest())
        return self._info

    def abort(self) -> None:
        self._lines.clear()
