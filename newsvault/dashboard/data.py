"""What the dashboard reads: the state database opened read-only, the archive through its manifests.

The dashboard must never change state, so it does not use the read-write SQLiteState (which creates
tables and sets WAL mode on open): it opens the file with SQLite's ``mode=ro`` URI and only reads the
run history and the scheduler's job table.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from state.sqlite_state import sqlite_path

JOBS_TABLE = "scheduler_jobs"  # scheduler.jobs.JOBS_TABLE; read without importing APScheduler's store


class ReadOnlyState:
    def __init__(self, uri: str) -> None:
        self.path: Path = sqlite_path(uri)

    def _connect(self) -> sqlite3.Connection | None:
        if not self.path.exists():
            return None
        # "//tmp/x" (from sqlite:////tmp/x) is a POSIX path but would read as a URI authority
        absolute = "/" + str(self.path.absolute()).lstrip("/")
        return sqlite3.connect(f"file:{quote(absolute)}?mode=ro", uri=True, timeout=10)

    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first, like SQLiteState.list_runs: finished runs as their manifest."""
        db = self._connect()
        if db is None:
            return []
        try:
            rows = db.execute("SELECT run_id, kind, sources, status, started_at, finished_at, manifest "
                              "FROM runs ORDER BY started_at DESC, run_id DESC").fetchall()
        except sqlite3.OperationalError:  # no crawl has created the tables yet
            return []
        finally:
            db.close()
        runs: list[dict[str, Any]] = []
        for run_id, kind, sources, status, started_at, finished_at, manifest in rows:
            source_ids = json.loads(sources)
            if source is not None and source not in source_ids:
                continue
            runs.append(json.loads(manifest) if manifest else {
                "run_id": run_id, "kind": kind, "sources": source_ids, "status": status,
                "started_at": started_at, "finished_at": finished_at, "files": [], "counts": {}})
            if len(runs) >= limit:
                break
        return runs

    def next_runs(self) -> dict[str, str | None] | None:
        """Source id -> next fire time (None: paused), from the scheduler's job store; None without one."""
        db = self._connect()
        if db is None:
            return None
        try:
            rows = db.execute(f"SELECT id, next_run_time FROM {JOBS_TABLE}").fetchall()
        except sqlite3.OperationalError:
            return None
        finally:
            db.close()
        return {job_id: (datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                         if when is not None else None) for job_id, when in rows}
