"""An archive in a local folder: temp file in the destination directory, then ``os.replace``."""

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
from typing import BinaryIO, ClassVar
from urllib.parse import unquote, urlsplit

from archive.spool import Spool, file_sha256
from archive.store_types import ObjectStat, StoreCapabilities, StoreError, safe_key, uri_scheme

# Hidden ("." prefix) so globs like **/*.jsonl.gz skip them, ".tmp" suffix so they are recognisable
# as ours when a dead run left them behind.
_TEMP_RE = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp$")


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

    capabilities: ClassVar[StoreCapabilities] = StoreCapabilities(remote=False)
    spool: Spool | None = None  # a folder is its own spool

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
        if not uri_scheme(uri):
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

    @staticmethod
    def normalise_uri(uri: str, base: Path) -> str:
        """A folder path (relative to ``base``) or ``file:///abs/path``, as the absolute folder."""
        if not uri_scheme(uri):
            return os.path.normpath(base / Path(uri).expanduser())
        split = urlsplit(uri)
        folder = unquote(split.path)
        if split.netloc not in ("", "localhost") or not folder.startswith("/"):
            raise ValueError("a file URI takes an absolute path, as in file:///srv/archive")
        return os.path.normpath(folder)

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

    def publish(self, staged: Path, key: str, *, sha256: str | None = None) -> None:
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

    def open_read(self, key: str) -> BinaryIO:
        path = self._path(key)
        try:
            return open(path, "rb")  # noqa: SIM115 -- the caller closes it
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StoreError(f"cannot read {key!r} from {self.uri}: {exc}") from exc

    def stat(self, key: str) -> ObjectStat:
        path = self._path(key)
        try:
            info = path.stat()
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StoreError(f"cannot look up {key!r} in {self.uri}: {exc}") from exc
        if not path.is_file():
            raise FileNotFoundError(f"{key} is not a file in {self.uri}")
        return ObjectStat(size=info.st_size, version=str(info.st_mtime_ns))

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def stored_sha256(self, key: str) -> str | None:
        try:
            return file_sha256(self._path(key))
        except FileNotFoundError:
            return None

    def abort_stale_uploads(self, older_than_s: float = 0) -> int:
        return 0  # a rename has nothing half-done to abort

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
