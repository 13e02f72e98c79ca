"""Running a crawl in the foreground: open the run, let Scrapy crawl, return the manifest."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

# Imported here, at the top of the stack, rather than by Scrapy when the crawl starts: the module
# builds deprecated aliases with inspect.stack(), whose cost grows with the depth of the stack and
# the number of loaded modules (about 0.2 s here, 0.8 s and more from inside the running reactor).
import scrapy.core.downloader.handlers.http11  # noqa: F401
from scrapy.crawler import Crawler, CrawlerProcess
from twisted.internet import task

from archive.manifest import new_run_id
from archive.salvage import close_dead_run, pid_alive
from archive.spool import flush_store
from archive.stores import open_archive
from core.clock import iso_z, utc_now
from core.counts import run_counts
from core.run import CrawlRun
from newsvault import logjson
from newsvault.alerts.run_events import deliver_pending, record_closed_runs, record_flushed_manifests
from newsvault.config import Config, Source
from newsvault.settings import scrapy_settings
from pipelines.signals import run_finished
from spiders.news import NewsSpider
from state.backends import open_state
from state.state_types import StateStore

STALE_STAGING_S = 900.0


def open_run(config: Config, sources: tuple[Source, ...], *, kind: str = "crawl") -> CrawlRun:
    """A new run of `sources`: its stores opened, its id given, journaled as running."""
    started = utc_now()
    store = open_archive(config)
    state = open_state(config.state.uri)
    run = CrawlRun(config=config, sources=sources, store=store, state=state,
                   run_id=new_run_id(started), started_at=started, kind=kind)
    state.start_run(run.run_id, kind, [s.id for s in sources], iso_z(started))
    return run


def recover_crashed_runs(config: Config, run: CrawlRun) -> list[dict[str, Any]]:
    """Close the books of runs whose process died: manifest from their journal, status crashed; the
    manifests of the runs closed."""
    import socket

    state: StateStore = run.state
    shared = state.shared()
    recovered = []
    for old in state.running_runs():
        if old["run_id"] == run.run_id:
            continue
        if shared is not None:  # a cluster's state: a run is alive while its process renews its lease
            if shared.run_alive(old["run_id"]):
                continue
        elif old.get("host") != socket.gethostname() or pid_alive(int(old.get("pid") or 0)):
            continue
        recovered.append(close_dead_run(run.store, state, old, utc_now(), extra={"recovered_by": run.run_id}))
    # Parts of a live run are published at most a minute after they open (NEWSVAULT_PART_MAX_AGE),
    # so a temp file this old belongs to a dead process, even when other crawls share the archive.
    run.store.cleanup_staging(older_than_s=STALE_STAGING_S)
    return recovered


class _NoTraceback(logging.Filter):
    """Network failures of robots.txt are reasons, not bugs: log the line, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(_NoTraceback())


class Progress:
    """One status line on a terminal while the crawl runs, refreshed from the run's counters."""

    def __init__(self, crawler: Any, stream: Any = sys.stderr, interval: float = 1.0) -> None:
        self.crawler = crawler
        self.stream = stream
        self.loop = task.LoopingCall(self.show)
        self.interval = interval

    def start(self) -> None:
        self.loop.start(self.interval, now=False)

    def show(self) -> None:
        counts, _ = run_counts(self.crawler.stats)
        errors = sum(counts["errors"].values())
        line = (f"\rdiscovered {counts['discovered']}  fetched {counts['fetched']}  "
                f"archived {counts['archived']}  duplicates {counts['duplicates']}  errors {errors}")
        self.stream.write(line)
        self.stream.flush()

    def stop(self) -> None:
        if self.loop.running:
            self.loop.stop()
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


def env_scrapy_settings() -> dict[str, Any]:
    """Scrapy settings from $NEWSVAULT_SCRAPY_SETTINGS, a JSON object (tests, one-off tuning:
    e.g. '{"NEWSVAULT_PART_MAX_RECORDS": 5}')."""
    text = os.environ.get("NEWSVAULT_SCRAPY_SETTINGS", "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"NEWSVAULT_SCRAPY_SETTINGS is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError("NEWSVAULT_SCRAPY_SETTINGS must be a JSON object of Scrapy settings")
    return value


def run_settings(config: Config, run: CrawlRun, *, log_level: str, **settings: Any) -> dict[str, Any]:
    """One run's Scrapy settings: the config's, with $NEWSVAULT_SCRAPY_SETTINGS and `settings` over them."""
    settings = {**env_scrapy_settings(), **settings}
    if logjson.enabled():
        settings.setdefault("LOG_INSTALL_ROOT_HANDLER", False)
    return scrapy_settings(config, NEWSVAULT_RUN=run, **{"LOG_LEVEL": log_level, **settings})


def watch_manifest(crawler: Crawler, config: Config, run: CrawlRun) -> list[dict[str, Any]]:
    """A list that receives the run's manifest when it is journaled as finished; the run's alerts
    are recorded then (delivered once the crawl has stopped: `deliver_pending`)."""
    manifests: list[dict[str, Any]] = []

    def finished(manifest: dict[str, Any]) -> None:
        manifests.append(manifest)
        record_closed_runs(config, run.state, run.store, [manifest])

    crawler.signals.connect(finished, signal=run_finished, weak=False)
    return manifests


def prepare_run(config: Config, run: CrawlRun) -> None:
    """Before an opened run crawls: flush what the store's spool holds (parts first, manifests after
    their parts; a store still down only logs here: this run then spools too), and close the runs of
    dead processes."""
    flushed = flush_store(run.store, when=f"run {run.run_id}")
    record_flushed_manifests(config, run.state, run.store, flushed)
    record_closed_runs(config, run.state, run.store, recover_crashed_runs(config, run))


def begin_run(config: Config, sources: tuple[Source, ...]) -> CrawlRun:
    """A crawl run of `sources`, opened and prepared (`prepare_run`)."""
    run = open_run(config, sources)
    prepare_run(config, run)
    return run


def run_crawler(config: Config, run: CrawlRun, spider: type, *, log_level: str, **settings: Any,
                ) -> tuple[CrawlerProcess, Crawler, list[dict[str, Any]]]:
    """The Scrapy process and crawler of one run (a crawl's, an import's), log lines tagged with the
    run id; the list receives the run's manifest (`watch_manifest`)."""
    logjson.CONTEXT["run_id"] = run.run_id
    logjson.apply(log_level)
    process = CrawlerProcess(run_settings(config, run, log_level=log_level, **settings))
    crawler = process.create_crawler(spider)
    return process, crawler, watch_manifest(crawler, config, run)


def run_crawl(config: Config, source_ids: Sequence[str] = (), *, progress: bool = False,
              log_level: str = "WARNING", **settings: Any) -> dict[str, Any]:
    """Crawl the named sources (all when none) now, in this process; returns the run manifest."""
    run = begin_run(config, config.select(source_ids))
    process, crawler, manifests = run_crawler(config, run, NewsSpider, log_level=log_level, **settings)
    bar = Progress(crawler) if progress else None
    if bar is not None:
        from scrapy import signals

        crawler.signals.connect(bar.start, signal=signals.engine_started)
        crawler.signals.connect(bar.stop, signal=signals.spider_closed)
    process.crawl(crawler)
    process.start()
    deliver_pending(config, run.state)
    if not manifests:
        raise RuntimeError(f"run {run.run_id} ended without a manifest; see the log above")
    return manifests[0]
