"""ExtractPipeline: a fetched page becomes a record's fields, in a pool of worker processes.

Extraction is the CPU cost of the whole pipeline (tens of ms per page against a few ms to fetch
it), so it runs in worker processes fed from the reactor without blocking it. At most
`2 * workers` pages are in flight (one running and one queued per worker); Scrapy's scraper slot
holds back new responses meanwhile, so memory stays flat however fast the downloader is.

A worker that dies breaks the whole process pool, and with it every page then in flight. Those pages
get a second chance one at a time in a one-worker quarantine pool: the others are extracted there,
and the page that kills its worker again is counted as failed (`extraction_crash`). The main pool is
rebuilt and the crawl goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.reactor import is_asyncio_reactor_installed

from newsvault.counts import count, count_error
from newsvault.items import PageItem
from newsvault.record import SCHEMA_VERSION, article_id
from newsvault.run import CrawlRun, iso_z
from pipelines.extract_options import ExtractOptions
from pipelines.extract_server import WORKERS_ENV_VAR, extract_workers, pool_context
from pipelines.extract_worker import FINGERPRINT_KEY, NotAnArticle, extract_and_fingerprint

logger = logging.getLogger(__name__)


class _Pool:
    """A ProcessPoolExecutor that is replaced by a fresh one when a worker dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        executor = self._executor
        if executor is None:
            executor = self._executor = ProcessPoolExecutor(self.workers, mp_context=pool_context())
        try:
            return await asyncio.wrap_future(executor.submit(function, *args))
        except BrokenProcessPool:
            if self._executor is executor:
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
            raise

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class ExtractionPool:
    """`function(*args)` in worker processes, awaited from the reactor's asyncio loop.

    workers=0 runs the function inline (for debugging and for replaying a handful of pages).
    """

    def __init__(self, workers: int, function: Callable[..., Any] = extract_and_fingerprint) -> None:
        if workers < 0:
            raise ValueError(f"extraction workers must be >= 0, got {workers}")
        self.workers = workers
        self.function = function
        self._main = _Pool(workers)
        self._quarantine = _Pool(1)
        self._slots: asyncio.Semaphore | None = None
        self._quarantine_lock: asyncio.Lock | None = None
        self.in_flight = 0  # pages handed to the worker processes and not yet back

    @property
    def max_in_flight(self) -> int:
        return 2 * self.workers

    async def run(self, *args: Any) -> Any:
        """The function's result; its exception; or BrokenProcessPool when the page kills its worker."""
        if self.workers == 0:
            return self.function(*args)
        if self._slots is None or self._quarantine_lock is None:
            # created on first use: they belong to the loop that runs the crawl
            self._slots = asyncio.Semaphore(self.max_in_flight)
            self._quarantine_lock = asyncio.Lock()
        async with self._slots:
            self.in_flight += 1
            try:
                try:
                    return await self._main.call(self.function, *args)
                except BrokenProcessPool:
                    logger.warning("an extraction worker died; retrying its pages one at a time")
                async with self._quarantine_lock:
                    return await self._quarantine.call(self.function, *args)
            finally:
                self.in_flight -= 1

    def close(self) -> None:
        self._main.close()
        self._quarantine.close()


class ExtractPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.run = CrawlRun.of(crawler)
        crawl = self.run.config.crawl
        self.options = ExtractOptions.from_mapping(crawl.extractor_options)
        workers = extract_workers(crawler.settings.getint(WORKERS_ENV_VAR, -1), crawl.extract_workers)
        self.pool = ExtractionPool(workers)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.pool.workers > 0 and not is_asyncio_reactor_installed():
            raise RuntimeError("the extraction pool needs Scrapy's asyncio reactor (TWISTED_REACTOR)")

    def close_spider(self) -> None:
        self.pool.close()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        stats = self.crawler.stats
        try:
            fields = await self.pool.run(item.url, item.body, item.headers, self.options)
        except NotAnArticle as exc:
            if exc.reason == "extraction_empty":
                count(stats, item.source, "not_article")
            else:
                count_error(stats, item.source, exc.reason)
            raise DropItem(f"{item.url}: not an article ({exc.reason})") from None
        except BrokenProcessPool:
            count_error(stats, item.source, "extraction_crash")
            raise DropItem(f"{item.url}: the extraction worker died") from None
        except Exception as exc:  # a bug or a pathological page must not stop the crawl
            count_error(stats, item.source, "extraction_error")
            logger.exception("extraction of %s failed", item.url)
            raise DropItem(f"{item.url}: extraction failed: {exc}") from None
        record = build_record(item, fields, run_id=self.run.run_id)
        if FINGERPRINT_KEY in fields:
            self.run.fingerprints.put(record, fields[FINGERPRINT_KEY])
        return record


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
