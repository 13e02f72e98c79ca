"""Which extracted articles a run keeps: the language and age filters of `[crawl]` and each source.

- `languages`: the language detected from the text (pipelines/extract/language.py) must be one of
  them; an article whose language could not be told is not kept either.
- `max_age`, `published_after`: published no earlier than the later of the two limits, the age
  counted back from when the page was fetched (so a replay or an import of old captures keeps what
  was fresh when it was captured). A date alone counts as its whole day.
- `require_date`: an article with no publication date is not kept.

`FilterPipeline` sits between extraction and dedup. What it drops is counted by reason
(`wrong_language`, `too_old`, `undated`), never archived as a record, and remembered: the revisit
ledger does not fetch it again (pipelines/revisits.py) unless a feed or sitemap says it changed. Its
WARC snapshot was written when it was fetched and stays. The spider applies the age limit before
fetching, to the dates feeds and sitemaps give (`too_early` below), so a new source's long sitemap
does not fetch its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from scrapy.exceptions import DropItem

from core.config import CrawlConfig, Source
from core.counts import count
from core.run import CrawlRun
from pipelines.extract.publication_time import parse_time


class FilteredOut(DropItem):
    """An article the run's filters do not keep; `reason` is one of core.counts.FILTERED."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ArticleFilter:
    languages: frozenset[str] = frozenset()
    max_age: float | None = None
    published_after: datetime | None = None
    require_date: bool = False

    @classmethod
    def of(cls, crawl: CrawlConfig, source: Source | None = None) -> ArticleFilter:
        """[crawl]'s filters with the source's over them, key by key."""
        def pick(name: str) -> Any:
            own = getattr(source, name) if source is not None else None
            return own if own is not None else getattr(crawl, name)

        return cls(languages=frozenset(pick("languages")), max_age=pick("max_age"),
                   published_after=pick("published_after"), require_date=bool(pick("require_date")))

    @property
    def active(self) -> bool:
        return bool(self.languages or self.max_age or self.published_after or self.require_date)

    def cutoff(self, fetched_at: datetime) -> datetime | None:
        """The earliest publication time kept, for a page fetched at `fetched_at`."""
        limits = [self.published_after] if self.published_after is not None else []
        if self.max_age:
            limits.append(fetched_at - timedelta(seconds=self.max_age))
        return max(limits) if limits else None

    def too_early(self, moment: datetime | date, fetched_at: datetime) -> bool:
        """Published (or last changed) at `moment`, before the cutoff."""
        cutoff = self.cutoff(fetched_at)
        if cutoff is None:
            return False
        if not isinstance(moment, datetime):  # a day: kept while any of it is after the cutoff
            return moment < cutoff.astimezone(UTC).date()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment < cutoff

    def verdict(self, record: dict[str, Any], fetched_at: datetime) -> tuple[str, str] | None:
        """(reason, why) when the record is not kept; None when it is."""
        language = record.get("language")
        if self.languages and language not in self.languages:
            return "wrong_language", f"written in {language or 'an undetected language'}"
        published = parse_time(record["published_at"]) if record.get("published_at") else None
        if published is None:
            return ("undated", "no publication date") if self.require_date else None
        if self.too_early(published, fetched_at):
            return "too_old", f"published {record['published_at']}"
        return None


class FilterPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        run = CrawlRun.of(crawler)
        self.default = ArticleFilter.of(run.config.crawl)
        self.filters = {source.id: ArticleFilter.of(run.config.crawl, source) for source in run.sources}

    @classmethod
    def from_crawler(cls, crawler: Any) -> FilterPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        rules = self.filters.get(item["source"], self.default)
        if not rules.active:
            return item
        fetched_at = datetime.fromisoformat(item["fetched_at"].replace("Z", "+00:00"))
        verdict = rules.verdict(item, fetched_at)
        if verdict is None:
            return item
        reason, why = verdict
        count(self.crawler.stats, item["source"], reason)
        raise FilteredOut(reason, f"{item['url']}: not kept ({reason}: {why})")
