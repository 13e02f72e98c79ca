"""`newsvault schedule list|pause|resume|run SOURCE`: operate the schedules.

The commands work on the job store in the state database, with or without a running scheduler. With
one running, they tell it (SIGUSR1) to look at the store again, and `run` hands the run over to it;
without one, they first sync the store to the config, and `run` crawls in the foreground under the
same time limit and lock as a scheduled run.

With a redis:// state (a cluster) the job store is in the shared Redis, so they work from any machine:
the running scheduler is found by its lease in Redis and told through a Redis channel; `list` also
shows which worker is crawling a source and whether a scheduled run of it is queued for the workers.
`run` without a running scheduler still crawls here, in the foreground (`newsvault enqueue` sends a
run to the workers instead).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
from datetime import UTC, datetime
from typing import Any

from newsvault.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    UsageError,
    errors_text,
    load,
    log_level,
    print_json,
    table,
)


def register(commands: Any) -> None:
    schedule = commands.add_parser("schedule", help="operate the schedules: list, pause, resume, run")
    actions = schedule.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every source: schedule, next fire time, last run")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_schedules)
    for name, func, text in (("pause", pause, "stop firing a source's schedule (survives restarts)"),
                             ("resume", resume, "fire a paused source's schedule again"),
                             ("run", run_now, "run a source now (handed to the scheduler when one runs)")):
        action = actions.add_parser(name, help=text)
        action.add_argument("source", metavar="SOURCE")
        action.add_argument("--json", action="store_true")
        action.set_defaults(func=func)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def _seconds_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def _running_scheduler(config: Any) -> dict[str, Any] | None:
    from scheduler.locks import lock_holder, scheduler_lock

    return lock_holder(scheduler_lock(config))


def _notify(config: Any, holder: dict[str, Any] | None) -> None:
    """Make a running scheduler look at the job store now rather than at its next planned wakeup."""
    from scheduler.locks import is_shared

    if holder is None:
        return
    if is_shared(config):  # it may run on another machine: it listens on a Redis channel
        from scheduler.jobs import WAKEUP_CHANNEL
        from state.redis_state import connect

        client = connect(config.state.uri)
        try:
            client.publish(WAKEUP_CHANNEL, "jobs changed")
        finally:
            client.close()
    elif isinstance(holder.get("pid"), int):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(holder["pid"], signal.SIGUSR1)


def _scheduler_text(holder: dict[str, Any]) -> str:
    where = f" on {holder['host']}" if holder.get("host") and holder["host"] != socket.gethostname() else ""
    return f"pid {holder.get('pid')}{where}"


class _Store:
    """The job store, synced to the config first unless a running scheduler owns it."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.config = load(args)
        self.scheduler_holder = _running_scheduler(self.config)

    def __enter__(self) -> Any:
        from scheduler.jobs import opened_store, sync_jobs

        self._context = opened_store(self.config)
        scheduler = self._context.__enter__()
        if self.scheduler_holder is None:
            sync_jobs(scheduler, self.config)
        return scheduler

    def __exit__(self, *exc: object) -> None:
        self._context.__exit__(*exc)


def _source(config: Any, source_id: str) -> Any:
    try:
        return config.source(source_id)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def list_schedules(args: argparse.Namespace) -> int:
    from scheduler.jobs import RUN_NOW_PREFIX, is_paused
    from scheduler.locks import is_shared, lock_holder, source_lock
    from state.backends import open_state

    store = _Store(args)
    config = store.config
    with store as scheduler:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    if is_shared(config):
        from scheduler.celery_app import pending_task
    else:
        pending_task = None
    state = open_state(config.state.uri)
    rows = []
    for source in config.sources:
        job = jobs.get(source.id)
        requested = jobs.get(RUN_NOW_PREFIX + source.id)
        last = next(iter(state.list_runs(source=source.id, limit=1)), None)
        lock = source_lock(config, source.id)
        crawling = lock_holder(lock) if lock is not None else None
        if job is None:
            status = "unscheduled" if source.schedule is None else "not loaded"
        else:
            status = "paused" if is_paused(job) else "scheduled"
        counts = ((last or {}).get("per_source") or {}).get(source.id) or (last or {}).get("counts") or {}
        rows.append({
            "source": source.id,
            "schedule": source.schedule.text if source.schedule else None,
            "state": status,
            "paused": status == "paused",
            "next_run_time": _iso(job.next_run_time) if job is not None else None,
            "run_requested": requested is not None,
            "running": crawling,
            # a cluster: the task of the scheduled run sent to the workers and not ended yet
            "dispatched_task": pending_task(config, source.id) if pending_task is not None else None,
            "last_run": None if last is None else {
                "run_id": last["run_id"], "status": last["status"], "started_at": last["started_at"],
                "finished_at": last.get("finished_at"),
                "duration_s": _seconds_between(last["started_at"], last.get("finished_at")),
                "counts": counts,
            },
        })
    state.close()
    if args.json:
        print_json(rows)
        return EXIT_OK
    lines = []
    for r in rows:
        last = r["last_run"] or {}
        counts = last.get("counts") or {}
        duration = last.get("duration_s")
        state_text = r["state"] + (" +run requested" if r["run_requested"] else "")
        if r["running"] is not None:
            where = (r["running"].get("worker") or r["running"].get("host")) if pending_task is not None else None
            on = f" on {where}" if where else ""
            state_text += f" (crawling{on}, pid {r['running'].get('pid', '?')})"
        elif r["dispatched_task"] is not None:
            state_text += " (queued for the workers)"
        lines.append([r["source"], r["schedule"] or "-", state_text, r["next_run_time"] or "-",
                      last.get("started_at") or "-", last.get("status") or "-",
                      f"{duration:.0f}s" if duration is not None else "-",
                      counts.get("archived", "-"), errors_text(counts.get("errors") or {})])
    print(table(lines, ["source", "schedule", "state", "next run", "last run", "status", "duration",
                        "archived", "errors"]))
    if store.scheduler_holder is None:
        print("no scheduler is running on this state (start one with `newsvault scheduler`)")
    return EXIT_OK


