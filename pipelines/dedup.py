"""DedupPipeline: decides whether a record is new, a new version, or already archived, and which
earlier article it nearly repeats.

The state store knows every article whose part has been published; records still in an open part
are known from `pending`, which the archive pipeline clears as their parts are published and
committed. So the index never claims an article that a killed run did not publish. Near-duplicates
follow the same rule: fingerprints of archived articles are in the persistent NearDupIndex, those of
this run's unpublished records in a MemoryNearDupIndex until their part is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from core.counts import count
from core.run import CrawlRun
from pipelines.extract.pipeline import ExtractPipeline
from pipelines.neardup import (
    Fingerprint,
    Indexed,
    MemoryNearDupIndex,
    NearDupIndex,
    StateNearDupIndex,
    TextFingerprints,
)
from pipelines.revisits import RevisitLedger
from pipelines.signals import records_published
from state.state_types import StateStore

if TYPE_CHECKING:
    from pipelines.shared_dedup import SharedDedupIndex


@dataclass
class Pending:
    version: int
    content_hash: str


class DedupIndex:
    """The state store's dedup index plus what this run has written but not yet published."""

    def __init__(self, state: StateStore, neardups: NearDupIndex | None = None,
                 fingerprints: TextFingerprints | None = None) -> None:
        self.state = state
        self.fingerprints = fingerprints if fingerprints is not None else TextFingerprints()
        self.pending: dict[str, Pending] = {}
        self.pending_texts: dict[tuple[str, str], str] = {}
        self.neardups: NearDupIndex = neardups if neardups is not None else StateNearDupIndex(state)
        self.pending_neardups = MemoryNearDupIndex()
        self._fingerprints: dict[tuple[str, int], Fingerprint] = {}

    def classify(self, record: dict[str, Any]) -> tuple[str, int]:
        """("new" | "version" | "same_url" | "same_text", version to write)."""
        aid, source, digest = record["article_id"], record["source"], record["content_hash"]
        latest = self.pending.get(aid)
        if latest is None and (known := self.state.get_article(aid)) is not None:
            latest = Pending(known.version, known.content_hash)
        if latest is not None and latest.content_hash == digest:
            return "same_url", latest.version
        other = self.pending_texts.get((source, digest)) or self.state.find_text(source, digest)
        if other is not None and other != aid:
            return "same_text", 0
        if latest is not None:
            return "version", latest.version + 1
        return "new", 1

    def duplicate_of(self, record: dict[str, Any]) -> str | None:
        """The article_id of the earliest article whose text this record's text nearly repeats: archived
        ones first (they were archived before anything of this run still pending), then this run's."""
        fp = self.fingerprints.of(record)
        if fp is None:
            return None
        self._fingerprints[(record["article_id"], record["version"])] = fp
        aid = record["article_id"]
        match = self.neardups.lookup(fp, aid) or self.pending_neardups.lookup(fp, aid)
        return match.article_id if match is not None else None

    def reserve(self, record: dict[str, Any]) -> None:
        self.pending[record["article_id"]] = Pending(record["version"], record["content_hash"])
        self.pending_texts[(record["source"], record["content_hash"])] = record["article_id"]
        fp = self._fingerprints.get((record["article_id"], record["version"]))
        if fp is not None:
            self.pending_neardups.add([Indexed(record["article_id"], record["source"], fp)])

    def published(self, records: list[dict[str, Any]]) -> None:
        indexed = []
        for record in records:
            pending = self.pending.get(record["article_id"])
            if pending is not None and pending.version == record["version"]:
                del self.pending[record["article_id"]]
            self.pending_texts.pop((record["source"], record["content_hash"]), None)
            fp = self._fingerprints.pop((record["article_id"], record["version"]), None)
            if fp is not None:
                indexed.append(Indexed(record["article_id"], record["source"], fp))
                self.pending_neardups.discard(record["article_id"])
        self.neardups.add(indexed)


class DedupPipeline:
    """Drops what is archived already; keeps what it let through pending until `records_published`."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.run = CrawlRun.of(crawler)
        self.fingerprints = TextFingerprints()
        self.revisits: RevisitLedger | None = None
        self.index: DedupIndex | SharedDedupIndex | None = None
        crawler.signals.connect(self.records_published, signal=records_published)

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        # the components it works with exist once the engine does
        extract = self.crawler.get_item_pipeline(ExtractPipeline)
        if extract is not None:  # the near-duplicate fingerprints its workers computed
            self.fingerprints = extract.fingerprints
        self.revisits = self.crawler.get_extension(RevisitLedger)  # None in a replay
        shared = self.run.state.shared()
        if shared is not None:  # a cluster's state: check and reserve in one atomic step
            from pipelines.shared_dedup import SharedDedupIndex

            self.index = SharedDedupIndex(shared, self.run.run_id, self.fingerprints)
        else:
            self.index = DedupIndex(self.run.state, fingerprints=self.fingerprints)

    def records_published(self, source: str, records: list[dict[str, Any]]) -> None:
        if self.index is not None:
            self.index.published(records)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or "content_hash" not in item:
            return item
        assert self.index is not None, "process_item before open_spider"
        verdict, version = self.index.classify(item)
        if verdict in ("same_url", "same_text"):
            self.fingerprints.forget(item)  # dropped below: its fingerprint is not needed
        revisits = self.revisits
        if verdict == "same_url" and revisits is not None and revisits.unchanged_text(item):
            # a revisit whose page changed around an unchanged text: not a duplicate, just unchanged
            count(self.crawler.stats, item["source"], "unchanged")
            count(self.crawler.stats, item["source"], "unchanged_text")
            raise DropItem(f"{item['url']}: text unchanged since its last fetch")
        if verdict in ("same_url", "same_text"):
            count(self.crawler.stats, item["source"], "duplicates")
            raise DropItem(f"{item['url']}: already archived ({verdict.replace('_', ' ')})")
        if verdict == "version":
            count(self.crawler.stats, item["source"], "new_versions")
        item["version"] = version
        item["duplicate_of"] = self.index.duplicate_of(item)
        if item["duplicate_of"] is not None:
            count(self.crawler.stats, item["source"], "near_duplicates")
        self.index.reserve(item)
        return item
