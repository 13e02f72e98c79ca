"""Items a spider yields from `start()` (import, replay): letting a closing engine see them finish.

Scrapy 2.19 checks whether a closing spider's scraper is idle when an item that came from a
response settles, not when one yielded by `start()` does: stopped while such items are in the
pipelines (Ctrl-C, a CloseSpider), the engine would wait for an idle signal that never comes. A
spider that yields items from `start()` calls `item_settled` whenever one settles (Scrapy's
item_scraped, item_dropped, item_error signals); while the spider is closing, the check then runs
until the scraper has taken the last item off its count (it does so a little after the signal).
"""

from __future__ import annotations

from typing import Any

RECHECK_S = 0.05


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
