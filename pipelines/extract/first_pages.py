"""A new source's first pages wait for its template, so that even they leave its boxes out.

The template (site_template.py) knows a box once MIN_ARTICLES of the source's articles have held it;
the pages extracted before that would keep the box in their records. So a page extracted while its
source's template had learned from fewer than MIN_ARTICLES articles waits, extracted, until it has;
then it is extracted again with the template, if the template now holds one of its blocks (a
page none of whose blocks recur is not extracted twice). Only the first run of a source waits, and
only for its first few pages: later runs load what this one learned.

A page stops waiting as soon as no other page can come while it waits, whatever the template has
learned by then (`CrawlQuiet`): every page fetched so far is through the pipelines or waiting, and
nothing is left to fetch, or the engine takes no more (the spider closing, or the scraper full, as
the waiting pages' bodies may make it); and after MAX_WAIT_S in any case. A scraper full of pages
still to extract is no reason: those pages teach the template.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy import signals

from pipelines.extract.site_template import MIN_ARTICLES, SourceTemplates

logger = logging.getLogger(__name__)

POLL_S = 0.1
MAX_WAIT_S = 120.0


class CrawlQuiet:
    """Whether any more page can reach the pipelines while `waiting` items wait in them.

    A page comes from a request in the scheduler or the downloader, a response in the scraper, or an
    item a spider yields (replay, import): each is in one of Scrapy's counts."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.scheduler_empty = False
        crawler.signals.connect(self._scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self._emptied, signal=signals.scheduler_empty)

    def _scheduled(self, *args: Any, **kwargs: Any) -> None:
        self.scheduler_empty = False

    def _emptied(self, *args: Any, **kwargs: Any) -> None:
        self.scheduler_empty = True

    def __call__(self, waiting: int) -> bool:
        try:
            engine = self.crawler.engine
        except RuntimeError:  # no crawl started: the pipeline fed directly
            return True
        slot = engine.scraper.slot
        if slot is None:
            return True
        # every page already fetched is through the pipelines, or one of the waiting ones
        settled = (not engine.downloader.active and not slot.queue
                   and len(slot.active) <= waiting and slot.itemproc_size <= waiting)
        # and none is still to fetch: the scheduler is empty, or the engine takes no more from it
        # (closing, or its scraper full of the waiting pages: they hold their responses' bytes)
        return settled and (self.scheduler_empty or engine.needs_backout())


class FirstPages:
    """The pages extracted before their source's template had learned enough, until it has."""

    def __init__(self, templates: SourceTemplates, quiet: CrawlQuiet) -> None:
        self.templates = templates
        self.quiet = quiet
        self.waiting = 0
        self._round = 0  # one more each time the waiting pages were let go together

    def early(self, source: str) -> bool:
        """Whether a page of `source` extracted now would be extracted before its template knows boxes."""
        return self.templates.articles(source) < MIN_ARTICLES

    async def learned(self, source: str) -> None:
        """Returns once the source's template has learned from MIN_ARTICLES articles, or no more can come."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # driven by a Twisted reactor of its own, with no asyncio loop to wait in
            return
        since = loop.time()
        started = self._round
        self.waiting += 1
        try:
            while self.early(source) and self._round == started and loop.time() < since + MAX_WAIT_S:
                if self.quiet(self.waiting):
                    self._round += 1  # every page waiting now goes: none of them can be helped by waiting
                    break
                await asyncio.sleep(POLL_S)
        finally:
            self.waiting -= 1
        logger.debug("a first page of %s waited %.1f s for its template (%s)", source, loop.time() - since,
                     "learned" if not self.early(source) else "no more pages came")
