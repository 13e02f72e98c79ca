"""An archive in an S3 bucket (AWS, MinIO, Ceph, ...) under the same keys as a local folder.

Parts are staged on local disk (never in the bucket) and published whole: one ``put_object`` below
the multipart threshold, boto3's transfer manager above it (which aborts the multipart upload when a
part fails, so no half-uploaded object ever becomes visible). Every object carries its sha256 in the
``x-amz-meta-sha256`` header, so the spool can tell an object it already uploaded from one it did not.

Credentials come only from the standard AWS chain (environment, shared profile, instance role): they
never pass through newsvault's config, messages or logs.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, cast
from urllib.parse import urlsplit

from archive.spool import Spool, default_spool_root, file_sha256
from archive.store_types import ObjectStat, StoreCapabilities, StoreError, safe_key

__all__ = ["S3Store"]

logger = logging.getLogger(__name__)

MiB = 2**20
# S3's smallest allowed part is 5 MiB; parts of a run are at most 64 MiB (NEWSVAULT_PART_MAX_BYTES),
# so by default only the largest WARC parts go multipart.
DEFAULT_MULTIPART_THRESHOLD = 16 * MiB
DEFAULT_MULTIPART_CHUNKSIZE = 8 * MiB
STALE_UPLOAD_S = 86400.0
_TEMP_RE = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp$")
_CONTENT_TYPES = {".json": "application/json", ".gz": "application/gzip"}
_NO_OBJECT = {"404", "NoSuchKey", "NotFound"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"${name} must be a whole number, got {value!r}") from None
    if number < 1:
        raise ValueError(f"${name} must be positive, got {number}")
    return number


def _error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


_loader: Any = None


def _session(boto3: Any) -> Any:
    """A fresh session (credentials are looked up anew) sharing one loader of botocore's service
    models, which are slow to parse and never change."""
    import botocore.loaders
    import botocore.session

    global _loader
    if _loader is None:
        _loader = botocore.loaders.create_loader()
    core = botocore.session.get_session()
    core.register_component("data_loader", _loader)
    return boto3.session.Session(botocore_session=core)


_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


class S3Store:
    """``s3://bucket/prefix``: the local folder layout as object keys under ``prefix/``."""

    capabilities: ClassVar[StoreCapabilities] = StoreCapabilities(remote=True)

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        spool_dir: Path | None = None,
        multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD,
        multipart_chunksize: int = DEFAULT_MULTIPART_CHUNKSIZE,
        max_attempts: int = 4,
        connect_timeout: float = 3.0,
        read_timeout: float = 15.0,
    ) -> None:
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        prefix = prefix.strip("/")
        self.bucket = bucket
        self.prefix = f"{safe_key(prefix)}/" if prefix else ""
        self.endpoint_url = endpoint_url
        self.region = region
        self.uri = f"s3://{bucket}/{self.prefix}"
        where = f"{self.uri} at {endpoint_url}" if endpoint_url else self.uri
        self._where = where
        self.multipart_threshold = multipart_threshold
        root = Path(spool_dir) if spool_dir is not None else default_spool_root(None, None)
        self.local_dir = root / self.archive_id(self.uri, endpoint_url)
        self.staging_dir = self.local_dir / "staging"
        self.spool = Spool(self.local_dir / "waiting")
        config = Config(
            region_name=region,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            # "standard" retries throttling (503 SlowDown) and connection errors with exponential
            # backoff; a few attempts keep an outage detected within seconds.
            retries={"mode": "standard", "max_attempts": max_attempts},
            s3={"addressing_style": "path" if endpoint_url else "auto"},
        )
        self.client: Any = _session(boto3).client("s3", endpoint_url=endpoint_url, config=config)
        self._transfer = TransferConfig(
            multipart_threshold=multipart_threshold,
            multipart_chunksize=max(multipart_chunksize, 5 * MiB),
            max_concurrency=4,
        )

    @classmethod
    def from_uri(
        cls,
        uri: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        spool_dir: Path | None = None,
    ) -> S3Store:
        parts = urlsplit(uri)
        if parts.scheme.lower() != "s3" or not parts.netloc:
            raise ValueError(f"an S3 archive uri names a bucket, as in s3://bucket/prefix; got {uri!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"an S3 archive uri takes no query or fragment; got {uri!r}")
        threshold = _env_int("NEWSVAULT_S3_MULTIPART_THRESHOLD", DEFAULT_MULTIPART_THRESHOLD)
        return cls(
            parts.netloc,
            parts.path,
            endpoint_url=endpoint_url,
            region=region,
            spool_dir=spool_dir,
            multipart_threshold=threshold,
            multipart_chunksize=min(threshold, DEFAULT_MULTIPART_CHUNKSIZE),
            max_attempts=_env_int("NEWSVAULT_S3_MAX_ATTEMPTS", 4),
        )

    @staticmethod
    def normalise_uri(uri: str, base: Path) -> str:
        if not _BUCKET.fullmatch(urlsplit(uri).netloc):
            raise ValueError("an s3 URI names a valid bucket, as in s3://bucket/prefix")
        return uri

    @staticmethod
    def archive_id(uri: str, endpoint_url: str | None) -> str:
        """A folder name for this archive's local files: readable, and distinct per endpoint."""
        digest = hashlib.sha256(f"{endpoint_url or ''}|{uri}".encode()).hexdigest()[:12]
        bucket = urlsplit(uri).netloc
        return f"s3-{bucket}-{digest}"

    def __repr__(self) -> str:
        return f"S3Store({self._where!r})"

    # -- errors ------------------------------------------------------------------------------------

    def _error(self, exc: BaseException, doing: str) -> StoreError:
        """A message an operator can act on; never the credentials, only what was refused and why."""
        from botocore.exceptions import (
            ConnectionError as BotoConnectionError,
        )
        from botocore.exceptions import (
            NoCredentialsError,
            PartialCredentialsError,
        )

        code = _error_code(exc)
        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            reason = ("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                      "AWS_PROFILE, or run with an instance role")
        elif isinstance(exc, BotoConnectionError):
            endpoint = self.endpoint_url or "the AWS S3 endpoint"
            reason = f"cannot connect to {endpoint} (wrong endpoint_url, or the store is down): {exc}"
        elif code == "NoSuchBucket":
            reason = f"bucket {self.bucket!r} does not exist"
        elif code in ("AccessDenied", "403", "AllAccessDisabled"):
            reason = f"access denied to bucket {self.bucket!r} (the credentials lack s3 permissions here)"
        elif code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"):
            reason = f"the AWS credentials were refused ({code})"
        elif code in ("SlowDown", "503", "ServiceUnavailable", "InternalError", "500"):
            reason = f"the store kept failing after retries ({code})"
        elif code:
            reason = f"{code}: {exc}"
        else:
            reason = f"{type(exc).__name__}: {exc}"
        return StoreError(f"cannot {doing} on {self._where}: {reason}")

    @staticmethod
    def _failures() -> tuple[type[BaseException], ...]:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        return (BotoCoreError, ClientError, Boto3Error)

    def _key(self, key: str) -> str:
        return self.prefix + safe_key(key)

    # -- the ArchiveStore interface ------------------------------------------------------------------

    def staging_path(self, key: str) -> Path:
        name = safe_key(key).rsplit("/", 1)[-1]
        try:
            self.staging_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the local staging folder {self.staging_dir}: {exc}") from exc
        return self.staging_dir / f".{name}.{secrets.token_hex(8)}.tmp"

    def publish(self, staged: Path, key: str, *, sha256: str | None = None) -> None:
        """Upload ``staged`` whole as ``key``, then delete it; on failure it is left in place."""
        full = self._key(key)
        staged = Path(staged)
        try:
            size = staged.stat().st_size
            digest = sha256 or file_sha256(staged)
        except FileNotFoundError as exc:
            raise StoreError(f"cannot publish {key!r} to {self._where}: staged file {staged} is missing") from exc
        extra = {"Metadata": {"sha256": digest}}
        content_type = _CONTENT_TYPES.get(Path(key).suffix)
        if content_type:
            extra["ContentType"] = content_type  # type: ignore[assignment]
        try:
            if size < self.multipart_threshold:
                with open(staged, "rb") as body:
                    self.client.put_object(Bucket=self.bucket, Key=full, Body=body, **extra)
            else:
                # The transfer manager aborts the multipart upload if any part fails for good.
                self.client.upload_file(str(staged), self.bucket, full, ExtraArgs=extra, Config=self._transfer)
        except self._failures() as exc:
            raise self._error(exc, f"publish {key!r}") from exc
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()

    def put_bytes(self, key: str, data: bytes) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(key), Body=data,
                Metadata={"sha256": hashlib.sha256(data).hexdigest()},
                **({"ContentType": ct} if (ct := _CONTENT_TYPES.get(Path(key).suffix)) else {}),
            )
        except self._failures() as exc:
            raise self._error(exc, f"write {key!r}") from exc

    def get_bytes(self, key: str) -> bytes:
        full = self._key(key)
        try:
            return bytes(self.client.get_object(Bucket=self.bucket, Key=full)["Body"].read())
        except self._failures() as exc:
            if _error_code(exc) in _NO_OBJECT:
                raise FileNotFoundError(f"{key} is not in {self._where}") from None
            raise self._error(exc, f"read {key!r}") from exc

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        """The bytes at [offset, offset+length) by a ranged GET: one WARC record, not the whole file."""
        if offset < 0 or length < 0:
            raise ValueError(f"invalid range offset={offset} length={length} for {key!r}")
        full = self._key(key)
        if length == 0:
            if not self.exists(key):
                raise FileNotFoundError(f"{key} is not in {self._where}")
            return b""
        try:
            response = self.client.get_object(
                Bucket=self.bucket, Key=full, Range=f"bytes={offset}-{offset + length - 1}"
            )
            data = bytes(response["Body"].read())
        except self._failures() as exc:
            code = _error_code(exc)
            if code in _NO_OBJECT:
                raise FileNotFoundError(f"{key} is not in {self._where}") from None
            if code in ("InvalidRange", "416"):
                raise ValueError(f"range offset={offset} length={length} runs past the end of {key!r}") from None
            raise self._error(exc, f"read {key!r}") from exc
        if len(data) != length:
            raise ValueError(
                f"range offset={offset} length={length} runs past the end of {key!r} ({offset + len(data)} bytes)"
            )
        return data

    def open_read(self, key: str) -> BinaryIO:
        """The object's body as boto3 streams it: read from the socket as it is consumed."""
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except self._failures() as exc:
            if _error_code(exc) in _NO_OBJECT:
                raise FileNotFoundError(f"{key} is not in {self._where}") from None
            raise self._error(exc, f"read {key!r}") from exc
        return cast(BinaryIO, body)

    def stat(self, key: str) -> ObjectStat:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except self._failures() as exc:
            if _error_code(exc) in _NO_OBJECT:
                raise FileNotFoundError(f"{key} is not in {self._where}") from None
            raise self._error(exc, f"look up {key!r}") from exc
        return ObjectStat(size=int(head["ContentLength"]), version=str(head.get("ETag", "")).strip('"'))

    def stored_sha256(self, key: str) -> str | None:
        """The sha256 of the object at ``key`` (None when absent), from its metadata when it has it."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except self._failures() as exc:
            if _error_code(exc) in _NO_OBJECT:
                return None
            raise self._error(exc, f"look up {key!r}") from exc
        recorded = head.get("Metadata", {}).get("sha256")
        if recorded:
            return str(recorded)
        return hashlib.sha256(self.get_bytes(key)).hexdigest()

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except self._failures() as exc:
            if _error_code(exc) in _NO_OBJECT:
                return False
            raise self._error(exc, f"look up {key!r}") from exc
        return True

    def list(self, prefix: str) -> Iterator[str]:
        keys: list[str] = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix
            )
            for page in pages:
                keys.extend(item["Key"][len(self.prefix):] for item in page.get("Contents", []))
        except self._failures() as exc:
            raise self._error(exc, f"list {prefix!r}") from exc
        # UTF-8 byte order, which S3 lists in, is code point order: sorted() agrees with it.
        yield from sorted(keys)

    def check(self) -> None:
        """The bucket is reachable and writable: put and delete a probe key, say clearly why not."""
        probe = self._key(f".newsvault-probe.{secrets.token_hex(8)}")
        try:
            self.client.put_object(Bucket=self.bucket, Key=probe, Body=b"newsvault write probe\n")
        except self._failures() as exc:
            raise self._error(exc, "write a probe object") from exc
        try:
            self.client.delete_object(Bucket=self.bucket, Key=probe)
        except self._failures() as exc:
            raise self._error(exc, "delete the probe object") from exc
        self.abort_stale_uploads()

    def cleanup_staging(self, older_than_s: float = 0) -> int:
        """Remove local staging files of dead runs; abort multipart uploads older than a day."""
        cutoff = time.time() - older_than_s
        removed = 0
        if self.staging_dir.is_dir():
            for path in self.staging_dir.iterdir():
                if not _TEMP_RE.match(path.name):
                    continue
                try:
                    if path.stat().st_mtime <= cutoff:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    raise StoreError(f"cannot remove leftover staging file {path}: {exc}") from exc
        try:
            removed += self.abort_stale_uploads(max(older_than_s, STALE_UPLOAD_S))
        except StoreError as exc:
            # Leftover uploads cost storage, not correctness: an unreachable store must not stop a
            # run, which will spool its parts instead.
            logger.warning("%s", exc)
        return removed

    def abort_stale_uploads(self, older_than_s: float = STALE_UPLOAD_S) -> int:
        """Abort multipart uploads under the prefix started more than ``older_than_s`` ago.

        A process killed in the middle of a multipart upload leaves its parts billed but invisible;
        a day is far longer than any part takes to upload, so uploads of live runs are never touched.
        """
        cutoff = datetime.now(UTC) - timedelta(seconds=older_than_s)
        aborted = 0
        try:
            pages = self.client.get_paginator("list_multipart_uploads").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            )
            for page in pages:
                for upload in page.get("Uploads", []):
                    if upload["Initiated"] > cutoff:
                        continue
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                    )
                    aborted += 1
        except self._failures() as exc:
            raise self._error(exc, "clean up unfinished multipart uploads") from exc
        if aborted:
            logger.info("aborted %d unfinished multipart uploads older than %.0fs in %s",
                        aborted, older_than_s, self._where)
        return aborted

