"""Prometheus metrics of the runs, served by ``newsvault scheduler --metrics-port N`` for the runs it
started on its machine, and by each ``newsvault worker --metrics-port N`` for the runs that worker
ran: in a cluster, scrape every worker and sum (``sum by (source, status) (newsvault_runs_total)``;
``max`` for the timestamps and flags), and the counters are complete cluster-wide."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from scheduler.dispatch import RunResult
from scheduler.health import HEALTHY, SourceHealth, recent_runs, source_health
from state.backends import StateError, open_state

logger = logging.getLogger(__name__)


def _timestamp(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class SchedulerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.runs = Counter("newsvault_runs", "Scheduled crawl runs by outcome", ["source", "status"],
                            registry=self.registry)
        self.archived = Counter("newsvault_articles_archived", "Articles archived by scheduled runs",
                                ["source"], registry=self.registry)
        self.errors = Counter("newsvault_errors", "Errors of scheduled runs by reason", ["source", "reason"],
                              registry=self.registry)
        self.last_success = Gauge("newsvault_last_success_timestamp_seconds",
                                  "When the source's last ok or degraded run finished", ["source"],
                                  registry=self.registry)
        self.duration = Gauge("newsvault_last_run_duration_seconds", "How long the source's last run took",
                              ["source"], registry=self.registry)
        self.running = Gauge("newsvault_running_crawls", "Sources being crawled now", registry=self.registry)
        self.start_delay = Histogram("newsvault_run_start_delay_seconds",
                                     "From when a source's run was due to when it started",
                                     buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300), registry=self.registry)
        self.flagged = Gauge("newsvault_source_flagged",
                             "1 when the source's yield or completeness dropped (see `newsvault runs --check`)",
                             ["source"], registry=self.registry)

    def serve(self, port: int, address: str) -> None:
        start_http_server(port, addr=address, registry=self.registry)

    def known_sources(self, history: dict[str, list[dict[str, Any]]]) -> None:
        """Start from the run history (newest first per source), so a restart keeps last success times."""
        for source, runs in history.items():
            self.runs.labels(source, "ok")  # every source is exported from the start, even at 0
            self.archived.labels(source)
            for run in runs:
                finished = _timestamp(run.get("finished_at"))
                if run.get("status") in HEALTHY and finished is not None:
                    self.last_success.labels(source).set(finished)
                    break

    def record(self, result: RunResult) -> None:
        self.runs.labels(result.source, result.status).inc()
        self.duration.labels(result.source).set(result.duration_s)
        counts = result.source_counts
        self.archived.labels(result.source).inc(int(counts.get("archived", 0)))
        for reason, n in (counts.get("errors") or {}).items():
            if n:
                self.errors.labels(result.source, reason).inc(int(n))
        if result.status in HEALTHY and result.manifest is not None:
            self.last_success.labels(result.source).set(
                _timestamp(result.manifest.get("finished_at")) or datetime.now().timestamp())

    def start_from(self, state: Any, source_ids: Sequence[str]) -> None:
        """Every source exported from the start, with its last success and health from the run history."""
        self.known_sources(recent_runs(state, source_ids, 50))
        self.health(source_health(state, source_ids))

    def refresh_health(self, state_uri: str, source_ids: Sequence[str]) -> None:
        """The sources' flags, judged again from the run history; logs when it cannot be read."""
        try:
            state = open_state(state_uri)
            try:
                self.health(source_health(state, source_ids))
            finally:
                state.close()
        except StateError as exc:
            logger.error("cannot read the run history for the health of %s: %s", ", ".join(source_ids), exc)

    def health(self, reports: Sequence[SourceHealth]) -> None:
        for report in reports:
            self.flagged.labels(report.source).set(1 if report.flagged else 0)
