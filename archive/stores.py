"""Where archive files live: the backend chosen once from the archive URI, like Scrapy's
``FilesPipeline.STORE_SCHEMES``.

The interface is ``ArchiveStore`` (archive/store_types.py); the backends are a local folder
(archive/fs_store.py) and S3 or any S3-compatible store (archive/s3.py). Nothing else looks at the
URI's scheme.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.fs_store import FSStore
from archive.s3 import S3Store
from archive.spool import default_spool_root
from archive.store_types import ArchiveStore, StoreCapabilities, StoreError, safe_key, uri_scheme

if TYPE_CHECKING:
    from core.config import Config

__all__ = ["STORE_SCHEMES", "ArchiveStore", "FSStore", "S3Store", "StoreCapabilities", "StoreError", "open_archive",
           "open_store",
           "safe_key", "store_backend", "uri_scheme"]

# scheme -> class with a ``from_uri(uri, *, endpoint_url, region, spool_dir)`` constructor and a
# ``normalise_uri(uri, base)`` for the config
STORE_SCHEMES: dict[str, Any] = {"": FSStore, "file": FSStore, "s3": S3Store}


def store_backend(uri: str) -> Any:
    """The backend class for ``uri``; ValueError naming the supported forms."""
    scheme = uri_scheme(uri)
    try:
        return STORE_SCHEMES[scheme]
    except KeyError:
        known = ", ".join(f"{s}://" for s in sorted(STORE_SCHEMES) if s) or "none"
        raise ValueError(f"unknown archive uri scheme {scheme!r} in {uri!r} (known: a folder path, {known})") from None


def open_store(
    uri: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    spool_dir: Path | None = None,
) -> ArchiveStore:
    """The store for ``uri``: a folder path, ``file:///abs/path`` or ``s3://bucket/prefix``."""
    store: ArchiveStore = store_backend(uri).from_uri(uri, endpoint_url=endpoint_url, region=region,
                                                      spool_dir=spool_dir)
    return store


def open_archive(config: Config) -> ArchiveStore:
    """The configured archive store; a remote one spools, persistently, next to the state database."""
    return open_store(config.archive.uri, endpoint_url=config.archive.endpoint_url,
                      region=config.archive.region,
                      spool_dir=default_spool_root(config.state.uri, config.path.parent))
