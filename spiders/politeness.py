"""robots.txt with its Crawl-delay honoured.

Scrapy's RobotsTxtMiddleware obeys Allow/Disallow but ignores Crawl-delay. This subclass also raises
the host's download-slot delay to the Crawl-delay for our user agent when it is larger than the
configured delay. It is re-applied on every request because Scrapy recreates idle slots.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser

# A robots.txt asking for more than this is treated as asking for this: one page a minute still
# lets a news source yield, where an hour between pages would silently stop it.
MAX_CRAWL_DELAY = 60.0


class RobotsCrawlDelayMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        super().process_request_2(rp, request)
        if rp is None:
            return
        useragent = self._robotstxt_useragent or request.headers.get(b"User-Agent", self._default_useragent)
        delay = rp.crawl_delay(useragent or "*")
        if not delay:
            return
        downloader = self.crawler.engine.downloader
        _key, slot = downloader._get_slot(request)
        slot.delay = max(slot.delay, min(float(delay), MAX_CRAWL_DELAY))
