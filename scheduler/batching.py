"""The scheduler's executor: the runs due at one tick started together, quiet sources in batches.

APScheduler hands each due job to an executor. Its thread pool ran one job per thread, and a job's
thread waited for its crawl: how many runs could be in flight was how many threads there were, and
with a thousand sources due each minute most runs started long after they were due. This executor
runs no job function at all: it collects what falls due within a short window (one tick), sends the
runs to the crawl hosts through the dispatcher, and reports each job executed when its run has ended,
so APScheduler still sees each job running until then (`max_instances` = 1: a source whose last run
is still going skips its fire, as it did before).

Sources whose last run fetched no article (a quiet source: its feeds answered 304, nothing was new)
share one run per `batch_size` of them: one crawler, one manifest, each source's own counts in it
(`per_source`). A quiet source costs a crawl little more than its feed requests, and a run's start-up
is paid once per batch. A source that found articles last time, or has never run, gets a run of its
own, so a busy source never holds a batch of quiet ones past their next tick.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.base import BaseExecutor
from apscheduler.job import Job

from scheduler.dispatch import RunResult

logger = logging.getLogger(__name__)

# What falls due within this long of the first due job is started with it.
WINDOW_S = 0.2


@dataclass
class Due:
    """A job handed to the executor, and when it was due (the latest of its run times not missed)."""

    job: Job
    source: str
    due_at: datetime
    missed: list[Any] = field(default_factory=list)  # EVENT_JOB_MISSED of its older run times


Dispatch = Callable[[Sequence[str]], "Future[list[RunResult]]"]
# Told of each run's results, with when each source was due.
ResultsHook = Callable[[list[RunResult], dict[str, datetime]], None]


class BatchingExecutor(BaseExecutor):
    def __init__(self, dispatch: Dispatch, *, batch_size: int, is_quiet: Callable[[Sequence[str]], set[str]],
                 on_results: ResultsHook, window_s: float = WINDOW_S) -> None:
        super().__init__()
        self.dispatch = dispatch
        self.batch_size = batch_size
        self.is_quiet = is_quiet  # which of the sources are quiet (see the module's docstring)
        self.on_results = on_results
        self.window_s = window_s
        self._due: list[Due] = []
        self._timer: threading.Timer | None = None
        self._collect = threading.Lock()

    def shutdown(self, wait: bool = True) -> None:
        with self._collect:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = None
            dropped, self._due = self._due, []
        for due in dropped:  # never sent: APScheduler forgets them as run, they fire again next time
            self._run_job_success(due.job.id, due.missed)

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        now = datetime.now(UTC)
        missed = []
        for run_time in run_times[:-1] if len(run_times) > 1 else []:
            missed.append(JobExecutionEvent(EVENT_JOB_MISSED, job.id, job._jobstore_alias, run_time))
        due = Due(job, str(job.args[0]), run_times[-1], missed)
        grace = job.misfire_grace_time
        if grace is not None and now - due.due_at > timedelta(seconds=grace):
            logger.warning('Run time of job "%s" was missed by %s', job, now - due.due_at)
            due.missed.append(JobExecutionEvent(EVENT_JOB_MISSED, job.id, job._jobstore_alias, due.due_at))
            # reported once submit_job has counted the instance (it holds the executor's lock now)
            threading.Thread(target=self._run_job_success, args=(job.id, due.missed), daemon=True).start()
            return
        with self._collect:
            self._due.append(due)
            if self._timer is None:
                self._timer = threading.Timer(self.window_s, self._flush)
                self._timer.daemon = True
                self._timer.start()

    def _flush(self) -> None:
        with self._collect:
            due, self._due = self._due, []
            self._timer = None
        if not due:
            return
        try:
            quiet = self.is_quiet([d.source for d in due]) if self.batch_size > 1 else set()
        except Exception as exc:  # the run history out of reach: every source runs alone
            logger.warning("cannot tell quiet sources from busy ones: %s", exc)
            quiet = set()
        # A source due twice in the window (its schedule and a `schedule run`) runs once for both.
        by_source: dict[str, list[Due]] = {}
        for d in due:
            by_source.setdefault(d.source, []).append(d)
        batch = [source for source in by_source if source in quiet]
        groups = [batch[i:i + self.batch_size] for i in range(0, len(batch), self.batch_size)]
        groups += [[source] for source in by_source if source not in quiet]
        for sources in groups:
            group = [d for source in sources for d in by_source[source]]
            try:
                future = self.dispatch(sources)
            except Exception as exc:
                self._failed(group, exc)
                continue
            future.add_done_callback(lambda done, group=group: self._finished(group, done))

    def _finished(self, group: list[Due], future: Future[list[RunResult]]) -> None:
        try:
            results = future.result()
        except Exception as exc:
            self._failed(group, exc)
            return
        try:
            self.on_results(results, {d.source: d.due_at for d in group})
        except Exception:  # what the service makes of the results must not keep the jobs running
            logger.exception("after the run of %s", ", ".join(d.source for d in group))
        by_source = {r.source: r for r in results}
        for due in group:
            event = JobExecutionEvent(EVENT_JOB_EXECUTED, due.job.id, due.job._jobstore_alias, due.due_at,
                                      retval=by_source.get(due.source))
            self._run_job_success(due.job.id, [*due.missed, event])

    def _failed(self, group: list[Due], exc: BaseException) -> None:
        logger.error("the run of %s could not be started: %s", ", ".join(d.source for d in group), exc)
        for due in group:
            event = JobExecutionEvent(EVENT_JOB_ERROR, due.job.id, due.job._jobstore_alias, due.due_at,
                                      exception=exc, traceback="")
            self._run_job_success(due.job.id, [*due.missed, event])
