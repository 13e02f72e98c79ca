"""Locks that hold across processes: one scheduler per state store, one crawl per source.

Their kind follows the state store's capabilities, chosen once here: beside a state file on this
machine they are file locks (scheduler/file_locks.py); in a state shared by a cluster's machines they
are leases in that state (scheduler/leases.py). Both are `Lock`s (scheduler/lock_types.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from core.config import Config
from scheduler.file_locks import FileLock, holder_if_locked, read_holder
from scheduler.leases import RedisLease
from scheduler.lock_types import Lock, LockBusy, describe_holder
from state.backends import state_backend

__all__ = ["FileLock", "Lock", "LockBusy", "RedisLease", "SourceLocks", "describe_holder", "hold_sources",
           "holder_if_locked", "is_shared", "lock_dir", "lock_holder", "read_holder", "scheduler_lock",
           "source_lock"]


def is_shared(config: Config) -> bool:
    """A state shared by the machines of a cluster: its locks are leases in it, since a file lock
    holds on one machine only."""
    return state_backend(config.state.uri).capabilities.shared


def lock_dir(config: Config) -> Path | None:
    """Where the locks of this config's state live: beside its database file; None without one."""
    database = state_backend(config.state.uri).database_path(config.state.uri)
    return None if database is None else database.with_name(database.name + ".locks")


def _lock(config: Config, name: str, what: str) -> Lock | None:
    if is_shared(config):
        return RedisLease(config.state.uri, name, what)
    folder = lock_dir(config)
    return None if folder is None else FileLock(folder / f"{name.replace(':', '-')}.lock", what)


def scheduler_lock(config: Config) -> Lock:
    lock = _lock(config, "scheduler", "the scheduler")
    if lock is None:
        raise ValueError(f"the scheduler needs a state store with locks; [state] uri is {config.state.uri!r}")
    return lock


def source_lock(config: Config, source_id: str, what: str = "a crawl") -> Lock | None:
    return _lock(config, f"source:{source_id}", f"{what} of {source_id}")


def lock_holder(lock: Lock) -> dict[str, Any] | None:
    """Who holds ``lock``, or None when nobody does."""
    return lock.holder()


class SourceLocks:
    """The per-source locks a crawl takes for its sources; busy sources are left out, with who has them."""

    def __init__(self, config: Config, source_ids: Sequence[str], what: str) -> None:
        self.held: list[str] = []
        self.busy: dict[str, dict[str, Any]] = {}
        self._locks: list[Lock] = []
        try:
            for source_id in dict.fromkeys(source_ids):
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
        except BaseException:  # a store out of reach halfway: the locks taken so far go back
            self.release()
            raise

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
