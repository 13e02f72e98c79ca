"""What one crawl run is: its config, sources, stores, id and start, fixed before the crawl starts.

The runner creates it and hands it to Scrapy in the `NEWSVAULT_RUN` setting; components read it with
`CrawlRun.of(crawler)`. It holds no component's state: what a run builds (its archive, dedup index,
revisit ledger) belongs to the component that builds it, and the others find that component through
the crawler (`get_item_pipeline`, `get_extension`) or hear from it through signals
(pipelines/signals.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from archive.store_types import ArchiveStore
    from core.config import Config, Source
    from state.state_types import StateStore


@dataclass(frozen=True)
class CrawlRun:
    config: Config
    sources: tuple[Source, ...]
    store: ArchiveStore
    state: StateStore
    run_id: str
    started_at: datetime
    kind: str = "crawl"
    # Keys the run adds to its manifest (a replay: replay_of, source_archive, extractor).
    manifest_extra: Mapping[str, Any] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict[int, Any]) -> CrawlRun:
        # Scrapy deep-copies its settings per crawler. The run is immutable, and its store and state
        # are open connections, which a copy could not share: the copy is the run itself.
        return self

    @staticmethod
    def of(crawler: Crawler) -> CrawlRun:
        run = crawler.settings.get("NEWSVAULT_RUN")
        if not isinstance(run, CrawlRun):
            raise RuntimeError("newsvault components need a CrawlRun in the NEWSVAULT_RUN setting; "
                               "start crawls with `newsvault crawl`")
        return run

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
