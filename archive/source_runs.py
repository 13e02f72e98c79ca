"""Each source's share of the run manifests: what a run fetched, yielded and archived of one source.

Read from the manifests' per-source counts (archive/manifest.py); the health rules
(scheduler/health.py), the dashboard and the extraction server's early start read runs this way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.counts import FILTERED


@dataclass(frozen=True)
class SourceRun:
    run_id: str
    status: str
    finished_at: str | None
    fetched: int
    yielded: int
    archived: int
    complete: int
    errors: int
    failure: str | None = None  # why a failed run failed, when it said

    @property
    def completeness(self) -> float | None:
        return self.complete / self.archived if self.archived else None

    @property
    def quiet(self) -> bool:
        return self.fetched == 0 and self.errors == 0


def source_runs(runs: Iterable[dict[str, Any]], source: str) -> list[SourceRun]:
    """The source's share of each run (newest first, as given), from the manifests' per-source counts."""
    out = []
    for run in runs:
        if source not in run.get("sources", ()) or run.get("kind", "crawl") != "crawl":
            continue
        counts = (run.get("per_source") or {}).get(source)
        if counts is None and len(run.get("sources", ())) == 1:
            counts = run.get("counts")
        counts = counts or {}
        archived = int(counts.get("archived", 0))
        out.append(SourceRun(
            run_id=run["run_id"], status=run["status"], finished_at=run.get("finished_at"),
            # a revisit answered 304 or with the archived bytes says nothing about extraction
            fetched=int(counts.get("fetched", 0)) - int(counts.get("unchanged_304", 0))
            - int(counts.get("unchanged_bytes", 0)),
            # articles the filters did not keep were still extracted: the site yields them
            yielded=archived + sum(int(counts.get(name, 0)) for name in (
                "duplicates", "unchanged_text", *FILTERED)),
            archived=archived, complete=int(counts.get("complete", 0)),
            errors=sum(int(n) for n in (counts.get("errors") or {}).values()),
            failure=run.get("failure"),
        ))
    return out
