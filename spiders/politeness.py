"""Politeness per host: robots.txt with its Crawl-delay, AutoThrottle that never goes below it.

Scrapy keeps one download slot per host and spaces its requests by the slot's `delay`. Three things
move that delay here:
- `RobotsCrawlDelayMiddleware` (Scrapy's robots.txt handling, which ignores Crawl-delay) raises it to
  the host's Crawl-delay for our user agent, capped at MAX_CRAWL_DELAY;
- `PoliteAutoThrottle` (Scrapy's AutoThrottle) adapts it to the host's latency, between
  DOWNLOAD_DELAY and AUTOTHROTTLE_MAX_DELAY, but never below the host's Crawl-delay;
- `spiders.retry.BackoffRetryMiddleware` raises it when the host answers 429/503 or fails.
The host's floor is kept per crawler because Scrapy recreates idle slots with the default delay.

In a crawl host, whose runs start many crawlers a minute, a site's parsed robots.txt is kept for an
hour (`SharedRobots`, the NEWSVAULT_HOST_ROBOTS setting) and read from there by the next runs, rather
than fetched again by each run: RFC 9309 lets a crawler cache it for up to 24 hours.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

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


ROBOTS_SETTING = "NEWSVAULT_HOST_ROBOTS"
ROBOTS_TTL_S = 3600.0


class SharedRobots:
    """robots.txt files by netloc, for an hour, shared by the runs of a crawl host.

    The files' bodies, not their parsers: Scrapy's parser keeps the crawler that built it, and with it
    everything the run held. Each run parses the body again (a fraction of a millisecond)."""

    def __init__(self, ttl_s: float = ROBOTS_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._bodies: dict[str, tuple[float, bytes]] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedRobots:
        # Scrapy deep-copies each crawler's settings; the cache is the host's, never copied
        return self

    def get(self, netloc: str) -> bytes | None:
        found = self._bodies.get(netloc)
        if found is None or time.monotonic() - found[0] > self.ttl_s:
            self._bodies.pop(netloc, None)
            return None
        return found[1]

    def put(self, netloc: str, body: bytes) -> None:
        now = time.monotonic()
        if len(self._bodies) > 50_000:
            self._bodies = {n: v for n, v in self._bodies.items() if now - v[0] <= self.ttl_s}
        self._bodies[netloc] = (now, body)


class RobotsCrawlDelayMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        shared = crawler.settings.get(ROBOTS_SETTING)
        self.shared = shared if isinstance(shared, SharedRobots) else None

    async def robot_parser(self, request: Request) -> RobotParser | None:
        if self.shared is not None:
            netloc = urlparse_cached(request).netloc
            if netloc not in self._parsers and (body := self.shared.get(netloc)) is not None:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await super()._parse_robots(response, netloc, request)
        # a server error says nothing of the rules; a file, or its absence (404: no rules), is kept
        if self.shared is not None and isinstance(self._parsers.get(netloc), RobotParser) and response.status < 500:
            self.shared.put(netloc, response.body)

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
