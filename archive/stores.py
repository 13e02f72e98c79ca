"""Where archive files live: one small interface, one class per URI scheme.

Shaped like Scrapy's ``scrapy/pipelines/files.py`` (``FSFilesStore`` / ``S3FilesStore`` picked from
``STORE_SCHEMES`` by the URI scheme). Keys are ``/``-separated paths relative to the archive root, the
same on every backend. A data file is written locally at ``staging_path(key)`` and only becomes visible
through ``publish``, complete or not at all, so a consumer listing the archive never sees a partial file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import unquote, urlsplit

__all__ = ["STORE_SCHEMES", "ArchiveStore", "FSStore", "StoreError", "open_store", "safe_key"]

# Hidden ("." prefix) so globs like **/*.jsonl.gz skip them, ".tmp" suffix so they are recognisable
# as ours when a dead run left them behind.
_TEMP_RE = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_URI_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class StoreError(Exception):
    """The archive store is unreachable or not writable."""


@runtime_checkable
class ArchiveStore(Protocol):
    """What the archive layer needs from a storage backend.

    ``get_bytes`` / ``get_range`` raise ``FileNotFoundError`` for a missing key and ``StoreError``
    when the store itself cannot be used.
    """

    uri: str

    def staging_path(self, key: str) -> Path: ...

    def publish(self, staged: Path, key: str) -> None: ...

    def put_bytes(self, key: str, data: bytes) -> None: ...

    def get_bytes(self, key: str) -> bytes: ...

    def get_range(self, key: str, offset: int, length: int) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str) -> Iterator[str]: ...

    def check(self) -> None: ...

    def cleanup_staging(self, older_than_s: float = 0) -> int: ...


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


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; some filesystems refuse fsync on a directory, which only
    # weakens durability after a power cut, never atomicity, so it is not an error.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


class FSStore:
    """An archive in a local folder: temp file in the destination directory, then ``os.replace``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()
        self.uri = self.root.as_uri()

    @classmethod
    def from_uri(
        cls,
        uri: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        spool_dir: Path | None = None,
    ) -> FSStore:
        # region and spool_dir only matter for remote stores: a folder is its own spool.
        if endpoint_url is not None:
            raise ValueError(f"endpoint_url only applies to s3:// archives, not to the folder {uri!r}")
        match = _URI_RE.match(uri)
        if match is None:
            if not uri:
                raise ValueError("the archive uri is empty")
            return cls(uri)
        parts = urlsplit(uri)
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"file:// archive uri {uri!r} names a remote host; use file:///absolute/path")
        path = unquote(parts.path)
        if not path:
            raise ValueError(f"file:// archive uri {uri!r} has no path")
        return cls(path)

    def __repr__(self) -> str:
        return f"FSStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*safe_key(key).split("/"))

    def staging_path(self, key: str) -> Path:
        final = self._path(key)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"archive {self.uri} is not writable: cannot create {final.parent}: {exc}") from exc
        return final.parent / f".{final.name}.{secrets.token_hex(8)}.tmp"

    def publish(self, staged: Path, key: str) -> None:
        final = self._path(key)
        staged = Path(staged)
        try:
            if staged.parent.resolve() != final.parent:
                # A rename is only atomic within one filesystem: bring a foreign file next to its
                # destination first.
                local = self.staging_path(key)
                shutil.copyfile(staged, local)
                staged.unlink()
                staged = local
            _fsync_file(staged)
            os.replace(staged, final)
        except FileNotFoundError as exc:
            raise StoreError(f"cannot publish {key!r} to {self.uri}: staged file {staged} is missing") from exc
        except OSError as exc:
            raise StoreError(f"cannot publish {key!r} to {self.uri}: {exc}") from exc
        _fsync_dir(final.parent)

    def put_bytes(self, key: str, data: bytes) -> None:
        staged = self.staging_path(key)
        try:
            staged.write_bytes(data)
        except OSError as exc:
            with contextlib.suppress(OSError):
                staged.unlink()
            raise StoreError(f"cannot write {key!r} to {self.uri}: {exc}") from exc
        self.publish(staged, key)

    def get_bytes(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StoreError(f"cannot read {key!r} from {self.uri}: {exc}") from exc

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0:
            raise ValueError(f"invalid range offset={offset} length={length} for {key!r}")
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                fh.seek(offset)
                data = fh.read(length)
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StoreError(f"cannot read {key!r} from {self.uri}: {exc}") from exc
        if len(data) != length:
            raise ValueError(
                f"range offset={offset} length={length} runs past the end of {key!r} ({offset + len(data)} bytes)"
            )
        return data

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str) -> Iterator[str]:
        # Prefix semantics are S3's (plain string prefix), walked from the deepest directory the
        # prefix names so listing runs/ does not walk the whole archive.
        directory = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        start = self._path(directory) if directory else self.root
        keys: list[str] = []
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames.sort()
            rel = Path(dirpath).relative_to(self.root).as_posix()
            for name in filenames:
                if _TEMP_RE.match(name):
                    continue
                key = name if rel == "." else f"{rel}/{name}"
                if key.startswith(prefix):
                    keys.append(key)
        yield from sorted(keys)

    def check(self) -> None:
        probe = self.root / f".newsvault-probe.{secrets.token_hex(8)}.tmp"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with open(probe, "wb") as fh:
                fh.write(b"newsvault write probe\n")
                fh.flush()
                os.fsync(fh.fileno())
            probe.unlink()
        except OSError as exc:
            with contextlib.suppress(OSError):
                probe.unlink()
            reason = "it is not a directory" if exc.errno in (errno.ENOTDIR, errno.EEXIST) else str(exc)
            raise StoreError(f"archive {self.uri} is not writable: {reason}") from exc

    def cleanup_staging(self, older_than_s: float = 0) -> int:
        """Remove temp files left by dead runs; pass ``older_than_s`` above any run's part lifetime
        when other runs may be writing to the same archive."""
        cutoff = time.time() - older_than_s
        removed = 0
        for dirpath, _dirnames, filenames in os.walk(self.root):
            for name in filenames:
                if not _TEMP_RE.match(name):
                    continue
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime <= cutoff:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    raise StoreError(f"cannot remove leftover temp file {path}: {exc}") from exc
        return removed


# scheme -> class with a ``from_uri(uri, *, endpoint_url, region, spool_dir)`` constructor
STORE_SCHEMES: dict[str, Any] = {"": FSStore, "file": FSStore}


def uri_scheme(uri: str) -> str:
    """``s3`` for ``s3://bucket/prefix``; ``""`` for a folder path."""
    match = _URI_RE.match(uri)
    return match.group(1).lower() if match else ""


def open_store(
    uri: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    spool_dir: Path | None = None,
) -> ArchiveStore:
    """The store for ``uri``: a folder path, ``file:///abs/path`` or a registered scheme."""
    scheme = uri_scheme(uri)
    try:
        store_cls = STORE_SCHEMES[scheme]
    except KeyError:
        known = ", ".join(f"{s}://" for s in sorted(STORE_SCHEMES) if s) or "none"
        raise ValueError(f"unknown archive uri scheme {scheme!r} in {uri!r} (known: a folder path, {known})") from None
    store: ArchiveStore = store_cls.from_uri(uri, endpoint_url=endpoint_url, region=region, spool_dir=spool_dir)
    return store
