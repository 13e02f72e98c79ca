"""Running sources' crawls in crawl hosts, each under a time limit, and what came of each.

Each run goes to a crawl host (scheduler/crawl_hosts.py: a long-lived process that runs many crawls on
one reactor) instead of a process of its own. The host takes the sources' locks itself (so a crawl
never overlaps another crawl of that source, whoever started it), stops each run cleanly at its limit
(Scrapy's CLOSESPIDER_TIMEOUT: status "timeout", finished parts kept) and answers with its manifest. A
host that dies takes its runs in flight down with it, and only them: they are closed as "crashed" from
their journals, and whoever started the dispatcher hears of each (`on_dead_run`: the CLI records the
run's alerts); the next runs go to a new host.
"""

from __future__ import annotations

import logging
import socket
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any

from archive.salvage import close_dead_run, pid_alive
from archive.stores import StoreError, open_archive
from core.clock import utc_now
from core.config import Config
from scheduler.crawl_hosts import HostAnswer, HostLimits, HostPool
from state.backends import StateError, open_state

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    source: str
    status: str  # the manifest's status, "skipped" (another crawl holds the source) or "crashed"
    duration_s: float
    manifest: dict[str, Any] | None = None
    detail: str = ""
    started_at: float | None = None  # epoch seconds, when the run opened

    @property
    def source_counts(self) -> dict[str, Any]:
        if self.manifest is None:
            return {}
        return (self.manifest.get("per_source") or {}).get(self.source) or self.manifest.get("counts") or {}

    def summary(self) -> str:
        text = f"{self.source}: {self.status} in {self.duration_s:.1f}s"
        if self.manifest is not None:
            counts = self.source_counts
            errors = ", ".join(f"{r} {n}" for r, n in sorted((counts.get("errors") or {}).items()) if n)
            text += (f" (run {self.manifest['run_id']}: archived {counts.get('archived', 0)}, "
                     f"duplicates {counts.get('duplicates', 0)}, errors {errors or '-'})")
        detail = self.detail or (self.manifest or {}).get("failure")
        return text + (f": {detail}" if detail else "")


# Told of a run whose host died, once it is closed: (the config in force, the run's manifest).
DeadRunHook = Callable[[Config, dict[str, Any]], None]


def host_limits(config: Config) -> HostLimits:
    limits = config.scheduler
    return HostLimits(runs_in_flight=limits.max_concurrent_runs, max_runs=limits.host_max_runs,
                      memory_growth=limits.host_memory_growth_mb * 2**20,
                      memory_limit=limits.host_memory_limit_mb * 2**20)


class Dispatcher:
    """Sends runs to the crawl hosts and tells what came of them; safe to call from any thread."""

    def __init__(self, config: Config, *, time_limit: float, python: str = sys.executable,
                 log_level: str = "WARNING", on_dead_run: DeadRunHook | None = None,
                 runs_in_flight: int | None = None, parent_gone: str = "stop",
                 env: dict[str, str] | None = None) -> None:
        self.config = config
        self.time_limit = time_limit
        self.python = python
        self.log_level = log_level
        self.on_dead_run = on_dead_run
        self.runs_in_flight = runs_in_flight  # None: [scheduler] max_concurrent_runs
        self.parent_gone = parent_gone  # what a host does when this process dies (newsvault/crawl_host.py)
        self.hosts = HostPool(self.host_command, self._limits(config), on_dead=self._close_dead_host, env=env)

    def host_command(self) -> list[str]:
        return [self.python, "-m", "newsvault.crawl_host", "--config", str(self.config.path),
                "--log-level", self.log_level, "--parent-gone", self.parent_gone]

    def _limits(self, config: Config) -> HostLimits:
        limits = host_limits(config)
        if self.runs_in_flight is None:
            return limits
        return replace(limits, runs_in_flight=self.runs_in_flight)

    def reconfigure(self, config: Config) -> None:
        """A reloaded config: the next runs' limits (the hosts read the file again themselves)."""
        self.config = config
        self.time_limit = config.scheduler.run_time_limit
        self.hosts.limits = self._limits(config)

    @property
    def running(self) -> dict[str, int]:
        """The sources being crawled, and the pid of the crawl host running each."""
        return self.hosts.running

    def submit(self, source_ids: Sequence[str], time_limit: float | None = None) -> Future[list[RunResult]]:
        """One run of the sources together; its future gives one result per source."""
        started = time.monotonic()
        results: Future[list[RunResult]] = Future()

        def answered(future: Future[HostAnswer]) -> None:
            results.set_result(_results(future.result(), time.monotonic() - started))

        self.hosts.submit(source_ids, time_limit or self.time_limit).add_done_callback(answered)
        return results

    def run(self, source_id: str) -> RunResult | None:
        """Crawl ``source_id`` and wait for it; None when the dispatcher is stopping."""
        result = self.submit([source_id]).result()[0]
        return None if result.status == "interrupted" and result.manifest is None else result

    def stop(self) -> dict[str, int]:
        """Start no more crawls; ask the running ones to finish their current items and close (a
        second call: stop them at once)."""
        return self.hosts.stop()

    def close(self, timeout: float | None = None) -> None:
        self.hosts.close(timeout)

    def _close_dead_host(self, pid: int, status: str) -> list[dict[str, Any]]:
        manifests = close_dead_runs(self.config, pid, status)
        for manifest in manifests:
            if self.on_dead_run is not None:
                try:
                    self.on_dead_run(self.config, manifest)
                except Exception as exc:  # what hears of the run must not lose the scheduler its result
                    logger.error("after closing run %s of dead crawl host pid %d: %s",
                                 manifest.get("run_id"), pid, exc)
        return manifests


def _results(answer: HostAnswer, duration: float) -> list[RunResult]:
    results = []
    for source in answer.sources:
        if source in answer.busy:
            holder = answer.busy[source] or {}
            results.append(RunResult(source, "skipped", duration,
                                     detail=f"already being crawled (pid {holder.get('pid', '?')})"))
        else:
            results.append(RunResult(source, answer.status, duration, manifest=answer.manifest,
                                     detail=answer.detail, started_at=answer.started_at))
    return results


def close_dead_runs(config: Config, pid: int, status: str = "crashed") -> list[dict[str, Any]]:
    """Close the runs a dead crawl process left "running" with ``status``, their published files kept;
    their manifests."""
    try:
        state = open_state(config.state.uri)
        store = open_archive(config)  # with its spool: the manifest waits behind the run's parts
    except (StateError, StoreError, OSError) as exc:
        logger.error("cannot close the runs of dead crawl pid %d: %s", pid, exc)
        return []
    closed = []
    try:
        for old in state.running_runs():
            if (old.get("pid") != pid
                    or old.get("host") != socket.gethostname() or pid_alive(pid)):
                continue
            closed.append(close_dead_run(store, state, old, utc_now(), status=status,
                                         extra={"closed_by": "scheduler"}))
    except Exception as exc:  # salvage reads what a dead process left: whatever it finds, the job goes on
        logger.error("cannot close the runs of dead crawl pid %d: %s", pid, exc)
    finally:
        state.close()
    return closed
