"""`newsvault scheduler`: the long-running service that fires each source's crawls on schedule.

Signals: SIGHUP re-reads the config and syncs the jobs to it; SIGUSR1 makes it look at the job store
again (the `schedule` commands send it after pausing, resuming or requesting a run); SIGTERM / SIGINT
stop it: no new runs, the running crawls get one SIGTERM each (they finish their current items and
close their files: status "interrupted"), and once they have exited the scheduler exits 0. A second
SIGTERM / SIGINT while waiting forwards a second SIGTERM, which makes the crawls stop at once.

Distributed mode (a redis:// state): the jobs are kept in the shared Redis, and each due run is sent
to the Celery workers (`newsvault worker`) as a task instead of a local crawl process, unless a run of
that source is still queued or running (scheduler/celery_app.py: the fire is then dropped, as a busy
source's is on one machine). The one-scheduler lock is a lease in Redis: a second scheduler on any
machine refuses to start, and one whose lease was taken by another stops. The `schedule` commands
wake it through a Redis channel rather than a signal, so they work from any machine. Stopping does
not wait for runs: they belong to the workers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from apscheduler.schedulers.base import BaseScheduler

from archive.source_runs import SourceRun, source_runs
from core.config import Config, ConfigError
from scheduler.batching import BatchingExecutor
from scheduler.dispatch import DeadRunHook, Dispatcher, RunResult
from scheduler.health import HEALTHY, recent_runs
from scheduler.jobs import RUN_NOW_PREFIX, WAKEUP_CHANNEL, build_scheduler, sync_jobs
from scheduler.locks import Lock, LockBusy, describe_holder, is_shared, scheduler_lock
from scheduler.metrics import SchedulerMetrics
from state.backends import StateError, open_state
from state.redis_state import lease_seconds

logger = logging.getLogger("newsvault.scheduler")

_service: SchedulerService | None = None
HEALTH_EVERY_S = 60.0


class SchedulerBusy(Exception):
    """Another scheduler already runs on this state store."""


def run_scheduled(source_id: str) -> None:
    """The function every job calls, by reference (``scheduler.service:run_scheduled``)."""
    if _service is None:
        raise RuntimeError("scheduled runs execute inside `newsvault scheduler`")
    _service.run_source(source_id)


class SchedulerService:
    def __init__(self, config: Config, *, load_config: Callable[[Path], Config], metrics_port: int | None = None,
                 metrics_address: str = "127.0.0.1", log_level: str = "WARNING",
                 on_dead_run: DeadRunHook | None = None) -> None:
        # the loader is the CLI's (newsvault/config): a SIGHUP reloads and checks the file as it did
        self.config = config
        self.load_config = load_config
        self.metrics_port = metrics_port
        self.metrics_address = metrics_address
        self.metrics = SchedulerMetrics()
        # on_dead_run: the CLI's, which records the alerts of a crawl that died (the glue knows alerts)
        self.dispatcher = Dispatcher(config, time_limit=config.scheduler.run_time_limit, log_level=log_level,
                                     on_dead_run=on_dead_run)
        self.lock: Lock = scheduler_lock(config)
        self.scheduler: BaseScheduler | None = None
        self._quiet: dict[str, bool] = {}  # whether each source's last run was quiet (scheduler/batching.py)
        self._health_lock = threading.Lock()
        self._health_due: set[str] = set()
        self._health_next = 0.0

    def run_source(self, source_id: str) -> None:
        """A cluster's job: the run goes to the Celery workers, which record it in the shared state.
        (On one machine, jobs never call it: `BatchingExecutor` sends their runs to the crawl host.)"""
        from scheduler.celery_app import dispatch_scheduled

        sent = dispatch_scheduled(self.config, source_id)
        if sent.task_id is None:
            logger.info("%s: not sent, its previous run (task %s) is still queued or running",
                        source_id, sent.pending)
        else:
            logger.info("%s: sent to the workers (task %s)", source_id, sent.task_id)

    def record_results(self, results: list[RunResult], due: dict[str, datetime]) -> None:
        """A run has ended: its line in the log, its sources' metrics and health."""
        if not results:
            return
        first = results[0]
        late = ""
        if first.started_at is not None and first.source in due:
            late = f", started {first.started_at - due[first.source].timestamp():.2f}s after due"
        if len(results) == 1:
            log = logger.info if first.status in ("ok", "degraded", "skipped") else logger.warning
            log("%s%s", first.summary(), late)
        else:
            archived = sum(int(r.source_counts.get("archived", 0)) for r in results)
            run_id = first.manifest["run_id"] if first.manifest is not None else "-"
            log = logger.info if first.status in ("ok", "degraded") else logger.warning
            log("run %s of %d quiet sources: %s in %.1fs%s; archived %d", run_id, len(results), first.status,
                first.duration_s, late, archived)
            for result in results:
                if result.status == "skipped" or result.source_counts.get("errors"):
                    logger.info("%s", result.summary())
        for result in results:
            self.metrics.record(result)
            runs = source_runs([result.manifest], result.source) if result.manifest is not None else []
            self._quiet[result.source] = _last_run_quiet(runs)
            if result.started_at is not None and result.source in due:
                self.metrics.start_delay.observe(max(0.0, result.started_at - due[result.source].timestamp()))
        self.metrics.running.set(len(self.dispatcher.running))
        with self._health_lock:
            self._health_due.update(r.source for r in results)
            # a run of one source: its health now; a batch's quiet sources: with the others, at most
            # once a HEALTH_EVERY_S (a quiet run rarely changes a verdict, and each look reads history)
            if len(results) > 1 and time.monotonic() < self._health_next:
                return
            sources, self._health_due = sorted(self._health_due), set()
            self._health_next = time.monotonic() + HEALTH_EVERY_S
        self.metrics.refresh_health(self.config.state.uri, sources)

    def quiet_sources(self, source_ids: Sequence[str]) -> set[str]:
        """The sources whose last run fetched nothing and failed nothing: they can share a run."""
        unknown = [s for s in source_ids if s not in self._quiet]
        if unknown:
            state = open_state(self.config.state.uri)
            try:
                for source_id, runs in recent_runs(state, unknown, 5).items():
                    self._quiet[source_id] = _last_run_quiet(source_runs(runs, source_id))
            finally:
                state.close()
        return {s for s in source_ids if self._quiet.get(s)}

    # -- lifecycle -------------------------------------------------------------------------------

    def run(self) -> int:
        global _service
        try:
            self.lock.acquire()
        except LockBusy as busy:
            raise SchedulerBusy(
                f"another scheduler is already running on {redacted(self.config.state.uri)}: "
                f"{describe_holder(busy.holder)}; stop it first (one scheduler per state store)"
            ) from None
        wake_read, wake_write = socket.socketpair()
        wake_write.setblocking(False)
        handled = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1)
        previous = {signum: signal.signal(signum, _ignore_here) for signum in handled}
        previous_fd = signal.set_wakeup_fd(wake_write.fileno())
        listener: _WakeupListener | None = None
        self._taken_over: dict[str, Any] | None = None
        try:
            if is_shared(self.config):
                listener = _WakeupListener(self.config.state.uri, wake_write)
            _service = self
            self._start()
            self._serve(wake_read)
            self._stop(wake_read)
        finally:
            _service = None
            if listener is not None:
                listener.stop()
            signal.set_wakeup_fd(previous_fd)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            wake_read.close()
            wake_write.close()
            if self._taken_over is None:
                self.lock.release()
        if self._taken_over is not None:
            raise SchedulerBusy(f"another scheduler took over {redacted(self.config.state.uri)}: "
                                f"{describe_holder(self._taken_over)}; this one stopped")
        return 0

    def _start(self) -> None:
        self._init_metrics()
        # One machine: due runs go to the crawl hosts together (scheduler/batching.py); in a cluster each
        # job sends its task from a thread of its own.
        executor = None if is_shared(self.config) else BatchingExecutor(
            self.dispatcher.submit, batch_size=self.config.scheduler.batch_size, is_quiet=self.quiet_sources,
            on_results=self.record_results)
        self.scheduler = build_scheduler(self.config, executor=executor)
        self.scheduler.add_listener(_log_submission, EVENT_JOB_SUBMITTED)
        # Paused until the jobs match the config: a job removed from it must not fire once more.
        self.scheduler.start(paused=True)
        report = sync_jobs(self.scheduler, self.config)
        self.scheduler.resume()
        jobs = self.scheduler.get_jobs()
        where = "Celery workers" if is_shared(self.config) else "a local crawl host"
        logger.info("scheduler started (pid %s) on %s: %d jobs (%s); runs go to %s; run time limit %gs",
                    os.getpid(), redacted(self.config.state.uri), len(jobs), report, where,
                    self.config.scheduler.run_time_limit)
        if self.metrics_port is not None:
            self.metrics.serve(self.metrics_port, self.metrics_address)
            logger.info("metrics on http://%s:%d/metrics", self.metrics_address, self.metrics_port)

    def _init_metrics(self) -> None:
        try:
            state = open_state(self.config.state.uri)
        except StateError as exc:
            logger.error("cannot read the run history: %s", exc)
            return
        try:
            self.metrics.start_from(state, [s.id for s in self.config.sources])
        finally:
            state.close()

    def _serve(self, wake: socket.socket) -> None:
        lease = self.lock if is_shared(self.config) else None
        next_rescue = 0.0
        suspects: dict[str, float] = {}  # tasks whose heartbeat was missing: since when
        while True:
            if lease is not None and not self._keep_lease(lease):
                return
            if lease is not None and time.monotonic() >= next_rescue:
                next_rescue = time.monotonic() + max(1.0, lease_seconds(self.config.state.uri) / 3)
                self._rescue_lost_runs(suspects)
            for signum in _signals(wake, timeout=None if lease is None else 1.0):
                if signum in (signal.SIGTERM, signal.SIGINT):
                    logger.info("%s: stopping, no new runs", signal.Signals(signum).name)
                    return
                if signum == signal.SIGHUP:
                    self.reload()
                elif signum == signal.SIGUSR1 and self.scheduler is not None:
                    self.scheduler.wakeup()

    def _rescue_lost_runs(self, suspects: dict[str, float]) -> None:
        """A cluster's runs whose worker died: sent again to a live one (scheduler/lost_tasks.py)."""
        from scheduler.celery_app import rescue_lost_runs

        try:
            rescued = rescue_lost_runs(self.config, suspects)
        except Exception as exc:  # Redis out of reach for a moment: the next turn looks again
            logger.warning("cannot look for runs of lost workers: %s", exc)
            return
        for source_id, lost, sent in rescued:
            logger.warning("%s: the worker running its run (task %s) was lost; run sent again (task %s)",
                           source_id, lost, sent.task_id or f"not sent, {sent.pending} pending")

    def _keep_lease(self, lease: Any) -> bool:
        """After the scheduler's Redis lease lapsed (Redis out of reach longer than the lease, a stalled
        process): take it again, or stop when another scheduler has it now."""
        if not lease.lost.is_set():
            return True
        try:
            lease.acquire()
        except LockBusy as busy:
            logger.error("another scheduler took over this state: %s; stopping", describe_holder(busy.holder))
            self._taken_over = busy.holder
            return False
        except Exception as exc:  # Redis still out of reach: try again at the next turn
            logger.warning("cannot take the scheduler's lease again yet: %s", exc)
            return True
        logger.warning("the scheduler's lease had lapsed; it holds it again")
        return True

    def reload(self) -> None:
        assert self.scheduler is not None
        try:
            config = self.load_config(self.config.path)
        except ConfigError as exc:
            logger.error("SIGHUP: the config was not reloaded, keeping the current schedules:\n%s", exc)
            return
        self.config = config
        self.dispatcher.reconfigure(config)
        executor = self.scheduler._lookup_executor("default")
        if isinstance(executor, BatchingExecutor):
            executor.batch_size = config.scheduler.batch_size
        report = sync_jobs(self.scheduler, config)
        self.scheduler.wakeup()
        logger.info("SIGHUP: config reloaded: %s", report)

    def _stop(self, wake: socket.socket) -> None:
        assert self.scheduler is not None
        stopped = self.dispatcher.stop()
        # Job threads still running are not waited for here: they wait for their crawls below. In a
        # cluster a job only sends a task, which is let finish.
        self.scheduler.shutdown(wait=is_shared(self.config))
        if stopped:
            logger.info("waiting for %d running crawls to close: %s", len(stopped),
                        ", ".join(f"{source} (pid {pid})" for source, pid in stopped.items()))
        while self.dispatcher.running:
            if any(s in (signal.SIGTERM, signal.SIGINT) for s in _signals(wake, timeout=0.2)):
                logger.warning("second stop signal: the running crawls stop now")
                self.dispatcher.stop()
        self.dispatcher.close(timeout=30)
        logger.info("scheduler stopped")


