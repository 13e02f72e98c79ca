"""Where the events come from: a run that ended (its own process), a dead run closed by whoever found
it (the next crawl, the scheduler), a manifest the spool uploaded late, and the health of the sources
those runs were about.

- run_failed: the run ended failed, crashed or timeout.
- run_published: the run's manifest is in the archive store, so the files it lists can be read. When
  the store refused it, the manifest waits in the spool and the event waits with it: it is recorded
  when a flush (the next run's start, `newsvault flush`) uploads the manifest.
- store_degraded: parts of the run wait in the spool.
- source_flagged / source_recovered: a source's health (scheduler/health.py, as `runs --check`
  judges it) differs from what was last alerted; the outbox remembers each source's verdict and
  swaps it atomically, so each change is alerted once, whichever process saw it.

Everything here is called after the crawl has done its work and never raises: an alert that cannot be
recorded or delivered is logged, and the run's status and exit are what they were.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

import orjson

from archive.manifest import MANIFEST_PREFIX, manifest_key
from archive.spool import FlushReport
from archive.store_types import ArchiveStore, StoreError
from core.clock import utc_now
from core.config import Config
from newsvault.alerts.delivery import deliver, record
from newsvault.alerts.events import (
    FAILED_STATUSES,
    Event,
    run_failed,
    run_published,
    source_changed,
    store_degraded,
)
from scheduler.health import source_health
from state.state_types import StateStore

logger = logging.getLogger("newsvault.alerts")

# How long a crawl process spends delivering after its run (each attempt has its target's timeout).
RUN_DELIVERY_BUDGET_S = 30.0


def _published(store: ArchiveStore, run_id: str) -> bool:
    try:
        return store.exists(manifest_key(run_id))
    except (StoreError, OSError):
        return False


def run_events(config: Config, state: StateStore, store: ArchiveStore, manifest: dict[str, Any],
               swapped: list[tuple[str, bool]] | None = None) -> list[Event]:
    """The events of one run that has just been closed (finished, or found dead and closed);
    `swapped` receives (source, its verdict before) for each health change, to undo it when the
    events cannot be recorded."""
    events = []
    if manifest["status"] in FAILED_STATUSES:
        events.append(run_failed(manifest, store))
    spool = store.spool
    if spool is not None and spool.has_run(manifest["run_id"]):
        events.append(store_degraded(manifest, store, spool.summary()))
    elif _published(store, manifest["run_id"]):
        events.append(run_published(manifest, store))
    return events + health_events(config, state, manifest.get("sources") or [], manifest["run_id"], swapped)


def health_events(config: Config, state: StateStore, source_ids: Iterable[str], run_id: str | None,
                  swapped: list[tuple[str, bool]] | None = None) -> list[Event]:
    """source_flagged / source_recovered for each of these sources whose verdict changed."""
    by_id = {source.id: source for source in config.sources}
    outbox = state.outbox()
    events = []
    for health in source_health(state, [s for s in dict.fromkeys(source_ids) if s in by_id]):
        before = outbox.swap_source_flag(health.source, health.flagged, utc_now().timestamp())
        # a source first seen healthy has nothing to report; first seen flagged, it is news
        if before == health.flagged or (before is None and not health.flagged):
            continue
        events.append(source_changed(by_id[health.source], health, run_id))
        if swapped is not None:
            swapped.append((health.source, not health.flagged))
    return events


def record_closed_runs(config: Config, state: StateStore, store: ArchiveStore,
                       manifests: Iterable[dict[str, Any]]) -> None:
    """Record the events of runs just closed; logs instead of raising."""
    if not config.alerts:
        return
    for manifest in manifests:
        swapped: list[tuple[str, bool]] = []
        try:
            record(config, state, run_events(config, state, store, manifest, swapped))
        except Exception as exc:  # an alert must never fail the run it is about
            logger.error("alerts: cannot record the events of run %s: %s", manifest.get("run_id"), exc)
            # the verdicts go back as they were, so the next run alerts the change it could not record
            for source, before in swapped:
                with contextlib.suppress(Exception):
                    state.outbox().swap_source_flag(source, before, utc_now().timestamp())


def record_flushed_manifests(config: Config, state: StateStore, store: ArchiveStore,
                             report: FlushReport | None) -> None:
    """run_published for each manifest a spool flush has just put in the store."""
    if not config.alerts or report is None:
        return
    for key in report.uploaded + report.already_there:
        if not key.startswith(MANIFEST_PREFIX):
            continue
        try:
            manifest = orjson.loads(store.get_bytes(key))
            record(config, state, [run_published(manifest, store)])
        except Exception as exc:  # the manifest is in the store all the same
            logger.error("alerts: cannot record run_published for %s: %s", key, exc)


def deliver_pending(config: Config, state: StateStore) -> None:
    """Deliver what is due, within the run's delivery budget; logs instead of raising."""
    if not config.alerts:
        return
    try:
        deliver(config, state, budget_s=RUN_DELIVERY_BUDGET_S)
    except Exception as exc:  # the events stay in the outbox for the next run or `alerts flush`
        logger.error("alerts: delivery stopped: %s; pending events wait for the next run or "
                     "`newsvault alerts flush`", exc)


def after_dead_run(config: Config, manifest: dict[str, Any]) -> None:
    """For the scheduler: a crawl process died and its run was closed; record and deliver its events."""
    if not config.alerts:
        return
    from archive.stores import open_archive
    from state.backends import open_state

    try:
        state = open_state(config.state.uri)
        store = open_archive(config)
    except Exception as exc:
        logger.error("alerts: cannot open the stores for the events of run %s: %s", manifest.get("run_id"), exc)
        return
    try:
        record_closed_runs(config, state, store, [manifest])
        deliver_pending(config, state)
    finally:
        state.close()
