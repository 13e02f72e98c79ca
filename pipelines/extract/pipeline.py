"""ExtractPipeline: a fetched page becomes a record's fields, in a pool of worker processes.

Extraction is the CPU cost of the whole pipeline (tens of ms per page against a few ms to fetch
it), so it runs in worker processes fed from the reactor without blocking it. At most
`2 * workers` pages are in flight (one running and one queued per worker); Scrapy's scraper slot
holds back new responses meanwhile, so memory stays flat however fast the downloader is.

A worker that dies breaks the whole process pool, and with it every page then in flight. Those pages
get a second chance one at a time in a one-worker quarantine pool: the others are extracted there,
and the page that kills its worker again is counted as failed (`extraction_crash`). The main pool is
rebuilt and the crawl goes on.

An extractor that cannot work at all (not importable, no worker can start, every page failing the
same way: pipelines/extract/failures.py) is not a pile of broken pages: the run stops early with
status `failed` and the cause in its manifest, rather than archive nothing and report success.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.reactor import is_asyncio_reactor_installed

from core.clock import iso_z
from core.counts import count, count_error, set_failure
from core.items import PageItem
from core.record import SCHEMA_VERSION, article_id
from core.run import CrawlRun
from pipelines.extract.failures import ExtractionUnavailable, FailureWatch
from pipelines.extract.first_pages import CrawlQuiet, FirstPages
from pipelines.extract.options import ExtractOptions
from pipelines.extract.server import WORKERS_ENV_VAR, exit_with, extract_workers, pool_context
from pipelines.extract.site_template import SourceTemplates
from pipelines.extract.worker import (
    FINGERPRINT_KEY,
    TEMPLATE_BLOCKS_KEY,
    NotAnArticle,
    extract_and_fingerprint,
)
from pipelines.neardup import TextFingerprints

logger = logging.getLogger(__name__)

PROCESSES_SETTING = "NEWSVAULT_EXTRACT_PROCESSES"


class _Pool:
    """A ProcessPoolExecutor that is replaced by a fresh one when a worker dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        executor = self._executor
        fresh = executor is None
        try:
            if executor is None:
                executor = self._executor = ProcessPoolExecutor(self.workers, mp_context=pool_context(),
                                                                  initializer=exit_with, initargs=(os.getpid(),))
            future = executor.submit(function, *args)
        except BrokenProcessPool:  # a worker of this pool died before this page's turn
            self._discard(executor)
            raise
        except Exception as exc:
            if not fresh:  # a pool shut down after a death: the next page gets a new one
                self._discard(executor)
                raise BrokenProcessPool(f"the extraction pool is gone: {exc!r}") from exc
            raise ExtractionUnavailable(f"the extraction worker processes cannot start: {exc!r}") from exc
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._discard(executor)
            raise

    def _discard(self, executor: ProcessPoolExecutor | None) -> None:
        if executor is not None and self._executor is executor:
            executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class ExtractionProcesses:
    """The worker processes pages are extracted in, and the one-worker quarantine for a page that
    kills its worker. A crawl host makes one for all the runs it hosts (the `NEWSVAULT_EXTRACT_PROCESSES`
    setting) and closes it itself; otherwise each run has its own."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.main = _Pool(workers)
        self.quarantine = _Pool(1)

    def __deepcopy__(self, memo: dict[int, Any]) -> ExtractionProcesses:
        # Scrapy deep-copies each crawler's settings; the processes are shared, never copied
        return self

    def close(self) -> None:
        self.main.close()
        self.quarantine.close()


class PoolStopped(Exception):
    """The pool was stopped (the run is failing) before this page's turn came."""


