"""The state store in SQLite: the embedded default, one file on this machine.

One file holds what must survive between runs. Reads are indexed point lookups, so their cost stays
flat as the archive grows, and nothing of the index is held in the crawler's memory.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar

from state.sqlite_outbox import SQLiteOutbox
from state.sqlite_transactions import immediate_transaction
from state.state_types import (
    ArticleCommit,
    KnownArticle,
    Outbox,
    Revisit,
    SharedState,
    StateCapabilities,
    StateError,
    Validators,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id     TEXT PRIMARY KEY,
    canonical_url  TEXT NOT NULL,
    source         TEXT NOT NULL,
    version        INTEGER NOT NULL,
    content_hash   TEXT NOT NULL,
    simhash        TEXT,
    first_seen     TEXT NOT NULL,
    last_fetched   TEXT NOT NULL,
    last_run       TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS source_texts (
    source        TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    article_id    TEXT NOT NULL,
    PRIMARY KEY (source, content_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    run_id       TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    sources      TEXT NOT NULL,
    status       TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    host         TEXT,
    pid          INTEGER,
    manifest     TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started_at);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status);
-- validators of feeds and sitemaps (spiders/conditional.py): the next run asks "changed since?"
CREATE TABLE IF NOT EXISTS fetch_validators (
    url            TEXT PRIMARY KEY,
    source         TEXT NOT NULL,
    etag           TEXT,
    last_modified  TEXT,
    size           INTEGER NOT NULL,
    fetched_at     TEXT NOT NULL
) WITHOUT ROWID;
-- when each article URL the spider fetched is due again (pipelines/revisits.py); next_due NULL: never.
-- body_sha256 and the validators are those of a response whose text is archived.
CREATE TABLE IF NOT EXISTS revisits (
    url            TEXT PRIMARY KEY,
    source         TEXT NOT NULL,
    rung           INTEGER NOT NULL,
    next_due       TEXT,
    last_fetched   TEXT NOT NULL,
    etag           TEXT,
    last_modified  TEXT,
    body_sha256    TEXT,
    failures       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS revisits_due ON revisits (source, next_due) WHERE next_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS run_files (
    run_id   TEXT NOT NULL,
    path     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    records  INTEGER NOT NULL,
    bytes    INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    PRIMARY KEY (run_id, path)
) WITHOUT ROWID;
-- near-duplicate index (pipelines/neardup.py): seq orders fingerprints by when they were archived;
-- a bucket key is one LSH band of a fingerprint, so a lookup reads a few buckets, never the table.
CREATE TABLE IF NOT EXISTS neardup_fingerprints (
    seq          INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL,
    fingerprint  BLOB NOT NULL
);
-- each source's learned template (pipelines/extract/site_template.py), one blob a source
CREATE TABLE IF NOT EXISTS source_templates (
    source      TEXT PRIMARY KEY,
    data        BLOB NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS neardup_buckets (
    bucket  INTEGER NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (bucket, seq)
) WITHOUT ROWID;
"""
# Columns added to a table after its first release, added on open to a state file from before.
ADDED_COLUMNS = (("revisits", "failures", "INTEGER NOT NULL DEFAULT 0"),)



def sqlite_path(uri: str) -> Path:
    if not uri.startswith("sqlite:///"):
        raise StateError(f"not a SQLite state URI: {uri!r}")
    return Path(uri.removeprefix("sqlite://"))