def _pause_or_resume(args: argparse.Namespace, pausing: bool) -> int:
    from scheduler.jobs import is_paused

    store = _Store(args)
    source = _source(store.config, args.source)
    if source.schedule is None:
        raise UsageError(f"source {source.id!r} has no schedule in {store.config.path}")
    with store as scheduler:
        job = scheduler.get_job(source.id)
        if job is None:
            raise UsageError(f"source {source.id!r} is not loaded by the running scheduler yet: reload it "
                             "(SIGHUP, or `systemctl reload newsvault`) after editing the config")
        if pausing and not is_paused(job):
            scheduler.pause_job(source.id)
        elif not pausing and is_paused(job):
            scheduler.resume_job(source.id)
        job = scheduler.get_job(source.id)
    _notify(store.config, store.scheduler_holder)
    result = {"source": source.id, "paused": job is None or is_paused(job),
              "next_run_time": _iso(job.next_run_time) if job is not None else None}
    if args.json:
        print_json(result)
    elif result["paused"]:
        print(f"{source.id}: paused (until `newsvault schedule resume {source.id}`)")
    else:
        print(f"{source.id}: scheduled, next run {result['next_run_time']}")
    return EXIT_OK


def pause(args: argparse.Namespace) -> int:
    return _pause_or_resume(args, pausing=True)


def resume(args: argparse.Namespace) -> int:
    return _pause_or_resume(args, pausing=False)


def run_now(args: argparse.Namespace) -> int:
    from scheduler.jobs import JOB_FUNC, RUN_NOW_PREFIX

    store = _Store(args)
    source = _source(store.config, args.source)
    if store.scheduler_holder is not None:
        with store as scheduler:
            # A one-off job: the schedule (and a pause) stays as it is; the source lock keeps the
            # one-off and a scheduled run from overlapping.
            scheduler.add_job(JOB_FUNC, "date", run_date=datetime.now(UTC), args=[source.id],
                              id=RUN_NOW_PREFIX + source.id, name=f"run {source.id} now",
                              replace_existing=True, misfire_grace_time=None)
        _notify(store.config, store.scheduler_holder)
        if args.json:
            print_json({"source": source.id, "handed_to_scheduler": store.scheduler_holder.get("pid"),
                        "scheduler_host": store.scheduler_holder.get("host")})
        else:
            print(f"{source.id}: run requested from the scheduler ({_scheduler_text(store.scheduler_holder)})")
        return EXIT_OK
    return _run_in_foreground(args, store.config, source.id)


def _run_in_foreground(args: argparse.Namespace, config: Any, source_id: str) -> int:
    from newsvault.alerts.run_events import after_dead_run
    from newsvault.commands.crawl import summary_text
    from scheduler.dispatch import Dispatcher

    dispatcher = Dispatcher(config, time_limit=config.scheduler.run_time_limit, log_level=log_level(args),
                            on_dead_run=after_dead_run)
    try:
        result = dispatcher.run(source_id)
    finally:
        dispatcher.close()
    assert result is not None
    if args.json:
        print_json(result.manifest if result.manifest is not None
                   else {"source": source_id, "status": result.status, "detail": result.detail})
    elif result.manifest is not None:
        print(summary_text(result.manifest))
    else:
        print(result.summary(), file=sys.stderr)
    return EXIT_OK if result.status in ("ok", "degraded") else EXIT_FAILED
