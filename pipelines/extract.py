"""ExtractPipeline: a fetched page becomes a record's fields, in a pool of worker processes.

Extraction is the CPU cost of the whole pipeline (tens of ms per page against a few ms to fetch
it), so it runs in worker processes fed from the reactor without blocking it. At most
`2 * workers` pages are in flight; Scrapy's scraper slot holds back new responses meanwhile, so
memory stays flat however fast the downloader is. A worker that dies takes down only the pages it
held: those are counted as failed and the pool is rebuilt.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, reactor

from newsvault.counts import count, count_error
from newsvault.items import PageItem
from newsvault.record import SCHEMA_VERSION, article_id
from newsvault.run import CrawlRun, iso_z
from pipelines.extract_text import ExtractOptions, NotAnArticle, extract_fields

logger = logging.getLogger(__name__)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _pool_context() -> multiprocessing.context.BaseContext:
    # forkserver: workers never inherit the reactor's threads, sockets or SQLite handle, and the
    # preloaded extraction modules make each new worker cheap to start.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pipelines.extract_text"])
    return ctx


class ExtractionPool:
    """A process pool behind Deferreds, rebuilt when a worker dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._slots = defer.DeferredSemaphore(max(1, 2 * workers))

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=_pool_context())
        return self._executor

    async def run(self, *args: Any) -> dict[str, Any]:
        if self.workers == 0:
            return extract_fields(*args)
        await maybe_deferred_to_future(self._slots.acquire())
        try:
            pool = self._pool()
            try:
                future = pool.submit(extract_fields, *args)
            except BrokenProcessPool:
                self._rebuild(pool)
                future = self._pool().submit(extract_fields, *args)
            try:
                return await maybe_deferred_to_future(_deferred_from_future(future))
            except BrokenProcessPool:
                self._rebuild(pool)
                raise
        finally:
            self._slots.release()

    def _rebuild(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:
            logger.error("an extraction worker died; restarting the pool")
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _deferred_from_future(future: Future[Any]) -> defer.Deferred[Any]:
    d: defer.Deferred[Any] = defer.Deferred()

    def settle(done: Future[Any]) -> None:
        exc = done.exception()
        if exc is None:
            reactor.callFromThread(d.callback, done.result())  # type: ignore[attr-defined]
        else:
            reactor.callFromThread(d.errback, exc)  # type: ignore[attr-defined]

    future.add_done_callback(settle)
    return d


class ExtractPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.run = CrawlRun.of(crawler)
        crawl = self.run.config.crawl
        self.options = ExtractOptions.from_mapping(crawl.extractor_options)
        workers = crawler.settings.getint("NEWSVAULT_EXTRACT_WORKERS", -1)
        if workers < 0:
            workers = crawl.extract_workers if crawl.extract_workers is not None else default_workers()
        self.pool = ExtractionPool(workers)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

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
        return build_record(item, fields, run_id=self.run.run_id)


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
