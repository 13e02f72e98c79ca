"""Spiders whose items come from `start()` (import, replay), not from responses: `StartItemsSpider`
counts their items in the pipelines, so a spider can wait until at most so many are in flight (all
of a replayed part settled; an import's reading kept ahead of extraction, but not far).

Items a spider yields from `start()`: letting a closing engine see them finish.

Scrapy 2.19 checks whether a closing spider's scraper is idle when an item that came from a
response settles, not when one yielded by `start()` does: stopped while such items are in the
pipelines (Ctrl-C, a CloseSpider), the engine would wait for an idle signal that never comes. A
spider that yields items from `start()` calls `item_settled` whenever one settles (Scrapy's
item_scraped, item_dropped, item_error signals); while the spider is closing, the check then runs
until the scraper has taken the last item off its count (it does so a little after the signal).
"""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer

from core.run import CrawlRun

RECHECK_S = 0.05


class StartItemsSpider(scrapy.Spider):
    """A spider yielding items from `start()`: `outstanding` items are in the pipelines; a spider adds
    one for each item it yields and awaits `at_most(n)` to keep their number down."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outstanding = 0
        self._limit = 0
        self._room: defer.Deferred[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.run = CrawlRun.of(crawler)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._settled, signal=signal)
        return spider

    def _settled(self, *args: Any, **kwargs: Any) -> None:
        self.outstanding -= 1
        item_settled(self.crawler)  # a spider stopped in the middle still closes
        if self._room is not None and self.outstanding <= self._limit:
            room, self._room = self._room, None
            room.callback(None)

    async def at_most(self, limit: int) -> None:
        """Until no more than ``limit`` items are in the pipelines."""
        while self.outstanding > limit:
            self._limit = limit
            self._room = defer.Deferred()
            await maybe_deferred_to_future(self._room)


def item_settled(crawler: Any) -> None:
    _close_if_idle(crawler, delay=0.0)


def _close_if_idle(crawler: Any, delay: float) -> None:
    # imported here: importing the reactor at module level would install Twisted's default one
    from twisted.internet import reactor

    reactor.callLater(delay, _check, crawler)  # type: ignore[attr-defined]


def _check(crawler: Any) -> None:
    engine = crawler.engine
    slot = engine.scraper.slot if engine is not None else None
    if slot is None or slot.closing is None or slot.closing.called:
        return  # not closing (the spider goes on), or closed already
    if slot.is_idle():
        engine.scraper._check_if_closing()
    else:  # this item's own count, or others still in the pipelines: look again shortly
        _close_if_idle(crawler, delay=RECHECK_S)
