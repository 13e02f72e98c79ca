"""Running an import: existing WARC/ARC files into the configured archive, through the crawl's pipelines.

The import is a run of kind "import" in the configured archive and state, like a crawl: the same
dedup index (a page a crawl archived is a duplicate here, and the other way round), the same run
journal and crash recovery, the same manifest, with `inputs` (each file's size, sha256, what it held
and what became of it), `selection` and `captured` (the WARC-Dates of the captures imported, which
replay plans by) added. spiders/importer.py reads the inputs; archive/import_journal.py lets an
interrupted import resume and a repeated one skip what was done.
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from twisted.internet import task

from archive.import_journal import ImportJournal
from archive.revisit_index import PayloadIndex
from archive.spool import flush_store
from archive.stores import ArchiveStore, open_store, store_backend
from archive.warc_input import InputError, InputFile, resolve_inputs
from core.clock import iso_z
from core.counts import run_counts
from newsvault.alerts.run_events import deliver_pending, record_closed_runs, record_flushed_manifests
from newsvault.config import Config
from newsvault.runner import open_run, recover_crashed_runs, run_crawler
from newsvault.settings import EXTENSIONS
from spiders.import_selection import Selection, SourceAssigner
from spiders.importer import ImportSpider

logger = logging.getLogger(__name__)

# Revisits belong to crawls: an import fetches nothing again (left in, it says so on every run).
IMPORT_EXTENSIONS = {**EXTENSIONS, "pipelines.revisits.RevisitLedger": None}


class ImportRefused(ValueError):
    """The import cannot be run as asked (no such input, a bad pattern, an empty window)."""


def input_opener(config: Config) -> Any:
    """Opens the folder or bucket prefix holding inputs. The configured endpoint and region belong
    to the configured archive's kind of store: a local archive importing from S3 takes neither."""

    def open_container(uri: str) -> ArchiveStore:
        try:
            same_kind = store_backend(uri) is store_backend(config.archive.uri)
            return open_store(uri, endpoint_url=config.archive.endpoint_url if same_kind else None,
                              region=config.archive.region if same_kind else None)
        except ValueError as exc:
            raise InputError(f"{uri}: {exc} (download web URLs first: see README, Importing Common Crawl news)") \
                from None

    return open_container


class ImportProgress:
    """One status line on a terminal: files done, captures read and imported per second, outcomes."""

    def __init__(self, crawler: Any, spider_ref: list[ImportSpider], total: int, stream: Any = sys.stderr) -> None:
        self.crawler = crawler
        self.spider_ref = spider_ref
        self.total = total
        self.stream = stream
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)

    def start(self) -> None:
        self.started = time.monotonic()
        self.loop.start(1.0, now=False)

    def show(self) -> None:
        if not self.spider_ref:
            return
        spider = self.spider_ref[0]
        counts, _ = run_counts(self.crawler.stats)
        rate = spider.captures / max(time.monotonic() - self.started, 1e-6)
        skipped = sum(counts.get("skipped", {}).values())
        self.stream.write(f"\r{spider.inputs_done}/{self.total} files  {spider.records} records  "
                          f"{spider.captures} captures ({rate:.1f}/s)  archived {counts['archived']}  "
                          f"duplicates {counts['duplicates']}  not_article {counts['not_article']}  "
                          f"skipped {skipped}")
        self.stream.flush()

    def stop(self) -> None:
        if self.loop.running:
            self.loop.stop()
            self.stream.write("\r" + " " * 120 + "\r")
            self.stream.flush()


def _window(since: datetime | None, until: datetime | None) -> None:
    if since is not None and until is not None and until <= since:
        raise ImportRefused(f"--until {iso_z(until)} is not after --since {iso_z(since)}")


def run_import(config: Config, specs: Sequence[str], *, source: str | None = None, by_host: bool = False,
               host: str | None = None, since: datetime | None = None, until: datetime | None = None,
               progress: bool = False, log_level: str = "WARNING", **settings: Any) -> dict[str, Any]:
    """Import the captures of the files ``specs`` name; returns the import's run manifest."""
    if source is not None and by_host:
        raise ImportRefused("--source and --by-host exclude each other")
    _window(since, until)
    try:
        pattern = re.compile(host, re.IGNORECASE) if host is not None else None
    except re.error as exc:
        raise ImportRefused(f"--host {host!r} is not a regular expression: {exc}") from None
    only = config.select([source])[0] if source is not None else None
    try:
        inputs: list[InputFile] = resolve_inputs(specs, input_opener(config))
    except InputError as exc:
        raise ImportRefused(str(exc)) from None
    selection = Selection(since, until, pattern)
    assigner = SourceAssigner(config.sources, only=only, by_host=by_host)

    # the sources a capture may go to are known only as they are read, but for --source
    run = open_run(config, (only,) if only is not None else (), kind="import")
    flushed = flush_store(run.store, when=f"import {run.run_id}")
    record_flushed_manifests(config, run.state, run.store, flushed)
    record_closed_runs(config, run.state, run.store, recover_crashed_runs(config, run))
    journal = ImportJournal(run.store, run.run_id, {**assigner.identity(), **selection.identity()},
                            run.started_at)
    journal.load()

    with tempfile.TemporaryDirectory(prefix="newsvault-import-") as workdir:
        index = PayloadIndex(Path(workdir) / "payloads.db")
        try:
            process, crawler, manifests = run_crawler(config, run, ImportSpider, log_level=log_level,
                                                      EXTENSIONS=IMPORT_EXTENSIONS, **settings)
            spider_ref: list[ImportSpider] = []
            crawler.signals.connect(lambda spider: spider_ref.append(spider), signal=signals.spider_opened,
                                    weak=False)
            if progress:
                bar = ImportProgress(crawler, spider_ref, len(inputs))
                crawler.signals.connect(bar.start, signal=signals.engine_started)
                crawler.signals.connect(bar.stop, signal=signals.spider_closed)
            process.crawl(crawler, inputs=inputs, journal=journal, selection=selection, assigner=assigner,
                          index=index)
            process.start()
            deliver_pending(config, run.state)
        finally:
            index.close()
            run.state.close()
    if not manifests:
        raise RuntimeError(f"import {run.run_id} ended without a manifest; see the log above")
    return manifests[0]
