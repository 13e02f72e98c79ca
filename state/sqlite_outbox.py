"""The alert outbox in the SQLite state file: events, their deliveries per target, and what each
source's health was when it was last alerted.

A delivery is claimed inside one `BEGIN IMMEDIATE` transaction (SQLite's write lock, taken before the
rows are read), so of processes flushing at once each claims different rows. A claim is a lease
(`claimed_until`), not a lock: a process that dies while sending leaves its claims to lapse. The
outbox has its own connection, so its transactions never interleave with the crawl's on one connection.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from state.sqlite_transactions import immediate_transaction
from state.state_types import Delivery, StateError

SCHEMA = """
CREATE TABLE IF NOT EXISTS alert_events (
    seq         INTEGER PRIMARY KEY,
    event_id    TEXT NOT NULL UNIQUE,
    body        TEXT NOT NULL,
    created_at  REAL NOT NULL
);
-- state: pending, delivered, given_up; next_attempt is the backoff, claimed_until the lease
CREATE TABLE IF NOT EXISTS alert_deliveries (
    target         TEXT NOT NULL,
    event_seq      INTEGER NOT NULL REFERENCES alert_events (seq) ON DELETE CASCADE,
    state          TEXT NOT NULL DEFAULT 'pending',
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_attempt   REAL NOT NULL,
    claimed_until  REAL NOT NULL DEFAULT 0,
    claim          TEXT,
    last_error     TEXT,
    settled_at     REAL,
    PRIMARY KEY (target, event_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alert_deliveries_pending ON alert_deliveries (target, event_seq)
    WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS alert_source_health (
    source      TEXT PRIMARY KEY,
    flagged     INTEGER NOT NULL,
    changed_at  REAL NOT NULL
) WITHOUT ROWID;
"""
# Settled events are kept this long (what was sent, for an operator looking back), then pruned.
KEEP_SETTLED_S = 30 * 24 * 3600.0


class SQLiteOutbox:
    def __init__(self, path: Path) -> None:
        try:
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise StateError(f"cannot open the alert outbox in {path}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self._db)

    def add(self, event_id: str, body: str, targets: Sequence[str], now: float) -> bool:
        with self._transaction() as db:
            cursor = db.execute("INSERT INTO alert_events (event_id, body, created_at) VALUES (?, ?, ?) "
                                "ON CONFLICT (event_id) DO NOTHING", (event_id, body, now))
            if cursor.rowcount != 1:
                return False
            seq = cursor.lastrowid
            db.executemany("INSERT INTO alert_deliveries (target, event_seq, next_attempt) VALUES (?, ?, ?)",
                           [(target, seq, now) for target in dict.fromkeys(targets)])
            # events all of whose deliveries are settled, long enough ago
            db.execute("DELETE FROM alert_events WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM "
                       "alert_deliveries d WHERE d.event_seq = alert_events.seq AND d.state = 'pending')",
                       (now - KEEP_SETTLED_S,))
        return True

    def claim(self, target: str, *, now: float, due_only: bool, lease_s: float, limit: int) -> list[Delivery]:
        token = secrets.token_hex(8)
        with self._transaction() as db:
            rows = db.execute(
                "SELECT d.event_seq, e.event_id, e.body, d.attempts, e.created_at FROM alert_deliveries d "
                "JOIN alert_events e ON e.seq = d.event_seq WHERE d.target = ? AND d.state = 'pending' "
                "AND d.claimed_until <= ? AND (? OR d.next_attempt <= ?) ORDER BY d.event_seq LIMIT ?",
                (target, now, not due_only, now, limit)).fetchall()
            db.executemany("UPDATE alert_deliveries SET claimed_until = ?, claim = ? WHERE target = ? AND event_seq = ?",
                           [(now + lease_s, token, target, row[0]) for row in rows])
        return [Delivery(event_id=event_id, target=target, body=body, attempts=attempts, created_at=created,
                         claim=token) for _seq, event_id, body, attempts, created in rows]

    def _settle(self, delivery: Delivery, assignments: str, values: tuple[object, ...]) -> None:
        # only the claim's holder settles it: a claim that lapsed and was taken again is the new holder's
        with self._transaction() as db:
            db.execute(f"UPDATE alert_deliveries SET {assignments}, claimed_until = 0, claim = NULL "
                       "WHERE target = ? AND claim = ? AND event_seq = (SELECT seq FROM alert_events WHERE event_id = ?)",
                       (*values, delivery.target, delivery.claim, delivery.event_id))

    def delivered(self, delivery: Delivery, now: float) -> None:
        self._settle(delivery, "state = 'delivered', settled_at = ?", (now,))

    def retry(self, delivery: Delivery, error: str, next_attempt: float) -> None:
        self._settle(delivery, "attempts = attempts + 1, last_error = ?, next_attempt = ?", (error, next_attempt))

    def release(self, delivery: Delivery) -> None:
        self._settle(delivery, "state = state", ())

    def give_up(self, delivery: Delivery, error: str, now: float) -> None:
        self._settle(delivery, "state = 'given_up', last_error = ?, settled_at = ?", (error, now))

    def pending(self, targets: Sequence[str]) -> dict[str, int]:
        counts = dict(self._db.execute(
            "SELECT target, count(*) FROM alert_deliveries WHERE state = 'pending' GROUP BY target").fetchall())
        return {target: int(counts.get(target, 0)) for target in targets}

    def swap_source_flag(self, source: str, flagged: bool, now: float) -> bool | None:
        with self._transaction() as db:
            row = db.execute("SELECT flagged FROM alert_source_health WHERE source = ?", (source,)).fetchone()
            db.execute("INSERT INTO alert_source_health (source, flagged, changed_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (source) DO UPDATE SET flagged = excluded.flagged, changed_at = excluded.changed_at "
                       "WHERE alert_source_health.flagged != excluded.flagged", (source, int(flagged), now))
        return None if row is None else bool(row[0])
