"""What an archive store is: one small interface every backend implements, its capabilities
declared, and the key rules every backend follows.

Shaped like Scrapy's ``scrapy/pipelines/files.py`` (``FSFilesStore`` / ``S3FilesStore`` behind one
interface). Keys are ``/``-separated paths relative to the archive root, the same on every backend. A
data file is written locally at ``staging_path(key)`` and only becomes visible through ``publish``,
complete or not at all, so a consumer listing the archive never sees a partial file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from archive.spool import Spool

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_URI_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def uri_scheme(uri: str) -> str:
    """``s3`` for ``s3://bucket/prefix``; ``""`` for a folder path."""
    match = _URI_RE.match(uri)
    return match.group(1).lower() if match else ""


class StoreError(Exception):
    """The archive store is unreachable or not writable."""


@dataclass(frozen=True)
class StoreCapabilities:
    """What a backend is, declared by its class."""

    # Objects reach the store over a network: uploads can fail while the run goes on, so parts wait
    # in a local spool, and an interrupted multipart upload leaves something to abort.
    remote: bool


@dataclass(frozen=True)
class ObjectStat:
    """What a store says of an object without reading it."""

    size: int
    # changes whenever the object is rewritten: a folder's modification time, S3's ETag
    version: str


@runtime_checkable
class ArchiveStore(Protocol):
    """What the archive layer needs from a storage backend.

    ``get_bytes`` / ``get_range`` raise ``FileNotFoundError`` for a missing key and ``StoreError``
    when the store itself cannot be used.
    """

    capabilities: ClassVar[StoreCapabilities]
    uri: str
    # where parts wait while a remote store is out of reach (archive/spool.py); None for a folder,
    # which is its own spool
    spool: Spool | None

    def staging_path(self, key: str) -> Path: ...

    def publish(self, staged: Path, key: str, *, sha256: str | None = None) -> None:
        """Make ``staged`` visible at ``key`` and consume it; ``sha256``, when the writer computed
        it, is recorded with the object so nobody reads the file again to hash it."""
        ...

    def put_bytes(self, key: str, data: bytes) -> None: ...

    def get_bytes(self, key: str) -> bytes: ...

    def get_range(self, key: str, offset: int, length: int) -> bytes: ...

    def open_read(self, key: str) -> BinaryIO:
        """The object at ``key`` as a stream read as it is consumed, never whole in memory (a WARC
        being imported); the caller closes it."""
        ...

    def stat(self, key: str) -> ObjectStat:
        """Size and version of the object at ``key``; ``FileNotFoundError`` when there is none."""
        ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str) -> Iterator[str]: ...

    def check(self) -> None: ...

    def cleanup_staging(self, older_than_s: float = 0) -> int: ...

    def stored_sha256(self, key: str) -> str | None:
        """The sha256 of what is stored at ``key``, None when nothing is."""
        ...

    def abort_stale_uploads(self, older_than_s: float = ...) -> int:
        """Abort uploads of dead processes (S3 multipart uploads, billed while invisible): how many."""
        ...


def safe_key(*parts: str) -> str:
    """Join key parts with ``/``, refusing anything that could leave the archive root.

    Parts may themselves contain ``/``; every segment must be non-empty and not ``.`` or ``..``, and
    no part may be absolute or hold a backslash or a control character (NUL included). Source ids and
    URLs end up in keys, so this is the one place that guarantees they cannot escape.
    """
    if not parts:
        raise ValueError("an archive key needs at least one part")
    segments: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(f"archive key part {part!r} is not a string")
        if part.startswith("/"):
            raise ValueError(f"archive key part {part!r} is absolute")
        if "\\" in part:
            raise ValueError(f"archive key part {part!r} contains a backslash")
        if _CONTROL_RE.search(part):
            raise ValueError(f"archive key part {part!r} contains a control character")
        for segment in part.split("/"):
            if segment in ("", ".", ".."):
                raise ValueError(f"archive key part {part!r} has an empty, '.' or '..' segment")
            segments.append(segment)
    return "/".join(segments)
