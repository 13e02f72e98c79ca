"""Downloader middleware that keeps every fetched response of a run as a WARC snapshot.

It sits just inside HttpCompressionMiddleware and RedirectMiddleware, so it stores the final response
of each request with its body decoded (the WARC keeps the original encodings as X-Archive-Orig-*
headers). The record pointer goes in `request.meta["nv_snapshot"]`, where the spider picks it up for
the article's record.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from archive.cdxj import KIND_FIELD
from archive.run_archive import RunArchive
from archive.stores import StoreError
from core.clock import utc_now
from core.counts import count_error
from pipelines.archive import ArchivePipeline


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items() for value in values]


class WarcSnapshotMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.archive: RunArchive | None = None  # the run's, found when the spider opens
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcSnapshotMiddleware:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        pipeline = self.crawler.get_item_pipeline(ArchivePipeline)
        if pipeline is None:  # CloseSpider: an exception raised in a signal handler would only be logged
            raise CloseSpider("WARC snapshots need the ArchivePipeline (newsvault/settings.py)")
        self.archive = pipeline.archive

    def process_response(self, request: Request, response: Response) -> Response:
        source = request.meta.get("nv_source")
        archive = self.archive
        # robots.txt and other requests outside a source are Scrapy's own business.
        if source is None or archive is None:
            return response
        fetched_at = utc_now()
        request.meta["nv_fetched_at"] = fetched_at
        try:
            status_reason = HTTPStatus(response.status).phrase
        except ValueError:
            status_reason = ""
        try:
            request.meta["nv_snapshot"] = archive.snapshot(
                source,
                url=response.url,
                fetched_at=fetched_at,
                status=response.status,
                reason=status_reason,
                response_headers=_header_pairs(response.headers),
                body=response.body,
                request_headers=_header_pairs(request.headers),
                protocol=response.protocol or "HTTP/1.1",
                request_method=request.method,
                # Why the page was fetched: replay re-extracts the article fetches only.
                metadata={KIND_FIELD: request.meta["nv_kind"]} if request.meta.get("nv_kind") else None,
            )
        except (OSError, StoreError) as exc:
            # The crawl goes on: the article is still extracted, and the run says what was lost.
            count_error(self.crawler.stats, source, "snapshot_write")
            self.crawler.spider.logger.error("cannot write WARC snapshot of %s: %s", response.url, exc)
        return response
