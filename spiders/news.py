"""The news spider: discovers article URLs from feeds, sitemaps and pages, and fetches them.

One spider serves every source of a run, so all sources share Scrapy's per-host download slots,
robots.txt cache and politeness settings. Discovery only finds and fetches: the fetched article is
handed to the pipelines as a `PageItem` (extraction happens off the reactor, in pipelines/).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from core.clock import iso_z, utc_now
from core.config import Source
from core.counts import count, count_error
from core.items import PageItem
from core.record import canonicalize_url
from core.run import CrawlRun
from pipelines.filters import ArticleFilter
from pipelines.revisits import SINGLE_ATTEMPT_AFTER, Fetch, RevisitLedger, parse_iso, plan_revisits
from spiders.conditional import ask_conditionally, response_validators
from spiders.errors import failure_reason
from spiders.feeds import parse_feed
from spiders.links import article_links, url_in_domains
from spiders.sitemaps import parse_sitemap
from state.backends import Revisit

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
# A sitemap index can nest; deeper than this is a trap, not a site.
MAX_SITEMAP_DEPTH = 3
# A feed or sitemap date this far ahead of our clock is a publisher's mistake, not a change signal.
HINT_CLOCK_SKEW = timedelta(minutes=10)
# Failures of a new article URL that the next run would only repeat.
SETTLED_FAILURES = frozenset({"robots", "http_4xx", "too_large", "offsite", "redirect_loop"})
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
        # Known articles that feeds or sitemaps say changed since our last fetch: url -> (due, row).
        self._hinted: dict[str, dict[str, tuple[str, Revisit]]] = {}
        # Article URLs asked for in this run (new or revisited), per source: never planned as revisits.
        self._taken: dict[str, set[str]] = {}
        self._known: dict[str, Revisit] = {}  # known article URLs discovered in this run
        self._filters: dict[str, ArticleFilter] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.run = CrawlRun.of(crawler)
        crawler.signals.connect(spider._find_revisits, signal=signals.spider_opened)
        crawler.signals.connect(spider.plan_revisits, signal=signals.spider_idle)
        for source in spider.run.sources:
            spider._hinted[source.id] = {}
            spider._taken[source.id] = set()
            spider._filters[source.id] = ArticleFilter.of(spider.run.config.crawl, source)
            limit = source.max_articles_per_run or spider.run.config.crawl.max_articles_per_run
            spider._budget[source.id] = limit
            spider._patterns[source.id] = (
                re.compile(source.article_url_pattern) if source.article_url_pattern else None
            )
            spider._page_budget[source.id] = (
                crawler.settings.getint("NEWSVAULT_MAX_PAGES_PER_SOURCE", 0) or max(limit, 10)
            )
        return spider

    def _find_revisits(self, spider: Any) -> None:
        ledger = self.crawler.get_extension(RevisitLedger)
        if ledger is None:  # CloseSpider: an exception raised in a signal handler would only be logged
            raise CloseSpider("the news spider needs the RevisitLedger extension (newsvault/settings.py)")
        self.revisits: RevisitLedger = ledger

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
            dates = [d for d in (item.lastmod, item.news_published) if d is not None]
            yield from self._article(item.url, source, hint=max(dates) if dates else None)

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
        if canonical in self._requested or canonical in self._hinted[source.id]:
            return
        known = self._known.get(canonical)
        if known is None:
            count(self.crawler.stats, source.id, "discovered")
            known = self.revisits.known(canonical)
        if hint is not None and self._filters[source.id].too_early(hint, utc_now()):
            # its feed or sitemap dates it before the age limit: even its last change is too old
            self._requested.add(canonical)
            count(self.crawler.stats, source.id, "too_old")
            return
        now = utc_now()
        dated_since = known is not None and hint is not None and (
            parse_iso(known.last_fetched) < hint <= now + HINT_CLOCK_SKEW)
        if known is not None and not (known.failures and dated_since):
            # Known: fetched again only when due (planned once discovery is done, after new articles),
            # or at once when a feed or sitemap dates it after our last fetch (a listing page's link
            # to it, seen first, must not hide that).
            if dated_since:
                due = min(known.next_due or iso_z(hint), iso_z(hint))
                self._hinted[source.id][canonical] = (due, known)
            elif canonical not in self._known and (known.next_due is None or known.next_due > iso_z(now)):
                # a URL that failed waits on its backoff: it is retried later, not given up
                count(self.crawler.stats, source.id, "retry_later" if known.failures else "known_skipped")
            self._known[canonical] = known
            return
        # New, or one that only ever failed and that a feed or sitemap dates after its last failure:
        # fetched as a new URL, its backoff started over.
        self._requested.add(canonical)
        if self._budget[source.id] <= 0:
            count(self.crawler.stats, source.id, "over_budget")
            return
        self._budget[source.id] -= 1
        self._taken[source.id].add(canonical)
        yield self._request(canonical, source, "article", self.parse_article, depth_hops=hops, nv_hint=hint,
                            nv_key=canonical)

    # -- revisits -------------------------------------------------------------------------------

    def plan_revisits(self) -> None:
        """When discovery and new articles are done: the due revisits, within each source's remaining
        budget, longest overdue first (hinted ones are due since their feed or sitemap date). Planned
        again at each idle, so that budget a planned request gave back (robots.txt refused it) goes to
        the next overdue URL."""
        now = utc_now()
        scheduled = 0
        for source in self.run.sources:
            budget = self._budget[source.id]
            if budget <= 0:
                continue
            taken = self._taken[source.id]
            hinted = {url: v for url, v in self._hinted[source.id].items() if url not in taken}
            rows = {r.url: r for r in self.revisits.due(source.id, now, budget + len(hinted) + len(taken))
                    if r.url not in taken}
            due = [(r.next_due or "", r.url) for r in rows.values() if r.url not in hinted]
            due += [(when, url) for url, (when, _) in hinted.items()]
            for url in plan_revisits(due, budget):
                known = hinted[url][1] if url in hinted else rows[url]
                self._budget[source.id] -= 1
                taken.add(url)
                self.crawler.engine.crawl(self._revisit_request(url, source, known))
                scheduled += 1
        if scheduled:
            raise DontCloseSpider

    def _revisit_request(self, url: str, source: Source, known: Revisit) -> scrapy.Request:
        request = self._request(url, source, "article", self.parse_article, nv_key=url, nv_revisit=known,
                                handle_httpstatus_list=[304])
        if known.failures >= SINGLE_ATTEMPT_AFTER:
            request.meta["dont_retry"] = True  # one attempt per run: its retries failed already
        if known.body_sha256 is not None:  # validators of a page whose text is archived
            ask_conditionally(request, known.etag, known.last_modified)
        return request

    # -- fetched articles ---------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        source = self.run.source(response.meta["nv_source"])
        stats = self.crawler.stats
        key = response.meta.get("nv_key") or canonicalize_url(response.url)
        known: Revisit | None = response.meta.get("nv_revisit")
        if known is not None and known.failures:  # one that only ever failed answers: a new URL
            known = None
        fetched_at = response.meta.get("nv_fetched_at") or utc_now()
        count(stats, source.id, "fetched")
        count(stats, source.id, "revisited" if known is not None else "new")
        if known is not None and response.status == 304:
            count(stats, source.id, "unchanged")
            count(stats, source.id, "unchanged_304")
            etag, modified = response_validators(response)
            self.revisits.unchanged(key, known, fetched_at, etag=etag, last_modified=modified)
            return
        if response.headers.get(b"Content-Encoding"):
            # HttpCompressionMiddleware left an encoding it cannot decode: the body is not the page.
            count_error(stats, source.id, "decode_error")
            self.revisits.no_record(key, source.id, known, fetched_at)
            return
        if not _is_html(response) or looks_binary(response.body):
            count_error(stats, source.id, "not_html")
            self.revisits.no_record(key, source.id, known, fetched_at)
            return
        digest = hashlib.sha256(response.body).hexdigest()
        etag, modified = response_validators(response)
        if known is not None and known.body_sha256 == digest:
            # the very bytes whose text is archived: nothing to extract
            count(stats, source.id, "unchanged")
            count(stats, source.id, "unchanged_bytes")
            self.revisits.unchanged(key, known, fetched_at, etag=etag, last_modified=modified)
            return
        self.revisits.fetched(response.url, Fetch(key, source.id, known, fetched_at, etag, modified, digest))
        yield PageItem(
            source=source.id,
            url=response.url,
            status=response.status,
            headers={k.decode("latin-1").lower(): response.headers.get(k, b"").decode("latin-1")
                     for k in response.headers},
            body=response.body,
            fetched_at=fetched_at,
            snapshot=response.meta.get("nv_snapshot"),
        )

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source_id = request.meta.get("nv_source")
        reason = failure_reason(failure)
        count_error(self.crawler.stats, source_id, reason)
        if request.meta.get("nv_kind") != "article":
            return
        if reason == "robots" and not request.meta.get("redirect_urls"):
            # The site was never asked: max_articles_per_run counts what the site is asked for.
            self._budget[source_id] += 1
        known = request.meta.get("nv_revisit")
        key = request.meta.get("nv_key", request.url)
        if reason in SETTLED_FAILURES or (known is not None and not known.failures):
            # A failed revisit keeps the archived text and takes the next rung; a new URL that robots.txt
            # forbids or the site refuses waits on the ladder too.
            self.revisits.no_record(key, source_id, known, utc_now())
        else:
            # A transient failure of a URL never fetched with success: the failure backoff.
            self.revisits.failed(key, source_id, known, utc_now())
        self.logger.info("%s failed (%s): %s", request.url, reason, failure.getErrorMessage())


def _is_html(response: Response) -> bool:
    return is_html_page(response.headers.get(b"Content-Type", b""), response.body)


def is_html_page(content_type: bytes, body: bytes) -> bool:
    """Whether a page is HTML: by its Content-Type, else by how its body starts (imports use it too)."""
    content_type = content_type.lower()
    if content_type:
        return any(t in content_type for t in HTML_TYPES)
    head = body[:512].lstrip().lower()
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
