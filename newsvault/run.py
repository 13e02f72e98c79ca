"""What one crawl run is: its config, sources, stores, id and start, fixed before the crawl starts.

The runner creates it and hands it to Scrapy in the `NEWSVAULT_RUN` setting; components read it with
`CrawlRun.of(crawler)`. It holds no component's state: what a run builds (its archive, dedup index,
revisit ledger) belongs to the component that builds it, and the others find that component through
the crawler (`get_item_pipeline`, `get_extension`) or hear from it through signals
(pipelines/signals.py).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from archive.manifest import new_run_id
from archive.spool import default_spool_root
from archive.stores import ArchiveStore, open_store
from newsvault.config import Config, Source
from newsvault.state import open_state
from newsvault.state_types import StateStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


# A fake clock for tests and backfills: with NEWSVAULT_NOW=<ISO time> the process's clock starts at that
# time and runs on from there, so revisit due times, fetch times and run ids all see one consistent
# "now" (a test jumps past a revisit interval without sleeping; run ids stay unique and in order).
NOW_ENV_VAR = "NEWSVAULT_NOW"
_PROCESS_START = time.monotonic()


@functools.cache
def _clock_offset(fake_now: str) -> timedelta:
    try:
        start = datetime.fromisoformat(fake_now.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{NOW_ENV_VAR} must be an ISO time such as 2026-01-31T12:00:00Z, not {fake_now!r}") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    return start - (datetime.now(UTC) - timedelta(seconds=time.monotonic() - _PROCESS_START))


def utc_now() -> datetime:
    fake = os.environ.get(NOW_ENV_VAR, "").strip()
    now = datetime.now(UTC)
    return now + _clock_offset(fake) if fake else now


def iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_archive(config: Config) -> ArchiveStore:
    """The configured archive store; a remote one spools, persistently, next to the state database."""
    return open_store(config.archive.uri, endpoint_url=config.archive.endpoint_url,
                      region=config.archive.region,
                      spool_dir=default_spool_root(config.state.uri, config.path.parent))


@dataclass(frozen=True)
class CrawlRun:
    config: Config
    sources: tuple[Source, ...]
    store: ArchiveStore
    state: StateStore
    run_id: str
    started_at: datetime
    kind: str = "crawl"
    # Keys the run adds to its manifest (a replay: replay_of, source_archive, extractor).
    manifest_extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, config: Config, sources: tuple[Source, ...], *, kind: str = "crawl") -> CrawlRun:
        started = utc_now()
        store = open_archive(config)
        state = open_state(config.state.uri)
        run = cls(config=config, sources=sources, store=store, state=state,
                  run_id=new_run_id(started), started_at=started, kind=kind)
        state.start_run(run.run_id, kind, [s.id for s in sources], iso_z(started))
        return run

    def __deepcopy__(self, memo: dict[int, Any]) -> CrawlRun:
        # Scrapy deep-copies its settings per crawler. The run is immutable, and its store and state
        # are open connections, which a copy could not share: the copy is the run itself.
        return self

    @staticmethod
    def of(crawler: Crawler) -> CrawlRun:
        run = crawler.settings.get("NEWSVAULT_RUN")
        if not isinstance(run, CrawlRun):
            raise RuntimeError("newsvault components need a CrawlRun in the NEWSVAULT_RUN setting; "
                               "start crawls with `newsvault crawl`")
        return run

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
