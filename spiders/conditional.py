"""Conditional re-fetch of feeds and sitemaps: ask "changed since last time?", pay nothing if not.

The validators (ETag, Last-Modified) and size of each feed or sitemap fetched in full are kept in
the state store; the next run sends them as If-None-Match / If-Modified-Since. A 304 is counted as
`not_modified`, the size of the full response it replaced as `bytes_saved`, and the spider skips it.

Validators are stored only when the run finishes normally and only for sources that did not run
out of article budget: otherwise the next run's 304 would hide entries this run never fetched.
A sitemap index answering 304 is taken to mean its child sitemaps are unchanged too (their
<lastmod> lives in the index).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from core.clock import iso_z, utc_now
from core.counts import PREFIX, count, run_failure
from core.run import CrawlRun
from state.backends import Validators

CONDITIONAL_KINDS = ("feed", "sitemap")


def response_validators(response: Response) -> tuple[str | None, str | None]:
    """The response's ETag and Last-Modified, as text (None when absent)."""
    etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
    return (etag.decode("latin-1") if etag else None, modified.decode("latin-1") if modified else None)


def ask_conditionally(request: Request, etag: str | None, last_modified: str | None) -> None:
    """Send a stored response's validators, so that an unchanged resource answers 304."""
    if etag:
        request.headers[b"If-None-Match"] = etag
    if last_modified:
        request.headers[b"If-Modified-Since"] = last_modified


class ConditionalFetchMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.run = CrawlRun.of(crawler)
        self._fresh: dict[str, tuple[str, Validators, str]] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ConditionalFetchMiddleware:
        if not isinstance(crawler.settings.get("NEWSVAULT_RUN"), CrawlRun):
            raise NotConfigured("conditional re-fetch needs the state of a `newsvault crawl` run")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("nv_kind") not in CONDITIONAL_KINDS or "nv_validators" in request.meta:
            return  # retries and redirects carry the headers of their first request
        known = self.run.state.get_validators(request.url)
        request.meta["nv_validators"] = known
        if known is not None:
            ask_conditionally(request, known.etag, known.last_modified)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("nv_kind") not in CONDITIONAL_KINDS:
            return response
        source = request.meta.get("nv_source")
        known: Validators | None = request.meta.get("nv_validators")
        if response.status == 304 and known is not None:
            count(self.crawler.stats, source, "not_modified")
            count(self.crawler.stats, source, "bytes_saved", known.size)
        elif response.status == 200:
            etag, modified = response_validators(response)
            if etag or modified:
                first_url = request.meta.get("redirect_urls", [request.url])[0]
                self._fresh[first_url] = (source, Validators(etag, modified, len(response.body)),
                                          iso_z(utc_now()))
        return response

    def spider_closed(self, spider: Any, reason: str) -> None:
        # a failed run (its failure set by a pipeline's close_spider, before this signal) must fetch
        # its feeds in full next time, to find again the articles it could not extract
        if reason != "finished" or run_failure(self.crawler.stats):
            return
        stats = self.crawler.stats
        short = {s.id for s in self.run.sources if stats.get_value(f"{PREFIX}source/{s.id}/over_budget")}
        self.run.state.put_validators([
            (url, source, validators, at)
            for url, (source, validators, at) in self._fresh.items() if source not in short
        ])
