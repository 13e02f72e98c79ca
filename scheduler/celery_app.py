"""The Celery app of a cluster: the scheduler enqueues source runs, `newsvault worker`s run them.

One task, `crawl_source`, runs one source's crawl in the worker's crawl host (scheduler/crawl_hosts.py,
as scheduler/dispatch.py does on one machine): a long-lived process of its own, with Scrapy loaded once,
running the runs of the worker's task threads side by side on its reactor, each under its time limit.
A host that crashes takes only its runs down (closed as crashed) and is replaced; a worker that dies
takes its host with it (`--parent-gone die`). The host takes the source's lease lock in Redis itself,
so a source never runs twice at once, whichever worker (or operator) starts it.

Delivery is at least once, made exactly once in effect by the state: a task is acknowledged only
when it finished (acks_late); a worker that is lost has its task redelivered, by the pool when only
the child died (reject_on_worker_lost); when the whole worker died, the scheduler sends the source's
run again within a lease and a half of the death (scheduler/lost_tasks.py), and the broker's redelivery after
the visibility timeout is the last resort (for runs sent with `newsvault enqueue`, no scheduler). The visibility timeout is longer than the run time limit plus its grace, so a run still
going is never delivered twice. The dead run's published parts stay in the archive and the redelivered
run skips what they hold (the dedup index); its unpublished records are fetched again.

One run of a source in flight: the scheduler sends a due run only when none of that source is queued or
running already (`dispatch_scheduled`: a ``pending:<source>`` key in the state, set when the task is
sent, deleted by the task when it ends, and lapsing by itself after the visibility timeout plus the run
time limit and its grace). A fire while the source's run is still waiting or going is dropped, as on one
machine, instead of piling up in the queue. `newsvault enqueue` sends unconditionally.

Fairness: scheduled runs go to the "scheduled" queue, backfills and manual runs to "backfill", each
worker takes one task at a time per process (prefetch 1), and every run has a time limit, so neither
a huge source nor a backfill holds the workers the schedules need. Start workers on both queues, or
dedicate some to one (`newsvault worker --queues scheduled`).

`newsvault flower` (or `celery -A scheduler.celery_app flower --broker=redis://...`) watches the cluster:
workers send task events, and Flower shows the tasks that run while it is up.
The newsvault commands configure the app from their config (`configure`); unconfigured, it still loads,
so Flower and `celery inspect` can be pointed at a broker by their own --broker option.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Celery
from celery.exceptions import Retry
from celery.signals import worker_shutdown
from celery.utils import uuid

from core.config import Config
from scheduler import lost_tasks
from scheduler.dispatch import Dispatcher, RunResult
from scheduler.metrics import SchedulerMetrics
from state.redis_state import PREFIX, connect, connection_uri, lease_seconds

logger = logging.getLogger(__name__)

SCHEDULED_QUEUE = "scheduled"
BACKFILL_QUEUE = "backfill"
QUEUES = (SCHEDULED_QUEUE, BACKFILL_QUEUE)
TASK_NAME = "newsvault.crawl_source"
# A redelivered task finds the source still locked by the dead run until its lease lapses: retry then.
SKIPPED_RETRIES = 3

app = Celery("newsvault")


def broker_uri(config: Config) -> str:
    uri = config.scheduler.broker or config.state.uri
    if not uri.startswith(("redis://", "rediss://")):
        raise ValueError(f"Celery needs a Redis broker: set [state] uri or [scheduler] broker to redis://...; "
                         f"[state] uri is {config.state.uri!r}")
    return connection_uri(uri)


def configure(config: Config, celery: Celery = app, *,
              load_config: Callable[[Path], Config] | None = None, log_level: str | None = None,
              on_dead_run: Callable[[Config, dict[str, Any]], None] | None = None) -> Celery:
    """Broker, delivery guarantees and limits from newsvault.toml.

    A worker is given the CLI's `load_config` too: each task reads the file again, so edits apply to
    the next runs without restarting the workers; and the log level and the CLI's hook for a run whose
    crawl host died (it records the run's alerts) for its crawl host.
    """
    celery.conf.newsvault_config = config
    if load_config is not None:
        celery.conf.newsvault_load_config = load_config
    if log_level is not None:
        celery.conf.newsvault_log_level = log_level
    if on_dead_run is not None:
        celery.conf.newsvault_on_dead_run = on_dead_run
    limits = config.scheduler
    visibility = limits.broker_visibility_timeout
    celery.conf.update(
        broker_url=broker_uri(config),
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": visibility,
            # how soon a dead worker's task is looked for: a fraction of the visibility timeout
            "unacked_restore_interval": max(1, min(10, int(visibility / 10))),
            "unacked_restore_throttle": 1,
        },
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_default_queue=SCHEDULED_QUEUE,
        task_create_missing_queues=True,
        # events for Flower and `celery events`
        worker_send_task_events=True,
        task_send_sent_event=True,
        worker_hijack_root_logger=False,
    )
    return celery


_dispatcher: Dispatcher | None = None
_dispatcher_lock = threading.Lock()


def worker_dispatcher(celery: Celery, config: Config, worker: str) -> Dispatcher:
    """The worker's crawl host(s): started with its first task, shared by its task threads."""
    global _dispatcher
    with _dispatcher_lock:
        if _dispatcher is None:
            level = celery.conf.get("newsvault_log_level") or "WARNING"
            _dispatcher = Dispatcher(config, time_limit=config.scheduler.run_time_limit, log_level=level,
                                     on_dead_run=celery.conf.get("newsvault_on_dead_run"),
                                     runs_in_flight=celery.conf.get("newsvault_concurrency")
                                     or config.scheduler.worker_concurrency, parent_gone="die",
                                     env={**os.environ, "NEWSVAULT_WORKER": worker})
        else:
            _dispatcher.reconfigure(config)
        return _dispatcher


@worker_shutdown.connect
def _close_hosts(**_: Any) -> None:
    if _dispatcher is not None:
        _dispatcher.close(timeout=60)


@app.task(bind=True, name=TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def crawl_source(self: Any, source_id: str, time_limit: float | None = None, resumed: bool = False) -> dict[str, Any]:
    """Crawl one source in a child process; returns the run's summary (its manifest is in the state).
    `resumed`: sent again for a run whose worker was lost (scheduler/lost_tasks.py)."""
    config = _worker_config(self.app)
    worker = self.request.hostname or ""
    if self.request.called_directly:
        return _crawl(self, config, source_id, time_limit, resumed)
    client = connect(config.state.uri)
    if lost_tasks.superseded(client, self.request.id):
        client.close()
        return {"source": source_id, "status": "superseded", "worker": worker}
    beat = lost_tasks.task_heartbeat(client, self.request.id, worker, lease_seconds(config.state.uri),
                                     pending_seconds(config))
    ended = True
    try:
        return _crawl(self, config, source_id, time_limit, resumed)
    except Retry:
        ended = False  # the same task comes back: the source's pending run is still this one
        lost_tasks.waiting(client, self.request.id)
        raise
    finally:
        beat.stop()
        client.close()
        if ended:
            _clear_pending(config, source_id, self.request.id)


def _worker_config(celery: Celery) -> Config:
    config: Config | None = celery.conf.get("newsvault_config")
    if config is None:
        raise RuntimeError("this Celery worker has no newsvault config: start workers with `newsvault worker`")
    load = celery.conf.get("newsvault_load_config")
    return load(config.path) if load is not None else config


def _crawl(self: Any, config: Config, source_id: str, time_limit: float | None,
           resumed: bool = False) -> dict[str, Any]:
    limit = time_limit or config.scheduler.run_time_limit
    worker = self.request.hostname or ""
    dispatcher = worker_dispatcher(self.app, config, worker)
    result = dispatcher.submit([source_id], time_limit=limit).result()[0]
    _record_metrics(self.app, config, result, dispatcher)
    if result.status == "skipped":
        again = resumed or (self.request.delivery_info or {}).get("redelivered")
        if again and self.request.retries < SKIPPED_RETRIES:
            # the lease of the lost worker's run has not lapsed yet
            raise self.retry(countdown=lease_seconds(config.state.uri), max_retries=SKIPPED_RETRIES)
        return {"source": source_id, "status": "skipped", "worker": worker, "detail": result.detail}
    manifest = result.manifest or {}
    return {"source": source_id, "status": result.status, "run_id": manifest.get("run_id"),
            "archived": result.source_counts.get("archived"), "worker": worker, "detail": result.detail}


def _record_metrics(celery: Celery, config: Config, result: RunResult, dispatcher: Dispatcher) -> None:
    """The run in this worker's metrics (`newsvault worker --metrics-port`), if it serves them."""
    metrics: SchedulerMetrics | None = celery.conf.get("newsvault_metrics")
    if metrics is None:
        return
    metrics.record(result)
    metrics.running.set(len(dispatcher.running))
    metrics.refresh_health(config.state.uri, [result.source])


def enqueue(config: Config, source_id: str, *, queue: str = SCHEDULED_QUEUE, task_id: str | None = None,
            resumed: bool = False) -> str:
    """Send one run of ``source_id`` to the workers; returns the task id."""
    configure(config)
    result = crawl_source.apply_async(args=[source_id], kwargs={"resumed": True} if resumed else None,
                                      queue=queue, task_id=task_id)
    return str(result.id)


def pending_key(source_id: str) -> str:
    return f"{PREFIX}pending:{source_id}"


def pending_seconds(config: Config) -> float:
    """How long a sent run counts as in flight at most: queued until redelivered, then run to its limit."""
    limits = config.scheduler
    return limits.broker_visibility_timeout + limits.run_time_limit + limits.run_grace


@dataclass(frozen=True)
class Dispatch:
    """What `dispatch_scheduled` did: ``task_id`` sent, or ``pending`` the task already in flight."""

    task_id: str | None
    pending: str | None = None


def dispatch_scheduled(config: Config, source_id: str, *, resumed: bool = False) -> Dispatch:
    """Send a scheduled run of ``source_id``, unless one of its runs is still queued or running."""
    client = connect(config.state.uri)
    try:
        task_id = uuid()
        key = pending_key(source_id)
        if not client.set(key, task_id, nx=True, px=int(pending_seconds(config) * 1000)):
            return Dispatch(None, pending=_text(client.get(key)) or "?")
        try:
            return Dispatch(enqueue(config, source_id, queue=SCHEDULED_QUEUE, task_id=task_id, resumed=resumed))
        except BaseException:
            _delete_if_equal(client, key, task_id)
            raise
    finally:
        client.close()


def rescue_lost_runs(config: Config, suspects: dict[str, float]) -> list[tuple[str, str, Dispatch]]:
    """Send again the pending runs whose worker was lost (scheduler/lost_tasks.py); returns
    (source, the lost task, what was sent) for each.

    A task whose heartbeat is missing is a suspect first (`suspects`: task id -> when it was first
    seen missing, kept by the caller between calls); it is taken for lost only when its heartbeat is
    still missing half a lease later, so a heartbeat late on a loaded machine does not start a second
    run of a source beside one that is still going."""
    rescued = []
    now = time.monotonic()
    grace = lease_seconds(config.state.uri) / 2
    client = connect(config.state.uri)
    try:
        missing = set()
        for source_id, task_id in list(lost_tasks.pending_tasks(client)):
            if not lost_tasks.lost(client, task_id):
                continue
            missing.add(task_id)
            if now - suspects.setdefault(task_id, now) < grace:
                continue
            lost_tasks.supersede(client, task_id, pending_seconds(config))
            _delete_if_equal(client, pending_key(source_id), task_id)
            rescued.append((source_id, task_id, dispatch_scheduled(config, source_id, resumed=True)))
        for task_id in set(suspects) - (missing - {t for _, t, _ in rescued}):
            del suspects[task_id]
    finally:
        client.close()
    return rescued


def pending_task(config: Config, source_id: str) -> str | None:
    """The task id of the source's scheduled run still queued or running, if any."""
    client = connect(config.state.uri)
    try:
        return _text(client.get(pending_key(source_id)))
    finally:
        client.close()


_DELETE_IF_EQUAL = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _delete_if_equal(client: Any, key: str, value: str) -> None:
    client.eval(_DELETE_IF_EQUAL, 1, key, value)


def _clear_pending(config: Config, source_id: str, task_id: str | None) -> None:
    """The run has ended: the scheduler may send the source's next one (only if it sent this one)."""
    if not task_id:
        return
    try:
        client = connect(config.state.uri)
        try:
            _delete_if_equal(client, pending_key(source_id), task_id)
        finally:
            client.close()
    except Exception as exc:  # the key lapses by itself
        logger.warning("cannot clear the pending run of %s (it lapses by itself): %s", source_id, exc)


def _text(value: bytes | str | None) -> str | None:
    return value.decode("utf-8") if isinstance(value, bytes) else value
