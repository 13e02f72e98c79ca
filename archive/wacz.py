"""WACZ 1.1.1 packages of selected captures (https://specs.webrecorder.net/wacz/1.1.1/), which open
in ReplayWeb.page and in pywb (``wb-manager add --unpack-wacz``).

The ZIP is written in one pass, as a stream:

- ``archive/<part>.warc.gz``, one per WARC part of the archive holding selected captures: the part's
  warcinfo record, then each selected capture's exchange (response, request, metadata), every
  record copied byte for byte (one gzip member each), so digests and record ids stay as crawled.
  Stored, not deflated: a replay tool reads a record by seeking into the entry.
- ``indexes/index.cdx``: the archive's own CDXJ lines of those captures, pointing at the copies,
  sorted bytewise. CDXJ under the ``.cdx`` name py-wacz gives it: pywb's ``--unpack-wacz`` takes
  only ``*.cdx`` / ``*.cdx.gz`` indexes, ReplayWeb.page takes ``.cdx`` and ``.cdxj`` alike.
- ``pages/pages.jsonl``: one page per archived record whose capture is in the package (url, ts,
  title, text, and the record's ``article_id``, ``version``, ``source``), read from the JSONL parts.
- ``datapackage.json`` (every file's sha256 and size) and ``datapackage-digest.json`` (its hash).
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any, BinaryIO

import orjson

from archive.capture_selection import CaptureSelection, SelectedPart, iter_exchanges, read_warcinfo
from archive.cdxj import relocated_line, sorted_index
from archive.history import source_of_path
from archive.jsonl import HashingWriter
from archive.reader import iter_records
from archive.store_types import ArchiveStore

__all__ = ["INDEX_PATH", "PAGES_PATH", "WACZ_VERSION", "PackageInfo", "WaczSummary", "write_wacz"]

WACZ_VERSION = "1.1.1"
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"
_PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}


@dataclass(frozen=True)
class PackageInfo:
    """What datapackage.json says about the package besides its files."""

    title: str
    description: str  # Markdown (plain text is)
    software: str
    created: datetime
    extra: Mapping[str, Any] = field(default_factory=dict)  # further properties, e.g. the selection


@dataclass
class WaczSummary:
    captures: int = 0
    warc_records: int = 0
    pages: int = 0
    warcs: list[str] = field(default_factory=list)  # their paths in the package


def write_wacz(out: BinaryIO, store: ArchiveStore, selection: CaptureSelection, info: PackageInfo,
               on_part: Callable[[SelectedPart, int], None] | None = None) -> WaczSummary:
    """Write the package of ``selection`` to ``out``; ``on_part(part, captures_so_far)`` after each part.

    Raises ValueError when the selection is empty or a stored file does not hold what the archive's
    manifests and indexes say.
    """
    if not selection.parts:
        raise ValueError("no captures selected: a WACZ holds at least one WARC record")
    stamp = _zip_time(info.created)
    # A WARC entry's size is bounded by the bytes of its warcinfo and selected exchanges; past 2 GiB
    # an entry needs ZIP64 headers, which must be chosen before its first byte is written.
    bounds = {part.key: part.first_offset + sum(c.exchange_length for c in part.captures)
              for part in selection.parts}
    summary = WaczSummary()
    resources: list[dict[str, Any]] = []
    index_lines: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as package:
        names: set[str] = set()
        for part in selection.parts:
            name = _warc_name(part.key, names)
            path = f"archive/{name}"
            with _Entry(package, path, stamp, stored=True, zip64=bounds[part.key] >= zipfile.ZIP64_LIMIT) as entry:
                entry.write(read_warcinfo(store, part))
                for selected, records in iter_exchanges(store, part):
                    index_lines.append(relocated_line(selected.line, offset=entry.bytes, filename=name))
                    for record in records:
                        entry.write(record)
                    summary.captures += 1
                    summary.warc_records += len(records)
            resources.append(entry.resource)
            summary.warcs.append(path)
            if on_part is not None:
                on_part(part, summary.captures)

        resources.append(_write_small(package, INDEX_PATH, sorted_index(index_lines), stamp))

        with _Entry(package, PAGES_PATH, stamp, stored=False,
                    zip64=sum(bounds.values()) >= zipfile.ZIP64_LIMIT) as entry:
            entry.write(orjson.dumps(_PAGES_HEADER) + b"\n")
            for page in _pages(store, selection):
                entry.write(orjson.dumps(page) + b"\n")
                summary.pages += 1
        resources.append(entry.resource)

        datapackage = orjson.dumps({
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": info.title,
            "description": info.description,
            "created": _rfc3339(info.created),
            "software": info.software,
            **info.extra,
            "resources": resources,
        }, option=orjson.OPT_INDENT_2)
        digest = _write_small(package, "datapackage.json", datapackage, stamp)
        _write_small(package, "datapackage-digest.json", orjson.dumps(
            {"path": "datapackage.json", "hash": digest["hash"]}, option=orjson.OPT_INDENT_2), stamp)
    return summary


def _pages(store: ArchiveStore, selection: CaptureSelection) -> Iterator[dict[str, Any]]:
    """A page per archived record extracted from a selected capture, in run and part order.

    A record lives in a JSONL part of the run that wrote its capture, of the same source; only those
    parts are read.
    """
    urls = {(part.key, c.capture.offset): c.capture.url for part in selection.parts for c in part.captures}
    listed: set[tuple[str, int]] = set()
    for manifest in selection.manifests:
        sources = {part.source for part in selection.parts if part.run_id == manifest["run_id"]}
        for entry in manifest.get("files", []):
            if entry.get("kind") != "articles" or source_of_path(entry["path"]) not in sources:
                continue
            try:
                for record in iter_records(store, {"run_id": manifest["run_id"], "files": [entry]}):
                    snapshot = record.get("snapshot") or {}
                    pointer = (snapshot.get("warc"), snapshot.get("offset"))
                    if pointer in urls and pointer not in listed:
                        listed.add(pointer)
                        yield _page(record, urls[pointer])
            except FileNotFoundError:
                raise ValueError(f"{entry['path']}, listed by run {manifest['run_id']}'s manifest, "
                                 "is missing from the archive") from None


def _page(record: dict[str, Any], url: str) -> dict[str, Any]:
    record_id = str((record.get("snapshot") or {}).get("record_id") or "")
    page: dict[str, Any] = {
        # the response's WARC-Record-ID: unique per capture, and it names the record in the WARC
        "id": record_id.removeprefix("<urn:uuid:").removesuffix(">") or f"{record['article_id']}-{record['version']}",
        "url": url,
        "ts": record["fetched_at"],
    }
    if record.get("title"):
        page["title"] = record["title"]
    page["text"] = record.get("text") or ""
    page["article_id"] = record.get("article_id")
    page["version"] = record.get("version")
    page["source"] = record.get("source")
    return page


class _Entry:
    """One ZIP entry written as a stream, hashed and counted as written."""

    def __init__(self, package: zipfile.ZipFile, path: str, stamp: tuple[int, ...], *,
                 stored: bool, zip64: bool) -> None:
        info = zipfile.ZipInfo(path, date_time=stamp)  # type: ignore[arg-type]
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        self.path = path
        self._out = HashingWriter(package.open(info, "w", force_zip64=zip64))  # type: ignore[arg-type]

    def __enter__(self) -> _Entry:
        return self

    def __exit__(self, *exc: object) -> None:
        self._out.close()

    @property
    def bytes(self) -> int:
        return self._out.bytes

    def write(self, data: bytes) -> None:
        if data:
            self._out.write(data)

    @property
    def resource(self) -> dict[str, Any]:
        return _resource(self.path, self._out.hexdigest(), self._out.bytes)


def _write_small(package: zipfile.ZipFile, path: str, data: bytes, stamp: tuple[int, ...]) -> dict[str, Any]:
    info = zipfile.ZipInfo(path, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    package.writestr(info, data)
    return _resource(path, hashlib.sha256(data).hexdigest(), len(data))


def _resource(path: str, sha256: str, size: int) -> dict[str, Any]:
    # Frictionless names are lowercase; the package's names are unique without their folder.
    return {"name": PurePosixPath(path).name.lower(), "path": path, "hash": f"sha256:{sha256}", "bytes": size}


def _warc_name(key: str, taken: set[str]) -> str:
    """The part's file name, made unique in the package (run ids make it so in one archive)."""
    name = PurePosixPath(key).name
    stem, dot, suffix = name.partition(".")
    number = 1
    while name.lower() in taken:
        name = f"{stem}-{number}{dot}{suffix}"
        number += 1
    taken.add(name.lower())
    return name


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    utc = moment.astimezone(UTC)
    return (max(utc.year, 1980), utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
