"""Revisits: when a known article URL is fetched again, and what the state remembers to make it cheap.

Every article URL the spider fetched has a row in the state (`Revisit`): its rung on the source's
revisit ladder (e.g. 1h, 3h, 12h, 2d, 7d), the time it is next due, and the ETag, Last-Modified and
raw-body SHA-256 of the response whose text is archived. A run fetches a known URL only when it is
due, or when a feed entry or sitemap says it changed after our last fetch; it asks conditionally, and
a 304, the same bytes or the same extracted text move the URL one rung up (after the last rung:
never again, except that a ladder of just "0s" means every run). A changed text is archived as a new
version and puts the URL back on the first rung.

A URL that fails transiently (a timeout, a 5xx, a reset connection) before it was ever fetched with
success waits on its own backoff instead (FAILURE_BACKOFF: the next run, then hours, then days),
with one attempt per run once a run's attempts (the first and its retries) have failed; a feed or
sitemap dating it after its last failure starts it over. A recurring run over an unchanged site then does not spend its time on the
same dead page with all its retries every time.

A URL's row changes only once its outcome is safe: a fetched article when the part holding its record
is published (as the dedup index), an unchanged revisit at once (nothing is written for it). So a
killed run leaves every URL it did not report archived to be fetched again as new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from core.clock import iso_z
from core.items import PageItem
from core.run import CrawlRun
from pipelines.filters import FilteredOut
from pipelines.signals import records_published
from state.backends import Revisit

# Unchanged revisits are written in batches of this many (and when parts are published, and at close).
FLUSH_EVERY = 200
# After the n-th transient failure in a row, a never-fetched URL is due again this long after it.
FAILURE_BACKOFF = (0.0, 3600.0, 6 * 3600.0, 86400.0, 3 * 86400.0, 7 * 86400.0)
# From this many failing runs on, a run tries the URL once, without its in-run retries (those of
# the failing run failed already).
SINGLE_ATTEMPT_AFTER = 1


def next_due(ladder: Sequence[float], rung: int, at: datetime) -> str | None:
    """When a URL on `rung` of `ladder` (fetched `at`) is due again; None: never."""
    if not ladder:
        return None
    if rung >= len(ladder):
        if ladder[-1] > 0:
            return None
        rung = len(ladder) - 1  # ["0s"]: every run
    return iso_z(at + timedelta(seconds=ladder[rung]))


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def plan_revisits(due: Sequence[tuple[str, str]], budget: int) -> list[str]:
    """The URLs to revisit within `budget`, from (due time, url) pairs: the longest overdue first."""
    return [url for _, url in sorted(set(due))[:max(budget, 0)]]


@dataclass(frozen=True)
class Fetch:
    """An article response handed to extraction, until its outcome is known."""

    key: str  # the canonical URL the spider requested
    source: str
    known: Revisit | None  # its row before this fetch: None for a new URL
    fetched_at: datetime
    etag: str | None
    last_modified: str | None
    body_sha256: str


class RevisitLedger:
    """The run's side of the revisit schedule: reads rows for the spider, writes outcomes back.

    A Scrapy extension of crawl runs (a replay fetches nothing); the spider and the dedup pipeline
    find it with ``crawler.get_extension(RevisitLedger)``."""

    def __init__(self, crawler: Any, state: Any, ladders: dict[str, tuple[float, ...]]) -> None:
        self.state = state
        self.ladders = ladders
        self._fetches: dict[str, Fetch] = {}  # by response URL: the URL the records carry
        self._writes: dict[str, Revisit] = {}
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.records_published, signal=records_published)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RevisitLedger:
        run = crawler.settings.get("NEWSVAULT_RUN")
        if not isinstance(run, CrawlRun) or run.kind != "crawl":
            raise NotConfigured("revisits belong to the crawl runs of `newsvault crawl`")
        return cls(crawler, run.state, {
            s.id: s.revisit if s.revisit is not None else run.config.crawl.revisit for s in run.sources
        })

    # -- reads ------------------------------------------------------------------------------------

    def known(self, url: str) -> Revisit | None:
        return self._writes.get(url) or self.state.get_revisit(url)

    def due(self, source: str, now: datetime, limit: int) -> list[Revisit]:
        self.flush()
        return self.state.due_revisits(source, iso_z(now), limit)

    # -- outcomes -----------------------------------------------------------------------------------

    def fetched(self, response_url: str, fetch: Fetch) -> None:
        """An article page went to extraction: its outcome comes from the pipelines."""
        self._fetches[response_url] = fetch

    def unchanged(self, key: str, known: Revisit, at: datetime, *, etag: str | None = None,
                  last_modified: str | None = None, body_sha256: str | None = None) -> None:
        """A revisit found what is archived already: one rung up."""
        rung = known.rung + 1
        self._write(replace(
            known, rung=rung, next_due=next_due(self.ladders[known.source], rung, at), last_fetched=iso_z(at),
            etag=etag or known.etag, last_modified=last_modified or known.last_modified,
            body_sha256=body_sha256 or known.body_sha256,
        ), key)

    def unchanged_text(self, record: dict[str, Any]) -> bool:
        """A record whose text is the archived one: True (and one rung up) when it came from a revisit."""
        fetch = self._fetches.get(record["url"])
        if fetch is None or fetch.known is None:
            return False
        del self._fetches[record["url"]]
        self.unchanged(fetch.key, fetch.known, fetch.fetched_at, etag=fetch.etag,
                       last_modified=fetch.last_modified, body_sha256=fetch.body_sha256)
        return True

    def no_record(self, key: str, source: str, known: Revisit | None, at: datetime) -> None:
        """A fetch that archived nothing (not an article, a duplicate of another URL, a failure): a new URL
        starts the ladder without validators (its next fetch is in full), a revisit moves one rung up."""
        if known is not None and known.failures:  # it answered at last: a new URL's outcome
            known = None
        if known is not None:
            self.unchanged(key, known, at)
            return
        self._write(Revisit(key, source, 0, next_due(self.ladders[source], 0, at), iso_z(at)), key)

    def failed(self, key: str, source: str, known: Revisit | None, at: datetime) -> None:
        """A transient failure of a URL never fetched with success: it waits on the failure backoff."""
        failures = (known.failures if known is not None else 0) + 1
        wait = FAILURE_BACKOFF[min(failures, len(FAILURE_BACKOFF)) - 1]
        self._write(Revisit(key, source, 0, iso_z(at + timedelta(seconds=wait)), iso_z(at), failures=failures), key)

    def records_published(self, source: str, records: Sequence[dict[str, Any]]) -> None:
        self.published(records)

    def published(self, records: Sequence[dict[str, Any]]) -> None:
        """Records in a published part: their URLs start the ladder again, with these validators."""
        for record in records:
            fetch = self._fetches.pop(record["url"], None)
            if fetch is None:
                continue
            self._write(Revisit(
                fetch.key, fetch.source, 0, next_due(self.ladders[fetch.source], 0, fetch.fetched_at),
                iso_z(fetch.fetched_at), fetch.etag, fetch.last_modified, fetch.body_sha256,
            ), fetch.key, flush=False)
        self.flush()

    def item_dropped(self, item: Any, exception: BaseException | None = None, **_: Any) -> None:
        url = item.url if isinstance(item, PageItem) else item.get("url") if isinstance(item, dict) else None
        fetch = self._fetches.pop(url, None) if url is not None else None
        if fetch is None:
            return
        if isinstance(exception, FilteredOut):
            self.filtered_out(fetch)
        else:
            self.no_record(fetch.key, fetch.source, fetch.known, fetch.fetched_at)

    def filtered_out(self, fetch: Fetch) -> None:
        """An article the filters do not keep: never due again (its language or its age will not
        change), unless a feed or sitemap dates it after this fetch; without validators, so that fetch
        is in full and meets the filters in force then."""
        self._write(Revisit(fetch.key, fetch.source, 0, None, iso_z(fetch.fetched_at)), fetch.key)

    # -- writes ---------------------------------------------------------------------------------------

    def _write(self, row: Revisit, key: str, *, flush: bool = True) -> None:
        self._writes[key] = replace(row, url=key)
        if flush and len(self._writes) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if self._writes:
            rows = list(self._writes.values())
            self.state.put_revisits(rows)
            self._writes.clear()

    def spider_closed(self, spider: Any, reason: str) -> None:
        # Pages still in `_fetches` had no outcome (the run was stopped): they stay as they were.
        self.flush()
