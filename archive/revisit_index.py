"""Where the responses of an import's inputs are, so that a revisit record can be followed to one.

A revisit record holds no payload: it names the response it repeats by record id
(``WARC-Refers-To``) or by payload digest (``WARC-Payload-Digest``, the same bytes at any URL). The
HTML responses read so far are indexed by both, with their location in their input; the revisit's
response is then read again from there (archive/warc_input.py payload_at). A CC-NEWS month is
millions of responses, so the index is a SQLite file in the import's temporary folder, not a dict.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple

__all__ = ["Location", "PayloadIndex"]

_BATCH = 1000


class Location(NamedTuple):
    input: int  # the input's number in the import
    offset: int
    length: int
    whole_gzip: bool  # offsets into the decompressed file


class PayloadIndex:
    """Responses by record id and payload digest; the latest one indexed wins."""

    def __init__(self, path: Path) -> None:
        # Written and read by the import's reading thread only, one batch at a time.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.executescript("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE IF NOT EXISTS payloads (digest TEXT, record_id TEXT, url TEXT,
                input INTEGER, offset INTEGER, length INTEGER, whole_gzip INTEGER);
            CREATE INDEX IF NOT EXISTS by_digest ON payloads (digest);
            CREATE INDEX IF NOT EXISTS by_record_id ON payloads (record_id);
        """)
        self._pending: list[tuple[str, str | None, str, int, int, int, int]] = []

    def add(self, digest: str, record_id: str | None, url: str, location: Location) -> None:
        self._pending.append((digest, record_id, url, location.input, location.offset, location.length,
                              int(location.whole_gzip)))
        if len(self._pending) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT INTO payloads VALUES (?, ?, ?, ?, ?, ?, ?)", self._pending)
            self._pending.clear()

    def find(self, refers_to: str | None, digest: str | None, url: str) -> Location | None:
        """The response a revisit repeats: the one it names, else the latest with its payload digest
        (one of the same URL first)."""
        self._flush()
        row = None
        if refers_to:
            row = self._db.execute("SELECT input, offset, length, whole_gzip FROM payloads WHERE record_id = ? "
                                   "ORDER BY rowid DESC LIMIT 1", (refers_to,)).fetchone()
        if row is None and digest:
            row = self._db.execute("SELECT input, offset, length, whole_gzip FROM payloads WHERE digest = ? "
                                   "ORDER BY url = ? DESC, rowid DESC LIMIT 1", (digest, url)).fetchone()
        return Location(row[0], row[1], row[2], bool(row[3])) if row else None

    def close(self) -> None:
        self._db.close()
