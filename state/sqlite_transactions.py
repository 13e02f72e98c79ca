"""Writes to a SQLite state file in one `BEGIN IMMEDIATE` transaction: the write lock taken at the
start, so two processes never both read, decide and then fail to write (state and alert outbox)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
