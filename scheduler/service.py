"""`newsvault scheduler`: the long-running service that fires each source's crawls on schedule.

Signals: SIGHUP re-reads the config and syncs the jobs to it; SIGUSR1 makes it look at the job store
again (the `schedule` commands send it after pausing, resuming or requesting a run); SIGTERM / SIGINT
stop it: no new runs, the running crawls get one SIGTERM each (they finish their current items and
close their files: status "interrupted"), and once they have exited the scheduler exits 0. A second
SIGTERM / SIGINT while waiting forwards a second SIGTERM, which makes the crawls stop at once.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
from datetime import UTC

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from apscheduler.schedulers.base import BaseScheduler

from newsvault.config import Config, ConfigError, load_config
from newsvault.state import StateError, open_state
from scheduler.dispatch import Dispatcher
from scheduler.health import source_health
from scheduler.jobs import RUN_NOW_PREFIX, build_scheduler, sync_jobs
from scheduler.locks import FileLock, LockBusy, describe_holder, is_shared, scheduler_lock
from scheduler.metrics import SchedulerMetrics

logger = logging.getLogger("newsvault.scheduler")

_service: SchedulerService | None = None


class SchedulerBusy(Exception):
    """Another scheduler already runs on this state store."""


def run_scheduled(source_id: str) -> None:
    """The function every job calls, by reference (``scheduler.service:run_scheduled``)."""
    if _service is None:
        raise RuntimeError("scheduled runs execute inside `newsvault scheduler`")
    _service.run_source(source_id)


class SchedulerService:
    def __init__(self, config: Config, *, metrics_port: int | None = None,
                 metrics_address: str = "127.0.0.1", log_args: tuple[str, ...] = ()) -> None:
        self.config = config
        self.metrics_port = metrics_port
        self.metrics_address = metrics_address
        self.metrics = SchedulerMetrics()
        self.dispatcher = Dispatcher(config, time_limit=config.scheduler.run_time_limit, log_args=log_args)
        self.lock: FileLock = scheduler_lock(config)
        self.scheduler: BaseScheduler | None = None

    def run_source(self, source_id: str) -> None:
        if is_shared(self.config):
            # a cluster: the run goes to the Celery workers; they record it in the shared state
            from scheduler.celery_app import enqueue

            task_id = enqueue(self.config, source_id)
            logger.info("%s: sent to the workers (task %s)", source_id, task_id)
            return
        result = self.dispatcher.run(source_id)
        if result is None:
            logger.info("%s: not started, the scheduler is stopping", source_id)
            return
        log = logger.info if result.status in ("ok", "degraded", "skipped") else logger.warning
        log("%s", result.summary())
        self.metrics.record(result)
        self.metrics.running.set(len(self.dispatcher.running))
        try:
            state = open_state(self.config.state.uri)
            try:
                self.metrics.health(source_health(state, [source_id]))
            finally:
                state.close()
        except StateError as exc:
            logger.error("cannot read the run history for %s's health: %s", source_id, exc)

    # -- lifecycle -------------------------------------------------------------------------------

    def run(self) -> int:
        global _service
        try:
            self.lock.acquire()
        except LockBusy as busy:
            raise SchedulerBusy(
                f"another scheduler is already running on {self.config.state.uri}: "
                f"{describe_holder(busy.holder)}; stop it first (one scheduler per state store)"
            ) from None
        wake_read, wake_write = socket.socketpair()
        wake_write.setblocking(False)
        handled = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1)
        previous = {signum: signal.signal(signum, _ignore_here) for signum in handled}
        previous_fd = signal.set_wakeup_fd(wake_write.fileno())
        try:
            _service = self
            self._start()
            self._serve(wake_read)
            self._stop(wake_read)
        finally:
            _service = None
            signal.set_wakeup_fd(previous_fd)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            wake_read.close()
            wake_write.close()
            self.lock.release()
        return 0

    def _start(self) -> None:
        self._init_metrics()
        self.scheduler = build_scheduler(self.config)
        self.scheduler.add_listener(_log_submission, EVENT_JOB_SUBMITTED)
        # Paused until the jobs match the config: a job removed from it must not fire once more.
        self.scheduler.start(paused=True)
        report = sync_jobs(self.scheduler, self.config)
        self.scheduler.resume()
        jobs = self.scheduler.get_jobs()
        logger.info("scheduler started (pid %s) on %s: %d jobs (%s); run time limit %gs",
                    os.getpid(), self.config.state.uri, len(jobs), report, self.config.scheduler.run_time_limit)
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
            ids = [s.id for s in self.config.sources]
            self.metrics.known_sources({i: state.list_runs(source=i, limit=50) for i in ids})
            self.metrics.health(source_health(state, ids))
        finally:
            state.close()

    def _serve(self, wake: socket.socket) -> None:
        while True:
            for signum in _signals(wake, timeout=None):
                if signum in (signal.SIGTERM, signal.SIGINT):
                    logger.info("%s: stopping, no new runs", signal.Signals(signum).name)
                    return
                if signum == signal.SIGHUP:
                    self.reload()
                elif signum == signal.SIGUSR1 and self.scheduler is not None:
                    self.scheduler.wakeup()

    def reload(self) -> None:
        assert self.scheduler is not None
        try:
            config = load_config(self.config.path)
        except ConfigError as exc:
            logger.error("SIGHUP: the config was not reloaded, keeping the current schedules:\n%s", exc)
            return
        self.config = config
        self.dispatcher.config = config
        self.dispatcher.time_limit = config.scheduler.run_time_limit
        report = sync_jobs(self.scheduler, config)
        self.scheduler.wakeup()
        logger.info("SIGHUP: config reloaded: %s", report)

    def _stop(self, wake: socket.socket) -> None:
        assert self.scheduler is not None
        stopped = self.dispatcher.stop()
        # Job threads still running are not waited for here: they wait for their crawls below.
        self.scheduler.shutdown(wait=False)
        if stopped:
            logger.info("waiting for %d running crawls to close: %s", len(stopped),
                        ", ".join(f"{source} (pid {pid})" for source, pid in stopped.items()))
        while self.dispatcher.running:
            if any(s in (signal.SIGTERM, signal.SIGINT) for s in _signals(wake, timeout=0.2)):
                logger.warning("second stop signal: the running crawls stop now")
                self.dispatcher.stop()
        logger.info("scheduler stopped")


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
