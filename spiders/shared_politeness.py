"""Politeness across the runs of one crawl host: two runs that reach one site share its pace.

Scrapy spaces a host's requests per crawler (its download slot's delay: DOWNLOAD_DELAY, AutoThrottle,
the host's robots.txt Crawl-delay; spiders/politeness.py). A crawl host runs many crawlers at once,
so two sources on one site, run side by side, would each keep their own pace and together hit the
site twice as often. The host hands every run one `HostPaces` (the NEWSVAULT_HOST_PACES setting);
`SharedPolitenessMiddleware` holds each request until the host's last request, from any run, is
the delay the run's own slot asks for that host behind. One crawl's own requests were already that far apart,
so a run alone on its hosts never waits here. Without the setting (`newsvault crawl`, one crawl in
its process) the middleware is off.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from scrapy import Request
from scrapy.exceptions import NotConfigured

from spiders.politeness import delay_floors

PACES_SETTING = "NEWSVAULT_HOST_PACES"


class HostPaces:
    """For each host (download slot key): when its next request may leave, whichever run sends it."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> HostPaces:
        # Scrapy deep-copies each crawler's settings; the paces are the host's, shared, never copied
        return self

    def wait(self, host: str, now: float | None = None) -> float:
        """How long before a request may leave for `host`."""
        now = time.monotonic() if now is None else now
        return self._next.get(host, 0.0) - now

    def leave(self, host: str, delay: float, now: float | None = None) -> None:
        """A request leaves for `host` now: the next one waits `delay`."""
        now = time.monotonic() if now is None else now
        self._next[host] = now + delay
        if len(self._next) > 10_000:  # hosts whose turns are long past need no memory
            self._next = {h: t for h, t in self._next.items() if t > now}


class SharedPolitenessMiddleware:
    def __init__(self, crawler: Any, paces: HostPaces) -> None:
        self.crawler = crawler
        self.paces = paces

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedPolitenessMiddleware:
        paces = crawler.settings.get(PACES_SETTING)
        if not isinstance(paces, HostPaces):
            raise NotConfigured("one crawl in its process: its own download slots are the pace")
        return cls(crawler, paces)

    async def process_request(self, request: Request) -> None:
        key, slot = self.crawler.engine.downloader._get_slot(request)
        delay = max(slot.delay, delay_floors(self.crawler).get(key, 0.0))
        if delay <= 0:
            return None
        # Looked at again after each wait: another run's request may have left meanwhile. The pace
        # starts when a request actually leaves, so a busy reactor never squeezes two closer together.
        while (wait := self.paces.wait(key)) > 0:
            await asyncio.sleep(wait)
        self.paces.leave(key, delay)
        return None