class ExtractionPool:
    """`function(*args)` in worker processes, awaited from the reactor's asyncio loop.

    workers=0 runs the function inline (for debugging and for replaying a handful of pages).
    """

    def __init__(self, workers: int, function: Callable[..., Any] = extract_and_fingerprint,
                 processes: ExtractionProcesses | None = None) -> None:
        if workers < 0:
            raise ValueError(f"extraction workers must be >= 0, got {workers}")
        self.workers = processes.workers if processes is not None else workers
        self.function = function
        self._owned = processes is None
        self._processes = processes if processes is not None else ExtractionProcesses(workers)
        self._slots: asyncio.Semaphore | None = None
        self._quarantine_lock: asyncio.Lock | None = None
        self.in_flight = 0  # pages handed to the worker processes and not yet back
        self.stopped: str | None = None

    def stop(self, reason: str) -> None:
        """Hand no more pages to the workers: those waiting for a slot get PoolStopped."""
        self.stopped = reason

    @property
    def max_in_flight(self) -> int:
        return 2 * self.workers

    async def run(self, *args: Any, last_arg: Callable[[], Any] | None = None) -> Any:
        """The function's result; its exception; or BrokenProcessPool when the page kills its worker.

        `last_arg`, when given, is called for one more argument when the page's turn comes, not
        before: what it returns (the source's template) may have grown while the page waited.
        """
        if self.stopped is not None:
            raise PoolStopped(self.stopped)
        if self.workers == 0:
            return self.function(*args, *([last_arg()] if last_arg else []))
        if self._slots is None or self._quarantine_lock is None:
            # created on first use: they belong to the loop that runs the crawl
            self._slots = asyncio.Semaphore(self.max_in_flight)
            self._quarantine_lock = asyncio.Lock()
        async with self._slots:
            if self.stopped is not None:  # stopped while this page waited for its turn
                raise PoolStopped(self.stopped)
            if last_arg is not None:
                args = (*args, last_arg())
            self.in_flight += 1
            try:
                try:
                    return await self._processes.main.call(self.function, *args)
                except BrokenProcessPool:
                    logger.warning("an extraction worker died; retrying its pages one at a time")
                async with self._quarantine_lock:
                    return await self._processes.quarantine.call(self.function, *args)
            finally:
                self.in_flight -= 1

    def close(self) -> None:
        if self._owned:
            self._processes.close()


class ExtractPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.run = CrawlRun.of(crawler)
        crawl = self.run.config.crawl
        config = self.run.config
        # each source's options: [crawl.extractor] with its [sources.extract] over it
        self.options = {source.id: ExtractOptions.from_mapping(config.extractor_options_for(source))
                        for source in self.run.sources}
        self.default_options = ExtractOptions.from_mapping(crawl.extractor_options)
        workers = extract_workers(crawler.settings.getint(WORKERS_ENV_VAR, -1), crawl.extract_workers)
        shared = crawler.settings.get(PROCESSES_SETTING)
        self.pool = ExtractionPool(workers, processes=shared if isinstance(shared, ExtractionProcesses) else None)
        self.watch = FailureWatch()
        self.templates = SourceTemplates(self.run.state)
        self.first_pages = FirstPages(self.templates, CrawlQuiet(crawler))
        # near-duplicate fingerprints the workers computed, until dedup takes them (pipelines/dedup.py)
        self.fingerprints = TextFingerprints()
        self.failed: str | None = None  # why the run was stopped, once it was

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.pool.workers > 0 and not is_asyncio_reactor_installed():
            raise RuntimeError("the extraction pool needs Scrapy's asyncio reactor (TWISTED_REACTOR)")

    def close_spider(self) -> None:
        self.pool.close()
        self.templates.save()
        if self.failed is None and (reason := self.watch.closing_verdict()) is not None:
            self._record_failure(reason)

    def _record_failure(self, reason: str) -> None:
        """The run's status is `failed`, for this reason (ArchivePipeline reads it from the stats)."""
        self.failed = reason
        set_failure(self.crawler.stats, reason)
        logger.error("run failed: %s", reason)

    def _fail_run(self, reason: str) -> None:
        """Stop the crawl: status failed, the reason in its manifest (once; later pages just drop)."""
        if self.failed is not None:
            return
        self._record_failure(reason)
        self.pool.stop(reason)
        # scheduled, not awaited: closing waits for the items in flight, this one among them
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="extraction_failed"))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        stats = self.crawler.stats
        options = self.options.get(item.source, self.default_options)
        early = False

        def template() -> frozenset[int]:
            nonlocal early
            early = self.first_pages.early(item.source)
            return self.templates.blocks(item.source)

        try:
            fields = await self.pool.run(item.url, item.body, item.headers, options, last_arg=template)
        except PoolStopped:
            raise DropItem(f"{item.url}: not extracted, the run is stopping ({self.failed})") from None
        except NotAnArticle as exc:
            if exc.reason in ("extraction_empty", "too_short"):  # trafilatura ran, and worked
                self.watch.page_worked()
            if exc.reason == "extraction_empty":
                count(stats, item.source, "not_article")
            else:
                count_error(stats, item.source, exc.reason)
            raise DropItem(f"{item.url}: not an article ({exc.reason})") from None
        except BrokenProcessPool as exc:
            count_error(stats, item.source, "extraction_crash")
            self._judge(exc)
            raise DropItem(f"{item.url}: the extraction worker died") from None
        except Exception as exc:  # a pathological page must not stop the crawl; a broken extractor must
            count_error(stats, item.source, "extraction_error")
            if not self._judge(exc):
                logger.exception("extraction of %s failed", item.url)
            raise DropItem(f"{item.url}: extraction failed: {exc}") from None
        self.watch.page_worked()
        blocks = fields.pop(TEMPLATE_BLOCKS_KEY, ())
        self.templates.observe(item.source, fields["canonical_url"], blocks)
        if early and self.pool.stopped is None:
            fields = await self._again_once_learned(item, options, fields, blocks)
        record = build_record(item, fields, run_id=self.run.run_id)
        if FINGERPRINT_KEY in fields:
            self.fingerprints.put(record, fields[FINGERPRINT_KEY])
        return record

    async def _again_once_learned(self, item: PageItem, options: ExtractOptions, fields: dict[str, Any],
                                  blocks: Any) -> dict[str, Any]:
        """A page extracted before its source's template knew boxes, extracted again once it does,
        if it holds one of the template's blocks (first_pages.py); else, or if that fails, as it was."""
        await self.first_pages.learned(item.source)
        template = self.templates.blocks(item.source)
        if template.isdisjoint(blocks):
            return fields
        try:
            again = await self.pool.run(item.url, item.body, item.headers, options, template)
        except PoolStopped:  # the run is failing: the first extraction stands
            return fields
        except Exception as exc:  # noqa: BLE001  (the first extraction stands)
            logger.info("%s: kept as first extracted, extracting it again failed: %r", item.url, exc)
            return fields
        again.pop(TEMPLATE_BLOCKS_KEY, None)
        return again

    def _judge(self, exc: BaseException) -> bool:
        """Whether this failure stops the run (it then says why, once, without a traceback per page)."""
        reason = self.watch.page_failed(exc)
        if reason is None:
            return self.failed is not None
        self._fail_run(reason)
        return True


def build_record(item: PageItem, fields: dict[str, Any], *, run_id: str) -> dict[str, Any]:
    """The SPEC record, in SPEC field order; version and duplicate_of are settled by dedup."""
    return {
        "schema_version": SCHEMA_VERSION,
        "article_id": article_id(fields["canonical_url"]),
        "version": 1,
        "url": item.url,
        "canonical_url": fields["canonical_url"],
        "source": item.source,
        "title": fields["title"],
        "authors": fields["authors"],
        "published_at": fields["published_at"],
        "modified_at": fields["modified_at"],
        "language": fields["language"],
        "language_declared": fields["language_declared"],
        "language_confidence": fields["language_confidence"],
        "description": fields["description"],
        "site_name": fields["site_name"],
        "tags": fields["tags"],
        "categories": fields["categories"],
        "image": fields["image"],
        "text": fields["text"],
        "word_count": fields["word_count"],
        "fetched_at": iso_z(item.fetched_at),
        "http_status": item.status,
        "content_hash": fields["content_hash"],
        "simhash": fields["simhash"],
        "duplicate_of": None,
        "snapshot": item.snapshot,
        "extractor": fields["extractor"],
        "run_id": run_id,
    }
