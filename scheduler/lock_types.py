"""What a lock is, whichever backend holds it: a file lock on one machine (scheduler/file_locks.py)
or a lease in a cluster's Redis state (scheduler/leases.py). scheduler/locks.py picks the kind from
the state store's capabilities."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any, Protocol


class LockBusy(Exception):
    """The lock is held by another process; ``holder`` says which, when it could be read."""

    def __init__(self, path: Path | str, holder: dict[str, Any]) -> None:
        self.path = path
        self.holder = holder
        super().__init__(f"{path} is held by {describe_holder(holder)}")


def describe_holder(holder: dict[str, Any]) -> str:
    if not holder:
        return "another process"
    where = f" on {holder['host']}" if holder.get("host") and holder["host"] != socket.gethostname() else ""
    since = f", since {holder['since']}" if holder.get("since") else ""
    return f"{holder.get('what', 'a process')} (pid {holder.get('pid', '?')}{where}{since})"


class Lock(Protocol):
    """A non-blocking exclusive lock; `acquire` raises LockBusy when another process holds it."""

    path: Path | str  # what messages call the lock
    what: str  # what holding it means ("the scheduler", "a crawl of <source>")
    lost: threading.Event  # set when a lease lapsed under its holder; a file lock is never lost

    @property
    def held(self) -> bool: ...

    def acquire(self) -> Lock: ...

    def release(self) -> None: ...

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lock (``{}`` when that cannot be read), or None when nobody does."""
        ...

    def __enter__(self) -> Lock: ...

    def __exit__(self, *exc: object) -> None: ...
