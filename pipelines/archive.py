"""ArchivePipeline: records go into the run's archive parts; the run manifest is written last.

A record counts as archived when the part holding it has been published; only then is it committed
to the dedup index and the part listed in the state's run journal (from which a crashed run's
manifest can be rebuilt). Parts are published on a thread of their own (pipelines/publisher.py), so
a slow store never stalls the crawl; closing waits for the last of them before the manifest.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

from archive.manifest import build_manifest
from archive.run_archive import RunArchive
from core.clock import iso_z, utc_now
from core.counts import count, count_error, manifest_values, run_counts, run_failure
from core.run import CrawlRun
from pipelines.publisher import ThreadPublisher
from pipelines.signals import records_published, run_finished
from state.backends import ArticleCommit

logger = logging.getLogger(__name__)

# Scrapy's finish reasons, as run statuses.
STATUS_BY_REASON = {"finished": "ok", "shutdown": "interrupted", "closespider_timeout": "timeout"}
COMPLETE_MIN_WORDS = 50
# Rotated batches waiting for the publishing thread before an item waits for them.
MAX_PENDING_BATCHES = 8


def is_complete(record: dict[str, Any]) -> bool:
    """Everything a reader expects of an article: the per-source completeness health is built on it."""
    return bool(record.get("title") and record.get("published_at") and record.get("authors")
                and (record.get("word_count") or 0) >= COMPLETE_MIN_WORDS)


def unreachable(stats: Any, counts: dict[str, Any]) -> str | None:
    """Why the run reached no site at all, when requests went out and not one was answered.

    Any answer counts, a 404 or a 304 included: the site is there. A run that sent nothing (a replay,
    or nothing due) is not judged here.
    """
    answered = stats.get_value("downloader/response_count", 0)
    failed = stats.get_value("downloader/exception_count", 0)
    if answered or not failed:
        return None
    reasons = ", ".join(f"{name} {n}" for name, n in counts.get("errors", {}).items() if n) or "no reason counted"
    return (f"no site could be reached: all {failed} requests failed, retries included ({reasons}); check this machine's "
            "network and DNS, and the sources' URLs")


class ArchivePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.run = CrawlRun.of(crawler)
        settings = crawler.settings
        self.publisher = ThreadPublisher(on_error=self._publish_failed)
        self.archive = RunArchive(
            self.run.store,
            self.run.run_id,
            kind=self.run.kind,
            on_segment_published=self._published,
            max_records=settings.getint("NEWSVAULT_PART_MAX_RECORDS", 1000),
            max_bytes=settings.getint("NEWSVAULT_PART_MAX_BYTES", 64 * 2**20),
            max_age_s=settings.getfloat("NEWSVAULT_PART_MAX_AGE", 60.0),
            # A remote store keeps parts it could not take in its local spool; a folder has none.
            spool=self.run.store.spool,
            on_store_error=self._store_error,
            publisher=self.publisher,
        )
        self.store_errors: list[str] = []
        self.manifest: dict[str, Any] | None = None
        self._journaled = 0
        self._rotator = task.LoopingCall(self.archive.rotate_due)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self._rotator.start(5.0, now=False)

    def _published(self, source: str, records: list[dict[str, Any]]) -> None:
        files = self.archive.files
        self.run.state.add_run_files(self.run.run_id, files[self._journaled:])
        self._journaled = len(files)
        if not records:
            return
        self.run.state.commit_articles([
            ArticleCommit(article_id=r["article_id"], canonical_url=r["canonical_url"], source=r["source"],
                          version=r["version"], content_hash=r["content_hash"], simhash=r["simhash"],
                          fetched_at=r["fetched_at"], run_id=r["run_id"])
            for r in records
        ])
        self.crawler.signals.send_catch_log(records_published, source=source, records=records)
        count(self.crawler.stats, source, "archived", len(records))
        count(self.crawler.stats, source, "complete", sum(map(is_complete, records)))

    def _store_error(self, message: str) -> None:
        logger.error("%s", message)
        self.store_errors.append(message)

    def _publish_failed(self, exc: BaseException) -> None:
        # the parts of the batch that were not published are discarded and their records not
        # reported; the batch's published ones were reported before this
        self._store_error(f"archive parts of run {self.run.run_id} failed: {exc}; the records not reported "
                          "as archived are fetched again by the next run")

    async def published(self) -> None:
        """Once every part rotated so far is published (or failed) and its records reported."""
        await maybe_deferred_to_future(self.publisher.drained())

    @property
    def publish_failures(self) -> int:
        """Batches that failed to publish so far in this run: compare before and after a stretch."""
        return self.publisher.failures

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or "content_hash" not in item:
            return item
        if item.get("snapshot") is None:
            count_error(self.crawler.stats, item["source"], "snapshot_missing")
            raise DropItem(f"{item['url']}: no WARC snapshot, not archived")
        # Back-pressure: a store slower than the crawl makes the crawl wait, not the staged parts and
        # their records pile up (and outlive the time a crawl's temp files are trusted to live).
        if self.publisher.pending > MAX_PENDING_BATCHES:
            await self.published()
        self.archive.add_record(item["source"], item)
        return item

    def close_spider(self) -> Any:
        # Everything still open goes to the publisher now, whatever the other pipelines' close does;
        # the coroutine returned waits for the uploads.
        if self._rotator.running:
            self._rotator.stop()
        try:
            self.archive.close()
        except BaseException:
            self.publisher.stop()
            raise
        return self._drain_and_stop()

    async def _drain_and_stop(self) -> None:
        try:
            await self.published()
        finally:
            self.publisher.stop()

    def spider_closed(self, spider: Any, reason: str) -> None:
        counts, per_source = run_counts(self.crawler.stats)
        failure = run_failure(self.crawler.stats) or (
            unreachable(self.crawler.stats, counts) if reason != "shutdown" else None)
        status = "failed" if failure else STATUS_BY_REASON.get(reason, "failed")
        if status == "ok" and self.store_errors:
            status = "degraded"
        extra = {"per_source": per_source, "finish_reason": reason, **self.run.manifest_extra,
                 **manifest_values(self.crawler.stats)}
        if failure:
            extra["failure"] = failure
            logger.error("run %s failed: %s", self.run.run_id, failure)
        # an import finds its sources as it reads (one per host with --by-host): those it counted too
        sources = [s.id for s in self.run.sources]
        sources += sorted(set(per_source) - set(sources))
        manifest = build_manifest(
            run_id=self.run.run_id, kind=self.run.kind, sources=sources,
            status=status, started_at=self.run.started_at, finished_at=utc_now(),
            files=self.archive.files, counts=counts, extra=extra,
        )
        self.archive.publish_manifest(manifest)
        self.run.state.finish_run(manifest)
        self.manifest = manifest
        self.crawler.signals.send_catch_log(run_finished, manifest=manifest)
        logger.info("run %s %s at %s: %s", self.run.run_id, manifest["status"], iso_z(utc_now()), counts)
