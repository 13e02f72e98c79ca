"""The replay spider: stored WARC responses become PageItems again, with no download at all.

The items go through the same pipelines as a crawl (extraction in the process pool, dedup, archive),
so a replayed record is built by the same code from the same inputs: the stored URL, body, headers,
status and fetch time, and the original snapshot pointer. Source WARC parts are replayed one at a
time and in crawl order; after each part the spider waits until every item of it has been archived
or dropped, publishes the target's open parts and notes the part as done in the replay journal, so
an interrupted replay resumes after the last part it finished, and versions are numbered in the
order the crawls fetched them.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads

from archive.replay import ReplayJournal, ReplayPart
from archive.warc import SnapshotResponse, read_response_at
from core.counts import count, count_error
from core.items import PageItem
from pipelines.archive import ArchivePipeline
from spiders.start_items import StartItemsSpider


class ReplaySpider(StartItemsSpider):
    name = "replay"

    def __init__(self, *args: Any, parts: list[ReplayPart], source_store: Any, journal: ReplayJournal,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts = parts
        self.source_store = source_store
        self.journal = journal
        self.replayed = 0

    async def start(self) -> AsyncIterator[PageItem]:
        stats = self.crawler.stats
        for part in self.parts:
            if part.key in self.journal.done:
                self.replayed += len(part.captures)
                continue
            data = await maybe_deferred_to_future(threads.deferToThread(self.source_store.get_bytes, part.key))
            if part.sha256 and hashlib.sha256(data).hexdigest() != part.sha256:
                count_error(stats, part.source, "snapshot_corrupt")
                self.logger.error("%s does not match its run manifest's sha256; skipped", part.key)
                continue
            pipeline = self.crawler.get_item_pipeline(ArchivePipeline)
            failures = pipeline.publish_failures if pipeline is not None else 0
            for capture in part.captures:
                self.replayed += 1
                try:
                    response = read_response_at(data[capture.offset:capture.offset + capture.length])
                except ValueError as exc:
                    count_error(stats, part.source, "snapshot_unreadable")
                    self.logger.error("%s@%d: %s", part.key, capture.offset, exc)
                    continue
                count(stats, part.source, "fetched")
                self.outstanding += 1
                yield _page_item(part, capture.offset, capture.length, response)
            await self.at_most(0)
            if pipeline is not None:
                pipeline.archive.flush()
                await pipeline.published()
                if pipeline.publish_failures != failures:  # a batch of this part's records failed
                    # not journaled as done: a resumed replay does this part again
                    self.logger.error("the replayed records of %s could not all be archived; the part is "
                                      "replayed again when this replay is resumed", part.key)
                    raise CloseSpider("archive_failed")
                self.journal.part_done(part.key, pipeline.archive.files)


def _page_item(part: ReplayPart, offset: int, length: int, response: SnapshotResponse) -> PageItem:
    # As the crawl's parse_article builds it: lower-cased header names, the last value of each.
    headers = {name.lower(): value for name, value in response.headers}
    return PageItem(
        source=part.source,
        url=response.url,
        status=response.status,
        headers=headers,
        body=response.body,
        fetched_at=response.fetched_at,
        # The original pointer, into the source archive (named by the manifest's source_archive).
        snapshot={"warc": part.key, "offset": offset, "length": length, "record_id": response.record_id},
    )
