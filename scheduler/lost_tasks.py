"""A cluster's lost tasks: a run whose worker died is found within a lease and a half and sent again.

Celery redelivers an unacknowledged task only after the broker's visibility timeout, which must be
longer than any run may take (an hour and more), so a worker lost mid-run would leave its sources
without a run that long. Each task therefore keeps a heartbeat in Redis while it runs
(``task:<id>``, renewed every third of the state's lease, state/redis_state.py RunHeartbeat) and
marks that it started (``task-started:<id>``). The scheduler looks at the task of each source's
pending run (scheduler/celery_app.py) every few seconds: started, and its heartbeat lapsed (and
still lapsed half a lease later), means its worker is gone. The task is then marked superseded (so
the broker's late redelivery of it ends at once instead of running the source again), and the
source's run is sent again, to a live worker; that crawl closes the dead run as crashed and salvages what it had published, as every crawl does
for the runs it finds dead (newsvault/runner.py recover_crashed_runs).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from state.redis_state import PREFIX, RunHeartbeat


def _started_key(task_id: str) -> str:
    return f"{PREFIX}task-started:{task_id}"


def _superseded_key(task_id: str) -> str:
    return f"{PREFIX}superseded:{task_id}"


def _alive_id(task_id: str) -> str:
    return f"task:{task_id}"  # RunHeartbeat keeps alive:<this>


def task_heartbeat(client: Any, task_id: str, worker: str, lease_s: float, keep_s: float) -> RunHeartbeat:
    """Mark the task started (kept `keep_s`, as long as its pending run may last) and alive (while
    this process lives); stop() the returned heartbeat when the task ends."""
    client.set(_started_key(task_id), worker, px=int(keep_s * 1000))
    return RunHeartbeat(client, _alive_id(task_id), lease_s)


def waiting(client: Any, task_id: str) -> None:
    """The task stopped to be retried later (its source was still locked): not started, so not lost
    while it waits; it is marked started again when it runs."""
    client.delete(_started_key(task_id))


def superseded(client: Any, task_id: str) -> bool:
    """Whether this task's run was sent again after its worker was lost."""
    return bool(client.exists(_superseded_key(task_id)))


def lost(client: Any, task_id: str) -> bool:
    """Started, and its heartbeat lapsed: the worker running it is gone."""
    return bool(client.exists(_started_key(task_id))) and not client.exists(f"{PREFIX}alive:{_alive_id(task_id)}")


def supersede(client: Any, task_id: str, keep_s: float) -> None:
    client.set(_superseded_key(task_id), 1, px=int(keep_s * 1000))


def pending_tasks(client: Any) -> Iterator[tuple[str, str]]:
    """(source, task id) of each source's scheduled run still pending."""
    for key in client.scan_iter(match=f"{PREFIX}pending:*"):
        name = key.decode() if isinstance(key, bytes) else key
        task = client.get(key)
        if task is not None:
            yield name.rsplit(":", 1)[1], task.decode() if isinstance(task, bytes) else task
