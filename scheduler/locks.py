"""Locks that hold across processes: one scheduler per state store, one crawl per source.

They are POSIX record locks (``fcntl.lockf``) on small files next to the SQLite state file. The
kernel drops them when their process dies, however it dies, so a crashed crawl or scheduler never
leaves a stale lock behind; and unlike ``flock`` they are not inherited by forked children (the
extraction pool), so a lock never outlives the process that took it. Each file holds a line saying
who holds it, for the messages of whoever finds it taken.

POSIX locks belong to the process, and closing *any* descriptor of the file drops them: a process
must never probe (:func:`holder_if_locked`) a lock it holds itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from newsvault.config import Config
from newsvault.state import sqlite_path


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


class FileLock:
    """A non-blocking exclusive lock on ``path``; ``acquire`` raises :class:`LockBusy` when taken."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> FileLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while held
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise LockBusy(self.path, read_holder(self.path)) from None
        handle.seek(0)
        handle.truncate()
        holder = {"what": self.what, "pid": os.getpid(), "host": socket.gethostname(),
                  "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        handle.write(json.dumps(holder) + "\n")
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is None:
            return
        with contextlib.suppress(OSError):
            self._file.truncate(0)
            self._file.flush()
        self._file.close()  # closing drops the lock
        self._file = None

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
    probe = FileLock(path, "probe")
    try:
        probe.acquire()
    except LockBusy as busy:
        return busy.holder
    except OSError:
        return None
    probe.release()
    return None


def lock_holder(lock: FileLock) -> dict[str, Any] | None:
    """Who holds ``lock`` (a FileLock, or a RedisLease of a cluster), or None when nobody does.

    A FileLock is probed with :func:`holder_if_locked`: never one this process holds itself."""
    holder = getattr(lock, "holder", None)
    if callable(holder):  # a RedisLease: the key says who, wherever they run
        return holder()  # type: ignore[no-any-return]
    return holder_if_locked(lock.path)


def is_shared(config: Config) -> bool:
    """A Redis state is shared by the machines of a cluster: its locks are leases in Redis
    (scheduler/leases.py, same interface), since a file lock holds on one machine only."""
    return config.state.uri.startswith(("redis://", "rediss://"))


def lock_dir(config: Config) -> Path | None:
    """Where the locks of this config's state live; None for a state store that is not a SQLite file."""
    if not config.state.uri.startswith("sqlite:///"):
        return None
    database = sqlite_path(config.state.uri.split("?", 1)[0])
    return database.with_name(database.name + ".locks")


def scheduler_lock(config: Config) -> FileLock:
    if is_shared(config):
        from scheduler.leases import RedisLease

        return RedisLease(config.state.uri, "scheduler", "the scheduler")  # type: ignore[return-value]
    folder = lock_dir(config)
    if folder is None:
        raise ValueError(f"the scheduler needs a SQLite state store; [state] uri is {config.state.uri!r}")
    return FileLock(folder / "scheduler.lock", "the scheduler")


def source_lock(config: Config, source_id: str, what: str = "a crawl") -> FileLock | None:
    if is_shared(config):
        from scheduler.leases import RedisLease

        return RedisLease(config.state.uri, f"source:{source_id}", f"{what} of {source_id}")  # type: ignore[return-value]
    folder = lock_dir(config)
    return None if folder is None else FileLock(folder / f"source-{source_id}.lock", f"{what} of {source_id}")


class SourceLocks:
    """The per-source locks a crawl takes for its sources; busy sources are left out, with who has them."""

    def __init__(self, config: Config, source_ids: Sequence[str], what: str) -> None:
        self.held: list[str] = []
        self.busy: dict[str, dict[str, Any]] = {}
        self._locks: list[FileLock] = []
        for source_id in source_ids:
            lock = source_lock(config, source_id, what)
            if lock is None:  # no shared lock folder: nothing to coordinate with on this machine
                self.held.append(source_id)
                continue
            try:
                lock.acquire()
            except LockBusy as busy:
                self.busy[source_id] = busy.holder
                continue
            self._locks.append(lock)
            self.held.append(source_id)

    def release(self) -> None:
        for lock in self._locks:
            lock.release()
        self._locks.clear()


@contextlib.contextmanager
def hold_sources(config: Config, source_ids: Sequence[str], what: str = "a crawl") -> Iterator[SourceLocks]:
    locks = SourceLocks(config, source_ids, what)
    try:
        yield locks
    finally:
        locks.release()
