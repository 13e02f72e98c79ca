"""The news spider: discovers article URLs from feeds, sitemaps and pages, and fetches them.

One spider serves every source of a run, so all sources share Scrapy's per-host download slots,
robots.txt cache and politeness settings. Discovery only finds and fetches: the fetched article is
handed to the pipelines as a `PageItem` (extraction happens off the reactor, in pipelines/).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from newsvault.config import Source
from newsvault.counts import count, count_error
from newsvault.items import PageItem
from newsvault.record import canonicalize_url
from newsvault.run import CrawlRun, utc_now
from spiders.errors import failure_reason
from spiders.feeds import parse_feed
from spiders.links import article_links, url_in_domains
from spiders.sitemaps import parse_sitemap

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
# A sitemap index can nest; deeper than this is a trap, not a site.
MAX_SITEMAP_DEPTH = 3
# Bytes that never occur in text: a body starting with many of them is binary, whatever its type says.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._budget: dict[str, int] = {}
        self._requested: set[str] = set()
        self._patterns: dict[str, re.Pattern[str] | None] = {}
        # Listing pages a source may still have fetched: with follow_depth this bounds crawler
        # traps (endless calendars, session ids in every link) that canonical URLs cannot collapse.
        self._page_budget: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.run = CrawlRun.of(crawler)
        for source in spider.run.sources:
            limit = source.max_articles_per_run or spider.run.config.crawl.max_articles_per_run
            spider._budget[source.id] = limit
            spider._patterns[source.id] = (
                re.compile(source.article_url_pattern) if source.article_url_pattern else None
            )
            spider._page_budget[source.id] = (
                crawler.settings.getint("NEWSVAULT_MAX_PAGES_PER_SOURCE", 0) or max(limit, 10)
            )
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self._start_requests():
            yield request

    def _start_requests(self) -> Iterator[scrapy.Request]:
        for source in self.run.sources:
            for url in source.feeds:
                yield self._request(url, source, "feed", self.parse_feed)
            for url in source.sitemaps:
                yield self._request(url, source, "sitemap", self.parse_sitemap, sitemap_depth=0)
            for url in source.start_urls:
                yield self._request(url, source, "page", self.parse_page, depth=0)

    def _request(self, url: str, source: Source, kind: str, callback: Any, **meta: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={"nv_source": source.id, "nv_kind": kind, **meta,
                  # a feed or sitemap fetched conditionally may answer 304 (spiders/conditional.py)
                  **({"handle_httpstatus_list": [304]} if kind in ("feed", "sitemap") else {})},
            # Discovery pages first: they feed the article queue.
            priority=10 if kind in ("feed", "sitemap") else 5 if kind == "page" else 0,
            dont_filter=kind != "article",
        )

    # -- discovery ----------------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status == 304:
            return
        source = self.run.source(response.meta["nv_source"])
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in response.headers.items()
                   for v in response.headers.getlist(k)}
        result = parse_feed(response.body, response.url, headers)
        if result.bozo:
            self.logger.info("feed %s is ill-formed (%s); kept %d entries", response.url, result.bozo,
                             len(result.entries))
            if not result.entries:
                count_error(self.crawler.stats, source.id, "feed_invalid")
        for entry in result.entries:
            yield from self._article(entry.url, source, hint=entry.updated or entry.published)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status == 304:
            return
        source = self.run.source(response.meta["nv_source"])
        result = parse_sitemap(response.body, response.url, max_size=self.run.config.crawl.max_page_bytes)
        if result.kind == "invalid":
            self.logger.warning("sitemap %s is invalid: %s", response.url, result.error)
            count_error(self.crawler.stats, source.id, "sitemap_invalid")
            return
        depth = response.meta.get("sitemap_depth", 0)
        if depth < MAX_SITEMAP_DEPTH:
            for child in result.sitemaps:
                if url_in_domains(child, source.allowed_domains):
                    yield self._request(child, source, "sitemap", self.parse_sitemap, sitemap_depth=depth + 1)
        # Newest first, so that max_articles_per_run keeps the fresh news of a long sitemap.
        urls = sorted(result.urls, key=lambda u: _sort_key(u.news_published or u.lastmod), reverse=True)
        for item in urls:
            yield from self._article(item.url, source, hint=item.news_published or item.lastmod)

    def parse_page(self, response: Response) -> Iterator[scrapy.Request]:
        source = self.run.source(response.meta["nv_source"])
        if not _is_html(response):
            return
        depth = response.meta.get("depth_hops", 0)
        articles, others = article_links(
            response.body, response.url, allowed_domains=source.allowed_domains,
            pattern=self._patterns[source.id], encoding=response.encoding,
        )
        for url in articles:
            yield from self._article(url, source, hops=depth + 1)
        if depth + 1 < source.follow_depth:
            for url in others:
                key = canonicalize_url(url)
                if key in self._requested:
                    continue
                self._requested.add(key)
                if self._page_budget[source.id] <= 0:
                    count_error(self.crawler.stats, source.id, "trap")
                    continue
                self._page_budget[source.id] -= 1
                yield self._request(url, source, "page", self.parse_page, depth_hops=depth + 1)

    def _article(self, url: str, source: Source, *, hint: datetime | None = None,
                 hops: int = 0) -> Iterator[scrapy.Request]:
        if not url_in_domains(url, source.allowed_domains):
            return
        # Fetch the canonical form: tracking-tagged copies of one link collapse to one request.
        canonical = canonicalize_url(url)
        if canonical in self._requested:
            return
        self._requested.add(canonical)
        count(self.crawler.stats, source.id, "discovered")
        if self._budget[source.id] <= 0:
            count(self.crawler.stats, source.id, "over_budget")
            return
        self._budget[source.id] -= 1
        yield self._request(canonical, source, "article", self.parse_article, depth_hops=hops, nv_hint=hint)

    # -- fetched articles ---------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        source = self.run.source(response.meta["nv_source"])
        count(self.crawler.stats, source.id, "fetched")
        if response.headers.get(b"Content-Encoding"):
            # HttpCompressionMiddleware left an encoding it cannot decode: the body is not the page.
            count_error(self.crawler.stats, source.id, "decode_error")
            return
        if not _is_html(response) or looks_binary(response.body):
            count_error(self.crawler.stats, source.id, "not_html")
            return
        yield PageItem(
            source=source.id,
            url=response.url,
            status=response.status,
            headers={k.decode("latin-1").lower(): response.headers.get(k, b"").decode("latin-1")
                     for k in response.headers},
            body=response.body,
            fetched_at=response.meta.get("nv_fetched_at") or utc_now(),
            snapshot=response.meta.get("nv_snapshot"),
        )

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source_id = request.meta.get("nv_source")
        reason = failure_reason(failure)
        count_error(self.crawler.stats, source_id, reason)
        self.logger.info("%s failed (%s): %s", request.url, reason, failure.getErrorMessage())


def _is_html(response: Response) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").lower()
    if content_type:
        return any(t in content_type for t in HTML_TYPES)
    head = response.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def looks_binary(body: bytes) -> bool:
    """NUL bytes or over 10% control bytes in the first 4 KiB (UTF-16 with a BOM excepted)."""
    head = body[:4096]
    if not head or head.startswith(_UTF16_BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 10 > len(head)


def _sort_key(moment: datetime | None) -> float:
    return moment.timestamp() if moment else 0.0
