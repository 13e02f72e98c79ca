"""Politeness per host: robots.txt with its Crawl-delay, AutoThrottle that never goes below it.

Scrapy keeps one download slot per host and spaces its requests by the slot's `delay`. Three things
move that delay here:
- `RobotsCrawlDelayMiddleware` (Scrapy's robots.txt handling, which ignores Crawl-delay) raises it to
  the host's Crawl-delay for our user agent, capped at MAX_CRAWL_DELAY;
- `PoliteAutoThrottle` (Scrapy's AutoThrottle) adapts it to the host's latency, between
  DOWNLOAD_DELAY and AUTOTHROTTLE_MAX_DELAY, but never below the host's Crawl-delay;
- `spiders.retry.BackoffRetryMiddleware` raises it when the host answers 429/503 or fails.
The host's floor is kept per crawler because Scrapy recreates idle slots with the default delay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.robotstxt import RobotParser

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

# A robots.txt asking for more than this is treated as asking for this: one page a minute still
# lets a news source yield, where an hour between pages would silently stop it.
MAX_CRAWL_DELAY = 60.0

_FLOORS: WeakKeyDictionary[Crawler, dict[str, float]] = WeakKeyDictionary()


def delay_floors(crawler: Crawler) -> dict[str, float]:
    """Slot key -> the smallest delay that host asked for (its Crawl-delay), for this crawl."""
    return _FLOORS.setdefault(crawler, {})


class RobotsCrawlDelayMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        super().process_request_2(rp, request)
        if rp is None:
            return
        useragent = self._robotstxt_useragent or request.headers.get(b"User-Agent", self._default_useragent)
        delay = rp.crawl_delay(useragent or "*")
        if not delay:
            return
        delay = min(float(delay), MAX_CRAWL_DELAY)
        downloader = self.crawler.engine.downloader
        key, slot = downloader._get_slot(request)
        delay_floors(self.crawler)[key] = delay
        slot.delay = max(slot.delay, delay)


class PoliteAutoThrottle(AutoThrottle):
    """AutoThrottle whose lower bound per host is max(DOWNLOAD_DELAY, the host's Crawl-delay)."""

    def _response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        key, slot = self._get_slot(request, spider)
        floor = delay_floors(self.crawler).get(key) if key is not None else None
        if slot is None or floor is None:
            super()._response_downloaded(response, request, spider)
            return
        # AutoThrottle's own floor is DOWNLOAD_DELAY: raise it to this host's Crawl-delay meanwhile.
        mindelay, self.mindelay = self.mindelay, max(self.mindelay, floor)
        try:
            super()._response_downloaded(response, request, spider)
        finally:
            self.mindelay = mindelay