class _WakeupListener:
    """In a cluster, the `schedule` commands (on any machine) publish on a Redis channel after
    editing the jobs; this thread turns each message into a SIGUSR1 on the scheduler's wakeup socket."""

    def __init__(self, state_uri: str, wake: socket.socket) -> None:
        from state.redis_state import connect

        self.wake = wake
        self.client = connect(state_uri)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(WAKEUP_CHANNEL)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="scheduler-wakeup", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                message = self.pubsub.get_message(timeout=1.0)
            except Exception as exc:  # Redis out of reach for a moment: the client reconnects
                logger.warning("wakeup channel: %s", exc)
                self._stop.wait(1.0)
                continue
            if message is not None:
                # OSError: a wakeup is already waiting, or the scheduler is stopping
                with contextlib.suppress(OSError):
                    self.wake.send(bytes([signal.SIGUSR1]))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            self.pubsub.close()
            self.client.close()
        except Exception:  # closing on the way out
            return


def redacted(uri: str) -> str:
    """The URI without its password, for logs and messages."""
    split = urlsplit(uri)
    if split.password is None:
        return uri
    netloc = split.netloc.rsplit("@", 1)[1]
    user = f"{split.username}:***@" if split.username else ":***@"
    return urlunsplit((split.scheme, user + netloc, split.path, split.query, split.fragment))


def _last_run_quiet(runs: Sequence[SourceRun]) -> bool:
    """Whether the newest of a source's runs fetched nothing, failed nothing and ended well."""
    return bool(runs) and runs[0].quiet and runs[0].status in HEALTHY


def _log_submission(event: JobSubmissionEvent) -> None:
    due = ", ".join(t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for t in event.scheduled_run_times)
    logger.info("%s: starting the run due at %s", event.job_id.removeprefix(RUN_NOW_PREFIX), due)


def _ignore_here(signum: int, frame: object) -> None:
    """Signals are taken from the wakeup socket by the main loop; the handler only has to exist."""


def _signals(wake: socket.socket, timeout: float | None) -> list[int]:
    wake.settimeout(timeout)
    try:
        data = wake.recv(64)
    except (TimeoutError, BlockingIOError):
        return []
    except InterruptedError:
        return []
    return list(data)
