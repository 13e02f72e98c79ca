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
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from apscheduler.schedulers.base import BaseScheduler

from core.config import Config, ConfigError
from scheduler.dispatch import DeadRunHook, Dispatcher
from scheduler.health import source_health
from scheduler.jobs import RUN_NOW_PREFIX, WAKEUP_CHANNEL, build_scheduler, sync_jobs
from scheduler.locks import Lock, LockBusy, describe_holder, is_shared, scheduler_lock
from scheduler.metrics import SchedulerMetrics
from state.backends import StateError, open_state
from state.redis_state import lease_seconds

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
    def __init__(self, config: Config, *, load_config: Callable[[Path], Config], metrics_port: int | None = None,
                 metrics_address: str = "127.0.0.1", log_args: tuple[str, ...] = (),
                 on_dead_run: DeadRunHook | None = None) -> None:
        # the loader is the CLI's (newsvault/config): a SIGHUP reloads and checks the file as it did
        self.config = config
        self.load_config = load_config
        self.metrics_port = metrics_port
        self.metrics_address = metrics_address
        self.metrics = SchedulerMetrics()
        # on_dead_run: the CLI's, which records the alerts of a crawl that died (the glue knows alerts)
        self.dispatcher = Dispatcher(config, time_limit=config.scheduler.run_time_limit, log_args=log_args,
                                     on_dead_run=on_dead_run)
        self.lock: Lock = scheduler_lock(config)
        self.scheduler: BaseScheduler | None = None

    def run_source(self, source_id: str) -> None:
        if is_shared(self.config):
            # a cluster: the run goes to the Celery workers; they record it in the shared state
            from scheduler.celery_app import dispatch_scheduled

            sent = dispatch_scheduled(self.config, source_id)
            if sent.task_id is None:
                logger.info("%s: not sent, its previous run (task %s) is still queued or running",
                            source_id, sent.pending)
            else:
                logger.info("%s: sent to the workers (task %s)", source_id, sent.task_id)
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
        self.scheduler = build_scheduler(self.config)
        self.scheduler.add_listener(_log_submission, EVENT_JOB_SUBMITTED)
        # Paused until the jobs match the config: a job removed from it must not fire once more.
        self.scheduler.start(paused=True)
        report = sync_jobs(self.scheduler, self.config)
        self.scheduler.resume()
        jobs = self.scheduler.get_jobs()
        where = "Celery workers" if is_shared(self.config) else "local crawl processes"
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
            ids = [s.id for s in self.config.sources]
            self.metrics.known_sources({i: state.list_runs(source=i, limit=50) for i in ids})
            self.metrics.health(source_health(state, ids))
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
        self.dispatcher.config = config
        self.dispatcher.time_limit = config.scheduler.run_time_limit
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
