"""Locks that hold across processes: one scheduler per state store, one crawl per source.

They are POSIX record locks (``fcntl.lockf``) on small files next to the SQLite state file. The
kernel drops them when their process dies, however it dies, so a crashed crawl or scheduler never
leaves a stale lock behind; and unlike ``flock`` they are not inherited by forked children (the
extraction pool), so a lock never outlives the process that took it. Each file holds a line saying
who holds it, for the messages of whoever finds it taken.

POSIX locks belong to the process, and closing *any* descriptor of the file drops them: a process
must never open a lock file it holds itself. A crawl host runs many crawls in one process, so the
locks this process holds are also kept in `_HELD_HERE`, with who holds them: taking one of them
again is refused as busy (the kernel would grant it), and asking who holds one never opens its file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scheduler.lock_types import LockBusy

_HELD_HERE: dict[Path, dict[str, Any]] = {}  # path -> who holds it (this process), never read from the file
_HELD_HERE_LOCK = threading.Lock()


class FileLock:
    """A non-blocking exclusive lock on ``path``; ``acquire`` raises :class:`LockBusy` when taken."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self._file: IO[str] | None = None
        self.lost = threading.Event()  # never set: the kernel keeps the lock while the process lives

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> FileLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _HELD_HERE_LOCK:
            if self.path in _HELD_HERE:
                # opening the file to read who holds it would drop this process's lock on it
                raise LockBusy(self.path, dict(_HELD_HERE[self.path]))
            handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while held
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                raise LockBusy(self.path, read_holder(self.path)) from None
            holder = {"what": self.what, "pid": os.getpid(), "host": socket.gethostname(),
                      "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
            try:
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps(holder) + "\n")
                handle.flush()
            except OSError:
                handle.close()  # the lock goes with it: a full disk must not leave it taken
                raise
            _HELD_HERE[self.path] = holder
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is None:
            return
        with contextlib.suppress(OSError):
            self._file.truncate(0)
            self._file.flush()
        with _HELD_HERE_LOCK:
            self._file.close()  # closing drops the lock
            self._file = None
            _HELD_HERE.pop(self.path, None)

    def holder(self) -> dict[str, Any] | None:
        return holder_if_locked(self.path)

    def __enter__(self) -> FileLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def read_holder(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8").strip()
        holder = json.loads(text) if text else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def holder_if_locked(path: Path) -> dict[str, Any] | None:
    """Who holds the lock at ``path`` (``{}`` when unreadable), or None when nobody does."""
    with _HELD_HERE_LOCK:
        if path in _HELD_HERE:  # this process: neither probed nor read, which would drop the lock
            return dict(_HELD_HERE[path])
    probe = FileLock(path, "probe")
    try:
        probe.acquire()
    except LockBusy as busy:
        return busy.holder
    except OSError:
        return None
    probe.release()
    return None
