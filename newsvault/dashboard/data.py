"""What the dashboard and its API read: the run history and the next fire times, from the state
store, never changing it; the archive through its manifests.

A state in a file on this machine (SQLite) is opened read-only (`ReadOnlyState`), not as the read-write
SQLiteState (which creates tables and sets WAL mode on open): SQLite's ``mode=ro`` URI, the run history
and the scheduler's job table only. A shared state (Redis) is read through its backend, which changes
nothing on open, and its scheduler's job store (`SharedStateView`). `open_read_view` picks by the
backend's capabilities.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from archive.source_runs import SourceRun, source_runs
from core.config import Config, Source
from scheduler.health import SourceHealth, judge
from state.backends import state_backend
from state.sqlite_state import sqlite_path
from state.state_types import StateStore

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
            rows = db.execute("SELECT run_id, kind, sources, status, started_at, finished_at, host, pid, manifest "
                              "FROM runs ORDER BY started_at DESC, run_id DESC").fetchall()
        except sqlite3.OperationalError:  # no crawl has created the tables yet
            return []
        finally:
            db.close()
        runs: list[dict[str, Any]] = []
        for run_id, kind, sources, status, started_at, finished_at, host, pid, manifest in rows:
            source_ids = json.loads(sources)
            if source is not None and source not in source_ids:
                continue
            run = json.loads(manifest) if manifest else {
                "run_id": run_id, "kind": kind, "sources": source_ids, "status": status,
                "started_at": started_at, "finished_at": finished_at, "files": [], "counts": {}}
            run.setdefault("host", host)  # as SQLiteState lists it: `runs --json` and the API agree
            run.setdefault("pid", pid)
            runs.append(run)
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


class SharedStateView:
    """A shared state (Redis) read as the dashboard reads a state file: runs, and the next fire times
    from the cluster's job store."""

    def __init__(self, config: Config) -> None:
        from state.backends import open_state

        self.config = config
        self.state: StateStore = open_state(config.state.uri)

    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        return self.state.list_runs(source=source, limit=limit)

    def next_runs(self) -> dict[str, str | None] | None:
        from scheduler.jobs import job_store

        jobs = job_store(self.config).get_all_jobs()
        if not jobs:
            return None
        return {job.id: (job.next_run_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                         if job.next_run_time is not None else None) for job in jobs}


def open_read_view(config: Config) -> ReadOnlyState | SharedStateView:
    """The dashboard's view of the configured state, which it never changes."""
    if state_backend(config.state.uri).capabilities.local_file:
        return ReadOnlyState(config.state.uri)
    return SharedStateView(config)


class StateView(Protocol):
    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]: ...

    def next_runs(self) -> dict[str, str | None] | None: ...


@dataclass
class SourceOverview:
    """One source as the health page and /api/v1/sources show it."""

    source: Source
    history: list[SourceRun]  # its recent runs, newest first
    health: SourceHealth
    next_run: str
    errors: Counter[str] = field(default_factory=Counter)  # failures by reason over the recent runs

    def as_json(self) -> dict[str, Any]:
        last = self.history[0] if self.history else None
        return {"id": self.source.id, "name": self.source.name,
                "schedule": self.source.schedule.text if self.source.schedule else None,
                "next_run": self.next_run, "flagged": self.health.flagged, "health": self.health.as_dict(),
                "last_run": None if last is None else {
                    "run_id": last.run_id, "status": last.status, "finished_at": last.finished_at,
                    "fetched": last.fetched, "yielded": last.yielded, "archived": last.archived,
                    "complete": last.complete, "errors": last.errors, "failure": last.failure},
                "runs": len(self.history), "errors": dict(self.errors.most_common())}


def source_overviews(config: Config, view: StateView, recent: int) -> list[SourceOverview]:
    """Every configured source's health against its own recent runs (scheduler/health.py's rules)."""
    runs = view.list_runs(limit=500)
    next_runs = view.next_runs()
    overviews = []
    for source in config.sources:
        history = source_runs(runs, source.id)[:recent]
        errors: Counter[str] = Counter()
        for run in runs:
            counts = (run.get("per_source") or {}).get(source.id) or {}
            errors.update({k: int(v) for k, v in (counts.get("errors") or {}).items() if v})
        overviews.append(SourceOverview(source, history, judge(source.id, history),
                                        next_run_text(next_runs, source.id, source.schedule is not None), errors))
    return overviews


def next_run_text(next_runs: dict[str, str | None] | None, source_id: str, scheduled: bool) -> str:
    if not scheduled:
        return "not scheduled"
    if next_runs is None or source_id not in next_runs:
        return "scheduler not started yet"
    return next_runs[source_id] or "paused"
