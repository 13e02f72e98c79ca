"""The run history as `newsvault runs --json` prints it and `GET /api/v1/runs` returns it: one function,
so the two are the same list (the state's runs, newest first, each annotated with the parts of it
still waiting in the archive's spool)."""

from __future__ import annotations

from typing import Any, Protocol

from newsvault.export import since_key


class RunHistory(Protocol):
    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]: ...


def listed_runs(history: RunHistory, waiting: dict[str, Any] | None, *, source: str | None = None,
                since: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The newest `limit` runs (of `source`), those started after `since` (a run id or an ISO time, as
    `export --since` reads it; ValueError when it is neither); `waiting` is the spool's summary."""
    after = since_key(since)
    runs = history.list_runs(source=source, limit=limit)
    if after is not None:
        runs = [r for r in runs if r["run_id"] > after]
    for run in runs:
        if waiting and run["run_id"] in waiting["runs"]:
            run["waiting"] = waiting["runs"][run["run_id"]]
    return runs
