"""The persistent job store and keeping its jobs in step with the config.

One APScheduler job per scheduled source, id = source id, in a SQLAlchemy job store inside the state
database, so schedules, next fire times and pauses survive restarts. The config is the source of truth
for *what* is scheduled; the store is the source of truth for *whether* a job is paused (APScheduler
keeps a paused job with ``next_run_time`` None), so a sync changes triggers without resuming anything.

With a redis:// state the jobs are in APScheduler's RedisJobStore in the shared Redis instead, so the
`schedule` commands see and edit them from any machine of the cluster; they publish on
``WAKEUP_CHANNEL`` to make the running scheduler look at the store again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC

from apscheduler.executors.base import BaseExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.config import Config, Schedule
from state.backends import state_backend
from state.redis_state import PREFIX

JOB_FUNC = "scheduler.service:run_scheduled"
JOBS_TABLE = "scheduler_jobs"
RUN_NOW_PREFIX = "run-now:"
WAKEUP_CHANNEL = f"{PREFIX}scheduler:wakeup"


def trigger_for(schedule: Schedule) -> BaseTrigger:
    if schedule.cron is not None:
        return CronTrigger.from_crontab(schedule.cron, timezone=UTC)
    assert schedule.interval_seconds is not None
    return IntervalTrigger(seconds=schedule.interval_seconds, timezone=UTC)


def job_store(config: Config) -> SQLAlchemyJobStore:
    uri = config.state.uri
    backend = state_backend(uri)
    if backend.capabilities.shared:
        # a cluster's schedules live in its shared state, wherever the scheduler runs
        from apscheduler.jobstores.redis import RedisJobStore

        from state.redis_state import connect

        store = RedisJobStore(jobs_key=f"{PREFIX}scheduler:jobs", run_times_key=f"{PREFIX}scheduler:run_times")
        store.redis = connect(uri)
        return store  # type: ignore[return-value]
    if backend.database_path(uri) is None:
        raise ValueError(f"schedules are kept in a state file or a shared state; [state] uri is {uri!r}")
    # The crawls write the same file: wait for their transactions rather than fail on a busy database.
    return SQLAlchemyJobStore(url=uri, tablename=JOBS_TABLE,
                              engine_options={"connect_args": {"timeout": 30}})


def job_name(source_id: str, schedule: Schedule) -> str:
    """What APScheduler's log lines call the job: the source and its schedule as written."""
    return f"crawl {source_id} ({schedule.text})"


class JobStoreEditor(BaseScheduler):
    """A scheduler without a loop: it reads and edits the job store and never runs a job.

    The `schedule` commands use it; a started BackgroundScheduler would, while shutting down, process
    due jobs of the store itself (and move their next run time on without running them).
    """

    def wakeup(self) -> None:
        """Nothing to wake: a running `newsvault scheduler` is told by a signal instead."""

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)


def build_scheduler(config: Config, kind: type[BaseScheduler] = BackgroundScheduler,
                    executor: BaseExecutor | None = None) -> BaseScheduler:
    """A scheduler on the config's job store; its jobs run in `executor` (default: a thread each)."""
    return kind(
        jobstores={"default": job_store(config)},
        executors={"default": executor or ThreadPoolExecutor(config.scheduler.max_concurrent_runs)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": int(config.scheduler.misfire_grace_time)},
        timezone=UTC,
    )


@contextlib.contextmanager
def opened_store(config: Config) -> Iterator[BaseScheduler]:
    """The job store behind a scheduler that runs nothing: for reading and editing jobs from the CLI."""
    scheduler = build_scheduler(config, JobStoreEditor)
    scheduler.start(paused=True)
    try:
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)


def is_paused(job: Job) -> bool:
    return job.next_run_time is None


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    paused: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{name} {', '.join(ids)}" for name, ids in
                 (("added", self.added), ("changed", self.changed), ("removed", self.removed),
                  ("kept paused", self.paused)) if ids]
        return "; ".join(parts) or "no change"


def sync_jobs(scheduler: BaseScheduler, config: Config) -> SyncReport:
    """Add, change and remove jobs so that the store holds exactly the config's schedules."""
    report = SyncReport()
    wanted = {s.id: s.schedule for s in config.sources if s.schedule is not None}
    names = {source_id: job_name(source_id, schedule) for source_id, schedule in wanted.items()}
    known_sources = {s.id for s in config.sources}
    grace = int(config.scheduler.misfire_grace_time)
    existing = {job.id: job for job in scheduler.get_jobs()}
    for job_id in existing:
        if job_id.startswith(RUN_NOW_PREFIX):
            if job_id.removeprefix(RUN_NOW_PREFIX) not in known_sources:
                scheduler.remove_job(job_id)
        elif job_id not in wanted:
            scheduler.remove_job(job_id)
            report.removed.append(job_id)
    for source_id, schedule in wanted.items():
        trigger = trigger_for(schedule)
        job = existing.get(source_id)
        if job is None:
            scheduler.add_job(JOB_FUNC, trigger, args=[source_id], id=source_id, name=names[source_id],
                              misfire_grace_time=grace, coalesce=True, max_instances=1)
            report.added.append(source_id)
            continue
        if is_paused(job):
            report.paused.append(source_id)
        changes: dict[str, object] = {}
        if job.name != names[source_id]:
            changes["name"] = names[source_id]
        if job.misfire_grace_time != grace:
            changes["misfire_grace_time"] = grace
        if str(job.trigger) != str(trigger):
            if is_paused(job):
                changes["trigger"] = trigger  # stays paused: no next_run_time is computed
            else:
                scheduler.reschedule_job(source_id, trigger=trigger)
                report.changed.append(source_id)
        if changes:
            scheduler.modify_job(source_id, **changes)
            if source_id not in report.changed:
                report.changed.append(source_id)
    return report
