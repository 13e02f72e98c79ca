"""Per-source health: does a source still yield articles, and are they still complete?

A site that changes its layout rarely fails loudly: its pages still answer 200, they just stop
extracting as articles, or lose their byline or date. So each source is compared with its own recent
past, from the per-source counts of the run manifests:

- yield: pages of the run that extracted as articles (archived + recognised duplicates + revisits whose
  text was unchanged; a site whose articles were all archived before still yields them);
- completeness: the share of the run's archived records that are complete (title, published_at,
  authors and at least 50 words of text; counted as "complete" by the archive pipeline).

The run judged is the source's newest finished run that fetched article pages or had errors; an
interrupted run (stopped by an operator) and a quiet one (nothing new to fetch, no error) say nothing
about the site. Its baseline is the up to BASELINE_RUNS ok/degraded runs before it that yielded
articles, at least MIN_BASELINE of them. The source is flagged when:

- its last finished run failed or crashed (with or without runs before it: a source whose first run
  failed is flagged at once); or
- the judged run's yield is below YIELD_DROP x the median yield of the baseline; or
- the judged run's completeness is more than COMPLETENESS_DROP (absolute) below the baseline's median
  completeness (both measured on runs that archived records).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from statistics import median
from typing import Any

from archive.source_runs import SourceRun, source_runs

BASELINE_RUNS = 10
MIN_BASELINE = 3
YIELD_DROP = 0.25
COMPLETENESS_DROP = 0.3
HEALTHY = ("ok", "degraded")
BROKEN = ("failed", "crashed")
NOT_JUDGED = ("interrupted", "running")


@dataclass
class SourceHealth:
    source: str
    flagged: bool = False
    reasons: list[str] = field(default_factory=list)
    judged_run: str | None = None
    yielded: int | None = None
    baseline_yield: float | None = None
    completeness: float | None = None
    baseline_completeness: float | None = None
    baseline_runs: int = 0

    def flag(self, reason: str) -> None:
        self.flagged = True
        self.reasons.append(reason)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def judge(source: str, history: Sequence[SourceRun]) -> SourceHealth:
    """The health of ``source`` from its runs, newest first."""
    health = SourceHealth(source)
    finished = [r for r in history if r.status not in NOT_JUDGED]
    if finished and finished[0].status in BROKEN:
        last = finished[0]
        health.flag(f"last run {last.run_id} {last.status}" + (f": {last.failure}" if last.failure else ""))
    judged_at = next((i for i, r in enumerate(finished) if not r.quiet and r.status not in BROKEN), None)
    if judged_at is None:
        return health
    judged = finished[judged_at]
    baseline = [r for r in finished[judged_at + 1:] if r.status in HEALTHY and r.yielded > 0][:BASELINE_RUNS]
    health.judged_run = judged.run_id
    health.yielded = judged.yielded
    health.completeness = judged.completeness
    health.baseline_runs = len(baseline)
    if len(baseline) < MIN_BASELINE:
        return health
    health.baseline_yield = median(r.yielded for r in baseline)
    if judged.yielded < YIELD_DROP * health.baseline_yield:
        health.flag(f"yield dropped: {judged.yielded} articles in run {judged.run_id}, against a median of "
                    f"{health.baseline_yield:g} in its {len(baseline)} runs before")
    shares = [r.completeness for r in baseline if r.completeness is not None]
    if len(shares) >= MIN_BASELINE:
        health.baseline_completeness = median(shares)
        if (judged.completeness is not None
                and judged.completeness < health.baseline_completeness - COMPLETENESS_DROP):
            health.flag(f"completeness dropped: {judged.completeness:.0%} of the records of run "
                        f"{judged.run_id} complete, against a median of {health.baseline_completeness:.0%}")
    return health


# Several sources at once (a batch run's) are read from one pass over at most this many newest runs.
MANY_RUNS = 2000


def recent_runs(state: Any, source_ids: Sequence[str], depth: int) -> dict[str, list[dict[str, Any]]]:
    """Each source's `depth` newest runs, newest first.

    One source: its own history. Several: one pass over the newest runs (at most `MANY_RUNS`), each
    manifest read once for all of them, rather than a scan of the history per source: quiet sources
    share batch runs, whose manifests hold every source's counts, and a scan per source would read
    each such manifest once per source in it. A source those runs do not cover is read on its own."""
    if len(source_ids) <= 1:
        return {source: state.list_runs(source=source, limit=depth) for source in source_ids}
    limit = min(depth * len(source_ids), MANY_RUNS)
    runs = state.list_runs(limit=limit)
    found = {}
    for source in source_ids:
        mine = [r for r in runs if source in r.get("sources", ())][:depth]
        if len(mine) < depth and len(runs) == limit:  # its older runs lie past the newest ones
            mine = state.list_runs(source=source, limit=depth)
        found[source] = mine
    return found


def source_health(state: Any, source_ids: Sequence[str], depth: int = 50) -> list[SourceHealth]:
    """The health of each source from its `depth` newest runs (`recent_runs`)."""
    return [judge(source, source_runs(runs, source)) for source, runs in recent_runs(state, source_ids, depth).items()]
