"""DedupPipeline: decides whether a record is new, a new version, or already archived.

The state store knows every article whose part has been published; records still in an open part
are known from `pending`, which the archive pipeline clears as their parts are published and
committed. So the index never claims an article that a killed run did not publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import DropItem

from newsvault.counts import count
from newsvault.run import CrawlRun
from newsvault.state import SQLiteState


@dataclass
class Pending:
    version: int
    content_hash: str


class DedupIndex:
    """The state store's dedup index plus what this run has written but not yet published."""

    def __init__(self, state: SQLiteState) -> None:
        self.state = state
        self.pending: dict[str, Pending] = {}
        self.pending_texts: dict[tuple[str, str], str] = {}

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

    def reserve(self, record: dict[str, Any]) -> None:
        self.pending[record["article_id"]] = Pending(record["version"], record["content_hash"])
        self.pending_texts[(record["source"], record["content_hash"])] = record["article_id"]

    def published(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            pending = self.pending.get(record["article_id"])
            if pending is not None and pending.version == record["version"]:
                del self.pending[record["article_id"]]
            self.pending_texts.pop((record["source"], record["content_hash"]), None)


class DedupPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.run = CrawlRun.of(crawler)
        self.index = DedupIndex(self.run.state)
        self.run.dedup = self.index

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or "content_hash" not in item:
            return item
        verdict, version = self.index.classify(item)
        if verdict in ("same_url", "same_text"):
            count(self.crawler.stats, item["source"], "duplicates")
            raise DropItem(f"{item['url']}: already archived ({verdict.replace('_', ' ')})")
        if verdict == "version":
            count(self.crawler.stats, item["source"], "new_versions")
        item["version"] = version
        self.index.reserve(item)
        return item