class SQLiteState:
    """Dedup index and run history in one SQLite file (WAL, so readers never block the crawl)."""

    capabilities: ClassVar[StateCapabilities] = StateCapabilities(shared=False, local_file=True)
    usage: ClassVar[str] = "sqlite:///relative/path.db or sqlite:////absolute/path.db"

    @classmethod
    def from_uri(cls, uri: str) -> SQLiteState:
        return cls(sqlite_path(uri))  # as it always opened: the path as the URI writes it

    @staticmethod
    def normalise_uri(uri: str, base: Path) -> str:
        database, question, query = uri.split("://", 1)[1].partition("?")
        if not database.startswith("/") or not database[1:]:
            raise ValueError("a sqlite URI has no host and names a database file")
        target = os.path.normpath(base / database[1:])  # an absolute path after "/" wins over base
        return f"sqlite:///{target}{question}{query}"

    @staticmethod
    def database_path(uri: str) -> Path | None:
        # SQLAlchemy's reading: sqlite:///relative/path, sqlite:////absolute/path
        sqlite_path(uri)  # a SQLite URI, else StateError
        return Path(uri.split("?", 1)[0].removeprefix("sqlite:///"))

    def shared(self) -> SharedState | None:
        return None  # one machine: dedup is checked in this process, runs are alive while their pid is

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            self._add_missing_columns()
        except (OSError, sqlite3.Error) as exc:
            raise StateError(f"cannot open state database {path}: {exc}") from exc
        self._outbox: SQLiteOutbox | None = None

    def _add_missing_columns(self) -> None:
        # CREATE TABLE IF NOT EXISTS leaves a state file from an older release as it was
        for table, column, definition in ADDED_COLUMNS:
            if column in {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}:
                continue
            try:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
            except sqlite3.OperationalError as exc:  # another process added it first
                if "duplicate column" not in str(exc):
                    raise

    @property
    def uri(self) -> str:
        return f"sqlite:///{self.path}"

    def close(self) -> None:
        if self._outbox is not None:
            self._outbox.close()
        self._db.close()

    def outbox(self) -> Outbox:
        if self._outbox is None:  # opened when alerts need it: most commands never do
            self._outbox = SQLiteOutbox(self.path)
        return self._outbox

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self._db)

    def check(self) -> None:
        try:
            with self._transaction() as db:
                db.execute("SELECT count(*) FROM runs").fetchone()
        except sqlite3.Error as exc:
            raise StateError(f"state database {self.path} is not usable: {exc}") from exc

    # -- source templates --------------------------------------------------------------------

    def load_template(self, source: str) -> bytes | None:
        row = self._db.execute("SELECT data FROM source_templates WHERE source=?", (source,)).fetchone()
        return bytes(row[0]) if row else None

    def save_template(self, source: str, data: bytes) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO source_templates (source, data, updated_at) VALUES (?, ?, datetime('now')) "
                       "ON CONFLICT(source) DO UPDATE SET data=excluded.data, updated_at=excluded.updated_at",
                       (source, data))

    # -- dedup index -------------------------------------------------------------------------

    def get_article(self, article_id: str) -> KnownArticle | None:
        row = self._db.execute(
            "SELECT article_id, canonical_url, source, version, content_hash FROM articles WHERE article_id=?",
            (article_id,),
        ).fetchone()
        return KnownArticle(*row) if row else None

    def find_text(self, source: str, content_hash: str) -> str | None:
        """The article_id of an article of `source` already archived with exactly this text."""
        row = self._db.execute(
            "SELECT article_id FROM source_texts WHERE source=? AND content_hash=?", (source, content_hash)
        ).fetchone()
        return row[0] if row else None

    def commit_articles(self, commits: Sequence[ArticleCommit]) -> None:
        if not commits:
            return
        with self._transaction() as db:
            db.executemany(
                """INSERT INTO articles (article_id, canonical_url, source, version, content_hash, simhash,
                                         first_seen, last_fetched, last_run)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(article_id) DO UPDATE SET
                       version=excluded.version, content_hash=excluded.content_hash,
                       simhash=excluded.simhash, last_fetched=excluded.last_fetched,
                       last_run=excluded.last_run
                   WHERE excluded.version > articles.version""",
                [
                    (c.article_id, c.canonical_url, c.source, c.version, c.content_hash, c.simhash,
                     c.fetched_at, c.fetched_at, c.run_id)
                    for c in commits
                ],
            )
            db.executemany(
                "INSERT OR IGNORE INTO source_texts (source, content_hash, article_id) VALUES (?, ?, ?)",
                [(c.source, c.content_hash, c.article_id) for c in commits],
            )

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    # -- near-duplicate index ----------------------------------------------------------------

    def neardup_candidates(self, buckets: Sequence[int], per_bucket: int) -> list[tuple[int, str, str, bytes]]:
        """(seq, article_id, source, fingerprint) of the earliest `per_bucket` entries of each bucket."""
        if not buckets:
            return []
        # one statement: an index seek per bucket, each cut at per_bucket rows
        one = "SELECT * FROM (SELECT seq FROM neardup_buckets WHERE bucket=? ORDER BY seq LIMIT ?)"
        return self._db.execute(
            "SELECT seq, article_id, source, fingerprint FROM neardup_fingerprints WHERE seq IN ("
            + " UNION ".join([one] * len(buckets)) + ")",
            [value for bucket in buckets for value in (bucket, per_bucket)],
        ).fetchall()

    def add_fingerprints(self, entries: Sequence[tuple[str, str, bytes, Sequence[int]]]) -> None:
        """Index (article_id, source, fingerprint, bucket keys); an article already indexed keeps its
        place (its first archived text is the one later copies are compared with)."""
        if not entries:
            return
        rows: list[tuple[int, int]] = []
        with self._transaction() as db:
            for article_id, source, blob, buckets in entries:
                cursor = db.execute(
                    "INSERT INTO neardup_fingerprints (article_id, source, fingerprint) VALUES (?, ?, ?) "
                    "ON CONFLICT(article_id) DO NOTHING", (article_id, source, blob))
                if cursor.rowcount == 1:
                    rows += [(bucket, int(cursor.lastrowid or 0)) for bucket in buckets]
            # in key order, a large batch touches each page of the bucket index once
            rows.sort()
            db.executemany("INSERT OR IGNORE INTO neardup_buckets (bucket, seq) VALUES (?, ?)", rows)

    def count_fingerprints(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM neardup_fingerprints").fetchone()[0])

    # -- conditional re-fetch validators -----------------------------------------------------

    def get_validators(self, url: str) -> Validators | None:
        row = self._db.execute(
            "SELECT etag, last_modified, size FROM fetch_validators WHERE url=?", (url,)
        ).fetchone()
        return Validators(*row) if row else None

    def put_validators(self, entries: Sequence[tuple[str, str, Validators, str]]) -> None:
        """Store (url, source, validators, fetched_at) rows, replacing what each URL had."""
        if not entries:
            return
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO fetch_validators (url, source, etag, last_modified, size, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(url, source, v.etag, v.last_modified, v.size, at) for url, source, v, at in entries],
            )

    # -- revisit schedule --------------------------------------------------------------------

    _REVISIT_COLUMNS = "url, source, rung, next_due, last_fetched, etag, last_modified, body_sha256, failures"

    def get_revisit(self, url: str) -> Revisit | None:
        row = self._db.execute(f"SELECT {self._REVISIT_COLUMNS} FROM revisits WHERE url=?", (url,)).fetchone()
        return Revisit(*row) if row else None

    def due_revisits(self, source: str, now: str, limit: int) -> list[Revisit]:
        """Up to `limit` URLs of `source` due at `now` (ISO UTC), the longest overdue first."""
        if limit <= 0:
            return []
        rows = self._db.execute(
            f"SELECT {self._REVISIT_COLUMNS} FROM revisits WHERE source=? AND next_due IS NOT NULL "
            "AND next_due<=? ORDER BY next_due, url LIMIT ?", (source, now, limit),
        ).fetchall()
        return [Revisit(*row) for row in rows]

    def put_revisits(self, revisits: Sequence[Revisit]) -> None:
        if not revisits:
            return
        with self._transaction() as db:
            db.executemany(
                f"INSERT OR REPLACE INTO revisits ({self._REVISIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(r.url, r.source, r.rung, r.next_due, r.last_fetched, r.etag, r.last_modified, r.body_sha256,
                  r.failures) for r in revisits],
            )

    # -- run history -------------------------------------------------------------------------

    def start_run(self, run_id: str, kind: str, sources: Sequence[str], started_at: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO runs (run_id, kind, sources, status, started_at, host, pid) "
                "VALUES (?, ?, ?, 'running', ?, ?, ?)",
                (run_id, kind, json.dumps(list(sources)), started_at, socket.gethostname(), os.getpid()),
            )

    def add_run_files(self, run_id: str, files: Iterable[dict[str, Any]]) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO run_files (run_id, path, kind, records, bytes, sha256) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, f["path"], f["kind"], f["records"], f["bytes"], f["sha256"]) for f in files],
            )

    def run_files(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT path, kind, records, bytes, sha256 FROM run_files WHERE run_id=? ORDER BY path", (run_id,)
        ).fetchall()
        return [dict(zip(("path", "kind", "records", "bytes", "sha256"), row, strict=True)) for row in rows]

    def finish_run(self, manifest: dict[str, Any]) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE runs SET status=?, finished_at=?, manifest=? WHERE run_id=?",
                (manifest["status"], manifest["finished_at"], json.dumps(manifest), manifest["run_id"]),
            )

    def running_runs(self, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT run_id, kind, sources, started_at, host, pid FROM runs WHERE status='running' "
            "ORDER BY started_at DESC, run_id DESC LIMIT ?", (limit,))
        return [{"run_id": run_id, "kind": kind, "sources": json.loads(sources), "status": "running",
                 "started_at": started_at, "finished_at": None, "files": [], "counts": {}, "host": host, "pid": pid}
                for run_id, kind, sources, started_at, host, pid in rows]

    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first: finished runs as their manifest, running ones as what is known so far."""
        # read row by row: a year of scheduled runs is many manifests, and a caller wants a few
        rows = self._db.execute(
            "SELECT run_id, kind, sources, status, started_at, finished_at, host, pid, manifest "
            "FROM runs ORDER BY started_at DESC, run_id DESC"
        )
        runs: list[dict[str, Any]] = []
        for run_id, kind, sources, status, started_at, finished_at, host, pid, manifest in rows:
            source_ids = json.loads(sources)
            if source is not None and source not in source_ids:
                continue
            if manifest:
                run = json.loads(manifest)
            else:
                run = {"run_id": run_id, "kind": kind, "sources": source_ids, "status": status,
                       "started_at": started_at, "finished_at": finished_at, "files": [], "counts": {}}
            run.setdefault("host", host)
            run.setdefault("pid", pid)
            runs.append(run)
            if len(runs) >= limit:
                break
        return runs


